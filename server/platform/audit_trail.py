"""Reading the audit trail: a record's history, the log with filters, and its CSV rows.

Who sees which entries is `policy.visible_audit_entries` (the log) and `policy.sees_history` (a record's
history). Entries come out as `audit_words.ReadableEntry`, with the names of people and organisations
looked up once per page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tortoise.expressions import Q
from tortoise.models import Model

from server.models import AuditEntry, Organization, User
from server.platform.actor import Actor
from server.platform.audit_words import RECORD_TYPES, Names, ReadableEntry, Translate, describe
from server.platform.errors import not_found
from server.platform.pagination import MAX_PAGE, Page, paginate
from server.platform.policy import require_actor, sees_history, visible_audit_entries
from server.platform.timeutil import SEOUL

CSV_BATCH = MAX_PAGE


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""  # part of the actor's name or e-mail
    kind: str = ""  # a record type, one of RECORD_TYPES
    since: date | None = None  # Seoul calendar days, both included
    until: date | None = None


def _seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SEOUL)


def _filtered(actor: Actor, chosen: AuditFilter) -> Q:
    condition = visible_audit_entries(actor)
    if chosen.who.strip():
        text = chosen.who.strip()
        condition &= Q(actor__name__icontains=text) | Q(actor__email__icontains=text)
    if chosen.kind in RECORD_TYPES:
        condition &= Q(record_type=chosen.kind)
    if chosen.since is not None:
        condition &= Q(created_at__gte=_seoul_midnight(chosen.since))
    if chosen.until is not None:
        condition &= Q(created_at__lt=_seoul_midnight(chosen.until + timedelta(days=1)))
    return condition


async def audit_log(
    actor: Actor | None, chosen: AuditFilter, *, first: int | None, after: str | None
) -> Page[AuditEntry]:
    """The log the actor may read, newest first."""
    actor = require_actor(actor)
    return await paginate(AuditEntry.filter(_filtered(actor, chosen)), first=first, after=after)


async def log_entries(actor: Actor | None, chosen: AuditFilter) -> AsyncIterator[list[AuditEntry]]:
    """Every entry of the filtered log, newest first, a batch at a time (for the CSV download)."""
    after = None
    while True:
        page = await audit_log(actor, chosen, first=CSV_BATCH, after=after)
        if page.items:
            yield page.items
        if not page.has_next_page:
            return
        after = page.end_cursor


async def record_history(
    actor: Actor | None,
    records: Sequence[Model],
    *owner_ids: int,
    first: int | None = 10,
    after: str | None = None,
) -> Page[AuditEntry]:
    """The history of records the caller fetched through their own visibility rule, newest first (one
    page can tell an organisation's, its membership's and its signings' story); `owner_ids` are the
    organisations they belong to (see `policy.sees_history`)."""
    actor = require_actor(actor)
    if not sees_history(actor, *owner_ids):
        raise not_found()
    about = Q(id__in=[])
    for record in records:
        about |= Q(record_type=type(record).__name__, record_id=str(record.pk))
    return await paginate(AuditEntry.filter(about), first=first, after=after)


async def names_for(entries: Iterable[AuditEntry]) -> Names:
    """Current names of the people and organisations a page of entries mentions: two queries at most."""
    people: set[int] = set()
    organizations: set[int] = set()
    for entry in entries:
        if entry.actor_id is not None:
            people.add(entry.actor_id)
        if entry.organization_id is not None:
            organizations.add(entry.organization_id)
        for values in (entry.before, entry.after):
            if isinstance(values, dict):
                people.update(v for k, v in values.items() if k == "user" and isinstance(v, int))
                for key in ("organization", "sme", "organizations"):
                    found = values.get(key)
                    organizations.update(
                        v for v in (found if isinstance(found, list) else [found]) if isinstance(v, int)
                    )
    found_people = (
        await User.filter(id__in=people, removed_at=None).values_list("id", "name") if people else []
    )
    found_organizations = (
        await Organization.filter(id__in=organizations).values_list("id", "name_ko") if organizations else []
    )
    return Names(people=dict(found_people), organizations=dict(found_organizations))


async def readable(entries: list[AuditEntry], translate: Translate) -> list[ReadableEntry]:
    names = await names_for(entries)
    return [describe(entry, names, translate) for entry in entries]
