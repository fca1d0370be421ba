"""The dashboards answer at a glance: the secretariat sees the club's money by conglomerate and this month's
claims and seminars; an SME sees its diagnosis level, its escrow contracts with their end dates and renewal,
and its open claims. Each runs a fixed number of statements whatever the club's size."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from server.models import RoleKind, ServiceCode
from server.money.claim_fulfilment import Fulfilment, fulfill_claim
from server.money.claims import approve_claim
from server.reports.dashboards import sme_protection
from tests.support.club_year import club_year
from tests.support.costs import acting, claim, commitment, pay_by_transfer, sme_partner, today
from tests.support.pages import sign_in_as
from tests.support.queries import QueryCounter
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")

SECRETARIAT_DASHBOARD = (
    12  # actor, roles, claim counts, 5 club figures, open applications, money, month's claims and seminars
)
SME_DASHBOARD = 6  # actor, roles, claim counts, partnerships, latest diagnosis, its escrow and open claims


async def test_the_secretariat_s_dashboard_shows_the_club_s_money_and_month_in_fixed_statements(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    await sign_in_as(client, world.admin.email, world.admin.password)
    queries.reset()
    assert (await client.get("/")).status_code == 200
    empty = queries.count
    await club_year(world)
    queries.reset()
    page = await client.get("/")
    assert queries.count == empty == SECRETARIAT_DASHBOARD
    # Samsung's ₩3,000,000 and LG's ₩2,000,000: ₩510,000 spent, ₩105,000 reserved.
    assert 'id="money-committed">5,000,000원<' in page.text
    assert 'id="money-spent">510,000원<' in page.text
    assert 'id="money-remaining">4,385,000원<' in page.text
    assert page.text.index("삼성전자") < page.text.index("LG전자")  # the largest budget first
    # Five claims were submitted this month; the co-hosted seminar is in ten days, this month or the next.
    assert "이번 달" in page.text and "신청 5건" in page.text


async def test_an_sme_s_dashboard_shows_its_level_contracts_with_renewal_and_open_claims(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    year = await club_year(world)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    ends = today() + timedelta(days=40)
    await fulfill_claim(
        actor=secretariat,
        claim_id=year.paid.id,
        fulfilment=Fulfilment("KEA-2026-0117", contract_ends_on=ends),
    )
    protection = await sme_protection(acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE))
    [contract] = protection.contracts
    # Hanbit already claimed the renewal (approved, not yet paid): the contract shows it as claimed.
    assert (contract.ends_on, contract.state, contract.renewal and contract.renewal.id) == (
        ends,
        "renewal_claimed",
        year.approved.id,
    )
    assert [c.id for c in protection.open_claims] == [year.approved.id]
    assert protection.diagnosis is not None and protection.diagnosis.level == "at_risk"

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    queries.reset()
    page = await client.get("/")
    assert queries.count == SME_DASHBOARD
    assert "KEA-2026-0117" in page.text and ends.isoformat() in page.text
    assert "위험" in page.text and "갱신 신청됨" in page.text
    assert f'href="/claims/{year.approved.id}"' in page.text


async def test_an_escrow_contract_without_a_renewal_is_due_within_sixty_days_of_its_end(world: World) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    sme = await sme_partner(world.samsung, "동진정밀", "216860001")
    contract = await claim(sme, pledge, ServiceCode.ESCROW_NEW)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=contract.id)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    await pay_by_transfer(secretariat, contract.id)
    await fulfill_claim(
        actor=secretariat,
        claim_id=contract.id,
        fulfilment=Fulfilment("KEA-1", contract_ends_on=today() + timedelta(days=59)),
    )
    [due] = (await sme_protection(acting(sme, RoleKind.SME_REPRESENTATIVE))).contracts
    assert due.state == "due" and due.renewal is None
