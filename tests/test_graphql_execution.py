"""The schema's own execution short cuts answer exactly as graphql-core's path does, errors included."""

from __future__ import annotations

from enum import Enum
from typing import Any

import httpx
import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema import schema as club_schema
from schema.execution import ClubExecutionContext, is_awaitable
from server.models import Organization, RoleKind, ServiceCode
from server.money import claims as claim_service
from tests.support.costs import acting, claim, commitment, sme_partner
from tests.support.graphql import gql, sign_in
from tests.support.world import World

PARTNERS = """
fragment Figures on PartnerClaimSummary { claims open sponsorPaid }
query($first: Int) {
  partners(first: $first, orderBy: NAME) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id tier status contactEmail endReason invitedAt acceptedAt endedAt } }
    nodes {
      id tier status
      sme { id nameKo nameEn kind businessNumber diagnosisLevel sharesDiagnosis }
      conglomerate { nameKo }
      figures: claimSummary { ...Figures }
      ... on Partnership { claimSummary { claims } }
    }
  }
}
"""


async def test_a_partner_list_reads_the_same_with_and_without_the_short_cuts(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=5_000_000)
    submitted = await claim(world.hanbit_rep, pledge)
    await claim_service.approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id
    )
    for i in range(1, 6):
        await claim(await sme_partner(world.samsung, f"협력사{i}", f"21486{i:04d}"), pledge)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)

    fast = await gql(client, PARTNERS, {"first": 4})
    monkeypatch.setattr(club_schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
    plain = await gql(client, PARTNERS, {"first": 4})

    assert fast == plain
    nodes = fast["partners"]["nodes"]
    assert [n["figures"]["claims"] for n in nodes] == [n["claimSummary"]["claims"] for n in nodes]
    assert {n["tier"] for n in nodes} == {"FIRST"} and nodes[0]["sme"]["kind"] == "SME"


class Colour(Enum):
    RED = "red"


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    colour: Colour

    @strawberry.field
    def shout(self) -> str:
        return (self.nickname or self.name).upper()


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        return [
            Thing(name="first", nickname=None, colour=Colour.RED),
            Thing(name=None, nickname="broken", colour=Colour.RED),  # type: ignore[arg-type]
            Thing(name="odd", nickname=None, colour="purple"),  # type: ignore[arg-type]
            Thing(name=None, nickname=None, colour=Colour.RED),  # type: ignore[arg-type]
        ]


def _answer(context_class: type[Any]) -> Any:
    schema = strawberry.Schema(query=Query, execution_context_class=context_class)
    result = schema.execute_sync("{ things { shout name nickname colour } }")
    return result.data, sorted((str(e.path), e.message) for e in result.errors or [])


def test_nulls_and_values_a_type_cannot_hold_fail_the_same_way() -> None:
    data, errors = _answer(ClubExecutionContext)

    assert (data, errors) == _answer(StrawberryGraphQLCoreExecutionContext)
    assert data == {
        "things": [{"shout": "FIRST", "name": "first", "nickname": None, "colour": "RED"}, None, None, None]
    }
    assert [message.split(" ")[0] for _, message in errors] == ["Cannot", "Enum", "'NoneType'"]


async def test_a_row_from_the_database_is_a_value_not_something_to_wait_for(world: World) -> None:
    samsung = await Organization.get(id=world.samsung.id)
    assert hasattr(samsung, "__await__") and not is_awaitable(samsung)
    assert is_awaitable(Organization.get(id=world.samsung.id)) and not is_awaitable(ServiceCode.ESCROW_NEW)
