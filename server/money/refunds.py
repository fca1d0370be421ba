"""Refunds, whoever made them: the secretariat here, or someone at Stripe (dashboard or API).

Stripe's record is the truth. A full refund closes the claim and gives the
sponsor's share back through the ledger, whatever order Stripe's events come
in; a partial refund cannot be split over a fixed split by the product, so it
is recorded and listed for the secretariat.
"""

from __future__ import annotations

import logging
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    SETTLED_CLAIMS,
    AttentionKind,
    Claim,
    ClaimStatus,
    LedgerEntryKind,
    Payment,
    PaymentStatus,
    StripeCall,
    StripeCallKind,
    StripeCallState,
)
from server.money.attention import flag
from server.money.claims import close_claim, lock_claim, mail_claimant
from server.platform import audit
from server.platform.actor import Actor
from server.platform.timeutil import now

log = logging.getLogger("club.refunds")

STRIPE_REASON = "Stripe 환불 / Refunded through Stripe"


async def follow_refund(
    payment_id: int, refund_id: str | None, *, actor: Actor | None = None, reason: str = STRIPE_REASON
) -> Claim:
    """The payment was given back in full: the claim and the ledger follow, once."""
    async with in_transaction():
        claim_id = await Payment.filter(id=payment_id).first().values_list("claim_id", flat=True)
        _, claim = await lock_claim(claim_id, Q())  # type: ignore[arg-type]
        payment = await Payment.filter(id=payment_id).select_for_update().get()
        await StripeCall.filter(
            payment_id=payment_id, kind=StripeCallKind.REFUND, state=StripeCallState.PENDING
        ).update(state=StripeCallState.DONE, result=refund_id or "", updated_at=now())
        if payment.status == PaymentStatus.REFUNDED:
            return claim
        await Payment.filter(id=payment_id).update(
            status=PaymentStatus.REFUNDED, stripe_refund=refund_id, amount_refunded=payment.amount
        )
        before = claim.status
        if before in SETTLED_CLAIMS:
            await close_claim(
                claim, ClaimStatus.REFUNDED, LedgerEntryKind.REFUND, actor.user if actor else None
            )
        elif before == ClaimStatus.APPROVED:
            # Refunded before its success reached us: the success, when it comes, must not capture.
            await close_claim(
                claim, ClaimStatus.REFUNDED, LedgerEntryKind.RELEASE, actor.user if actor else None
            )
        await audit.record(
            "claim.refund",
            claim,
            actor=actor,
            before={"status": before.value},
            after={"status": claim.status.value, "reason": reason, "refund": refund_id or ""},
        )
        if claim.status != before:
            await mail_claimant(claim, "claim_refunded", reason=reason)
    return claim


async def apply_charge(charge: Any) -> None:
    """Bring our records in line with a charge's refunds, as fetched from Stripe just now."""
    refunded = int(charge.amount_refunded or 0)
    if refunded == 0:
        return
    payment = await Payment.filter(stripe_payment_intent=charge.payment_intent).first()
    if payment is None:
        log.warning("refund of charge %s matches no payment", charge.id)
        async with in_transaction():
            await flag(
                AttentionKind.UNKNOWN_PAYMENT, claim_id=None, stripe_reference=charge.id, amount=refunded
            )
        return
    if refunded >= payment.amount:
        refunds = getattr(charge, "refunds", None)
        latest = refunds.data[0].id if refunds is not None and refunds.data else None
        await follow_refund(payment.id, latest)
        return
    async with in_transaction():
        locked = await Payment.filter(id=payment.id).select_for_update().get()
        if locked.amount_refunded == refunded:
            return
        await Payment.filter(id=payment.id).update(amount_refunded=refunded)
        await flag(
            AttentionKind.PARTIAL_REFUND,
            claim_id=payment.claim_id,
            payment_id=payment.id,
            stripe_reference=charge.id,
            amount=refunded,
        )
