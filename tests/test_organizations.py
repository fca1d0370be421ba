"""The secretariat registers organisations, admits members and records the declaration."""

from __future__ import annotations

import httpx

from server.models import AuditEntry, ClubMembership, DeclarationSigning, Organization
from tests.support.graphql import gql, sign_in
from tests.support.world import World

CREATE = """
mutation Create($kind: OrganizationKind!, $nameKo: String!, $number: String!, $nameEn: String) {
  createOrganization(kind: $kind, nameKo: $nameKo, businessNumber: $number, nameEn: $nameEn, sector: "전자") {
    organization { id nameKo businessNumber kind membership { status } }
    errors { field code message }
  }
}
"""


async def test_the_secretariat_registers_a_conglomerate_that_then_applies_for_membership(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(
        client, CREATE, {"kind": "CONGLOMERATE", "nameKo": "현대자동차", "number": "134-86-72683"}
    )
    created = data["createOrganization"]
    assert created["errors"] == []
    assert created["organization"]["businessNumber"] == "134-86-72683"
    assert created["organization"]["membership"] == {"status": "APPLIED"}
    entry = await AuditEntry.get(action="organization.create")
    assert entry.actor_id == world.admin.user.id  # type: ignore[attr-defined]
    assert entry.record_id == str(created["organization"]["id"])


async def test_an_invalid_business_number_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    before = await Organization.all().count()
    data = await gql(client, CREATE, {"kind": "SME", "nameKo": "", "number": "134-86-72684"})
    errors = data["createOrganization"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("nameKo", "REQUIRED"),
        ("businessNumber", "INVALID"),
    }
    assert data["createOrganization"]["organization"] is None
    assert await Organization.all().count() == before


async def test_a_business_number_can_be_registered_only_once(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    existing = world.samsung.business_number
    data = await gql(client, CREATE, {"kind": "CONGLOMERATE", "nameKo": "삼성 복제", "number": existing})
    assert data["createOrganization"]["errors"][0]["code"] == "DUPLICATE"
    assert await Organization.filter(business_number=existing).count() == 1


async def test_only_the_secretariat_registers_organisations(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    data = await gql(client, CREATE, {"kind": "SME", "nameKo": "몰래 등록", "number": "134-86-72683"})
    assert data["createOrganization"]["errors"][0]["code"] == "FORBIDDEN"
    assert not await Organization.exists(business_number="1348672683")


ADMIT = """
mutation Admit($id: Int!) {
  admitMember(organizationId: $id) { membership { status admittedAt } errors { code message } }
}
"""

SIGN = """
mutation Sign($id: Int!, $on: Date!, $pledges: PledgesInput!) {
  signDeclaration(organizationId: $id, signedOn: $on, signerName: "대표이사 홍길동", signerTitle: "대표이사",
                  pledges: $pledges) {
    membership { declarationSignedOn declarationSignings { signerName pledgeFairDealing } }
    errors { field code message }
  }
}
"""
ALL_PLEDGES = {"partnership": True, "infrastructure": True, "fairDealing": True, "awareness": True}


async def test_the_secretariat_admits_a_member_once(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(client, ADMIT, {"id": world.samsung.id})
    assert data["admitMember"]["membership"]["status"] == "ACTIVE"
    again = await gql(client, ADMIT, {"id": world.samsung.id})
    assert again["admitMember"]["errors"][0]["code"] == "INVALID_STATE"


async def test_a_coordinator_signs_the_declaration_for_their_own_company_with_all_four_pledges(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    partial = await gql(
        client,
        SIGN,
        {"id": world.samsung.id, "on": "2011-11-01", "pledges": {**ALL_PLEDGES, "awareness": False}},
    )
    assert partial["signDeclaration"]["errors"][0]["field"] == "pledges"
    signed = await gql(client, SIGN, {"id": world.samsung.id, "on": "2011-11-01", "pledges": ALL_PLEDGES})
    assert signed["signDeclaration"]["membership"] == {
        "declarationSignedOn": "2011-11-01",
        "declarationSignings": [{"signerName": "대표이사 홍길동", "pledgeFairDealing": True}],
    }
    signing = await DeclarationSigning.get(organization_id=world.samsung.id)
    assert signing.pledge_awareness and signing.pledge_partnership


async def test_a_coordinator_cannot_touch_another_conglomerate(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    data = await gql(client, SIGN, {"id": world.samsung.id, "on": "2011-11-01", "pledges": ALL_PLEDGES})
    assert data["signDeclaration"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await ClubMembership.get(organization_id=world.samsung.id)).declaration_signed_on is None


ORGANIZATION = "query One($id: Int!) { organization(id: $id) { id nameKo } }"


async def test_a_hidden_organisation_answers_exactly_like_a_missing_one(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    hidden = await client.post("/graphql", json={"query": ORGANIZATION, "variables": {"id": world.hanbit.id}})
    missing = await client.post("/graphql", json={"query": ORGANIZATION, "variables": {"id": 999_999}})
    assert hidden.json() == missing.json() == {"data": {"organization": None}}
    page_hidden = await client.get(f"/organizations/{world.hanbit.id}")
    page_missing = await client.get("/organizations/999999")
    assert page_hidden.status_code == page_missing.status_code == 404
    # The pages differ only where they echo the requested address.
    assert (
        page_hidden.text.replace(f"/organizations/{world.hanbit.id}", "/organizations/999999")
        == page_missing.text
    )


async def test_a_coordinator_sees_its_own_company_and_its_partners_only(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    data = await gql(client, "{ organizations { totalCount nodes { nameKo } } }")
    assert sorted(n["nameKo"] for n in data["organizations"]["nodes"]) == ["삼성전자", "한빛정밀"]


LIST = """
query List($first: Int, $after: String) {
  organizations(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id nameKo businessNumber membership { status declarationSignedOn } }
  }
}
"""


async def test_the_organisation_list_pages_through_everything_once(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    seen: list[int] = []
    after = None
    while True:
        page = (await gql(client, LIST, {"first": 3, "after": after}))["organizations"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == 4
    assert sorted(seen) == sorted(o.id for o in await Organization.all())


async def test_the_organisation_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client: httpx.AsyncClient, world: World, queries: object
) -> None:
    from tests.support.queries import QueryCounter

    assert isinstance(queries, QueryCounter)
    await sign_in(client, world.admin.email, world.admin.password)
    for n in range(20):
        await Organization.create(kind="conglomerate", name_ko=f"회원사 {n}")
    counts = []
    for size in (2, 20):
        queries.reset()
        page = await gql(client, LIST, {"first": size})
        assert len(page["organizations"]["nodes"]) == size
        counts.append(queries.count)
    # actor, page, count, memberships (one batch)
    assert counts == [4, 4]
