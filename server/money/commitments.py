"""Cost-sharing commitments: a conglomerate pledges a share of its partners' service costs.

A coordinator drafts a commitment, activates it, tops it up and closes it. SMEs
see only the active commitments they are eligible for, with what they would
pay for each service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tortoise.transactions import in_transaction

from server.models import (
    OPEN_CLAIMS,
    Claim,
    Commitment,
    CommitmentStatus,
    LedgerEntryKind,
    Service,
    SupplierTier,
)
from server.money import commitment_list, ledger
from server.platform import audit, idempotency
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.policy import require_actor, require_coordinator
from server.platform.standing import require_member_in_good_standing
from server.platform.timeutil import now

MAX_BUDGET = 1_000_000_000_000


@dataclass(frozen=True)
class CommitmentInput:
    name: str
    period_start: date | None
    period_end: date | None
    service_ids: list[int]
    share_percent: int | None
    budget: int | None
    eligible_tiers: list[SupplierTier] = field(default_factory=lambda: [SupplierTier.FIRST])
    cap_per_claim: int | None = None
    diagnosis_within_months: int | None = None
    max_claims_per_sme: int | None = None


def sponsor_share(list_price: int, share_percent: int, cap_per_claim: int | None) -> int:
    """The sponsor's part of a price: the share, rounded down to the won, at most the cap."""
    share = list_price * share_percent // 100
    return share if cap_per_claim is None else min(share, cap_per_claim)


def _check(data: CommitmentInput, services: list[Service]) -> None:
    errors = ErrorCollector()
    if not data.name.strip():
        errors.add(ErrorCode.REQUIRED, "name", "Give the commitment a name.")
    elif len(data.name.strip()) > 200:
        errors.add(ErrorCode.INVALID, "name", "The name is too long (200 characters at most).")
    if data.period_start is None:
        errors.add(ErrorCode.REQUIRED, "periodStart", "Enter the first day of the period.")
    if data.period_end is None:
        errors.add(ErrorCode.REQUIRED, "periodEnd", "Enter the last day of the period.")
    if data.period_start and data.period_end and data.period_end < data.period_start:
        errors.add(ErrorCode.INVALID, "periodEnd", "The period must end after it starts.")
    if not data.service_ids:
        errors.add(ErrorCode.REQUIRED, "serviceIds", "Choose at least one service.")
    elif len(services) != len(set(data.service_ids)):
        errors.add(ErrorCode.INVALID, "serviceIds", "Choose services from the catalogue.")
    if data.share_percent is None or not 1 <= data.share_percent <= 100:
        errors.add(ErrorCode.INVALID, "sharePercent", "The share must be between 1 and 100 %.")
    if data.budget is None or not 1 <= data.budget <= MAX_BUDGET:
        errors.add(ErrorCode.INVALID, "budget", "Enter a budget in won, more than zero.")
    if data.cap_per_claim is not None and not 0 < data.cap_per_claim <= MAX_BUDGET:
        errors.add(ErrorCode.INVALID, "capPerClaim", "The cap per claim must be more than zero won.")
    if not data.eligible_tiers:
        errors.add(ErrorCode.REQUIRED, "eligibleTiers", "Choose which supplier tiers may claim.")
    if data.diagnosis_within_months is not None and not 1 <= data.diagnosis_within_months <= 60:
        errors.add(ErrorCode.INVALID, "diagnosisWithinMonths", "Enter between 1 and 60 months.")
    if data.max_claims_per_sme is not None and not 1 <= data.max_claims_per_sme <= 100:
        errors.add(ErrorCode.INVALID, "maxClaimsPerSme", "Enter between 1 and 100 claims.")
    errors.raise_if_any()


async def create_commitment(
    *, actor: Actor | None, data: CommitmentInput, idempotency_key: str | None = None
) -> Commitment:
    """A draft commitment of the coordinator's conglomerate, its budget the first ledger entry."""
    actor = require_coordinator(actor)
    await require_member_in_good_standing(actor.organization.id)
    services = await Service.filter(id__in=set(data.service_ids), is_active=True)
    _check(data, services)
    assert data.period_start and data.period_end and data.share_percent and data.budget
    async with in_transaction():
        ticket = await idempotency.take(actor, idempotency_key, "commitment.create", data=data)
        if ticket.first_result is not None:
            return await Commitment.get(id=ticket.first_result)
        commitment = await Commitment.create(
            conglomerate_id=actor.organization.id,
            name=data.name.strip(),
            period_start=data.period_start,
            period_end=data.period_end,
            share_percent=data.share_percent,
            cap_per_claim=data.cap_per_claim,
            budget=0,
            eligible_tier_1=SupplierTier.FIRST in data.eligible_tiers,
            eligible_tier_2=SupplierTier.SECOND in data.eligible_tiers,
            diagnosis_within_months=data.diagnosis_within_months,
            max_claims_per_sme=data.max_claims_per_sme,
            created_by=actor.user,
        )
        await commitment.services.add(*services)
        await ledger.move(commitment.id, LedgerEntryKind.BUDGET, data.budget, user=actor.user)
        await audit.record(
            "commitment.create",
            commitment,
            actor=actor,
            after={
                "name": commitment.name,
                "budget": data.budget,
                "share_percent": data.share_percent,
                "services": sorted(s.code.value for s in services),
            },
        )
        await ticket.done(commitment.id)
        await commitment.refresh_from_db()
    return commitment


