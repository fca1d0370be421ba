"""What an SME does on the desk: open a case, write to the secretariat, add evidence, share the case.

Lock order: the case row, alone (no command here locks two cases or anything else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    CaseEntry,
    CaseKind,
    CaseStatus,
    CaseUrgency,
    EntryKind,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionCase,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, forbidden, not_found
from server.platform.policy import owns_case, require_actor, visible_protection_cases
from server.platform.text import has_odd_characters
from server.platform.timeutil import in_calendar, in_seoul, now
from server.protection import evidence as evidence_module
from server.protection.evidence import EvidenceInput
from server.protection.notices import tell_sme
from server.protection.workdays import respond_by

MAX_TEXT = 10_000
MAX_TECHNOLOGIES = 500

# The guided evidence-preservation checklist; the SME ticks what it has done (codes are stored).
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("cut_access", "Cut access: the accounts, devices or connections involved"),
    ("kept_logs", "Kept logs, access records, e-mails and devices untouched"),
    ("wrote_timeline", "Wrote down who knew what, and when"),
    ("kept_originals", "Kept dated copies of the material concerned (drawings, code, recipes)"),
    ("no_confrontation", "Did not confront or warn the suspected party yet"),
)
CHECKLIST_CODES = frozenset(code for code, _ in CHECKLIST)


@dataclass(frozen=True)
class CaseInput:
    kind: CaseKind
    noticed_on: date | None
    technologies: str
    urgency: CaseUrgency
    description: str
    checklist: tuple[str, ...] = ()


def _checked_case(case: CaseInput) -> CaseInput:
    errors = ErrorCollector()
    today = in_seoul(now()).date()
    if case.noticed_on is None or not in_calendar(case.noticed_on) or case.noticed_on > today:
        errors.add(ErrorCode.INVALID, "noticedOn", "Give the date you noticed it (not in the future).")
    technologies = case.technologies.strip()
    if not technologies:
        errors.add(ErrorCode.REQUIRED, "technologies", "Name the technologies concerned.")
    elif len(technologies) > MAX_TECHNOLOGIES:
        errors.add(ErrorCode.INVALID, "technologies", "Keep this to 500 characters.")
    description = case.description.strip()
    if not description:
        errors.add(ErrorCode.REQUIRED, "description", "Tell us what happened.")
    elif len(description) > MAX_TEXT:
        errors.add(ErrorCode.INVALID, "description", "Keep this to 10,000 characters.")
    if not set(case.checklist) <= CHECKLIST_CODES:
        errors.add(ErrorCode.INVALID, "checklist", "Unknown checklist step.")
    errors.raise_if_any()
    steps = tuple(code for code, _ in CHECKLIST if code in case.checklist)
    return CaseInput(case.kind, case.noticed_on, technologies, case.urgency, description, steps)


async def open_protection_case(
    *, actor: Actor | None, case: CaseInput, evidence: list[EvidenceInput] | None = None
) -> ProtectionCase:
    """An SME representative asks the desk for help; the secretariat's first-response clock starts."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise forbidden()
    case = _checked_case(case)
    files = evidence_module.checked(evidence or [])
    async with in_transaction():
        opened_at = now()
        created = await ProtectionCase.create(
            sme_id=actor.organization.id,
            opened_by=actor.user,
            kind=case.kind,
            noticed_on=case.noticed_on,
            technologies=case.technologies,
            urgency=case.urgency,
            description=case.description,
            checklist=list(case.checklist),
            opened_at=opened_at,
            respond_by=respond_by(opened_at),
        )
        await CaseEntry.create(case=created, kind=EntryKind.OPENED, author=actor.user)
        await evidence_module.attach(created, files, actor)
        # The audit entry names the case, never its content: the trail is read more widely than the case.
        await audit.record("protection_case.open", created, actor=actor, after={"kind": case.kind.value})
        await tell_sme(created, "received")
    return created


