"""Stripe webhook deliveries signed the way Stripe signs them (t=timestamp, v1=HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import httpx


def signed(secret: str, event: dict[str, object], *, age: int = 0) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    timestamp = int(time.time()) - age
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def intent_event(intent_id: str, kind: str = "payment_intent.succeeded") -> dict[str, object]:
    return {
        "id": f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": {"id": intent_id, "object": "payment_intent"}},
    }


async def deliver(
    client: httpx.AsyncClient, secret: str, event: dict[str, object], *, age: int = 0
) -> httpx.Response:
    payload, header = signed(secret, event, age=age)
    return await client.post(
        "/stripe/webhook",
        content=payload,
        headers={"stripe-signature": header, "content-type": "application/json"},
    )


def refund_event(charge_id: str, kind: str = "charge.refunded") -> dict[str, object]:
    """Stripe's notice that a charge was refunded (localstripe sends none: the tests deliver it)."""
    return {
        "id": f"evt_{uuid.uuid4().hex[:20]}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": {"id": charge_id, "object": "charge"}},
    }
