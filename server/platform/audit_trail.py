"""Reading the audit trail: a record's history, the log with filters, and its CSV rows.

Who sees which entries is `policy.visible_audit_entries` (the log) and `policy.sees_history` (a record's
history). Entries come out as `audit_words.ReadableEntry`, with the names of people and organisations
looked up once per page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

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
    query = AuditEntry.filter(_filtered(actor, chosen)).select_related("actor", "organization")
    return await paginate(query, first=first, after=after)


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
    query = AuditEntry.filter(about).select_related("actor", "organization")
    return await paginate(query, first=first, after=after)


def _fetched(entry: AuditEntry, name: str) -> Any:
    """The related row select_related brought with the entry, if it did."""
    return entry.__dict__.get(f"_{name}") or entry.__dict__.get(name)


async def names_for(entries: Iterable[AuditEntry]) -> Names:
    """Current names of the people and organisations a page of entries mentions. The actor and the
    organisation come with the entries (select_related); people and organisations named inside the
    changes cost one query each, only when a page has some."""
    people: dict[int, str] = {}
    organizations: dict[int, str] = {}
    wanted_people: set[int] = set()
    wanted_organizations: set[int] = set()
    for entry in entries:
        actor, organization = _fetched(entry, "actor"), _fetched(entry, "organization")
        if isinstance(actor, User) and actor.removed_at is None:
            people[actor.id] = actor.name
        elif entry.actor_id is not None and not isinstance(actor, User):
            wanted_people.add(entry.actor_id)
        if isinstance(organization, Organization):
            organizations[organization.id] = organization.name_ko
        elif entry.organization_id is not None:
            wanted_organizations.add(entry.organization_id)
        for values in (entry.before, entry.after):
            if isinstance(values, dict):
                if isinstance(values.get("user"), int):
                    wanted_people.add(values["user"])
                for key in ("organization", "sme", "organizations"):
                    found = values.get(key)
                    wanted_organizations.update(
                        v for v in (found if isinstance(found, list) else [found]) if isinstance(v, int)
                    )
    wanted_people -= set(people)
    wanted_organizations -= set(organizations)
    if wanted_people:
        people.update(await User.filter(id__in=wanted_people, removed_at=None).values_list("id", "name"))
    if wanted_organizations:
        organizations.update(
            await Organization.filter(id__in=wanted_organizations).values_list("id", "name_ko")
        )
    return Names(people=people, organizations=organizations)


async def readable(entries: list[AuditEntry], translate: Translate) -> list[ReadableEntry]:
    names = await names_for(entries)
    return [describe(entry, names, translate) for entry in entries]