async def lock_case(actor: Actor, case_id: int, also: Q | None = None) -> ProtectionCase:
    """The case, locked for the transaction, if the actor may see it (else 'not found')."""
    query = ProtectionCase.filter(visible_protection_cases(actor), id=case_id)
    if also is not None:
        query = query.filter(also)
    found = await query.first().values_list("id", flat=True)
    if found is None:
        raise not_found("case")
    return await ProtectionCase.filter(id=found).select_for_update().get()


def clean_text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise DomainError.single(ErrorCode.REQUIRED, "Write something first.", field)
    if len(text) > limit or has_odd_characters(text):
        raise DomainError.single(ErrorCode.INVALID, "Keep this to 10,000 characters.", field)
    return text


async def add_case_message(
    *, actor: Actor | None, case_id: int, body: str, internal: bool = False
) -> CaseEntry:
    """A message between the SME and the secretariat, or (secretariat only) an internal note.

    A shared sponsor reads the case but does not write in it. The secretariat's first message counts as
    the first response.
    """
    actor = require_actor(actor)
    text = clean_text(body, "body")
    async with in_transaction():
        case = await lock_case(actor, case_id)
        staff = actor.is_secretariat
        if not staff and not owns_case(actor, case.sme_id):
            raise forbidden()
        if internal and not staff:
            raise forbidden()
        if case.status == CaseStatus.CLOSED and not internal:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This case is closed.")
        kind = EntryKind.NOTE if internal else EntryKind.MESSAGE
        entry = await CaseEntry.create(case=case, kind=kind, internal=internal, author=actor.user, body=text)
        await audit.record(f"protection_case.{kind.value}", case, actor=actor)
        if staff and not internal:
            await mark_answered(case)
            await tell_sme(case, "message")
    return entry


async def mark_answered(case: ProtectionCase) -> None:
    """The first step the SME can see from the secretariat stops the first-response clock."""
    if not case.answered:
        case.answered = True
        case.first_response_at = now()
        await case.save(update_fields=["answered", "first_response_at"])


async def add_case_evidence(
    *, actor: Actor | None, case_id: int, evidence: list[EvidenceInput]
) -> ProtectionCase:
    actor = require_actor(actor)
    files = evidence_module.checked(evidence)
    if not files:
        raise DomainError.single(ErrorCode.REQUIRED, "Choose a file first.", "evidence")
    async with in_transaction():
        case = await lock_case(actor, case_id)
        if not owns_case(actor, case.sme_id):
            raise forbidden()
        await evidence_module.attach(case, files, actor)
        await audit.record("protection_case.evidence", case, actor=actor, after={"files": len(files)})
    return case


async def share_protection_case(
    *, actor: Actor | None, case_id: int, conglomerate_id: int | None
) -> ProtectionCase:
    """The SME shows its case to one named sponsor (an active partner), or to none again (None)."""
    actor = require_actor(actor)
    async with in_transaction():
        case = await lock_case(actor, case_id)
        if not owns_case(actor, case.sme_id):
            raise forbidden()
        sponsor = None
        if conglomerate_id is not None:
            sponsor = await Organization.filter(
                id=conglomerate_id,
                kind=OrganizationKind.CONGLOMERATE,
                sme_partnerships__sme_id=case.sme_id,
                sme_partnerships__status=PartnershipStatus.ACTIVE,
            ).first()
            if sponsor is None:
                raise DomainError.single(
                    ErrorCode.INVALID, "Choose one of your active sponsors.", "conglomerateId"
                )
        before = case.shared_with_id
        case.shared_with_id = sponsor.id if sponsor else None
        await case.save(update_fields=["shared_with_id"])
        name = sponsor.name_ko if sponsor else ""
        await CaseEntry.create(case=case, kind=EntryKind.SHARED, author=actor.user, body=name)
        await audit.record(
            "protection_case.share",
            case,
            actor=actor,
            before={"shared_with": before},
            after={"shared_with": case.shared_with_id},
        )
    return case


async def active_sponsors(actor: Actor | None) -> list[Organization]:
    """The sponsors an SME may share a case with: its active partners."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        return []
    ids = await Partnership.filter(sme_id=actor.organization.id, status=PartnershipStatus.ACTIVE).values_list(
        "conglomerate_id", flat=True
    )
    return await Organization.filter(id__in=list(ids)).order_by("name_ko")
