"""A sponsor sees an SME's self-diagnosis results only through an active partnership, and only while shared.

Every door that reads diagnosis data is asked the same questions: the partner list (column, level
filter, weakest-first order, CSV), the partner's page, the result and history pages, and GraphQL.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.diagnosis import taking as diagnosis
from server.diagnosis.areas import VERSION_2, answers_by_area
from server.models import Partnership, PartnershipStatus, RoleKind
from tests.support.costs import acting
from tests.support.graphql import gql
from tests.support.pages import sign_in_as
from tests.support.world import World

ALL_ZERO = dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 0)

READ = """{
  everyone: partners(orderBy: NAME) { nodes { sme { nameKo diagnosedAt diagnosisLevel sharesDiagnosis } } }
  atRisk: partners(diagnosisLevel: AT_RISK) { totalCount }
  weakest: partners(orderBy: WEAKEST_FIRST) { totalCount }
  organizations(kind: SME) { nodes { nameKo diagnosedAt diagnosisLevel } }
}"""
ONE = "query($id: Int!) { diagnosis(id: $id) { level } }"
HISTORY = "query($sme: Int!) { diagnoses(smeId: $sme) { totalCount } }"


async def _hanbit_diagnosed(world: World, *, shared: bool) -> int:
    rep = acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE)
    done = await diagnosis.submit(actor=rep, answers=answers_by_area(VERSION_2, ALL_ZERO))
    await diagnosis.set_sharing(actor=rep, shared=shared)
    return done.id


async def _what_samsung_sees(client: httpx.AsyncClient, world: World, diagnosis_id: int) -> dict[str, Any]:
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    partnership = await Partnership.get(conglomerate_id=world.samsung.id, sme_id=world.hanbit.id)
    ids = {"sme": world.hanbit.id, "id": diagnosis_id}
    data = await gql(client, READ)
    one = (await client.post("/graphql", json={"query": ONE, "variables": {"id": diagnosis_id}})).json()
    history = (await client.post("/graphql", json={"query": HISTORY, "variables": ids})).json()
    listing = (await client.get("/partners")).text
    detail = (await client.get(f"/partners/{partnership.id}")).text
    csv = (await client.get("/partners/export.csv?level=at_risk")).content.decode("utf-8-sig")
    return {
        "list": data["everyone"]["nodes"][0]["sme"],
        "organization": data["organizations"]["nodes"][0],
        "at_risk": data["atRisk"]["totalCount"],
        "weakest": data["weakest"]["totalCount"],
        "result": one.get("data") and one["data"]["diagnosis"],
        "history": history.get("data") and history["data"]["diagnoses"]["totalCount"],
        "page_level": "위험 (0.0)" in listing or "위험, 0.0" in detail,
        "page_taken": "진단 완료 (비공개)" in listing,
        "page_filter": "한빛정밀" in (await client.get("/partners?level=at_risk")).text,
        "csv_filter": "한빛정밀" in csv,
        "result_page": (await client.get(f"/diagnosis/{diagnosis_id}")).status_code,
        "history_page": (await client.get(f"/diagnosis/history?sme={world.hanbit.id}")).status_code,
    }


NOTHING = {
    "list": {"nameKo": "한빛정밀", "diagnosedAt": None, "diagnosisLevel": None, "sharesDiagnosis": False},
    "organization": {"nameKo": "한빛정밀", "diagnosedAt": None, "diagnosisLevel": None},
    "at_risk": 0,
    "weakest": 0,
    "result": None,
    "history": None,
    "page_level": False,
    "page_taken": False,
    "page_filter": False,
    "csv_filter": False,
    "result_page": 404,
    "history_page": 404,
}


@pytest.mark.parametrize("status", [PartnershipStatus.INVITED, PartnershipStatus.ENDED])
async def test_an_invited_or_ended_sponsor_sees_nothing_of_a_sharing_smes_diagnosis(
    client: httpx.AsyncClient, world: World, status: PartnershipStatus
) -> None:
    diagnosis_id = await _hanbit_diagnosed(world, shared=True)
    await Partnership.filter(conglomerate_id=world.samsung.id, sme_id=world.hanbit.id).update(status=status)
    assert await _what_samsung_sees(client, world, diagnosis_id) == NOTHING


async def test_an_active_sponsor_of_an_sme_that_does_not_share_learns_only_that_it_took_the_diagnosis(
    client: httpx.AsyncClient, world: World
) -> None:
    diagnosis_id = await _hanbit_diagnosed(world, shared=False)
    seen = await _what_samsung_sees(client, world, diagnosis_id)
    assert seen["list"]["diagnosedAt"] and seen["organization"]["diagnosedAt"]
    taken = {**NOTHING, "page_taken": True}
    taken["list"] = {**NOTHING["list"], "diagnosedAt": seen["list"]["diagnosedAt"]}  # type: ignore[dict-item]
    taken["organization"] = {**NOTHING["organization"], "diagnosedAt": seen["list"]["diagnosedAt"]}  # type: ignore[dict-item]
    assert seen == taken


async def test_an_active_sponsor_of_a_sharing_sme_sees_its_results_everywhere(
    client: httpx.AsyncClient, world: World
) -> None:
    diagnosis_id = await _hanbit_diagnosed(world, shared=True)
    seen = await _what_samsung_sees(client, world, diagnosis_id)
    assert seen["list"]["diagnosisLevel"] == "AT_RISK" and seen["list"]["sharesDiagnosis"]
    assert seen["organization"]["diagnosisLevel"] == "AT_RISK"
    assert (seen["at_risk"], seen["weakest"], seen["result"], seen["history"]) == (
        1,
        1,
        {"level": "AT_RISK"},
        1,
    )
    assert seen["page_level"] and seen["page_filter"] and seen["csv_filter"]
    assert (seen["result_page"], seen["history_page"]) == (200, 200)


async def test_the_secretariats_statistics_are_closed_to_coordinators(
    client: httpx.AsyncClient, world: World
) -> None:
    await _hanbit_diagnosed(world, shared=True)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = await client.post("/graphql", json={"query": "{ diagnosisStatistics { smes } }"})
    assert refused.json()["data"] is None
    assert (await client.get("/diagnosis/statistics")).status_code in (403, 404)
