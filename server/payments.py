"""The SME's own share: card payments through Stripe, bank transfers, and refunds.

Payment state is only ever taken from Stripe itself: a signed webhook says
something happened, and the PaymentIntent is fetched again before anything
is believed. Each event is applied at most once (its id is stored in the
same transaction as its effect), and the claim's state changes by
compare-and-set under row locks, so a repeated or reordered delivery changes
nothing twice.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import stripe
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server import audit
from server.actor import Actor
from server.claims import (
    claimant_scope,
    close_claim,
    lock_claim,
    mail_claimant,
    refuse_unless,
    settle,
)
from server.errors import DomainError, ErrorCode, not_found
from server.models import (
    SETTLED_CLAIMS,
    Claim,
    ClaimStatus,
    LedgerEntryKind,
    Payment,
    PaymentMethod,
    PaymentStatus,
    StripeEvent,
)
from server.policy import require_actor, require_secretariat
from server.settings import Settings, StripeSettings
from server.timeutil import now

log = logging.getLogger("club.payments")

CURRENCY = "krw"  # zero-decimal at Stripe: ₩150,000 is amount=150000
WEBHOOK_TOLERANCE = 300  # seconds; older signed events are refused as replays
CLOCK_SKEW = 60  # seconds; a signed event dated further ahead was not made by Stripe just now
FAILED_INTENT = ("requires_payment_method", "canceled")


class _HTTPXClient(stripe.HTTPXClient):
    """Stripe's httpx adapter hands its encoded form body to httpx as `data=`, which httpx
    deprecates for raw bytes (and our warnings are errors): hand it over as `content=`."""

    def _get_request_args_kwargs(self, method: str, url: str, headers: Any, post_data: Any) -> Any:
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        kwargs.pop("data", None)
        if post_data:
            kwargs["content"] = post_data
        return args, kwargs


@functools.cache
def stripe_client(config: StripeSettings) -> stripe.StripeClient:
    return stripe.StripeClient(
        config.secret_key,
        base_addresses={"api": config.api_base} if config.api_base else None,
        http_client=_HTTPXClient(),
        max_network_retries=2,
    )


def _require_stripe(settings: Settings) -> StripeSettings:
    if settings.stripe is None:
        raise DomainError.single(
            ErrorCode.PAYMENT_UNAVAILABLE,
            "Card payment is not available. Pay by bank transfer; the secretariat records it when it arrives.",
        )
    return settings.stripe


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


async def start_claim_payment(
    *, actor: Actor | None, claim_id: int, payment_method: str | None, settings: Settings
) -> PaymentStart:
    """Where and how the SME pays its share by card.

    Without a payment method: the page to pay on. With one (a Stripe PaymentMethod
    or card id from Stripe.js): a PaymentIntent for the SME share, confirmed now;
    `client_secret` is returned when the card asks for authentication.
    """
    actor = require_actor(actor)
    config = _require_stripe(settings)
    client = stripe_client(config)
    async with in_transaction():
        claim = await Claim.filter(claimant_scope(actor), id=claim_id).select_for_update().first()
        if claim is None:
            raise not_found("claim")
        refuse_unless(claim, ClaimStatus.APPROVED)
        if claim.payment_due_at is not None and claim.payment_due_at < now():
            raise DomainError.single(ErrorCode.EXPIRED, "The time to pay for this claim has passed.")
        payment_url = f"{settings.base_url}/claims/{claim.id}/pay"
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
    try:
        intent = await client.v1.payment_intents.create_async(
            {
                "amount": payment.amount,
                "currency": CURRENCY,
                "payment_method": payment_method,
                "metadata": {"claim": str(claim.id), "payment": str(payment.id)},
            },
            {"idempotency_key": f"club-payment-{payment.id}"},
        )
        await Payment.filter(id=payment.id).update(stripe_payment_intent=intent.id)
        intent = await client.v1.payment_intents.confirm_async(intent.id)
    except stripe.StripeError as exc:
        await Payment.filter(id=payment.id).update(status=PaymentStatus.FAILED)
        log.info("card payment for claim %s refused: %s", claim.id, exc)
        message = (
            "The card was declined. Try another card."
            if isinstance(exc, stripe.CardError)
            else "The payment could not be made. Try again in a moment."
        )
        raise DomainError.single(ErrorCode.PAYMENT_FAILED, message) from exc
    await payment.refresh_from_db()
    secret = intent.client_secret if intent.status == "requires_action" else None
    return PaymentStart(claim, payment_url, payment, secret)


class WebhookRejected(Exception):
    """Not a genuine, fresh Stripe event: answered with 400 and nothing changes."""


class _AlreadyApplied(Exception):
    pass


async def receive_webhook(payload: bytes, signature: str | None, settings: Settings) -> None:
    if settings.stripe is None:
        raise WebhookRejected("Stripe is not configured")
    client = stripe_client(settings.stripe)
    try:
        event = client.construct_event(payload, signature, settings.stripe.webhook_secret, WEBHOOK_TOLERANCE)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookRejected(str(exc)) from exc
    _refuse_future(signature)
    intent = None
    if event.type.startswith("payment_intent."):
        intent = await client.v1.payment_intents.retrieve_async(event.data.object["id"])
    refunds: list[Payment] = []
    try:
        async with in_transaction():
            try:
                await StripeEvent.create(event_id=event.id, type=event.type)
            except IntegrityError as exc:
                raise _AlreadyApplied from exc
            if intent is not None:
                refunds = await _apply_intent(intent)
    except _AlreadyApplied:
        log.info("stripe event %s already applied", event.id)
        return
    for payment in refunds:
        await _refund_late_payment(client, payment)


def _refuse_future(signature: str | None) -> None:
    """Stripe's check refuses old events only: one signed for a time ahead could be replayed until then."""
    stamps = [part[2:] for part in (signature or "").split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit() or int(stamps[0]) > now().timestamp() + CLOCK_SKEW:
        raise WebhookRejected("the event is dated in the future")


async def _apply_intent(intent: Any) -> list[Payment]:
    """Bring our records in line with the PaymentIntent's state; the payments to refund after commit."""
    payment = await Payment.filter(
        Q(stripe_payment_intent=intent.id)
        | Q(id=int(intent.metadata.to_dict().get("payment") or 0) if intent.metadata else Q(id__in=[]))
    ).first()
    if payment is None:
        log.warning("payment intent %s matches no payment", intent.id)
        return []
    if intent.status in FAILED_INTENT:
        await Payment.filter(id=payment.id, status=PaymentStatus.PENDING).update(status=PaymentStatus.FAILED)
        return []
    if intent.status != "succeeded" or payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return []
    if intent.amount != payment.amount or intent.currency != CURRENCY:
        log.error(
            "payment intent %s is for %s %s, expected %s",
            intent.id,
            intent.amount,
            intent.currency,
            payment.amount,
        )
        return []
    _, claim = await lock_claim(payment.claim_id, Q())  # type: ignore[attr-defined]
    if await Payment.exists(id=payment.id, status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED]):
        return []  # another event about the same intent got the locks first
    await Payment.filter(id=payment.id).update(
        status=PaymentStatus.SUCCEEDED, stripe_payment_intent=intent.id
    )
    if claim.status != ClaimStatus.APPROVED:
        # Paid after the claim was cancelled or had expired: the money goes back.
        await audit.record(
            "payment.late", claim, after={"payment_intent": intent.id, "status": claim.status.value}
        )
        return [payment]
    await settle(claim, PaymentMethod.CARD, user=None)
    await audit.record(
        "claim.pay", claim, before={"status": "approved"}, after={"status": "paid", "method": "card"}
    )
    await mail_claimant(claim, "claim_paid")
    return []


