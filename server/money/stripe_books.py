"""`club reconcile` against Stripe: one page of PaymentIntents compared with the payments it concerns."""

from __future__ import annotations

from typing import Any, cast

from tortoise.expressions import Q

from server.models import (
    SETTLED_CLAIMS,
    Attention,
    AttentionKind,
    Claim,
    Payment,
    PaymentMethod,
    PaymentStatus,
    StripeCall,
    StripeCallState,
)
from server.money.stripe_calls import CURRENCY, RESUME_AFTER
from server.platform.timeutil import now

PAGE = 100  # PaymentIntents per request to Stripe (its maximum)
CHUNK = 1000  # local payments read at a time


def _mark(seen: bytearray, payment_id: int) -> None:
    if payment_id >> 3 < len(seen):
        seen[payment_id >> 3] |= 1 << (payment_id & 7)


def _was_seen(seen: bytearray, payment_id: int) -> bool:
    return payment_id >> 3 < len(seen) and bool(seen[payment_id >> 3] & 1 << (payment_id & 7))


def _refunded(intent: Any) -> int:
    charge = intent.latest_charge
    return int(getattr(charge, "amount_refunded", 0) or 0) if charge and not isinstance(charge, str) else 0


async def _matches(intents: list[Any]) -> dict[str, Payment]:
    """Our payment of each intent: by the id we noted, or by the call key when a crash kept us from noting it."""
    by_intent = {
        p.stripe_payment_intent: p
        for p in await Payment.filter(stripe_payment_intent__in=[i.id for i in intents])
    }
    keys = {
        str(i.metadata["call"]): i.id
        for i in intents
        if i.id not in by_intent and i.metadata and "call" in i.metadata
    }
    if keys:
        for call in await StripeCall.filter(idempotency_key__in=list(keys)).select_related("payment"):
            by_intent[keys[call.idempotency_key]] = call.payment
    return by_intent  # type: ignore[return-value]


async def compare_page(intents: list[Any], seen: bytearray) -> list[str]:
    matched = await _matches(intents)
    if not matched:
        return []
    claims = {c.id: c for c in await Claim.filter(id__in=[p.claim_id for p in matched.values()])}
    # Tortoise's stubs type a flat values_list as tuples.
    partial = cast(
        "set[int]",
        set(
            await Attention.filter(
                kind=AttentionKind.PARTIAL_REFUND,
                resolved_at=None,
                payment_id__in=[p.id for p in matched.values()],
            ).values_list("payment_id", flat=True)
        ),
    )
    problems = []
    for intent in intents:
        payment = matched.get(intent.id)
        if payment is None:
            continue  # not ours: another system on the same Stripe account
        claim = claims[payment.claim_id]
        if payment.stripe_payment_intent not in (None, intent.id):
            problems.append(
                f"claim {claim.id} ({claim.status.value}), payment {payment.id}: Stripe made {intent.id} "
                f"for it, we hold {payment.stripe_payment_intent}"
            )
            continue
        _mark(seen, payment.id)
        problems += _disagreements(intent, payment, claim, payment.id in partial)
    return problems


def _disagreements(intent: Any, payment: Payment, claim: Claim, open_partial: bool) -> list[str]:
    took = intent.status == "succeeded"
    refunded = _refunded(intent) if took else 0
    where = f"claim {claim.id} ({claim.status.value}), payment {payment.id}"
    ours = f"we hold {payment.status.value} {payment.amount} KRW, refunded {payment.amount_refunded}"
    theirs = f"Stripe has {intent.status} {intent.amount} {intent.currency.upper()}, refunded {refunded}"
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        if (
            not took
            or intent.amount != payment.amount
            or intent.currency != CURRENCY
            or refunded != payment.amount_refunded
        ):
            return [f"{where}: {ours}; {theirs}"]
        if payment.status == PaymentStatus.REFUNDED and refunded < payment.amount:
            return [f"{where}: refunded in our books but not at Stripe; {theirs}"]
        if (
            payment.status == PaymentStatus.SUCCEEDED
            and claim.status not in SETTLED_CLAIMS
            and refunded < payment.amount
        ):
            return [f"{where}: the claim took {payment.amount} KRW that Stripe has not given back"]
        if open_partial:
            return [
                f"{where}: Stripe refunded {refunded} of {payment.amount} KRW; it waits in needs attention"
            ]
        return []
    settled_late = payment.updated_at < now() - RESUME_AFTER
    if took and refunded < intent.amount and settled_late:
        return [f"{where}: {ours}; {theirs}: Stripe took money the books do not count"]
    return []


async def unknown_at_stripe(seen: bytearray) -> list[str]:
    """Card payments we count whose PaymentIntent Stripe did not list."""
    problems = []
    after = 0
    while True:
        chunk = (
            await Payment.filter(
                Q(method=PaymentMethod.CARD, id__gt=after),
                status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED],
            )
            .order_by("id")
            .limit(CHUNK)
            .values_list("id", "claim_id", "stripe_payment_intent")
        )
        for payment_id, claim_id, intent in chunk:
            if intent is None:
                problems.append(
                    f"claim {claim_id}, payment {payment_id}: card payment without a PaymentIntent"
                )
            elif not _was_seen(seen, payment_id):
                problems.append(
                    f"claim {claim_id}, payment {payment_id}: Stripe has no PaymentIntent {intent}"
                )
        if len(chunk) < CHUNK:
            return problems
        after = chunk[-1][0]


async def stale_calls() -> list[str]:
    pending = await StripeCall.filter(
        state=StripeCallState.PENDING, updated_at__lt=now() - RESUME_AFTER
    ).values_list("kind", "payment__claim_id", "payment_id", "created_at")
    return [
        f"claim {claim_id}, payment {payment_id}: a {kind} call to Stripe is pending since {created:%Y-%m-%d %H:%M} UTC"
        for kind, claim_id, payment_id, created in pending
    ]
