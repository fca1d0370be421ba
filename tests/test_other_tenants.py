"""Another conglomerate's coordinator and another SME's representative, signed in, try every page that names
a record by its id with the ids of Samsung's and Hanbit's records: they read nothing of it and change nothing.

The routes are walked from the app's own route table, so a page added later is tried too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLScalarType,
    get_named_type,
)
from starlette.routing import Route

from schema import schema
from server.models import (
    AuditEntry,
    CaseEntry,
    Claim,
    Commitment,
    Organization,
    Partnership,
    ProtectionCase,
    Registration,
)
from server.platform.settings import Settings
from tests.support.fuzz import ACTIONS, Doors, open_doors
from tests.support.graphql import ENGLISH, sign_in
from tests.support.pages import sign_in_as
from tests.support.protection import another_sme
from tests.support.world import World

# Pages every member may see whoever runs them: a published seminar of the club's programme, the club's
# service catalogue.
OPEN_TO_MEMBERS = re.compile(
    r"^(/seminars/{seminar_id:int}(\.ics|/colleagues|/co-hosting)?|/services/{service_id:int})$"
)
# What an outsider's post would carry to get past a form's questions: a confirmation, a reason, amounts.
FORM = {
    "confirmed": "yes",
    "reason": "다른 회사의 기록을 바꿔 봅니다",
    "note": "바꿔 봅니다",
    "body": "바꿔 봅니다",
    "amount": "1000",
    "budget": "100000000",
    "status": "withdrawn",
    "role": "coordinator",
    "email": "outsider@lg.test",
    "handler_id": "1",
    "outcome": "resolved",
    "name_ko": "바뀐 이름",
}


async def _state(sme_id: int) -> list[object]:
    """What the tenants own, as the walk could have changed it (outsiders may register themselves for a
    seminar of the club's programme: only the SME's own registrations count)."""
    return [
        await Claim.all().order_by("id").values_list("id", "status", "sponsor_share"),
        await Commitment.all().order_by("id").values_list("id", "status", "budget", "reserved", "captured"),
        await Partnership.all().order_by("id").values_list("id", "status"),
        await Registration.filter(organization_id=sme_id).order_by("id").values_list("id", "status"),
        await ProtectionCase.all().order_by("id").values_list("id", "status", "handler_id"),
        await CaseEntry.all().count(),
        await Organization.all().order_by("id").values_list("id", "name_ko"),
    ]


@pytest_asyncio.fixture
async def outsiders(
    settings: Settings, world: World
) -> AsyncIterator[tuple[Doors, dict[str, httpx.AsyncClient]]]:
    doors = await open_doors(settings, world)
    other_rep = await another_sme(world)
    clients = {}
    for role, email, password in (
        ("other coordinator", world.lg_coordinator.email, world.lg_coordinator.password),
        ("other SME", other_rep.email, "correct-horse-battery"),
    ):
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=doors.app, raise_app_exceptions=False),
            base_url="http://testserver",
        )
        await sign_in_as(client, email, password)
        clients[role] = client
    try:
        yield doors, clients
    finally:
        for client in [*doors.clients.values(), *clients.values()]:
            await client.aclose()


def _paths(route: Route, ids: dict[str, int]) -> list[str]:
    path = route.path
    for name in re.findall(r"{(\w+):int}", path):
        path = path.replace(f"{{{name}:int}}", str(ids[name]))
    for prefix, actions in ACTIONS.items():
        if path.startswith(prefix) and re.search(r"{(action|decision):str}", path):
            return [re.sub(r"{(action|decision):str}", action, path) for action in actions]
    return [path]


async def test_other_tenants_read_nothing_and_change_nothing_by_id(
    outsiders: tuple[Doors, dict[str, httpx.AsyncClient]],
) -> None:
    doors, clients = outsiders
    before = await _state(doors.ids["organization_id"])
    audit_before = await AuditEntry.exclude(action__startswith="registration.").count()
    shown, tried = [], 0
    for role, client in clients.items():
        page = (await client.get("/seminars")).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, role
        for route in doors.app.routes:
            if not isinstance(route, Route) or not re.search(r"{\w+_id:int}", route.path):
                continue
            if OPEN_TO_MEMBERS.match(route.path):
                continue
            for path in _paths(route, doors.ids):
                for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                    data = {**FORM, "csrf_token": token.group(1)} if method == "POST" else None
                    response = await client.request(method, path, data=data)
                    tried += 1
                    if response.status_code < 300 or response.status_code >= 500:
                        shown.append(f"{role} {method} {path}: {response.status_code}")
    assert tried > 100, tried  # the walk reached the pages, not just a sign-in redirect
    assert shown == [], "\n".join(shown)
    assert await _state(doors.ids["organization_id"]) == before
    assert await AuditEntry.exclude(action__startswith="registration.").count() == audit_before


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# The GraphQL arguments that name a tenant's record, with the id the walk puts there.
ID_ARGUMENTS = {
    _camel(key): key
    for key in (
        "claim_id",
        "commitment_id",
        "registration_id",
        "partnership_id",
        "case_id",
        "organization_id",
    )
}
# Single-record queries take `id`: which record it names follows from the field.
RECORD_QUERIES = {
    "claim": "claim_id",
    "commitment": "commitment_id",
    "organization": "organization_id",
    "protectionCase": "case_id",
}
OPEN_FIELDS = {
    "seminar",
    "service",
    "registerForSeminar",
}  # the club's programme and catalogue, open to members


def _ordinary(of: GraphQLInputType) -> Any:
    """A plain value of the argument's type: the walk is about ids, not odd values."""
    if isinstance(of, GraphQLNonNull):
        return _ordinary(of.of_type)
    if isinstance(of, GraphQLList):
        return [_ordinary(of.of_type)]
    if isinstance(of, GraphQLEnumType):
        return next(iter(of.values))
    if isinstance(of, GraphQLInputObjectType):
        return {name: _ordinary(field.type) for name, field in of.fields.items()}
    assert isinstance(of, GraphQLScalarType)
    return {"String": "다른 회사의 기록", "Int": 1, "Won": 1000, "Boolean": True, "JSON": {}}.get(
        of.name, "2026-12-01" if of.name == "Date" else "2026-12-01T10:00:00+09:00"
    )


