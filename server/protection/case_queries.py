"""Reading cases: the queue, one case (each read by someone outside the SME is recorded), its timeline,
evidence and who read it. Every reader goes through `policy.visible_protection_cases`."""

from __future__ import annotations

from tortoise.expressions import Q

from server.models import AuditEntry, CaseEntry, CaseEvidence, CaseStatus, ProtectionCase
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import (
    owns_case,
    require_actor,
    sees_internal_notes,
    visible_protection_cases,
)
from server.platform.timeutil import now
from server.protection import files

# The secretariat's queue: unanswered cases first, the earliest first-response deadline first, so the
# overdue ones lead; then the answered ones.
QUEUE_ORDER = ("answered", "respond_by", "id")
READ = "protection_case.read"


def is_overdue(case: ProtectionCase) -> bool:
    return not case.answered and case.status != CaseStatus.CLOSED and case.respond_by < now()


async def list_cases(
    actor: Actor | None,
    *,
    statuses: tuple[CaseStatus, ...] | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[ProtectionCase]:
    actor = require_actor(actor)
    query = ProtectionCase.filter(visible_protection_cases(actor)).select_related("sme", "handler")
    if statuses:
        query = query.filter(status__in=statuses)
    order = QUEUE_ORDER if actor.is_secretariat else ("-id",)
    return await paginate(query, first=first, after=after, order=order)


async def get_case(actor: Actor | None, case_id: int) -> ProtectionCase:
    """One case; a read by anyone but the SME's own people is recorded for the SME to see."""
    actor = require_actor(actor)
    case = (
        await ProtectionCase.filter(visible_protection_cases(actor), id=case_id)
        .select_related("sme", "handler", "opened_by", "shared_with")
        .first()
    )
    if case is None:
        raise not_found("case")
    if not owns_case(actor, case.sme_id):
        await audit.record(READ, case, actor=actor)
    return case


def _entries_for(actor: Actor) -> Q:
    return Q() if sees_internal_notes(actor) else Q(internal=False)


async def timeline(
    actor: Actor, case: ProtectionCase, *, first: int | None = None, after: str | None = None
) -> Page[CaseEntry]:
    """The case's steps, oldest first; internal notes only for the secretariat. `case` came from get_case."""
    query = CaseEntry.filter(_entries_for(actor), case_id=case.id).select_related("author", "deposit")
    return await paginate(query, first=first, after=after, order=("id",))


async def evidence_of(
    case: ProtectionCase, *, first: int | None = None, after: str | None = None
) -> Page[CaseEvidence]:
    return await paginate(CaseEvidence.filter(case_id=case.id), first=first, after=after, order=("id",))


async def readers(
    actor: Actor, case: ProtectionCase, *, first: int | None = None, after: str | None = None
) -> Page[AuditEntry]:
    """Who outside the SME read the case, and when: shown to the SME (and the secretariat)."""
    if not (owns_case(actor, case.sme_id) or actor.is_secretariat):
        raise not_found("case")
    query = AuditEntry.filter(
        action__in=[READ, "protection_case.download"], record_type="ProtectionCase", record_id=str(case.id)
    ).select_related("actor", "organization")
    return await paginate(query, first=first, after=after)


async def evidence_file(actor: Actor | None, case_id: int, evidence_id: int) -> tuple[CaseEvidence, bytes]:
    """An uploaded file's bytes, for those who may see its case; the download is recorded like a read."""
    actor = require_actor(actor)
    case = await ProtectionCase.filter(visible_protection_cases(actor), id=case_id).first()
    item = await CaseEvidence.filter(id=evidence_id, case_id=case_id).first() if case else None
    if case is None or item is None or not item.uploaded:
        raise not_found("file")
    data = await files.get(item.stored_key)
    if not owns_case(actor, case.sme_id):
        await audit.record("protection_case.download", case, actor=actor, after={"file": item.id})
    return item, data
