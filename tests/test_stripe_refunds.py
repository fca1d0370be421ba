"""A refund made at Stripe (dashboard or API) reaches the claim and the ledger, whatever order events come in."""

from __future__ import annotations

import httpx

from server.models import (
    AuditEntry,
    Claim,
    ClaimStatus,
    Commitment,
    LedgerEntry,
    Payment,
    PaymentStatus,
)
from server.money.payments import stripe_client
from server.money.reconcile import reconcile
from server.platform.settings import Settings
from tests.support.graphql import gql, sign_in
from tests.support.stripe_events import deliver, intent_event, refund_event
from tests.support.world import World
from tests.test_payments import charged_out_of_reach

NEEDS_ATTENTION = """
query($resolved: Boolean) {
  needsAttention(resolved: $resolved) { totalCount nodes { id kind amount stripeReference claim { id } note } }
}"""
RESOLVE = """
mutation($id: Int!, $note: String!) {
  resolveAttention(attentionId: $id, note: $note) { attention { id note } errors { field code message } }
}"""


async def refund_at_stripe(settings: Settings, intent: str, amount: int | None = None) -> str:
    """Someone refunds the payment in Stripe's dashboard: our app is not asked. Returns the charge."""
    assert settings.stripe is not None
    client = stripe_client(settings.stripe)
    params: dict[str, object] = {"payment_intent": intent}
    if amount is not None:
        params["amount"] = amount
    refund = await client.v1.refunds.create_async(params)  # type: ignore[arg-type]
    return str(refund.charge)


async def books(claim_id: int) -> tuple[ClaimStatus, PaymentStatus, int, int, int]:
    claim = await Claim.get(id=claim_id)
    payment = await Payment.get(claim_id=claim_id)
    pledge = await Commitment.get(id=claim.commitment_id)  # type: ignore[attr-defined]
    captures = await LedgerEntry.filter(claim_id=claim_id, kind="capture").count()
    return claim.status, payment.status, pledge.reserved, pledge.captured, captures


async def test_a_refund_at_stripe_then_the_late_success_closes_the_claim_and_the_sponsor_pays_nothing(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    secret = stripe_settings.stripe.webhook_secret
    approved, intent = await charged_out_of_reach(paying_client, world)
    charge = await refund_at_stripe(stripe_settings, intent)

    assert (await deliver(paying_client, secret, refund_event(charge))).status_code == 200
    assert (await deliver(paying_client, secret, intent_event(intent))).status_code == 200

    assert await books(approved.id) == (ClaimStatus.REFUNDED, PaymentStatus.REFUNDED, 0, 0, 0)
    assert (await Payment.get(claim_id=approved.id)).amount_refunded == 90_000
    assert await AuditEntry.filter(action="claim.refund", record_id=str(approved.id)).exists()
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_a_success_read_after_a_refund_at_stripe_captures_nothing_even_without_the_refund_event(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    approved, intent = await charged_out_of_reach(paying_client, world)
    await refund_at_stripe(stripe_settings, intent)

    await deliver(paying_client, stripe_settings.stripe.webhook_secret, intent_event(intent))

    assert await books(approved.id) == (ClaimStatus.REFUNDED, PaymentStatus.REFUNDED, 0, 0, 0)
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_a_refund_at_stripe_of_a_paid_claim_gives_the_sponsor_share_back_once(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    secret = stripe_settings.stripe.webhook_secret
    approved, intent = await charged_out_of_reach(paying_client, world)
    await deliver(paying_client, secret, intent_event(intent))
    assert (await books(approved.id))[:2] == (ClaimStatus.PAID, PaymentStatus.SUCCEEDED)

    charge = await refund_at_stripe(stripe_settings, intent)
    notice = refund_event(charge)
    await deliver(paying_client, secret, notice)
    await deliver(paying_client, secret, notice)  # redelivered
    await deliver(paying_client, secret, refund_event(charge))  # and told again by another event

    assert await books(approved.id) == (ClaimStatus.REFUNDED, PaymentStatus.REFUNDED, 0, 0, 1)
    assert await LedgerEntry.filter(claim_id=approved.id, kind="refund").count() == 1
    assert (await Payment.get(claim_id=approved.id)).stripe_refund
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_a_partial_refund_at_stripe_is_listed_for_the_secretariat_until_someone_resolves_it(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    secret = stripe_settings.stripe.webhook_secret
    client = stripe_client(stripe_settings.stripe)
    approved, intent = await charged_out_of_reach(paying_client, world)
    await deliver(paying_client, secret, intent_event(intent))
    charge = await refund_at_stripe(stripe_settings, intent, amount=30_000)
    await deliver(paying_client, secret, refund_event(charge))

    # The split is fixed at approval: the product does not guess who gets what back.
    assert await books(approved.id) == (ClaimStatus.PAID, PaymentStatus.SUCCEEDED, 0, 210_000, 1)
    assert (await Payment.get(claim_id=approved.id)).amount_refunded == 30_000
    assert any(f"claim {approved.id}" in problem for problem in await reconcile(client))

    await sign_in(paying_client, world.hanbit_rep.email, world.hanbit_rep.password)
    hidden = await paying_client.post("/graphql", json={"query": NEEDS_ATTENTION})
    assert hidden.json()["data"] is None
    await sign_in(paying_client, world.admin.email, world.admin.password)
    listed = (await gql(paying_client, NEEDS_ATTENTION))["needsAttention"]
    assert listed["totalCount"] == 1
    item = listed["nodes"][0]
    assert (item["kind"], item["amount"], item["stripeReference"], item["claim"]["id"]) == (
        "PARTIAL_REFUND",
        30_000,
        charge,
        approved.id,
    )
    page = await paying_client.get("/attention")
    assert page.status_code == 200 and f"/claims/{approved.id}" in page.text

    empty = (await gql(paying_client, RESOLVE, {"id": item["id"], "note": " "}))["resolveAttention"]
    assert empty["errors"][0]["field"] == "note"
    done = await gql(paying_client, RESOLVE, {"id": item["id"], "note": "삼성과 협의: 차액은 다음 달 정산"})
    assert done["resolveAttention"]["errors"] == []
    assert (await gql(paying_client, NEEDS_ATTENTION))["needsAttention"]["totalCount"] == 0
    resolved = (await gql(paying_client, NEEDS_ATTENTION, {"resolved": True}))["needsAttention"]
    assert resolved["nodes"][0]["note"] == "삼성과 협의: 차액은 다음 달 정산"
    assert await AuditEntry.filter(action="attention.resolve").exists()
    assert await reconcile(client) == []
