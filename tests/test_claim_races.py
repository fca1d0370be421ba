"""Many people pressing the same buttons at once, on real concurrent PostgreSQL connections.

SQLite serialises every write, so it proves nothing here: these run in the
PostgreSQL pass of `make test`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest

from server.models import Claim, ClaimStatus, Commitment, RoleKind, ServiceCode
from server.money.claims import approve_claim, cancel_claim, submit_claim
from server.money.reconcile import check_books
from server.platform.errors import DomainError
from tests.support.costs import (
    ESCROW_MATERIAL,
    acting,
    claim,
    commitment,
    original_contract,
    service,
    sme_partner,
)
from tests.support.world import Person, World

pytestmark = pytest.mark.postgres_only

SHARE = 210_000  # 70 % of an escrow's 300,000


async def partners(world: World, count: int) -> list[Person]:
    return [await sme_partner(world.samsung, f"동시협력사{i}", f"3128{i:05d}") for i in range(count)]


def outcomes(results: list[Any]) -> Counter[str]:
    """What each call ended in: a claim state, or the code of the refusal."""
    counted: Counter[str] = Counter()
    for result in results:
        if isinstance(result, Claim):
            counted[result.status.value] += 1
        elif isinstance(result, DomainError):
            counted[result.errors[0].code.value] += 1
        else:
            raise result
    return counted


async def test_fifty_approvals_at_once_against_a_budget_for_twenty_never_overspend(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=20 * SHARE, share_percent=70)
    submitted = [await claim(rep, pledge) for rep in await partners(world, 50)]
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)

    started = time.perf_counter()
    results = await asyncio.gather(
        *(approve_claim(actor=coordinator, claim_id=c.id) for c in submitted), return_exceptions=True
    )
    elapsed = time.perf_counter() - started

    assert outcomes(results) == {"approved": 20, "budget_exhausted": 30}
    after = await Commitment.get(id=pledge.id)
    assert (after.budget, after.reserved, after.captured) == (20 * SHARE, 20 * SHARE, 0)
    assert await Claim.filter(status=ClaimStatus.APPROVED, sponsor_share=SHARE).count() == 20
    assert await check_books() == []
    print(f"\n50 concurrent approvals, budget for 20: 20 approved, 30 refused in {elapsed:.2f} s")


async def test_fifty_submissions_cancellations_and_approvals_at_once_leave_the_ledger_consistent(
    world: World,
) -> None:
    pledge = await commitment(
        world.samsung_coordinator, budget=12 * SHARE, share_percent=70, max_claims_per_sme=1
    )
    reps = await partners(world, 35)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    waiting = [await claim(rep, pledge) for rep in reps[:15]]
    approved = [await claim(rep, pledge) for rep in reps[15:25]]
    for c in approved:
        await approve_claim(actor=coordinator, claim_id=c.id)
    escrow, renewal = await service(ServiceCode.ESCROW_NEW), await service(ServiceCode.ESCROW_RENEWAL)
    for rep in reps[25:35]:
        await original_contract(rep)  # so that a renewal is refused only by the limit

    def submit(rep: Person, service_id: int) -> Any:
        return submit_claim(
            actor=acting(rep, RoleKind.SME_REPRESENTATIVE),
            commitment_id=pledge.id,
            service_id=service_id,
            details=ESCROW_MATERIAL,
        )

    def cancel(rep: Person, claim_id: int) -> Any:
        return cancel_claim(actor=acting(rep, RoleKind.SME_REPRESENTATIVE), claim_id=claim_id)

    operations = [
        *(approve_claim(actor=coordinator, claim_id=c.id) for c in waiting),  # 15 approvals
        *(cancel(rep, c.id) for rep, c in zip(reps[:5], waiting[:5], strict=True)),  # racing those approvals
        *(cancel(rep, c.id) for rep, c in zip(reps[15:25], approved, strict=True)),  # 10 releases
        *(
            submit(rep, s.id) for rep in reps[25:35] for s in (escrow, renewal)
        ),  # 20 submissions, 1 each allowed
    ]
    assert len(operations) == 50
    started = time.perf_counter()
    results = await asyncio.gather(*operations, return_exceptions=True)
    elapsed = time.perf_counter() - started

    seen = outcomes(results)
    # Each of ten SMEs raced two claims against a limit of one: exactly one got through.
    assert seen["limit_reached"] == 10
    assert await Claim.filter(sme_id__in=[r.organization.id for r in reps[25:35]]).count() == 10
    # Each of the five contested claims ended either cancelled or approved, never both.
    contested = await Claim.filter(id__in=[c.id for c in waiting[:5]]).values_list("status", flat=True)
    assert all(status in (ClaimStatus.CANCELLED, ClaimStatus.APPROVED) for status in contested)
    after = await Commitment.get(id=pledge.id)
    assert after.reserved + after.captured <= after.budget
    reserved = sum(await Claim.filter(status=ClaimStatus.APPROVED).values_list("sponsor_share", flat=True))
    assert after.reserved == reserved
    assert await check_books() == []
    print(
        f"\n50 mixed concurrent operations in {elapsed:.2f} s: {dict(seen)}; reserved {after.reserved} of {after.budget}"
    )
