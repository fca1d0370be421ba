"""Our records follow Stripe: PaymentIntents as Stripe reports them, and calls cut off by a crash.

`apply_intent` settles a claim from a PaymentIntent fetched from Stripe (a
refunded one never captures). `resume_stale_calls` is the periodic job that
finishes every call still pending after `RESUME_AFTER`: a card payment the SME
was making is cancelled at Stripe unless it went through (nobody is there any
more to finish it), and a refund is made again with its own key.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    AttentionKind,
    ClaimStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    StripeCall,
    StripeCallKind,
    StripeCallState,
)
from server.money.attention import flag
from server.money.claims import lock_claim, mail_claimant, settle
from server.money.refunds import STRIPE_REASON, apply_charge, follow_refund
from server.money.stripe_calls import (
    CURRENCY,
    UNKNOWN_OUTCOME,
    create_intent,
    finish,
    record_refund_call,
    send_refund,
    stale_calls,
    take_stale,
)
from server.platform import audit
from server.platform.actor import Actor

log = logging.getLogger("club.stripe")

FAILED_INTENT = ("requires_payment_method", "canceled")
UNFINISHED_INTENT = ("requires_confirmation", "requires_action", "requires_payment_method")


async def fetch_intent(client: stripe.StripeClient, intent_id: str) -> Any:
    return await client.v1.payment_intents.retrieve_async(intent_id, {"expand": ["latest_charge"]})


def refunded_amount(intent: Any) -> int:
    charge = intent.latest_charge
    return int(getattr(charge, "amount_refunded", 0) or 0) if charge and not isinstance(charge, str) else 0


async def _payment_of(intent: Any) -> Payment | None:
    """By the intent id we noted, or (a crash kept us from noting it) by the unique key of the call that made it."""
    payment = await Payment.filter(stripe_payment_intent=intent.id).first()
    key = intent.metadata.to_dict().get("call") if payment is None and intent.metadata else None
    if key:
        call = await StripeCall.filter(idempotency_key=str(key)).select_related("payment").first()
        payment = call.payment if call is not None else None
    return payment


async def apply_intent(intent: Any) -> list[StripeCall]:
    """Inside the caller's transaction: our records in line with the intent; the refunds to make after commit."""
    payment = await _payment_of(intent)
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
    _, claim = await lock_claim(payment.claim_id, Q())
    if await Payment.exists(id=payment.id, status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED]):
        return []  # another event about the same intent got the locks first
    await Payment.filter(id=payment.id).update(
        status=PaymentStatus.SUCCEEDED, stripe_payment_intent=intent.id
    )
    await StripeCall.filter(
        payment_id=payment.id, kind=StripeCallKind.PAYMENT, state=StripeCallState.PENDING
    ).update(state=StripeCallState.DONE, result=intent.id)
    if refunded_amount(intent) > 0:
        return []  # refunded at Stripe already: the refund's own handling closes the claim, nothing is captured
    if claim.status != ClaimStatus.APPROVED:
        # Paid after the claim was cancelled or had expired: the money goes back, recorded before it is sent.
        await audit.record(
            "payment.late", claim, after={"payment_intent": intent.id, "status": claim.status.value}
        )
        return [await record_refund_call(payment.id, late=True)]
    await settle(claim, PaymentMethod.CARD, user=None)
    await audit.record(
        "claim.pay", claim, before={"status": "approved"}, after={"status": "paid", "method": "card"}
    )
    await mail_claimant(claim, "claim_paid")
    return []


async def fetch_charge(client: stripe.StripeClient, charge_id: str) -> Any:
    return await client.v1.charges.retrieve_async(charge_id, {"expand": ["refunds"]})


async def make_refunds(client: stripe.StripeClient, refunds: list[StripeCall]) -> None:
    """After the commit of `apply_intent`: the refunds it recorded (the job makes them if this process dies)."""
    for call in refunds:
        try:
            await make_refund(client, call)
        except stripe.StripeError:
            log.exception("late refund call %s refused: listed for the secretariat", call.id)


async def make_refund(
    client: stripe.StripeClient, call: StripeCall, *, actor: Actor | None = None, reason: str = ""
) -> bool:
    """Make (or make again, with the same key) a recorded refund and follow it; False while its outcome is unknown.

    Stripe's refusal is raised, after the call is closed as failed; with nobody at hand (`actor` None)
    it is also listed for the secretariat.
    """
    try:
        refund = await send_refund(client, call)
    except UNKNOWN_OUTCOME as exc:
        log.warning("refund call %s left pending: %s", call.id, exc)
        return False
    except stripe.StripeError as exc:
        await finish(call, StripeCallState.FAILED, error=str(exc))
        if actor is None:
            async with in_transaction():
                payment = await Payment.get(id=call.payment_id)
                await flag(
                    AttentionKind.REFUND_REFUSED,
                    claim_id=payment.claim_id,
                    payment_id=payment.id,
                    stripe_reference=payment.stripe_payment_intent or "",
                    amount=payment.amount,
                    detail=str(exc),
                )
        raise
    await follow_refund(
        call.payment_id,
        refund.id,
        actor=actor,
        reason=reason or str(call.request.get("reason") or STRIPE_REASON),
    )
    return True


async def _resume_payment(client: stripe.StripeClient, call: StripeCall) -> None:
    """The SME's card payment was cut off: settle it if it went through, otherwise cancel it and free the claim."""
    try:
        created = await create_intent(client, call)  # the same key: Stripe's first answer, or a first try now
    except UNKNOWN_OUTCOME as exc:
        log.warning("payment call %s left pending: %s", call.id, exc)
        return
    except stripe.StripeError as exc:  # refused outright: no PaymentIntent, no charge
        pending = Payment.filter(id=call.payment_id, status=PaymentStatus.PENDING)
        await pending.update(status=PaymentStatus.FAILED)
        await finish(call, StripeCallState.FAILED, error=str(exc))
        return
    try:
        # A replayed answer is the intent as it was when first created: ask for it as it is now.
        intent = await fetch_intent(client, created.id)
        if intent.status in UNFINISHED_INTENT:
            await client.v1.payment_intents.cancel_async(
                intent.id, {}, {"idempotency_key": f"{call.idempotency_key}-cancel"}
            )
            intent = await fetch_intent(client, created.id)
    except stripe.StripeError as exc:
        log.warning("payment call %s left pending: %s", call.id, exc)
        return
    if intent.status == "processing":
        return  # Stripe has not decided yet: try again next time
    charge = await fetch_charge(client, intent.latest_charge.id) if refunded_amount(intent) > 0 else None
    async with in_transaction():
        refunds = await apply_intent(intent)
        if charge is not None:
            await apply_charge(charge)
    await finish(call, StripeCallState.DONE, result=intent.id)
    await make_refunds(client, refunds)


async def resume_call(client: stripe.StripeClient, call: StripeCall) -> None:
    if call.kind == StripeCallKind.PAYMENT:
        await _resume_payment(client, call)
        return
    try:
        await make_refund(client, call)
    except stripe.StripeError:
        log.warning("resumed refund call %s refused by Stripe: listed for the secretariat", call.id)


async def resume_stale_calls(client: stripe.StripeClient, *, claim_id: int | None = None) -> int:
    """Periodic job (and the SME's retry): finish every call a crash left pending; how many were taken."""
    taken = 0
    for call in await stale_calls(claim_id=claim_id).limit(100):
        if await take_stale(call.id):
            taken += 1
            await resume_call(client, call)
    return taken
