"""Claims: an SME asks for one sponsored service under one commitment; the sponsor decides.

Every change that moves money locks the commitment row first and the claim
second (always in that order, so two changes never wait on each other in a
circle), checks the claim's state under the lock, and moves the ledger in the
same transaction. Payment and refunds are in `server.money.payments`.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    OPEN_CLAIMS,
    SETTLED_CLAIMS,
    Claim,
    ClaimStatus,
    Commitment,
    CommitmentStatus,
    LedgerEntryKind,
    PaymentMethod,
    Service,
    ServiceCode,
    User,
)
from server.money import ledger
from server.money.catalogue import apply_due_prices
from server.money.catalogue_queries import price_of
from server.money.claim_eligibility import claim_facts, refusal
from server.money.commitments import sponsor_share
from server.money.references import transfer_reference
from server.platform import audit, idempotency
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.outbox import queue_mail
from server.platform.policy import claimant_scope, require_actor, sponsor_scope, visible_commitments
from server.platform.standing import require_member_in_good_standing
from server.platform.timeutil import now

ESCROW = (ServiceCode.ESCROW_NEW, ServiceCode.ESCROW_RENEWAL)
# Claims that count against a commitment's limit per SME.
COUNTED = (*OPEN_CLAIMS, *SETTLED_CLAIMS)
MAX_DETAILS = 2000


async def lock_claim(claim_id: int, who: Q) -> tuple[Commitment, Claim]:
    """The commitment, then the claim, locked for the transaction; `who` says whose claims the actor may act on."""
    commitment_id = await Claim.filter(who, id=claim_id).first().values_list("commitment_id", flat=True)
    if commitment_id is None:
        raise not_found("claim")
    commitment = await Commitment.filter(id=commitment_id).select_for_update().get()
    claim = await Claim.filter(id=claim_id).select_for_update().get()
    return commitment, claim


# What a refusal says depends on the states the action needed.
_REFUSALS = {
    (ClaimStatus.SUBMITTED,): "This claim is no longer awaiting a decision.",
    (ClaimStatus.APPROVED,): "This claim is not awaiting payment.",
    (ClaimStatus.PAID,): "This claim has not been paid, or is already fulfilled.",
    OPEN_CLAIMS: "This claim can no longer be withdrawn.",
    SETTLED_CLAIMS: "This claim has not been paid, or was already refunded.",
}


def refuse_unless(claim: Claim, *allowed: ClaimStatus) -> None:
    if claim.status not in allowed:
        raise DomainError.single(ErrorCode.INVALID_STATE, _REFUSALS[allowed])


async def mail_claimant(claim: Claim, template: str, **context: object) -> None:
    """Tell the person who submitted the claim; the mail shows the claim as it is now."""
    current = (
        await Claim.filter(id=claim.id)
        .select_related("sme", "service", "commitment__conglomerate", "submitted_by")
        .get()
    )
    if current.submitted_by is not None:
        await queue_mail(current.submitted_by.email, template, claim=current, **context)


async def submit_claim(
    *, actor: Actor | None, commitment_id: int, service_id: int, details: str, quantity: int = 1
) -> Claim:
    """The claim copies the price in effect today for `quantity` items; the split follows it at approval."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise not_found("commitment")
    details = details.strip()
    await apply_due_prices()
    async with in_transaction():
        commitment = (
            await (await visible_commitments(actor)).filter(id=commitment_id).select_for_update().first()
        )
        if commitment is None:
            raise not_found("commitment")
        service = await Service.filter(id=service_id, commitments__id=commitment.id).first()
        errors = ErrorCollector()
        if service is None:
            errors.add(ErrorCode.INVALID, "serviceId", "This commitment does not cover that service.")
        elif not service.is_active:
            errors.add(
                ErrorCode.INVALID, "serviceId", "This service has been retired and takes no new claims."
            )
        elif service.code in ESCROW and not details:
            errors.add(ErrorCode.REQUIRED, "details", "Describe the material to be deposited in escrow.")
        if len(details) > MAX_DETAILS:
            errors.add(ErrorCode.INVALID, "details", "The details are too long (2,000 characters at most).")
        errors.raise_if_any()
        assert service is not None
        # The same rules the SME's pages showed before it filled in the form.
        renewal = service.code == ServiceCode.ESCROW_RENEWAL
        facts = await claim_facts(actor.organization.id, [commitment.id], renewal=renewal)
        if (refused := refusal(facts, commitment, service)) is not None:
            raise DomainError(refused)
        list_price = price_of(service, quantity)
        claim = await Claim.create(
            commitment_id=commitment.id,
            sme_id=actor.organization.id,
            service_id=service.id,
            submitted_by=actor.user,
            details=details,
            quantity=quantity,
            list_price=list_price,
        )
        await audit.record(
            "claim.submit",
            claim,
            actor=actor,
            after={
                "commitment": commitment.id,
                "service": service.code.value,
                "quantity": quantity,
                "list_price": list_price,
            },
        )
        if commitment.created_by_id is not None:
            coordinator = await User.get(id=commitment.created_by_id)
            await queue_mail(
                coordinator.email,
                "claim_submitted",
                claim=claim,
                sme=actor.organization,
                service=service,
                commitment=commitment,
            )
    return claim


