"""The SME's own share: card payments through Stripe, and refunds (bank transfers: `server.money.transfers`).

Payment state is only ever taken from Stripe itself: a signed webhook says
something happened, and the PaymentIntent is fetched again before anything
is believed. Each event is applied at most once (its id is stored in the
same transaction as its effect), and the claim's state changes by
compare-and-set under row locks, so a repeated or reordered delivery changes
nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import stripe
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    SETTLED_CLAIMS,
    Claim,
    ClaimStatus,
    LedgerEntryKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    StripeCallState,
)
from server.money.claims import close_claim, lock_claim, mail_claimant, refuse_unless
from server.money.stripe_calls import (
    UNKNOWN_OUTCOME,
    create_intent,
    finish,
    record_payment_call,
    record_refund_call,
    stripe_client,
)
from server.money.stripe_sync import (
    FAILED_INTENT,
    make_refund,
    resume_stale_calls,
)
from server.platform import audit, config, idempotency
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.policy import claimant_scope, require_actor, require_secretariat
from server.platform.settings import StripeSettings
from server.platform.timeutil import now

log = logging.getLogger("club.payments")


def _require_stripe() -> StripeSettings:
    stripe_settings = config.settings().stripe
    if stripe_settings is None:
        raise DomainError.single(
            ErrorCode.PAYMENT_UNAVAILABLE,
            "Card payment is not available. Pay by bank transfer; the secretariat records it when it arrives.",
        )
    return stripe_settings


@dataclass(frozen=True)
class PaymentStart:
    claim: Claim
    payment_url: str
    payment: Payment | None = None
    client_secret: str | None = None

    @property
    def requires_action(self) -> bool:
        return self.payment is not None and self.client_secret is not None


async def _payment_in_progress(client: stripe.StripeClient, claim: Claim) -> Payment | None:
    """The claim's pending card payment, unless Stripe says it has failed (then it is marked so)."""
    pending = await Payment.filter(claim_id=claim.id, status=PaymentStatus.PENDING).first()
    if pending is None or pending.stripe_payment_intent is None:
        return pending
    intent = await client.v1.payment_intents.retrieve_async(pending.stripe_payment_intent)
    if intent.status in FAILED_INTENT:
        await Payment.filter(id=pending.id, status=PaymentStatus.PENDING).update(status=PaymentStatus.FAILED)
        return None
    return pending


async def _started_before(
    client: stripe.StripeClient, claim_id: int, payment_id: int, url: str
) -> PaymentStart:
    """The answer to a repeat of a payment start: the first attempt's payment, as it is now."""
    payment = await Payment.get(id=payment_id)
    if payment.status == PaymentStatus.FAILED:
        raise DomainError.single(
            ErrorCode.PAYMENT_FAILED, "The payment could not be made. Try again in a moment."
        )
    secret = None
    if payment.status == PaymentStatus.PENDING and payment.stripe_payment_intent is not None:
        intent = await client.v1.payment_intents.retrieve_async(payment.stripe_payment_intent)
        secret = intent.client_secret if intent.status == "requires_action" else None
    return PaymentStart(await Claim.get(id=claim_id), url, payment, secret)