async def _own_locked(actor: Actor, commitment_id: int) -> Commitment:
    """The coordinator's commitment, locked for the rest of the transaction."""
    commitment = (
        await Commitment.filter(id=commitment_id, conglomerate_id=actor.organization.id)
        .select_for_update()
        .first()
    )
    if commitment is None:
        raise not_found("commitment")
    return commitment


async def _change_status(
    actor: Actor | None,
    commitment_id: int,
    allowed: CommitmentStatus,
    to: CommitmentStatus,
    idempotency_key: str | None,
) -> Commitment:
    actor = require_coordinator(actor)
    async with in_transaction():
        ticket = await idempotency.take(
            actor, idempotency_key, f"commitment.{to.value}", result_id=commitment_id
        )
        if ticket.repeated:
            return await Commitment.get(id=commitment_id)
        if to == CommitmentStatus.ACTIVE:
            await require_member_in_good_standing(actor.organization.id, lock=True)
        commitment = await _own_locked(actor, commitment_id)
        if commitment.status != allowed:
            activating = to == CommitmentStatus.ACTIVE
            message = (
                "Only a draft can be activated." if activating else "Only an active commitment can be closed."
            )
            raise DomainError.single(ErrorCode.INVALID_STATE, message)
        if to == CommitmentStatus.CLOSED:
            open_claims = await Claim.filter(commitment_id=commitment.id, status__in=OPEN_CLAIMS).count()
            if open_claims:
                raise DomainError.single(
                    ErrorCode.INVALID_STATE,
                    "Claims under this commitment are still open: decide them, or let unpaid ones expire, first.",
                )
        await move_status(commitment, to, actor=actor)
    return commitment


async def move_status(
    commitment: Commitment, to: CommitmentStatus, *, actor: Actor, reason: str = ""
) -> None:
    """Activate or close a locked commitment and audit it; closing moves no money (approved claims keep theirs)."""
    before = commitment.status.value
    commitment.status = to
    if to == CommitmentStatus.ACTIVE:
        commitment.activated_at = now()
    else:
        commitment.closed_at = now()
    await commitment.save(update_fields=["status", "activated_at", "closed_at"])
    await audit.record(
        f"commitment.{'activate' if to == CommitmentStatus.ACTIVE else 'close'}",
        commitment,
        actor=actor,
        before={"status": before},
        after={"status": to.value, **({"reason": reason} if reason else {})},
    )


async def activate_commitment(
    *, actor: Actor | None, commitment_id: int, idempotency_key: str | None = None
) -> Commitment:
    return await _change_status(
        actor, commitment_id, CommitmentStatus.DRAFT, CommitmentStatus.ACTIVE, idempotency_key
    )


async def close_commitment(
    *, actor: Actor | None, commitment_id: int, idempotency_key: str | None = None
) -> Commitment:
    return await _change_status(
        actor, commitment_id, CommitmentStatus.ACTIVE, CommitmentStatus.CLOSED, idempotency_key
    )


async def top_up_commitment(
    *, actor: Actor | None, commitment_id: int, amount: int, idempotency_key: str | None = None
) -> Commitment:
    """Add to the budget; a budget is never cut. A repeat under the same key adds nothing."""
    actor = require_coordinator(actor)
    if not 0 < amount <= MAX_BUDGET:
        raise DomainError.single(ErrorCode.INVALID, "Enter an amount in won, more than zero.", "amount")
    async with in_transaction():
        ticket = await idempotency.take(
            actor, idempotency_key, "commitment.top_up", result_id=commitment_id, amount=amount
        )
        if ticket.repeated:
            return await Commitment.get(id=commitment_id)
        await require_member_in_good_standing(actor.organization.id, lock=True)
        commitment = await _own_locked(actor, commitment_id)
        if commitment.status == CommitmentStatus.CLOSED:
            raise DomainError.single(ErrorCode.INVALID_STATE, "A closed commitment cannot be topped up.")
        await ledger.move(commitment.id, LedgerEntryKind.BUDGET, amount, user=actor.user)
        await audit.record(
            "commitment.top_up",
            commitment,
            actor=actor,
            before={"budget": commitment.budget},
            after={"budget": commitment.budget + amount},
        )
        await commitment.refresh_from_db()
    return commitment


async def get_commitment(actor: Actor | None, commitment_id: int) -> Commitment:
    found = await commitment_list.read_commitment(require_actor(actor), commitment_id)
    if found is None:
        raise not_found("commitment")
    return found