async def settle(claim: Claim, method: PaymentMethod, *, user: User | None) -> None:
    """The SME's share is paid: capture the sponsor's reservation. Caller holds both locks."""
    claim.status = ClaimStatus.PAID
    claim.paid_at = now()
    claim.payment_method = method
    await claim.save(update_fields=["status", "paid_at", "payment_method"])
    await ledger.move_share(claim, LedgerEntryKind.CAPTURE, user=user)


async def approve_claim(*, actor: Actor | None, claim_id: int, idempotency_key: str | None = None) -> Claim:
    """Fix the split and reserve the sponsor share; a zero SME share is settled at once."""
    actor = require_actor(actor)
    await require_member_in_good_standing(actor.organization.id)
    async with in_transaction():
        if (await idempotency.take(actor, idempotency_key, "claim.approve", result_id=claim_id)).repeated:
            return await Claim.get(id=claim_id)
        commitment, claim = await lock_claim(claim_id, sponsor_scope(actor))
        refuse_unless(claim, ClaimStatus.SUBMITTED)
        if commitment.status != CommitmentStatus.ACTIVE:
            raise DomainError.single(ErrorCode.INVALID_STATE, "The commitment is not active.")
        share = sponsor_share(claim.list_price, commitment.share_percent, commitment.cap_per_claim)
        remaining = commitment.remaining
        if share > 0 and remaining <= 0:
            raise DomainError.single(
                ErrorCode.BUDGET_EXHAUSTED,
                "The commitment's budget is used up. Top it up to approve this claim.",
            )
        claim.sponsor_share = min(share, remaining)
        claim.sme_share = claim.list_price - claim.sponsor_share
        claim.status = ClaimStatus.APPROVED
        claim.decided_at = now()
        claim.decided_by = actor.user
        claim.payment_due_at = claim.decided_at + timedelta(days=settings().payment_days)
        claim.transfer_reference = transfer_reference(claim.id)
        await claim.save()  # under both locks: every field of the approval at once
        await ledger.move_share(claim, LedgerEntryKind.RESERVE, user=actor.user)
        if claim.sme_share == 0:
            await settle(claim, PaymentMethod.NONE, user=actor.user)
        await audit.record(
            "claim.approve",
            claim,
            actor=actor,
            before={"status": "submitted"},
            after={
                "status": claim.status.value,
                "sponsor_share": claim.sponsor_share,
                "sme_share": claim.sme_share,
            },
        )
        await mail_claimant(claim, "claim_approved")
    return claim


def rejection_reason(reason: str) -> str:
    """A rejection tells the SME why: the reason stripped, refused when blank (pages ask before confirming)."""
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give the SME a reason for the rejection.", "reason")
    return reason


async def reject_claim(
    *, actor: Actor | None, claim_id: int, reason: str, idempotency_key: str | None = None
) -> Claim:
    actor = require_actor(actor)
    reason = rejection_reason(reason)
    async with in_transaction():
        ticket = await idempotency.take(
            actor, idempotency_key, "claim.reject", result_id=claim_id, reason=reason
        )
        if ticket.repeated:
            return await Claim.get(id=claim_id)
        _, claim = await lock_claim(claim_id, sponsor_scope(actor))
        refuse_unless(claim, ClaimStatus.SUBMITTED)
        await reject_locked(claim, reason, actor=actor, decided_by=actor.user)
    return claim


async def reject_locked(claim: Claim, reason: str, *, actor: Actor, decided_by: User | None) -> None:
    """Close a locked, submitted claim as rejected, record why and tell the SME; it reserved nothing."""
    claim.status = ClaimStatus.REJECTED
    claim.decided_at = claim.closed_at = now()
    claim.decided_by = decided_by
    claim.rejection_reason = reason[:MAX_DETAILS]
    await claim.save(update_fields=["status", "decided_at", "closed_at", "decided_by_id", "rejection_reason"])
    await audit.record(
        "claim.reject",
        claim,
        actor=actor,
        before={"status": "submitted"},
        after={"status": "rejected", "reason": reason},
    )
    await mail_claimant(claim, "claim_rejected")


async def close_claim(claim: Claim, to: ClaimStatus, kind: LedgerEntryKind | None, user: User | None) -> None:
    """End a claim's life; `kind` gives back what it holds (RELEASE a reservation, REFUND a capture)."""
    claim.status = to
    claim.closed_at = now()
    await claim.save(update_fields=["status", "closed_at"])
    if kind is not None:
        await ledger.move_share(claim, kind, user=user)


async def cancel_claim(*, actor: Actor | None, claim_id: int, idempotency_key: str | None = None) -> Claim:
    """The SME withdraws a claim before paying; an approval's reservation goes back to the budget."""
    actor = require_actor(actor)
    async with in_transaction():
        if (await idempotency.take(actor, idempotency_key, "claim.cancel", result_id=claim_id)).repeated:
            return await Claim.get(id=claim_id)
        _, claim = await lock_claim(claim_id, claimant_scope(actor))
        refuse_unless(claim, *OPEN_CLAIMS)
        before = claim.status.value
        release = LedgerEntryKind.RELEASE if claim.status == ClaimStatus.APPROVED else None
        await close_claim(claim, ClaimStatus.CANCELLED, release, actor.user)
        await audit.record(
            "claim.cancel", claim, actor=actor, before={"status": before}, after={"status": "cancelled"}
        )
    return claim
