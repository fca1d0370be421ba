"""How the secretariat works a case: assign a handler, refer it to an outside body, close it.

received → in consultation (a handler is assigned) → referred → closed (with an outcome and a reason).
Each step the SME should know of is on its timeline and in a mail. Lock order: the case row, alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from server.models import (
    CaseEntry,
    CaseOutcome,
    CaseStatus,
    EntryKind,
    ProtectionCase,
    ReferralBody,
    Role,
    RoleKind,
    User,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, invalid
from server.platform.policy import require_secretariat
from server.platform.text import has_odd_characters
from server.platform.timeutil import in_calendar, in_seoul, now
from server.protection.cases import clean_text, lock_case, mark_answered
from server.protection.notices import tell_sme


def _refuse_closed(case: ProtectionCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise DomainError.single(ErrorCode.INVALID_STATE, "This case is closed.")


async def case_handlers() -> list[User]:
    """Who may handle cases: the secretariat's active staff."""
    ids = await Role.filter(kind=RoleKind.SECRETARIAT).values_list("user_id", flat=True)
    return await User.filter(id__in=list(ids), is_active=True).order_by("name")


async def assign_protection_case(*, actor: Actor | None, case_id: int, handler_id: int) -> ProtectionCase:
    """A handler takes the case; a new case moves into consultation."""
    actor = require_secretariat(actor)
    if handler_id not in {user.id for user in await case_handlers()}:
        raise invalid("handlerId", "Choose one of the secretariat's staff.")
    async with in_transaction():
        case = await lock_case(actor, case_id)
        _refuse_closed(case)
        before = {"handler": case.handler_id, "status": case.status.value}
        case.handler_id = handler_id
        if case.status == CaseStatus.RECEIVED:
            case.status = CaseStatus.IN_CONSULTATION
        await case.save(update_fields=["handler_id", "status"])
        handler = await User.get(id=handler_id)
        await CaseEntry.create(case=case, kind=EntryKind.ASSIGNED, author=actor.user, body=handler.name)
        await audit.record(
            "protection_case.assign", case, actor=actor, before=before,
            after={"handler": handler_id, "status": case.status.value},
        )  # fmt: skip
        await mark_answered(case)
        await tell_sme(case, "assigned")
    return case


@dataclass(frozen=True)
class Referral:
    body: ReferralBody
    referred_on: date | None
    reference: str = ""


async def refer_protection_case(*, actor: Actor | None, case_id: int, referral: Referral) -> ProtectionCase:
    """The desk hands the case to an outside body and records when and under which reference."""
    actor = require_secretariat(actor)
    errors = ErrorCollector()
    today = in_seoul(now()).date()
    if referral.referred_on is None or not in_calendar(referral.referred_on) or referral.referred_on > today:
        errors.add(ErrorCode.INVALID, "referredOn", "Give the date of the referral (not in the future).")
    reference = referral.reference.strip()
    if len(reference) > 100 or has_odd_characters(reference):
        errors.add(ErrorCode.INVALID, "reference", "Keep the reference to 100 characters.")
    errors.raise_if_any()
    async with in_transaction():
        case = await lock_case(actor, case_id)
        _refuse_closed(case)
        before = case.status.value
        case.status = CaseStatus.REFERRED
        await case.save(update_fields=["status"])
        await CaseEntry.create(
            case=case,
            kind=EntryKind.REFERRED,
            author=actor.user,
            referral_body=referral.body,
            referred_on=referral.referred_on,
            reference=reference,
        )
        await audit.record(
            "protection_case.refer", case, actor=actor, before={"status": before},
            after={"status": "referred", "body": referral.body.value},
        )  # fmt: skip
        await mark_answered(case)
        await tell_sme(case, "referred")
    return case


async def close_protection_case(
    *, actor: Actor | None, case_id: int, outcome: CaseOutcome, reason: str
) -> ProtectionCase:
    actor = require_secretariat(actor)
    text = clean_text(reason, "reason", 2000)
    async with in_transaction():
        case = await lock_case(actor, case_id)
        _refuse_closed(case)
        before = case.status.value
        case.status = CaseStatus.CLOSED
        case.outcome = outcome
        case.close_reason = text
        case.closed_at = now()
        await case.save(update_fields=["status", "outcome", "close_reason", "closed_at"])
        await CaseEntry.create(case=case, kind=EntryKind.CLOSED, author=actor.user, body=text)
        await audit.record(
            "protection_case.close", case, actor=actor, before={"status": before},
            after={"status": "closed", "outcome": outcome.value},
        )  # fmt: skip
        await mark_answered(case)
        await tell_sme(case, "closed")
    return case
