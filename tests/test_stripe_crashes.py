"""A process that dies in the middle of a call to Stripe strands no claim and moves no money twice.

The crash points are simulated by making the Stripe call raise a BaseException (what SIGKILL
leaves behind is the same: no Python code after that point runs) either before the request
leaves or after Stripe answered. Stripe is localstripe behind a proxy that keeps Stripe's
idempotency promise, and counts what really reached Stripe.
"""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from server.models import (
    Claim,
    ClaimStatus,
    LedgerEntry,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RoleKind,
    StripeCall,
    StripeCallState,
)
from server.money.attention import pending_calls
from server.money.claims import cancel_claim
from server.money.payments import refund_claim, start_claim_payment
from server.money.reconcile import reconcile
from server.money.stripe_calls import stripe_client
from server.money.stripe_sync import resume_stale_calls
from server.money.stripe_webhooks import receive_webhook
from server.platform.config import configure
from server.platform.errors import DomainError, ErrorCode
from server.platform.settings import Settings
from server.platform.timeutil import now
from tests.support.costs import acting, pay_by_transfer
from tests.support.stripe_events import intent_event, signed
from tests.support.stripe_proxy import ReplayingProxy, replaying_proxy
from tests.support.world import World
from tests.test_payments import approved_claim

ROOT = Path(__file__).parent.parent


class Crash(BaseException):
    """The process dies here."""


@dataclasses.dataclass
class Stripe:
    settings: Settings
    proxy: ReplayingProxy

    @property
    def client(self) -> Any:
        assert self.settings.stripe is not None
        return stripe_client(self.settings.stripe)

    async def webhook(self, intent: str) -> None:
        assert self.settings.stripe is not None
        payload, header = signed(self.settings.stripe.webhook_secret, intent_event(intent))
        await receive_webhook(payload, header)


@pytest_asyncio.fixture
async def stripe(stripe_settings: Settings) -> AsyncIterator[Stripe]:
    assert stripe_settings.stripe is not None
    async with replaying_proxy(stripe_settings.stripe.api_base or "") as (base, proxy):
        config = dataclasses.replace(stripe_settings.stripe, api_base=base)
        proxied = dataclasses.replace(stripe_settings, stripe=config)
        configure(proxied)
        yield Stripe(proxied, proxy)


def crash(monkeypatch: pytest.MonkeyPatch, service: Any, method: str, *, after_stripe_answered: bool) -> None:
    real: Callable[..., Any] = getattr(service, method)

    async def dying(*args: Any, **kwargs: Any) -> Any:
        if after_stripe_answered:
            await real(*args, **kwargs)
        raise Crash

    monkeypatch.setattr(service, method, dying)


async def later() -> None:
    """The process restarted a while ago: what it left pending is now older than the resume window."""
    past = now() - timedelta(minutes=2)
    await StripeCall.filter(state=StripeCallState.PENDING).update(updated_at=past)
    await Payment.all().update(updated_at=past)


def sme(world: World) -> Any:
    return acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)


def admin(world: World) -> Any:
    return acting(world.admin, RoleKind.SECRETARIAT)