async def start_claim_payment(
    *,
    actor: Actor | None,
    claim_id: int,
    payment_method: str | None,
    idempotency_key: str | None = None,
) -> PaymentStart:
    """Where and how the SME pays its share by card.

    Without a payment method: the page to pay on. With one (a Stripe PaymentMethod
    or card id from Stripe.js): a PaymentIntent for the SME share, confirmed now;
    `client_secret` is returned when the card asks for authentication. The call is
    recorded before Stripe hears of it, so a crash midway is finished by the job
    (or by this retry) and never charges twice.
    """
    actor = require_actor(actor)
    client = stripe_client(_require_stripe())
    payment_url = f"{config.settings().base_url}/claims/{claim_id}/pay"
    if payment_method is not None:
        await resume_stale_calls(client, claim_id=claim_id)
    async with in_transaction():
        key = idempotency_key if payment_method is not None else None
        ticket = await idempotency.take(
            actor, key, "claim.pay", claim=claim_id, payment_method=payment_method
        )
        if ticket.first_result is not None:
            return await _started_before(client, claim_id, ticket.first_result, payment_url)
        claim = await Claim.filter(claimant_scope(actor), id=claim_id).select_for_update().first()
        if claim is None:
            raise not_found("claim")
        refuse_unless(claim, ClaimStatus.APPROVED)
        if claim.payment_due_at is not None and claim.payment_due_at < now():
            raise DomainError.single(ErrorCode.EXPIRED, "The time to pay for this claim has passed.")
        if payment_method is None:
            return PaymentStart(claim, payment_url)
        if not payment_method.startswith(("pm_", "card_")):
            raise DomainError.single(ErrorCode.INVALID, "This is not a card payment method.", "paymentMethod")
        under_way = await _payment_in_progress(client, claim)
        if under_way is not None:
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "A payment for this claim is already under way. Wait for its result."
            )
        assert claim.sme_share is not None
        payment = await Payment.create(claim_id=claim.id, method=PaymentMethod.CARD, amount=claim.sme_share)
        await ticket.done(payment.id)
        call = await record_payment_call(payment, payment_method)
    try:
        intent = await create_intent(client, call)
        intent = await client.v1.payment_intents.confirm_async(
            intent.id, {}, {"idempotency_key": f"{call.idempotency_key}-confirm"}
        )
    except UNKNOWN_OUTCOME as exc:
        log.warning("card payment for claim %s: Stripe did not answer: %s", claim.id, exc)
        raise DomainError.single(
            ErrorCode.PAYMENT_FAILED, "The payment could not be made. Try again in a moment."
        ) from exc
    except stripe.StripeError as exc:
        await Payment.filter(id=payment.id).update(status=PaymentStatus.FAILED)
        await finish(call, StripeCallState.FAILED, error=str(exc))
        log.info("card payment for claim %s refused: %s", claim.id, exc)
        message = (
            "The card was declined. Try another card."
            if isinstance(exc, stripe.CardError)
            else "The payment could not be made. Try again in a moment."
        )
        raise DomainError.single(ErrorCode.PAYMENT_FAILED, message) from exc
    await finish(call, StripeCallState.DONE, result=intent.id)
    await payment.refresh_from_db()
    secret = intent.client_secret if intent.status == "requires_action" else None
    return PaymentStart(claim, payment_url, payment, secret)


async def payments_of(claim: Claim) -> list[Payment]:
    """A claim the caller may already see: its payment attempts, oldest first."""
    return await Payment.filter(claim_id=claim.id).order_by("id")


def refund_reason(reason: str) -> str:
    """A refund says why: the reason stripped, refused when blank (pages ask before confirming)."""
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give a reason for the refund.", "reason")
    return reason


async def refund_claim(
    *,
    actor: Actor | None,
    claim_id: int,
    reason: str,
    idempotency_key: str | None = None,
) -> Claim:
    """Give the SME its share back (through Stripe for a card) and release the sponsor's capture.

    A card refund is recorded before Stripe is asked: if this process dies in between, the job
    makes it with the same key (once) and closes the claim.
    """
    actor = require_secretariat(actor)
    reason = refund_reason(reason)
    if await idempotency.made(actor, idempotency_key, "claim.refund", result_id=claim_id, reason=reason):
        return await Claim.get(id=claim_id)
    claim = await Claim.filter(id=claim_id).first()
    if claim is None:
        raise not_found("claim")
    refuse_unless(claim, *SETTLED_CLAIMS)
    payment = await Payment.filter(claim_id=claim.id, status=PaymentStatus.SUCCEEDED).first()
    if payment is not None and payment.method == PaymentMethod.CARD and payment.amount > 0:
        client = stripe_client(_require_stripe())
        call = await record_refund_call(payment.id, reason=reason)
        try:
            made = await make_refund(client, call, actor=actor, reason=reason)
        except stripe.StripeError as exc:
            log.warning("refund of claim %s refused by Stripe: %s", claim.id, exc)
            raise DomainError.single(
                ErrorCode.PAYMENT_FAILED, "Stripe refused the refund. Try again later."
            ) from exc
        if not made:
            raise DomainError.single(
                ErrorCode.PAYMENT_FAILED,
                "Stripe did not answer. The refund is retried automatically; check the claim in a few minutes.",
            )
        async with in_transaction():
            # The recorded call keeps the money from moving twice; the key answers a repeat with this result.
            await idempotency.take(actor, idempotency_key, "claim.refund", result_id=claim_id, reason=reason)
        return await Claim.get(id=claim_id)
    async with in_transaction():
        if (
            await idempotency.take(actor, idempotency_key, "claim.refund", result_id=claim_id, reason=reason)
        ).repeated:
            return await Claim.get(id=claim_id)
        _, claim = await lock_claim(claim_id, Q())
        refuse_unless(claim, *SETTLED_CLAIMS)
        before = claim.status.value
        await close_claim(claim, ClaimStatus.REFUNDED, LedgerEntryKind.REFUND, actor.user)
        if payment is not None:
            await Payment.filter(id=payment.id).update(
                status=PaymentStatus.REFUNDED, amount_refunded=payment.amount
            )
        await audit.record(
            "claim.refund",
            claim,
            actor=actor,
            before={"status": before},
            after={"status": "refunded", "reason": reason},
        )
        await mail_claimant(claim, "claim_refunded", reason=reason)
    return claim
