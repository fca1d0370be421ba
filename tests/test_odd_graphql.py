"""Odd arguments to every GraphQL field give a typed error, never an internal one ("Unexpected error.").

The fields are walked from the schema itself, so a field added later is fuzzed too.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from schema import schema
from server.platform.settings import Settings
from tests.support.fuzz import ODD_CURSORS, Doors, open_doors
from tests.support.graphql import sign_in
from tests.support.world import World

# Per scalar, the odd values sent one kind at a time; the first of each list is an ordinary value.
ODD_SCALARS: dict[str, list[Any]] = {
    "String": ["x", "a\x00b", "\ud800", "가" * 5000, *ODD_CURSORS.values()],
    "Int": [1, -1, 2**31 - 1, -(2**31)],
    "Won": [1000, 2**80, -(2**80), 2**63],
    "Date": ["2026-01-01", "0001-01-01", "9999-12-31"],
    "DateTime": ["2026-01-01T10:00:00+09:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"],
    "Boolean": [True],
    "JSON": [{"a": "\x00"}],
}
KINDS = max(len(values) for values in ODD_SCALARS.values())
SKIPPED = {"signOut", "signIn", "acceptInvitation"}  # they would change who is signed in


def _value(of: GraphQLInputType, kind: int) -> Any:
    if isinstance(of, GraphQLNonNull):
        return _value(of.of_type, kind)
    if isinstance(of, GraphQLList):
        return [_value(of.of_type, kind)]
    if isinstance(of, GraphQLEnumType):
        return next(iter(of.values))
    if isinstance(of, GraphQLInputObjectType):
        return {name: _value(field.type, kind) for name, field in of.fields.items()}
    assert isinstance(of, GraphQLScalarType)
    values = ODD_SCALARS[of.name]
    return values[kind % len(values)]


def _operation(kind_of: str, name: str, field: GraphQLField) -> str:
    definitions = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    return (
        f"{kind_of}{f'({definitions})' if definitions else ''}"
        f" {{ {name}{f'({arguments})' if arguments else ''} {{ __typename }} }}"
    )


def _fields() -> list[tuple[str, str, GraphQLField]]:
    core = schema._schema
    assert core.query_type and core.mutation_type
    return [
        (kind_of, name, field)
        for kind_of, root in (("query", core.query_type), ("mutation", core.mutation_type))
        for name, field in root.fields.items()
        if name not in SKIPPED and field.args
    ]


@pytest_asyncio.fixture
async def graphql_doors(settings: Settings, world: World) -> AsyncIterator[Doors]:
    opened = await open_doors(settings, world)
    people = {"secretariat": world.admin, "coordinator": world.samsung_coordinator, "sme": world.hanbit_rep}
    for role, client in opened.clients.items():
        await sign_in(client, people[role].email, people[role].password)
    try:
        yield opened
    finally:
        for client in opened.clients.values():
            await client.aclose()


async def _ask(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> list[str]:
    # Escaped as JSON allows (\ud800), as a client in another language could send it.
    body = json.dumps({"query": query, "variables": variables}).encode()
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept-language": "en"}
    )
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}"]
    return [e["message"] for e in response.json().get("errors", []) if e["message"] == "Unexpected error."]


async def test_no_argument_of_any_field_gives_an_internal_error(graphql_doors: Doors) -> None:
    failures = []
    for role, client in graphql_doors.clients.items():
        for kind_of, name, field in _fields():
            query = _operation(kind_of, name, field)
            for kind in range(1, KINDS):
                variables = {arg: _value(spec.type, kind) for arg, spec in field.args.items()}
                for message in await _ask(client, query, variables):
                    failures.append(f"{role} {name} {str(variables)[:120]}: {message}")
    assert failures == [], "\n".join(failures)


async def test_the_issues_examples_are_typed_errors(graphql_doors: Doors) -> None:
    client = graphql_doors.clients["coordinator"]
    search = "query($q: String) { partners(search: $q) { totalCount } }"
    token = "mutation($name: String!) { createApiToken(name: $name) { errors { code } } }"
    asked = {
        "NUL in a search": (search, {"q": "한빛\x00"}),
        "lone surrogate in a search": (search, {"q": "\ud800"}),
        "NUL in a token name": (token, {"name": "robot\x00"}),
        "NUL escaped in a literal": ('{ partners(search: "a\\u0000") { totalCount } }', {}),
        "year 1": ("query($d: DateTime) { seminars(startsFrom: $d) { totalCount } }", {"d": "0001-01-01T00:00:00+14:00"}),
        "won past a bigint": ("mutation($a: Won!) { topUpCommitment(commitmentId: 1, amount: $a) { errors { code } } }", {"a": 2**80}),
    }  # fmt: skip
    for name, (query, variables) in asked.items():
        response = await client.post(
            "/graphql", content=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"content-type": "application/json", "accept-language": "en"},
        )  # fmt: skip
        errors = response.json().get("errors")
        assert response.status_code < 500 and errors, name
        assert errors[0]["message"] != "Unexpected error.", (name, errors)
        assert "data" not in response.json() or response.json()["data"] is None, name


async def test_a_body_that_is_not_one_json_object_is_refused_clearly(client: httpx.AsyncClient) -> None:
    bodies = [
        b'{"query": "{ me { role } }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
        b"[" * 50_000,
        b'"{ me { role } }"',
        b"null",
        b"[1]",
        b'[{"query": "{ me { role } }"}]',
    ]
    for body in bodies:
        response = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json", "accept-language": "en"}
        )
        assert response.status_code == 400, (body[:40], response.status_code)
