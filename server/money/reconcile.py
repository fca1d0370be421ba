"""`club reconcile`: do the books agree with themselves and with Stripe?

For every commitment, its running figures must equal what its ledger entries
add up to, and so must its spend of each month; for every claim, what the ledger holds for it must match its state
and split; every settled claim must have the payment its method implies, and
every card payment must agree with its PaymentIntent at Stripe.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

import stripe
from tortoise import connections
from tortoise.expressions import RawSQL
from tortoise.functions import Sum

from server.models import (
    SETTLED_CLAIMS,
    Claim,
    ClaimStatus,
    Commitment,
    CommitmentMonth,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from server.money.ledger import SPEND_SIGN, Figures, figures_of
from server.money.stripe_books import PAGE, compare_page, stale_calls, unknown_at_stripe


async def _sums(key: str) -> dict[int, Figures]:
    rows = await (
        LedgerEntry.filter(**{f"{key}__isnull": False})
        .annotate(total=Sum("amount"))
        .group_by(key, "kind")
        .values_list(key, "kind", "total")
    )
    entries: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for owner, kind, total in rows:
        entries[owner].append((kind, int(total)))
    return {owner: figures_of(found) for owner, found in entries.items()}


def _seoul_month() -> RawSQL:
    """The Seoul month of a ledger entry, in the database's own dialect (grouped there, not here)."""
    if connections.get("default").capabilities.dialect == "sqlite":
        return RawSQL("strftime('%Y-%m', created_at, '+9 hours')")
    return RawSQL("to_char(created_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM')")


async def _month_problems() -> list[str]:
    rows = await (
        LedgerEntry.filter(kind__in=list(SPEND_SIGN))
        .annotate(month=_seoul_month(), total=Sum("amount"))
        .group_by("commitment_id", "month", "kind")
        .values_list("commitment_id", "month", "kind", "total")
    )
    from_entries: dict[tuple[int, str], int] = defaultdict(int)
    for commitment_id, month, kind, total in rows:
        from_entries[(commitment_id, str(month))] += SPEND_SIGN[kind] * int(total)
    kept = {
        (commitment_id, month): spent
        for commitment_id, month, spent in await CommitmentMonth.all().values_list(
            "commitment_id", "month", "spent"
        )
    }
    return [
        f"commitment {commitment_id}, {month}: spend kept as {kept.get((commitment_id, month), 0)} "
        f"but the ledger adds up to {from_entries.get((commitment_id, month), 0)}"
        for commitment_id, month in sorted(from_entries.keys() | kept.keys())
        if from_entries.get((commitment_id, month), 0) != kept.get((commitment_id, month), 0)
    ]


def _expected(claim: Claim) -> Figures:
    share = claim.sponsor_share or 0
    if claim.status == ClaimStatus.APPROVED:
        return Figures(reserved=share)
    if claim.status in SETTLED_CLAIMS:
        return Figures(captured=share)
    return Figures()


async def check_books() -> list[str]:
    """Disagreements inside the database."""
    problems = []
    by_commitment = await _sums("commitment_id")
    for commitment in await Commitment.all().order_by("id"):
        book = Figures(commitment.budget, commitment.reserved, commitment.captured)
        ledger = by_commitment.get(commitment.id, Figures())
        if book != ledger:
            problems.append(f"commitment {commitment.id}: figures {book} but ledger adds up to {ledger}")
    problems.extend(await _month_problems())
    by_claim = await _sums("claim_id")
    payments: dict[int, list[Payment]] = defaultdict(list)
    for payment in await Payment.all():
        payments[payment.claim_id].append(payment)
    for claim in await Claim.all().order_by("id"):
        held = by_claim.get(claim.id, Figures())
        expected = _expected(claim)
        if (held.reserved, held.captured) != (expected.reserved, expected.captured):
            problems.append(
                f"claim {claim.id} ({claim.status.value}): ledger holds reserved {held.reserved}, "
                f"captured {held.captured}; expected {expected.reserved}, {expected.captured}"
            )
        if claim.status in SETTLED_CLAIMS:
            problems.extend(_payment_problems(claim, payments.get(claim.id, [])))
    return problems


def _payment_problems(claim: Claim, payments: list[Payment]) -> list[str]:
    if claim.payment_method == PaymentMethod.NONE:
        return (
            []
            if claim.sme_share == 0
            else [f"claim {claim.id}: settled without payment but SME owes {claim.sme_share}"]
        )
    paid = [p for p in payments if p.status == PaymentStatus.SUCCEEDED and p.method == claim.payment_method]
    if len(paid) != 1:
        return [f"claim {claim.id}: {len(paid)} successful {claim.payment_method} payments, expected 1"]
    if paid[0].amount != claim.sme_share:
        return [f"claim {claim.id}: paid {paid[0].amount}, SME share is {claim.sme_share}"]
    return []


async def check_stripe(client: stripe.StripeClient) -> list[str]:
    """Every card payment against Stripe's own record, and every money call a crash left pending.

    Stripe's PaymentIntents are read page by page and compared with the payments
    of that page only; a bit per payment id remembers which were found, so that
    the payments Stripe does not know are named afterwards, read in chunks.
    """
    problems: list[str] = []
    top = await Payment.filter(method=PaymentMethod.CARD).order_by("-id").first()
    seen = bytearray(((top.id if top else 0) >> 3) + 1)
    params: dict[str, Any] = {"limit": PAGE, "expand": ["data.latest_charge"]}
    while True:
        page = await client.v1.payment_intents.list_async(cast(Any, params))
        problems += await compare_page(page.data, seen)
        if not page.has_more or not page.data:
            break
        params["starting_after"] = page.data[-1].id
    problems += await unknown_at_stripe(seen)
    problems += await stale_calls()
    return problems


async def reconcile(client: stripe.StripeClient | None) -> list[str]:
    problems = await check_books()
    if client is not None:
        problems += await check_stripe(client)
    return problems
