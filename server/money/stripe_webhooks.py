"""Stripe's webhook: only genuine, fresh, signed events are applied, each once, whatever order they arrive in.

Payment state never comes from the browser's redirect: it comes from here, or from `stripe_sync` asking Stripe.
"""

from __future__ import annotations

import logging

import stripe
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.models import StripeCall, StripeEvent
from server.money.refunds import apply_charge
from server.money.stripe_calls import stripe_client
from server.money.stripe_sync import apply_intent, fetch_charge, fetch_intent, make_refunds, refunded_amount
from server.platform import config
from server.platform.timeutil import now

log = logging.getLogger("club.payments")

WEBHOOK_TOLERANCE = 300  # seconds; older signed events are refused as replays


CLOCK_SKEW = 60  # seconds; a signed event dated further ahead was not made by Stripe just now


REFUND_EVENTS = ("charge.refunded", "charge.refund.updated", "refund.created", "refund.updated")


class WebhookRejected(Exception):
    """Not a genuine, fresh Stripe event: answered with 400 and nothing changes."""


class _AlreadyApplied(Exception):
    pass


async def receive_webhook(payload: bytes, signature: str | None) -> None:
    stripe_settings = config.settings().stripe
    if stripe_settings is None:
        raise WebhookRejected("Stripe is not configured")
    client = stripe_client(stripe_settings)
    try:
        event = client.construct_event(payload, signature, stripe_settings.webhook_secret, WEBHOOK_TOLERANCE)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise WebhookRejected(str(exc)) from exc
    _refuse_future(signature)
    intent = charge = None
    if event.type.startswith("payment_intent."):
        intent = await fetch_intent(client, event.data.object["id"])
        if refunded_amount(intent) > 0:
            charge = await fetch_charge(client, intent.latest_charge.id)
    elif event.type in REFUND_EVENTS:
        found = event.data.object
        charge = await fetch_charge(client, found["id"] if found["object"] == "charge" else found["charge"])
    refunds: list[StripeCall] = []
    try:
        async with in_transaction():
            try:
                await StripeEvent.create(event_id=event.id, type=event.type)
            except IntegrityError as exc:
                raise _AlreadyApplied from exc
            if intent is not None:
                refunds = await apply_intent(intent)
            if charge is not None:
                await apply_charge(charge)
    except _AlreadyApplied:
        log.info("stripe event %s already applied", event.id)
        return
    await make_refunds(client, refunds)


def _refuse_future(signature: str | None) -> None:
    """Stripe's check refuses old events only: one signed for a time ahead could be replayed until then."""
    stamps = [part[2:] for part in (signature or "").split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit() or int(stamps[0]) > now().timestamp() + CLOCK_SKEW:
        raise WebhookRejected("the event is dated in the future")
