"""`club reconcile` finds every disagreement between the figures, the ledger, the claims and payments."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from server.claims import approve_claim
from server.models import Claim, Commitment, RoleKind
from server.reconcile import check_books
from tests.support.costs import acting, claim, commitment
from tests.support.world import World


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
    command = [sys.executable, "-m", "server.cli", "reconcile"]

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
