"""`club reconcile` finds every disagreement between the figures, the ledger, the claims and payments."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from server.models import Claim, Commitment, Payment, PaymentStatus, RoleKind
from server.money.claims import approve_claim
from server.money.payments import stripe_client
from server.money.reconcile import check_books, reconcile
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment
from tests.support.stripe_events import deliver, intent_event
from tests.support.world import World
from tests.test_payments import charged_out_of_reach


@pytest.mark.corrupts_books
async def test_reconcile_reports_figures_that_do_not_match_the_ledger(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    assert await check_books() == []

    # Someone edits the database by hand: the figures and a claim's state no longer follow the ledger.
    await Commitment.filter(id=pledge.id).update(reserved=0)
    await Claim.filter(id=submitted.id).update(status="paid", payment_method="transfer")
    problems = await check_books()
    assert any(f"commitment {pledge.id}: figures" in p for p in problems)
    assert any(
        f"claim {submitted.id} (paid): ledger holds reserved 210000, captured 0" in p for p in problems
    )
    assert any(f"claim {submitted.id}: 0 successful transfer payments" in p for p in problems)


@pytest.mark.corrupts_books
async def test_the_command_exits_non_zero_when_the_books_disagree(world: World, db: object) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    environment = {**os.environ, "DATABASE_URL": db.url, "CLUB_ENV": "development"}  # type: ignore[attr-defined]
    environment.pop("STRIPE_SECRET_KEY", None)
    command = [sys.executable, "-m", "web.cli", "reconcile"]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=60, check=False
        )

    clean = await asyncio.to_thread(run)
    assert clean.returncode == 0 and "The books agree." in clean.stdout
    await Commitment.filter(id=pledge.id).update(budget=2_000_000)
    dirty = await asyncio.to_thread(run)
    assert (
        dirty.returncode == 1
        and "1 disagreement." in dirty.stdout
        and f"commitment {pledge.id}" in dirty.stdout
    )


async def _paid_by_card(client: httpx.AsyncClient, settings: Settings, world: World) -> tuple[Claim, str]:
    assert settings.stripe is not None
    approved, intent = await charged_out_of_reach(client, world)
    await deliver(client, settings.stripe.webhook_secret, intent_event(intent))
    return approved, intent


@pytest.mark.corrupts_books
async def test_reconcile_names_each_claim_whose_money_is_not_where_stripe_says(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stripe_settings.stripe is not None
    client = stripe_client(stripe_settings.stripe)
    refunded_unnoticed, intent = await _paid_by_card(paying_client, stripe_settings, world)
    in_order, _ = await _paid_by_card(paying_client, stripe_settings, world)
    vanished, _ = await _paid_by_card(paying_client, stripe_settings, world)
    kept_the_money, late = await charged_out_of_reach(paying_client, world)
    assert await reconcile(client) == []

    # Refunded in Stripe's dashboard, no event reached us.
    await client.v1.refunds.create_async({"payment_intent": intent})
    # A payment our books hold whose PaymentIntent Stripe does not know.
    await Payment.filter(claim_id=vanished.id).update(stripe_payment_intent="pi_nowhere_at_stripe")
    # The SME withdrew, the late payment was counted, and it was never given back.
    await Claim.filter(id=kept_the_money.id).update(
        status="cancelled", sponsor_share=0, sme_share=kept_the_money.list_price
    )
    await Payment.filter(stripe_payment_intent=late).update(status=PaymentStatus.SUCCEEDED)
    # Stripe's lists are read page by page: small pages make this test cross several.
    monkeypatch.setattr("server.money.reconcile.PAGE", 2)

    problems = await reconcile(client)
    named = {
        claim.id
        for claim in (refunded_unnoticed, vanished, kept_the_money)
        if any(f"claim {claim.id} " in p or f"claim {claim.id}," in p for p in problems)
    }
    assert named == {refunded_unnoticed.id, vanished.id, kept_the_money.id}
    assert not any(f"claim {in_order.id}," in p or f"claim {in_order.id} " in p for p in problems)


@pytest.mark.corrupts_books
async def test_the_command_checks_stripe_and_exits_non_zero_naming_the_claim(
    paying_client: httpx.AsyncClient, stripe_settings: Settings, world: World, db: object
) -> None:
    assert stripe_settings.stripe is not None
    config = stripe_settings.stripe
    paid, intent = await _paid_by_card(paying_client, stripe_settings, world)
    environment = {
        **os.environ,
        "DATABASE_URL": db.url,  # type: ignore[attr-defined]
        "CLUB_ENV": "development",
        "STRIPE_SECRET_KEY": config.secret_key,
        "STRIPE_WEBHOOK_SECRET": config.webhook_secret,
        "STRIPE_API_BASE": config.api_base or "",
    }

    def run() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "web.cli", "reconcile"]
        return subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=60, check=False
        )

    clean = await asyncio.to_thread(run)
    assert clean.returncode == 0 and "The books agree." in clean.stdout, clean.stdout + clean.stderr
    await stripe_client(config).v1.refunds.create_async({"payment_intent": intent})
    dirty = await asyncio.to_thread(run)
    assert dirty.returncode == 1 and f"claim {paid.id} (paid)" in dirty.stdout
