"""Outbound money calls to Stripe, recorded before they are made.

A process can die at any moment of a call to Stripe. So each call that
charges or refunds is first committed as a pending `StripeCall` carrying its
idempotency key; the call is then made with that key, and its outcome
recorded. A call still pending after `RESUME_AFTER` was interrupted: it is
made again with the same key (Stripe answers with the first try's result, so
money never moves twice) and finished (`server.money.stripe_sync`).
"""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta
from typing import Any

import stripe
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from server.models import Payment, StripeCall, StripeCallKind, StripeCallState
from server.platform.settings import StripeSettings
from server.platform.timeutil import now

CURRENCY = "krw"  # zero-decimal at Stripe: ₩150,000 is amount=150000
RESUME_AFTER = timedelta(seconds=60)  # longer than any call takes: still pending by then, it was cut off
# Stripe did not say no: the money may have moved, so only a retry with the same key can tell.
UNKNOWN_OUTCOME = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


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


def new_key(kind: StripeCallKind, payment_id: int) -> str:
    # The random part keeps keys unique across restored or rebuilt databases reusing payment ids.
    return f"club-{kind.value}-{payment_id}-{secrets.token_hex(8)}"


async def record_payment_call(payment: Payment, payment_method: str) -> StripeCall:
    """Inside the caller's transaction, with the new payment."""
    return await StripeCall.create(
        kind=StripeCallKind.PAYMENT,
        payment=payment,
        idempotency_key=new_key(StripeCallKind.PAYMENT, payment.id),
        request={"payment_method": payment_method},
    )


async def record_refund_call(payment_id: int, **request: Any) -> StripeCall:
    """The payment's one refund call: an earlier one not refused by Stripe is reused, never doubled."""
    async with in_transaction():
        await Payment.filter(id=payment_id).select_for_update().get()
        existing = (
            await StripeCall.filter(payment_id=payment_id, kind=StripeCallKind.REFUND)
            .exclude(state=StripeCallState.FAILED)
            .first()
        )
        if existing is not None:
            return existing
        return await StripeCall.create(
            kind=StripeCallKind.REFUND,
            payment_id=payment_id,
            idempotency_key=new_key(StripeCallKind.REFUND, payment_id),
            request=request,
        )


async def create_intent(client: stripe.StripeClient, call: StripeCall) -> Any:
    """Create (or, on a retry with the same key, get back) the call's PaymentIntent and note its id."""
    payment = await Payment.get(id=call.payment_id)
    intent = await client.v1.payment_intents.create_async(
        {
            "amount": payment.amount,
            "currency": CURRENCY,
            "payment_method": call.request["payment_method"],
            "metadata": {
                "claim": str(payment.claim_id),
                "payment": str(payment.id),
                "call": call.idempotency_key,
            },
        },
        {"idempotency_key": call.idempotency_key},
    )
    await Payment.filter(id=payment.id).update(stripe_payment_intent=intent.id)
    await StripeCall.filter(id=call.id).update(result=intent.id, updated_at=now())
    return intent


async def send_refund(client: stripe.StripeClient, call: StripeCall) -> Any:
    payment = await Payment.get(id=call.payment_id)
    assert payment.stripe_payment_intent is not None
    return await client.v1.refunds.create_async(
        {"payment_intent": payment.stripe_payment_intent},
        {"idempotency_key": call.idempotency_key},
    )


async def finish(call: StripeCall, state: StripeCallState, result: str = "", error: str = "") -> None:
    values: dict[str, Any] = {"state": state, "updated_at": now(), "error": error[:2000]}
    if result:
        values["result"] = result
    await StripeCall.filter(id=call.id, state=StripeCallState.PENDING).update(**values)


async def take_stale(call_id: int) -> bool:
    """Claim a stale pending call for one resumer (compare-and-set on its age), so that processes take turns."""
    moment = now()
    taken = await StripeCall.filter(
        id=call_id, state=StripeCallState.PENDING, updated_at__lt=moment - RESUME_AFTER
    ).update(updated_at=moment, attempts=F("attempts") + 1)
    return taken == 1


def stale_calls(*, claim_id: int | None = None) -> Any:
    where = Q(state=StripeCallState.PENDING, updated_at__lt=now() - RESUME_AFTER)
    if claim_id is not None:
        where &= Q(payment__claim_id=claim_id)
    return StripeCall.filter(where).order_by("id")
