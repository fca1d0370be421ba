"""`clubReport` and `sponsorEvidenceReport` through /graphql: the same figures as the domain, and a sponsor
never reaches another conglomerate's figures, whatever it asks for."""

from __future__ import annotations

import httpx
import pytest

from tests.support.club_year import club_year
from tests.support.costs import today
from tests.support.graphql import gql, gql_errors, sign_in
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")

FIGURES = """{ committed reserved remaining spent smesSupported claims sponsorSharePercent seminars
  registrations attended claimsByService { serviceCode claims listPrice sponsorShare }
  levels { level smes } }"""
CLUB = (
    """query($from: Date, $to: Date) { clubReport(firstDay: $from, lastDay: $to) {
  period { firstDay lastDay } previousPeriod { firstDay lastDay }
  conglomerates { conglomerate { nameKo } current FIGURES previous { spent } }
  total FIGURES previousTotal { spent } } }"""
).replace("FIGURES", FIGURES)
SPONSOR = (
    """query($after: String) { sponsorEvidenceReport {
  conglomerate { nameKo } current FIGURES clubTotal { spent levels { smes } }
  partners(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { nameKo tier claims sponsorShare attended diagnosisLevel } edges { cursor node { nameKo } } } } }"""
).replace("FIGURES", FIGURES)


async def test_the_secretariat_reads_the_club_report_with_each_conglomerate_and_the_totals(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await sign_in(client, world.admin.email, world.admin.password)
    year = today().year
    report = (await gql(client, CLUB, {"from": f"{year}-01-01", "to": f"{year}-12-31"}))["clubReport"]
    assert report["period"] == {"firstDay": f"{year}-01-01", "lastDay": f"{year}-12-31"}
    assert report["previousPeriod"] == {"firstDay": f"{year - 1}-01-01", "lastDay": f"{year - 1}-12-31"}
    lines = {line["conglomerate"]["nameKo"]: line["current"] for line in report["conglomerates"]}
    samsung = lines["삼성전자"]
    assert (samsung["spent"], samsung["reserved"], samsung["sponsorSharePercent"]) == (
        210_000,
        105_000,
        "70.0",
    )
    assert samsung["claimsByService"] == [
        {"serviceCode": "escrow_new", "claims": 1, "listPrice": 300_000, "sponsorShare": 210_000},
        {"serviceCode": "guard_subscription", "claims": 1, "listPrice": 0, "sponsorShare": 0},
    ]
    assert {"level": "AT_RISK", "smes": 2} in samsung["levels"]
    assert report["total"]["spent"] == 510_000 and report["previousTotal"]["spent"] == 0


async def test_a_sponsor_reads_its_own_evidence_page_by_page_and_nothing_of_another_conglomerate(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    report = (await gql(client, SPONSOR))["sponsorEvidenceReport"]
    assert report["conglomerate"]["nameKo"] == "삼성전자"
    assert report["current"]["spent"] == 210_000
    assert report["clubTotal"] == {"spent": 510_000, "levels": None}
    first = report["partners"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    assert first["nodes"] == [
        {
            "nameKo": "세진테크",
            "tier": "FIRST",
            "claims": 1,
            "sponsorShare": 0,
            "attended": 0,
            "diagnosisLevel": None,
        }
    ]
    assert first["edges"] == [{"cursor": first["pageInfo"]["endCursor"], "node": {"nameKo": "세진테크"}}]
    after = first["pageInfo"]["endCursor"]
    second = (await gql(client, SPONSOR, {"after": after}))["sponsorEvidenceReport"]["partners"]["nodes"]
    assert second == [
        {
            "nameKo": "한빛정밀",
            "tier": "FIRST",
            "claims": 1,
            "sponsorShare": 210_000,
            "attended": 1,
            "diagnosisLevel": "AT_RISK",
        }
    ]
    # No argument names another conglomerate, and the club's report is closed to a sponsor.
    [unknown] = await gql_errors(
        client, f"{{ sponsorEvidenceReport(conglomerateId: {world.lg.id}) {{ current {{ spent }} }} }}"
    )
    assert unknown["extensions"]["code"] == "INVALID"
    [refused] = await gql_errors(client, "{ clubReport { total { spent } } }")
    assert refused["extensions"]["code"] == "FORBIDDEN"
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    lg = (await gql(client, SPONSOR))["sponsorEvidenceReport"]
    assert lg["conglomerate"]["nameKo"] == "LG전자" and lg["current"]["spent"] == 300_000
    assert [n["nameKo"] for n in lg["partners"]["nodes"]] == ["동해소재"]


async def test_a_period_that_ends_before_it_begins_is_an_invalid_request(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    [error] = await gql_errors(client, CLUB, {"from": "2026-03-01", "to": "2026-02-01"})
    assert error["extensions"]["code"] == "INVALID"