async def _refund_late_payment(client: stripe.StripeClient, payment: Payment) -> None:
    assert payment.stripe_payment_intent is not None
    refund = await client.v1.refunds.create_async(
        {"payment_intent": payment.stripe_payment_intent},
        {"idempotency_key": f"club-late-refund-{payment.id}"},
    )
    await Payment.filter(id=payment.id).update(status=PaymentStatus.REFUNDED, stripe_refund=refund.id)


async def mark_claim_paid_by_transfer(*, actor: Actor | None, claim_id: int) -> Claim:
    """The secretariat saw the SME's share arrive by bank transfer."""
    actor = require_secretariat(actor)
    async with in_transaction():
        _, claim = await lock_claim(claim_id, Q())
        refuse_unless(claim, ClaimStatus.APPROVED)
        if await Payment.exists(claim_id=claim.id, status=PaymentStatus.PENDING):
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "A card payment for this claim is under way. Wait for its result."
            )
        assert claim.sme_share is not None
        await Payment.create(
            claim_id=claim.id,
            method=PaymentMethod.TRANSFER,
            amount=claim.sme_share,
            status=PaymentStatus.SUCCEEDED,
            recorded_by=actor.user,
        )
        await settle(claim, PaymentMethod.TRANSFER, user=actor.user)
        await audit.record(
            "claim.pay",
            claim,
            actor=actor,
            before={"status": "approved"},
            after={"status": "paid", "method": "transfer"},
        )
        await mail_claimant(claim, "claim_paid")
    return claim


async def refund_claim(*, actor: Actor | None, claim_id: int, reason: str, settings: Settings) -> Claim:
    """Give the SME its share back (through Stripe for a card) and release the sponsor's capture."""
    actor = require_secretariat(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give a reason for the refund.", "reason")
    claim = await Claim.filter(id=claim_id).first()
    if claim is None:
        raise not_found("claim")
    refuse_unless(claim, *SETTLED_CLAIMS)
    payment = await Payment.filter(claim_id=claim.id, status=PaymentStatus.SUCCEEDED).first()
    refund_id = None
    if payment is not None and payment.method == PaymentMethod.CARD and payment.amount > 0:
        client = stripe_client(_require_stripe(settings))
        assert payment.stripe_payment_intent is not None
        try:
            refund = await client.v1.refunds.create_async(
                {"payment_intent": payment.stripe_payment_intent},
                {"idempotency_key": f"club-refund-{payment.id}"},
            )
        except stripe.StripeError as exc:
            log.warning("refund of claim %s refused by Stripe: %s", claim.id, exc)
            raise DomainError.single(
                ErrorCode.PAYMENT_FAILED, "Stripe refused the refund. Try again later."
            ) from exc
        refund_id = refund.id
    async with in_transaction():
        _, claim = await lock_claim(claim_id, Q())
        refuse_unless(claim, *SETTLED_CLAIMS)
        before = claim.status.value
        await close_claim(claim, ClaimStatus.REFUNDED, LedgerEntryKind.REFUND, actor.user)
        if payment is not None:
            await Payment.filter(id=payment.id).update(status=PaymentStatus.REFUNDED, stripe_refund=refund_id)
        await audit.record(
            "claim.refund",
            claim,
            actor=actor,
            before={"status": before},
            after={"status": "refunded", "reason": reason},
        )
        await mail_claimant(claim, "claim_refunded", reason=reason)
    return claim
