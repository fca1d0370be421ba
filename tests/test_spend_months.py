"""A commitment's spend per Seoul month is kept beside the ledger, filled for old entries, and reconciled."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from tortoise.connection import get_connection

from server.models import Commitment, CommitmentMonth, LedgerEntry, LedgerEntryKind, RoleKind
from server.money.claims import approve_claim
from server.money.commitment_figures import MonthlySpend, spend_by_month
from server.money.payments import refund_claim
from server.money.reconcile import check_books
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment, pay_by_transfer, sme_partner, today
from tests.support.world import World


async def test_payments_and_refunds_move_the_spend_of_their_month(world: World, settings: Settings) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000, share_percent=70)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    for rep in (world.hanbit_rep, sejin):
        paid = await claim(rep, pledge)
        await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=paid.id)
        await pay_by_transfer(secretariat, paid.id)
    await refund_claim(actor=secretariat, claim_id=paid.id, reason="계약 취소")

    month = today().strftime("%Y-%m")
    assert await spend_by_month(await Commitment.get(id=pledge.id)) == [MonthlySpend(month, 210_000, 210_000)]
    assert await CommitmentMonth.filter(commitment_id=pledge.id).count() == 1


async def test_upgrading_fills_the_months_of_entries_written_before_they_were_kept(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    entries = [
        (LedgerEntryKind.RESERVE, 150, datetime(2026, 1, 20, tzinfo=UTC)),
        (LedgerEntryKind.CAPTURE, 50, datetime(2026, 1, 31, 14, 30, tzinfo=UTC)),  # 23:30 in Seoul
        (LedgerEntryKind.CAPTURE, 100, datetime(2026, 1, 31, 15, 30, tzinfo=UTC)),  # 1 February in Seoul
        (LedgerEntryKind.REFUND, 30, datetime(2026, 2, 10, tzinfo=UTC)),
    ]
    for kind, amount, at in entries:
        await LedgerEntry.create(commitment_id=pledge.id, kind=kind, amount=amount, created_at=at)
    await Commitment.filter(id=pledge.id).update(captured=120)

    upgrade = importlib.import_module("migrations.0005_spend_by_month")
    await upgrade.fill_months(None, SimpleNamespace(client=get_connection("default")))

    assert await spend_by_month(await Commitment.get(id=pledge.id)) == [
        MonthlySpend("2026-01", 50, 50),
        MonthlySpend("2026-02", 70, 120),
    ]


@pytest.mark.corrupts_books
async def test_reconcile_reports_a_month_that_does_not_match_its_entries(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=100)
    submitted = await claim(world.hanbit_rep, pledge)
    # Nothing left for the SME to pay: captured at approval.
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    assert await check_books() == []

    await CommitmentMonth.filter(commitment_id=pledge.id).update(spent=1)
    month = today().strftime("%Y-%m")
    assert await check_books() == [
        f"commitment {pledge.id}, {month}: spend kept as 1 but the ledger adds up to 300000"
    ]
