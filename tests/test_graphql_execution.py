"""The schema's own execution short cuts answer exactly as graphql-core's path does, errors included."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import httpx
import pytest
import strawberry
from graphql.execution.executor import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema import awaiting
from schema import schema as club_schema
from schema.awaiting import is_awaitable
from schema.completion import PlannedCompletion
from schema.execution import ClubExecutionContext
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


async def test_what_cannot_be_awaited_is_learnt_per_type_and_the_rest_is_always_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Row:
        pass

    class Later:
        def __await__(self) -> Any:
            return iter(())

    async def coming() -> int:
        return 1

    assert not is_awaitable(Row()) and Row in awaiting._SETTLED
    coroutine = coming()
    assert is_awaitable(coroutine) and is_awaitable(coroutine) and is_awaitable(Later())
    coroutine.close()
    assert is_awaitable(asyncio.get_running_loop().create_future())
    assert Later not in awaiting._SETTLED

    class Another:
        pass

    monkeypatch.setattr(awaiting, "_MOST_SETTLED", len(awaiting._SETTLED))
    assert not is_awaitable(Another()) and Another not in awaiting._SETTLED  # still answered, not kept


@strawberry.type
class Owner:
    name: str

    @strawberry.field
    def greeting(self, info: strawberry.Info) -> str:
        return f"{info.context['hello']} {self.name}"


@strawberry.type
class Pet:
    name: str
    owner: Owner
    friends: list[Owner]

    @strawberry.field
    def keeper(self, info: strawberry.Info) -> Owner:
        return Owner(name=info.context["keeper"])

    @strawberry.field
    def later(self, info: strawberry.Info) -> Owner:  # a value still to come, as a DataLoader's future
        future = info.context["loop"].create_future()
        future.set_result(Owner(name="later"))
        return future  # type: ignore[return-value]


def _pets(count: int) -> list[Pet]:
    return [
        Pet(name=f"pet{i}", owner=Owner(name=f"owner{i}"), friends=[Owner(name="a"), Owner(name="b")])
        for i in range(count)
    ]


@strawberry.type
class PetQuery:
    @strawberry.field
    def pets(self, count: int) -> list[Pet]:
        return _pets(count)


PETS = """query($count: Int!) { pets(count: $count) { __typename name owner { name greeting }
  keeper { name greeting } friends { name } ...More } }
fragment More on Pet { again: owner { name } }"""


async def _pets_answer(context_class: type[Any], query: str, count: int) -> Any:
    schema = strawberry.Schema(query=PetQuery, execution_context_class=context_class)
    context = {"hello": "안녕", "keeper": "keeper", "loop": asyncio.get_running_loop()}
    result = await schema.execute(query, variable_values={"count": count}, context_value=context)
    return result.data, [e.message for e in result.errors or []]


async def test_nested_objects_lists_and_resolvers_asking_for_info_answer_as_graphql_core_does() -> None:
    planned = await _pets_answer(ClubExecutionContext, PETS, 3)

    assert planned == await _pets_answer(StrawberryGraphQLCoreExecutionContext, PETS, 3)
    first = planned[0]["pets"][0]
    assert first["owner"] == {"name": "owner0", "greeting": "안녕 owner0"} and first["again"] == {
        "name": "owner0"
    }
    assert first["__typename"] == "Pet" and first["friends"] == [{"name": "a"}, {"name": "b"}]


async def test_a_value_still_to_come_is_left_to_graphql_core() -> None:
    query = "query($count: Int!) { pets(count: $count) { name later { name greeting } } }"

    planned = await _pets_answer(ClubExecutionContext, query, 3)

    assert planned == await _pets_answer(StrawberryGraphQLCoreExecutionContext, query, 3)
    assert [p["later"]["name"] for p in planned[0]["pets"]] == ["later"] * 3


async def test_the_rows_of_a_list_are_completed_by_its_plan_not_field_by_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    executed: list[str] = []
    execute_field = Executor.execute_field

    def counting(self: Any, parent_type: Any, *args: Any) -> Any:
        executed.append(parent_type.name)
        return execute_field(self, parent_type, *args)

    monkeypatch.setattr(Executor, "execute_field", counting)
    answer = await _pets_answer(ClubExecutionContext, PETS, 40)

    assert len(answer[0]["pets"]) == 40 and answer[0]["pets"][39]["keeper"]["greeting"] == "안녕 keeper"
    assert executed == [
        "PetQuery"
    ]  # the root field alone: 40 pets, their owners, friends and greetings planned


async def test_a_selection_is_planned_once_per_query_not_once_per_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `later` keeps each pet from its plan: graphql-core completes every pet, and each pet's friends reuse
    # the one plan of that selection.
    query = "query($count: Int!) { pets(count: $count) { later { name } friends { name } } }"
    built: list[object] = []
    build = PlannedCompletion._build_completer

    def counting(self: PlannedCompletion, type_: Any, details: Any) -> Any:
        built.append(type_)
        return build(self, type_, details)

    monkeypatch.setattr(PlannedCompletion, "_build_completer", counting)
    await _pets_answer(ClubExecutionContext, query, 2)
    for_two = len(built)
    built.clear()
    answer = await _pets_answer(ClubExecutionContext, query, 40)

    assert answer[0]["pets"][39]["friends"] == [{"name": "a"}, {"name": "b"}]
    assert len(built) == for_two > 0


async def test_a_question_about_the_schema_alone_reads_no_session_and_any_other_reads_it_once(
    client: httpx.AsyncClient, world: World, queries: Any
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)

    queries.reset()
    assert await gql(client, "{ __typename }") == {"__typename": "Query"}
    assert queries.count == 0
    queries.reset()
    answer = await gql(client, "{ __typename me { user { email } } }")
    assert answer == {"__typename": "Query", "me": {"user": {"email": world.samsung_coordinator.email}}}
    assert queries.count == 1
