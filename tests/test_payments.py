"""The SME pays its share by card through Stripe (localstripe); only Stripe's signed word moves a claim."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from server.models import (
    Claim,
    ClaimStatus,
    Commitment,
    LedgerEntry,
    OutgoingMail,
    Payment,
    PaymentStatus,
    RoleKind,
    StripeEvent,
)
from server.money.claims import approve_claim
from server.money.payments import stripe_client
from server.money.reconcile import reconcile
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment
from tests.support.graphql import gql, sign_in
from tests.support.stripe_events import deliver, intent_event
from tests.support.world import World

START = """
mutation($id: Int!, $method: String) {
  startClaimPayment(claimId: $id, paymentMethod: $method) {
    claim { id status } paymentUrl publishableKey amount clientSecret errors { field code message }
  }
}"""
REFUND = 'mutation($id: Int!) { refundClaim(claimId: $id, reason: "계약 취소") { claim { status } errors { code message } } }'


async def approved_claim(world: World) -> Claim:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    return await approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )


async def charged_out_of_reach(client: httpx.AsyncClient, world: World) -> tuple[Claim, str]:
    """An approved claim the SME paid by card, whose webhook cannot reach the in-process app."""
    approved = await approved_claim(world)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    await gql(client, START, {"id": approved.id, "method": "pm_card_visa"})
    intent = (await Payment.get(claim_id=approved.id)).stripe_payment_intent
    assert intent is not None
    return approved, intent


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 15) -> None:
    """Stripe's webhook arrives about a second after the charge."""
    for _ in range(int(seconds / 0.1)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("Stripe's webhook never changed the claim")


async def is_paid(claim_id: int) -> bool:
    return (await Claim.get(id=claim_id)).status == ClaimStatus.PAID


async def test_an_sme_pays_by_card_and_stripes_signed_webhook_marks_the_claim_paid(
    stripe_server: str, stripe_settings: Settings, world: World
) -> None:
    approved = await approved_claim(world)
    async with httpx.AsyncClient(base_url=stripe_server) as http:
        await sign_in(http, world.hanbit_rep.email, world.hanbit_rep.password)
        where = (await gql(http, START, {"id": approved.id, "method": None}))["startClaimPayment"]
        assert where["paymentUrl"] == f"{stripe_server}/claims/{approved.id}/pay"
        assert (where["amount"], where["publishableKey"]) == (90_000, "pk_test_club")
        charged = (await gql(http, START, {"id": approved.id, "method": "pm_card_visa"}))["startClaimPayment"]
        assert charged["errors"] == [] and charged["clientSecret"] is None
        # Nothing is believed until Stripe says so.
        assert charged["claim"]["status"] == "APPROVED"
        await eventually(lambda: is_paid(approved.id))

    payment = await Payment.get(claim_id=approved.id)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == 90_000
    assert payment.stripe_payment_intent and payment.stripe_payment_intent.startswith("pi_")
    pledge = await Commitment.get(id=approved.commitment_id)  # type: ignore[attr-defined]
    assert (pledge.reserved, pledge.captured) == (0, 210_000)
    assert await OutgoingMail.filter(recipient=world.hanbit_rep.email, subject__contains="영수증").exists()
    assert stripe_settings.stripe is not None
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_a_declined_card_leaves_the_claim_approved_and_another_card_can_pay(
    paying_client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    await sign_in(paying_client, world.hanbit_rep.email, world.hanbit_rep.password)
    declined = await gql(paying_client, START, {"id": approved.id, "method": "pm_card_chargeCustomerFail"})
    assert declined["startClaimPayment"]["errors"][0]["code"] == "PAYMENT_FAILED"
    assert (await Payment.get(claim_id=approved.id)).status == PaymentStatus.FAILED
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.APPROVED
    again = (await gql(paying_client, START, {"id": approved.id, "method": "pm_card_visa"}))[
        "startClaimPayment"
    ]
    assert again["errors"] == []
    twice = (await gql(paying_client, START, {"id": approved.id, "method": "pm_card_visa"}))[
        "startClaimPayment"
    ]
    assert twice["errors"][0]["code"] == "INVALID_STATE"  # one charge under way at a time


async def test_forged_unsigned_and_stale_webhooks_are_refused_and_change_nothing(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    secret = stripe_settings.stripe.webhook_secret
    approved, intent = await charged_out_of_reach(paying_client, world)
    event = intent_event(intent)

    unsigned = await paying_client.post("/stripe/webhook", json=event)
    forged = await deliver(paying_client, "whsec_someone_else", event)
    stale = await deliver(paying_client, secret, event, age=3600)
    from_the_future = await deliver(paying_client, secret, event, age=-3600)
    statuses = [unsigned.status_code, forged.status_code, stale.status_code, from_the_future.status_code]
    assert statuses == [400, 400, 400, 400]
    assert await StripeEvent.all().count() == 0
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.APPROVED

    genuine = await deliver(paying_client, secret, event)
    assert genuine.status_code == 200
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID


async def test_an_event_delivered_twice_at_once_or_out_of_order_is_applied_once(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    secret = stripe_settings.stripe.webhook_secret
    approved, intent = await charged_out_of_reach(paying_client, world)

    succeeded = intent_event(intent)
    # The same event twice, and another event about the same success, all at once.
    answers = await asyncio.gather(
        deliver(paying_client, secret, succeeded),
        deliver(paying_client, secret, succeeded),
        deliver(paying_client, secret, intent_event(intent)),
    )
    assert [a.status_code for a in answers] == [200, 200, 200]
    # A failure notice arriving late, and a second success event: Stripe's current state is what counts.
    await deliver(paying_client, secret, intent_event(intent, "payment_intent.payment_failed"))
    await deliver(paying_client, secret, intent_event(intent))

    assert await StripeEvent.all().count() == 4
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID
    assert (await Payment.get(claim_id=approved.id)).status == PaymentStatus.SUCCEEDED
    captures = await LedgerEntry.filter(claim_id=approved.id, kind="capture").count()
    assert captures == 1
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_a_payment_that_lands_after_the_sme_cancelled_is_given_back(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World
) -> None:
    assert stripe_settings.stripe is not None
    approved, intent = await charged_out_of_reach(paying_client, world)
    await gql(
        paying_client,
        "mutation($id: Int!) { cancelClaim(claimId: $id) { errors { code } } }",
        {"id": approved.id},
    )
    await deliver(paying_client, stripe_settings.stripe.webhook_secret, intent_event(intent))

    payment = await Payment.get(claim_id=approved.id)
    assert payment.status == PaymentStatus.REFUNDED and (payment.stripe_refund or "").startswith("re_")
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.CANCELLED
    assert await LedgerEntry.filter(claim_id=approved.id, kind="capture").count() == 0


async def test_the_secretariat_refunds_a_card_payment_through_stripe(
    stripe_server: str, stripe_settings: Settings, world: World
) -> None:
    approved = await approved_claim(world)
    async with httpx.AsyncClient(base_url=stripe_server) as http:
        await sign_in(http, world.hanbit_rep.email, world.hanbit_rep.password)
        await gql(http, START, {"id": approved.id, "method": "pm_card_visa"})
        await eventually(lambda: is_paid(approved.id))
        await sign_in(http, world.admin.email, world.admin.password)
        refunded = (await gql(http, REFUND, {"id": approved.id}))["refundClaim"]
    assert refunded["claim"]["status"] == "REFUNDED"
    payment = await Payment.get(claim_id=approved.id)
    assert payment.status == PaymentStatus.REFUNDED and (payment.stripe_refund or "").startswith("re_")
    pledge = await Commitment.get(id=approved.commitment_id)  # type: ignore[attr-defined]
    assert (pledge.reserved, pledge.captured) == (0, 0)
    assert stripe_settings.stripe is not None
    assert await reconcile(stripe_client(stripe_settings.stripe)) == []


async def test_without_stripe_card_payment_says_to_pay_by_transfer(
    client: httpx.AsyncClient, world: World
) -> None:
    approved = await approved_claim(world)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    refused = (await gql(client, START, {"id": approved.id, "method": "pm_card_visa"}))["startClaimPayment"]
    assert refused["errors"][0]["code"] == "PAYMENT_UNAVAILABLE"
    assert await Payment.all().count() == 0
    assert (await client.post("/stripe/webhook", content=b"{}")).status_code == 400
