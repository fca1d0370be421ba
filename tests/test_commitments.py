"""A coordinator pledges a budget; SMEs see what they may claim; the secretariat keeps the catalogue."""

from __future__ import annotations

import httpx

from server.models import AuditEntry, Commitment, LedgerEntry, LedgerEntryKind, ServiceCode, SupplierTier
from tests.support.costs import claim, commitment, service, today
from tests.support.graphql import gql, sign_in
from tests.support.queries import QueryCounter
from tests.support.world import World

CREATE = """
mutation Create($input: CommitmentInput!) {
  createCommitment(input: $input) {
    commitment { id status budget reserved captured remaining sharePercent capPerClaim eligibleTiers
                 services { code } conglomerate { nameKo } }
    errors { field code message }
  }
}
"""
FIGURES = "commitment { id status budget reserved captured remaining }"
ACTIVATE = f"mutation($id: Int!) {{ activateCommitment(commitmentId: $id) {{ {FIGURES} errors {{ field code message }} }} }}"
TOP_UP = f"mutation($id: Int!, $amount: Won!) {{ topUpCommitment(commitmentId: $id, amount: $amount) {{ {FIGURES} errors {{ field code message }} }} }}"
CLOSE = f"mutation($id: Int!) {{ closeCommitment(commitmentId: $id) {{ {FIGURES} errors {{ field code message }} }} }}"
COMMITMENTS = """
query { commitments { totalCount nodes { id name status quotes { service { code } listPrice sponsorShare smeShare } } } }
"""


async def _input(**changes: object) -> dict[str, object]:
    escrow = await service(ServiceCode.ESCROW_NEW)
    renewal = await service(ServiceCode.ESCROW_RENEWAL)
    return {
        "name": "2027년 협력사 임치 지원",
        "periodStart": str(today()),
        "periodEnd": str(today().replace(year=today().year + 1)),
        "serviceIds": [escrow.id, renewal.id],
        "sharePercent": 70,
        "budget": 5_000_000_000,
        "capPerClaim": 200_000,
        "eligibleTiers": ["FIRST", "SECOND"],
        **changes,
    }


