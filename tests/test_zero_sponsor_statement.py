"""A claim whose sponsor share came to ₩0 still shows on the sponsor's monthly statement, at ₩0.

The sponsor sees that its partner used the service; no ledger entry exists for a ₩0 share, and the
statement's sponsor total stays what the ledger captured less what it refunded in the month.
"""

from __future__ import annotations

import csv
import io

import httpx

from server.models import Claim, ClaimStatus, LedgerEntry, PaymentMethod, RoleKind, ServiceCode
from server.money.catalogue import set_service_price
from server.money.claims import approve_claim
from server.money.payments import refund_claim
from server.money.statements import sponsor_statement
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment, pay_by_transfer, service, sme_partner, today
from tests.support.pages import sign_in_as
from tests.support.world import World


async def ledger_spend(conglomerate_id: int) -> int:
    """Captures less refunds, from the ledger alone."""
    entries = await LedgerEntry.filter(
        commitment__conglomerate_id=conglomerate_id, kind__in=["capture", "refund"]
    ).values_list("kind", "amount")
    return sum(amount if kind == "capture" else -amount for kind, amount in entries)


async def test_a_claim_the_sponsor_pays_nothing_for_is_on_its_statement_at_zero(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    # A guard subscription repriced to ₩1: 70 % of it rounds down to a ₩0 sponsor share.
    guard = await service(ServiceCode.GUARD_SUBSCRIPTION)
    await set_service_price(actor=secretariat, service_id=guard.id, list_price=1)
    small = await claim(world.hanbit_rep, pledge, ServiceCode.GUARD_SUBSCRIPTION)
    await approve_claim(actor=coordinator, claim_id=small.id)
    await pay_by_transfer(secretariat, small.id)
    # And an ordinary claim of another partner, paid the same month.
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    usual = await claim(sejin, pledge)
    await approve_claim(actor=coordinator, claim_id=usual.id)
    await pay_by_transfer(secretariat, usual.id)
    zero = await Claim.get(id=small.id)
    assert (zero.sponsor_share, zero.sme_share, zero.status) == (0, 1, ClaimStatus.PAID)
    assert not await LedgerEntry.filter(claim_id=small.id).exists()

    statement = await sponsor_statement(coordinator, month=None)

    lines = {line.claim.id: line for line in statement.lines}
    assert set(lines) == {small.id, usual.id}
    assert (lines[small.id].list_price, lines[small.id].sponsor_share, lines[small.id].sme_share) == (1, 0, 1)
    assert lines[small.id].claim.sme.name_ko == "한빛정밀"
    assert statement.total_sponsor_share == 210_000 == await ledger_spend(world.samsung.id)
    assert statement.total_list_price == 300_001

    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    page = await client.get("/statements")
    assert "한빛정밀" in page.text and "세진테크" in page.text
    download = await client.get(f"/statements.csv?month={today():%Y-%m}")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert [r[2] for r in rows[1:3]] == ["한빛정밀", "세진테크"]
    assert [r[5:8] for r in rows[1:]] == [
        ["1", "0", "1"],
        ["300000", "210000", "90000"],
        ["300001", "210000", "90001"],
    ]


async def test_a_fully_paid_by_the_sme_claim_refunded_shows_its_refund_at_zero_too(
    world: World, settings: Settings
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    guard = await service(ServiceCode.GUARD_SUBSCRIPTION)
    await set_service_price(actor=secretariat, service_id=guard.id, list_price=1)
    small = await claim(world.hanbit_rep, pledge, ServiceCode.GUARD_SUBSCRIPTION)
    await approve_claim(actor=coordinator, claim_id=small.id)
    await pay_by_transfer(secretariat, small.id)
    await refund_claim(actor=secretariat, claim_id=small.id, reason="중복 신청")

    statement = await sponsor_statement(coordinator, month=None)

    assert [
        (line.refund, line.list_price, line.sponsor_share, line.sme_share) for line in statement.lines
    ] == [
        (False, 1, 0, 1),
        (True, -1, 0, -1),
    ]
    assert statement.total_sponsor_share == 0 == await ledger_spend(world.samsung.id)


async def test_a_free_claim_settled_at_approval_is_on_the_statement_of_its_month_only(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000, share_percent=70)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    guard = await service(ServiceCode.GUARD_SUBSCRIPTION)
    await set_service_price(
        actor=acting(world.admin, RoleKind.SECRETARIAT), service_id=guard.id, list_price=0
    )
    free = await claim(world.hanbit_rep, pledge, ServiceCode.GUARD_SUBSCRIPTION)
    await approve_claim(actor=coordinator, claim_id=free.id)
    settled = await Claim.get(id=free.id)
    assert (settled.status, settled.payment_method) == (ClaimStatus.PAID, PaymentMethod.NONE)

    this_month = await sponsor_statement(coordinator, month=None)
    assert [line.claim.id for line in this_month.lines] == [free.id]
    last_year = await sponsor_statement(coordinator, month=f"{today().year - 1}-{today():%m}")
    assert last_year.lines == []
    # Another sponsor's statement does not show it.
    lg = await sponsor_statement(acting(world.lg_coordinator, RoleKind.COORDINATOR), month=None)
    assert lg.lines == []