async def test_a_crash_before_stripe_heard_of_the_payment_lets_the_sme_pay_again_once(
    stripe: Stripe, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = await approved_claim(world)
    crash(monkeypatch, stripe.client.v1.payment_intents, "create_async", after_stripe_answered=False)
    with pytest.raises(Crash):
        await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    monkeypatch.undo()
    assert (await StripeCall.get()).state == StripeCallState.PENDING  # recorded before the call

    with pytest.raises(DomainError) as right_away:
        await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    assert right_away.value.errors[0].code == ErrorCode.INVALID_STATE
    await later()
    started = await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    assert started.payment is not None and started.payment.stripe_payment_intent
    await stripe.webhook(started.payment.stripe_payment_intent)

    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID
    assert stripe.proxy.posts_to("/confirm") == 1  # one charge in all
    statuses = sorted(p.status for p in await Payment.filter(claim_id=approved.id))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert await reconcile(stripe.client) == []


async def test_a_crash_after_stripe_charged_the_card_is_finished_by_the_job_without_a_second_charge(
    stripe: Stripe, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = await approved_claim(world)
    crash(monkeypatch, stripe.client.v1.payment_intents, "confirm_async", after_stripe_answered=True)
    with pytest.raises(Crash):
        await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    monkeypatch.undo()
    with pytest.raises(DomainError):  # the money is somewhere: no transfer may be counted too
        await pay_by_transfer(admin(world), approved.id)
    await later()
    assert [c.kind for c in (await pending_calls(admin(world))).items] == ["payment"]
    assert any(f"claim {approved.id}" in p and "pending" in p for p in await reconcile(stripe.client))

    assert await resume_stale_calls(stripe.client) == 1
    assert await resume_stale_calls(stripe.client) == 0
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID  # settled by the job alone
    payment = await Payment.get(claim_id=approved.id)
    assert payment.stripe_payment_intent is not None
    await stripe.webhook(payment.stripe_payment_intent)  # Stripe's own notice, late

    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID
    assert await LedgerEntry.filter(claim_id=approved.id, kind="capture").count() == 1
    assert stripe.proxy.posts_to("/confirm") == 1
    assert await reconcile(stripe.client) == []


async def test_after_a_crash_with_no_charge_the_secretariat_can_count_a_bank_transfer(
    stripe: Stripe, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = await approved_claim(world)
    crash(monkeypatch, stripe.client.v1.payment_intents, "confirm_async", after_stripe_answered=False)
    with pytest.raises(Crash):
        await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    monkeypatch.undo()
    await later()
    await resume_stale_calls(stripe.client)  # the periodic job: the unconfirmed intent is cancelled at Stripe

    paid = await pay_by_transfer(admin(world), approved.id)
    assert (paid.status, paid.payment_method) == (ClaimStatus.PAID, PaymentMethod.TRANSFER)
    card = await Payment.get(claim_id=approved.id, method=PaymentMethod.CARD)
    assert card.status == PaymentStatus.FAILED
    assert (
        await stripe.client.v1.payment_intents.retrieve_async(card.stripe_payment_intent)
    ).status == "canceled"
    assert stripe.proxy.posts_to("/confirm") == 0
    assert await reconcile(stripe.client) == []


async def paid_after_cancelling(stripe: Stripe, world: World) -> tuple[Claim, str]:
    """The SME's card was charged, then it withdrew the claim before Stripe's notice arrived."""
    approved = await approved_claim(world)
    started = await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    assert started.payment is not None and started.payment.stripe_payment_intent
    await cancel_claim(actor=sme(world), claim_id=approved.id)
    return approved, started.payment.stripe_payment_intent


async def refunds_at_stripe(stripe: Stripe, intent: str) -> int:
    return len((await stripe.client.v1.refunds.list_async({"payment_intent": intent})).data)


@pytest.mark.parametrize("after_stripe_answered", [False, True], ids=["before-the-call", "after-the-call"])
async def test_a_crash_during_the_refund_of_a_late_payment_is_resumed_and_refunds_once(
    stripe: Stripe, world: World, monkeypatch: pytest.MonkeyPatch, after_stripe_answered: bool
) -> None:
    cancelled, intent = await paid_after_cancelling(stripe, world)
    crash(monkeypatch, stripe.client.v1.refunds, "create_async", after_stripe_answered=after_stripe_answered)
    with pytest.raises(Crash):
        await stripe.webhook(intent)
    monkeypatch.undo()
    await later()
    # Recorded before the call: nothing is forgotten, and reconcile names the claim meanwhile.
    assert any(f"claim {cancelled.id}" in p for p in await reconcile(stripe.client))

    # Two app processes run the job at the same moment.
    taken = await asyncio.gather(resume_stale_calls(stripe.client), resume_stale_calls(stripe.client))
    assert sorted(taken) == [0, 1]

    payment = await Payment.get(claim_id=cancelled.id)
    assert (payment.status, payment.amount_refunded) == (PaymentStatus.REFUNDED, payment.amount)
    assert await refunds_at_stripe(stripe, intent) == 1
    assert (await Claim.get(id=cancelled.id)).status == ClaimStatus.CANCELLED
    assert await LedgerEntry.filter(claim_id=cancelled.id, kind="capture").count() == 0
    assert await reconcile(stripe.client) == []


async def test_a_refund_cut_off_by_a_crash_is_never_made_twice_when_the_secretariat_tries_again(
    stripe: Stripe, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = await approved_claim(world)
    started = await start_claim_payment(actor=sme(world), claim_id=approved.id, payment_method="pm_card_visa")
    assert started.payment is not None and started.payment.stripe_payment_intent
    intent = started.payment.stripe_payment_intent
    await stripe.webhook(intent)
    crash(monkeypatch, stripe.client.v1.refunds, "create_async", after_stripe_answered=True)
    with pytest.raises(Crash):
        await refund_claim(actor=admin(world), claim_id=approved.id, reason="계약 취소")
    monkeypatch.undo()
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID

    refunded = await refund_claim(actor=admin(world), claim_id=approved.id, reason="계약 취소")
    await later()
    assert await resume_stale_calls(stripe.client) == 0

    assert refunded.status == ClaimStatus.REFUNDED
    assert await refunds_at_stripe(stripe, intent) == 1
    assert await LedgerEntry.filter(claim_id=approved.id, kind="refund").count() == 1
    assert await reconcile(stripe.client) == []


async def test_an_app_process_killed_while_stripe_charges_the_card_leaves_a_claim_the_job_settles(
    stripe: Stripe, world: World, db: Any
) -> None:
    approved = await approved_claim(world)
    # Stripe charges the card, and its answer never comes back: the process is killed waiting for it.
    stripe.proxy.hold.add("/confirm")
    assert stripe.settings.stripe is not None
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.dying_payment",
        db.url,
        stripe.settings.stripe.api_base or "",
        str(approved.id),
        world.hanbit_rep.email,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.wait_for(stripe.proxy.held.wait(), timeout=60)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL
    stripe.proxy.hold.clear()
    assert (await Claim.get(id=approved.id)).status == ClaimStatus.APPROVED

    await later()
    assert await resume_stale_calls(stripe.client) == 1

    assert (await Claim.get(id=approved.id)).status == ClaimStatus.PAID
    assert stripe.proxy.posts_to("/confirm") == 1
    assert await LedgerEntry.filter(claim_id=approved.id, kind="capture").count() == 1
    assert await reconcile(stripe.client) == []