async def test_a_coordinator_drafts_activates_tops_up_and_closes_a_commitment(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    created = (await gql(client, CREATE, {"input": await _input()}))["createCommitment"]
    assert created["errors"] == []
    draft = created["commitment"]
    # Five billion won: past GraphQL's 32-bit Int, carried by the Won scalar.
    assert draft["status"] == "DRAFT" and draft["budget"] == 5_000_000_000 == draft["remaining"]
    assert draft["eligibleTiers"] == ["FIRST", "SECOND"] and draft["conglomerate"]["nameKo"] == "삼성전자"
    assert [s["code"] for s in draft["services"]] == ["ESCROW_NEW", "ESCROW_RENEWAL"]

    active = (await gql(client, ACTIVATE, {"id": draft["id"]}))["activateCommitment"]["commitment"]
    assert active["status"] == "ACTIVE"
    topped = (await gql(client, TOP_UP, {"id": draft["id"], "amount": 1_000_000}))["topUpCommitment"]
    assert topped["commitment"]["budget"] == 5_001_000_000
    closed = (await gql(client, CLOSE, {"id": draft["id"]}))["closeCommitment"]["commitment"]
    assert closed["status"] == "CLOSED"
    again = (await gql(client, TOP_UP, {"id": draft["id"], "amount": 1}))["topUpCommitment"]
    assert again["errors"][0]["code"] == "INVALID_STATE"

    entries = await LedgerEntry.filter(commitment_id=draft["id"]).order_by("id").values_list("kind", "amount")
    assert entries == [(LedgerEntryKind.BUDGET, 5_000_000_000), (LedgerEntryKind.BUDGET, 1_000_000)]
    actions = (
        await AuditEntry.filter(record_type="Commitment").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["commitment.create", "commitment.activate", "commitment.top_up", "commitment.close"]


async def test_a_commitment_with_bad_terms_is_refused_field_by_field_and_nothing_is_written(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    bad = await _input(
        name=" ",
        sharePercent=0,
        budget=0,
        serviceIds=[],
        eligibleTiers=[],
        periodEnd=str(today().replace(year=today().year - 1)),
    )
    errors = (await gql(client, CREATE, {"input": bad}))["createCommitment"]["errors"]
    assert {e["field"]: e["code"] for e in errors} == {
        "name": "REQUIRED",
        "periodEnd": "INVALID",
        "serviceIds": "REQUIRED",
        "sharePercent": "INVALID",
        "budget": "INVALID",
        "eligibleTiers": "REQUIRED",
    }
    assert await Commitment.all().count() == 0 and await LedgerEntry.all().count() == 0
    fraction = await client.post(
        "/graphql", json={"query": CREATE, "variables": {"input": await _input(budget=1.5)}}
    )
    assert "Won is a whole number" in fraction.text


async def test_an_sme_sees_only_the_active_commitments_it_is_eligible_for_with_what_it_would_pay(
    client: httpx.AsyncClient, world: World
) -> None:
    eligible = await commitment(world.samsung_coordinator, share_percent=70, cap_per_claim=200_000)
    await commitment(world.samsung_coordinator, active=False)  # a draft
    await commitment(world.samsung_coordinator, tiers=(SupplierTier.SECOND,))  # Hanbit is 1st tier
    await commitment(world.lg_coordinator)  # not Hanbit's sponsor

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    data = await gql(client, COMMITMENTS)
    assert data["commitments"]["totalCount"] == 1
    [seen] = data["commitments"]["nodes"]
    assert seen["id"] == eligible.id
    quotes = {
        q["service"]["code"]: (q["listPrice"], q["sponsorShare"], q["smeShare"]) for q in seen["quotes"]
    }
    # 70 % of 300,000 is 210,000, capped at 200,000; of 150,000 it is 105,000; the guard service is free.
    assert quotes == {
        "ESCROW_NEW": (300_000, 200_000, 100_000),
        "ESCROW_RENEWAL": (150_000, 105_000, 45_000),
        "GUARD_SUBSCRIPTION": (0, 0, 0),
    }


async def test_another_conglomerate_cannot_see_or_touch_a_commitment(
    client: httpx.AsyncClient, world: World
) -> None:
    samsung = await commitment(world.samsung_coordinator, active=False)
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    for mutation in (ACTIVATE, CLOSE):
        payload = next(iter((await gql(client, mutation, {"id": samsung.id})).values()))
        assert payload["errors"][0]["code"] == "NOT_FOUND"
    response = await client.post("/graphql", json={"query": f"{{ commitment(id: {samsung.id}) {{ id }} }}"})
    assert response.json()["data"] == {"commitment": None}
    assert (await Commitment.get(id=samsung.id)).status == "draft"


async def test_a_commitment_with_open_claims_cannot_be_closed(
    client: httpx.AsyncClient, world: World
) -> None:
    active = await commitment(world.samsung_coordinator)
    await claim(world.hanbit_rep, active)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    payload = (await gql(client, CLOSE, {"id": active.id}))["closeCommitment"]
    assert payload["errors"][0]["code"] == "INVALID_STATE" and payload["commitment"] is None


PRICE = """
mutation($id: Int!, $price: Won!) {
  setServicePrice(serviceId: $id, listPrice: $price) { service { code listPrice } errors { field code } }
}
"""


async def test_only_the_secretariat_changes_a_price(client: httpx.AsyncClient, world: World) -> None:
    escrow = await service(ServiceCode.ESCROW_NEW)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    refused = (await gql(client, PRICE, {"id": escrow.id, "price": 1}))["setServicePrice"]
    assert refused["errors"] == [{"field": None, "code": "FORBIDDEN"}]

    await sign_in(client, world.admin.email, world.admin.password)
    changed = (await gql(client, PRICE, {"id": escrow.id, "price": 330_000}))["setServicePrice"]
    assert changed["service"] == {"code": "ESCROW_NEW", "listPrice": 330_000}
    negative = (await gql(client, PRICE, {"id": escrow.id, "price": -5}))["setServicePrice"]
    assert negative["errors"] == [{"field": "listPrice", "code": "INVALID"}]
    assert (await service(ServiceCode.ESCROW_NEW)).list_price == 330_000


async def test_the_commitment_list_runs_a_fixed_number_of_queries_whatever_its_length(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    query = """{ commitments(first: 50) { totalCount nodes { id name remaining conglomerate { nameKo }
                 services { code } quotes { service { code } smeShare } } } }"""
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    counts = []
    for total in (2, 6):
        while await Commitment.all().count() < total:
            await commitment(world.samsung_coordinator)
        queries.reset()
        data = await gql(client, query)
        assert data["commitments"]["totalCount"] == total
        assert all(len(node["quotes"]) == 3 for node in data["commitments"]["nodes"])
        counts.append(queries.count)
    assert counts[0] == counts[1] <= 8, queries.statements