def _selection(of: GraphQLOutputType) -> str:
    named = get_named_type(of)
    fields = getattr(named, "fields", {})
    if "errors" in fields:
        return "{ __typename errors { code } }"
    return "{ __typename totalCount }" if "totalCount" in fields else "{ __typename }"


async def test_other_tenants_get_null_or_a_refusal_for_every_graphql_field_naming_their_records(
    outsiders: tuple[Doors, dict[str, httpx.AsyncClient]], world: World
) -> None:
    doors, clients = outsiders
    core = schema._schema
    assert core.query_type and core.mutation_type
    before = await _state(doors.ids["organization_id"])
    audit_before = await AuditEntry.exclude(action__startswith="registration.").count()
    answered, tried = [], 0
    for role, (email, password) in {
        "other coordinator": (world.lg_coordinator.email, world.lg_coordinator.password),
        "other SME": ("rep@daesung.test", "correct-horse-battery"),
    }.items():
        client = clients[role]
        await sign_in(client, email, password)
        for kind_of, root in (("query", core.query_type), ("mutation", core.mutation_type)):
            for name, field in root.fields.items():
                ids = {arg: ID_ARGUMENTS[arg] for arg in field.args if arg in ID_ARGUMENTS}
                if kind_of == "query" and name in RECORD_QUERIES:
                    ids["id"] = RECORD_QUERIES[name]
                if not ids or name in OPEN_FIELDS:
                    continue
                # Only what the field requires besides the ids: the walk is about whose records, not filters.
                variables = {
                    arg: doors.ids[ids[arg]] if arg in ids else _ordinary(spec.type)
                    for arg, spec in field.args.items()
                    if arg in ids or isinstance(spec.type, GraphQLNonNull)
                }
                definitions = ", ".join(f"${arg}: {spec.type}" for arg, spec in field.args.items())
                arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
                query = f"{kind_of}({definitions}) {{ {name}({arguments}) {_selection(field.type)} }}"
                body = (
                    await client.post(
                        "/graphql", json={"query": query, "variables": variables}, headers=ENGLISH
                    )
                ).json()
                tried += 1
                codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
                assert not codes & {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT"}, (
                    name,
                    body,
                )
                value = (body.get("data") or {}).get(name)
                refused = (
                    body.get("errors")
                    or value is None
                    or (isinstance(value, dict) and (value.get("errors") or value.get("totalCount") == 0))
                )
                if not refused:
                    answered.append(f"{role} {name}: {value}")
    assert tried > 20, tried
    assert answered == [], "\n".join(answered)
    assert await _state(doors.ids["organization_id"]) == before
    assert await AuditEntry.exclude(action__startswith="registration.").count() == audit_before
