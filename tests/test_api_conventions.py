"""The public API keeps one set of conventions: complete page info on every list, null for a record that is
missing or not yours, a code on every top-level error, messages in the asker's language, a committed SDL."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_nullable_type

from schema import schema
from tests.support.graphql import gql, sign_in
from tests.support.spreadsheets import csv_bytes, partner_rows
from tests.support.world import World

SDL_FILE = Path(__file__).parent.parent / "schema.graphql"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
ORGANIZATIONS = (
    "query($after: String) { organizations(first: 2, after: $after) { PAGE_INFO edges { cursor } } }"
).replace("PAGE_INFO", PAGE_INFO)
IMPORT_ROWS = (
    "query($id: Int!, $after: String) { partnerImport(id: $id) "
    "{ rows(first: 2, after: $after) { totalCount PAGE_INFO nodes { row } } } }"
).replace("PAGE_INFO", PAGE_INFO)


async def _errors(client: httpx.AsyncClient, query: str, **kw: object) -> list[dict[str, object]]:
    body = (await client.post("/graphql", json={"query": query}, **kw)).json()  # type: ignore[arg-type]
    assert body.get("errors"), body
    return list(body["errors"])


def test_every_connection_has_a_complete_page_info() -> None:
    types = schema._schema.type_map
    connections = [t for name, t in types.items() if name.endswith("Connection")]
    assert {"OrganizationConnection", "ImportRowConnection", "OutgoingMailConnection"} <= {
        c.name for c in connections
    }
    for connection in connections:
        assert isinstance(connection, GraphQLObjectType)
        assert {"pageInfo", "edges", "nodes", "totalCount"} <= set(connection.fields), connection.name
    page_info = types["PageInfo"]
    assert isinstance(page_info, GraphQLObjectType)
    assert set(page_info.fields) == {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}


async def test_pages_say_where_they_start_and_end(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    query = ORGANIZATIONS
    first = (await gql(client, query))["organizations"]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": first["edges"][0]["cursor"],
        "endCursor": first["edges"][1]["cursor"],
    }
    second = (await gql(client, query, {"after": first["pageInfo"]["endCursor"]}))["organizations"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"]


async def test_partner_import_rows_page_like_every_list(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    content = base64.b64encode(csv_bytes(partner_rows(3))).decode()
    preview = await gql(
        client,
        'mutation($c: String!) { previewPartnerImport(filename: "p.csv", contentBase64: $c) '
        "{ partnerImport { id } errors { code } } }",
        {"c": content},
    )
    import_id = preview["previewPartnerImport"]["partnerImport"]["id"]
    query = IMPORT_ROWS
    first = (await gql(client, query, {"id": import_id}))["partnerImport"]["rows"]
    assert [n["row"] for n in first["nodes"]] == [2, 3]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    after = first["pageInfo"]["endCursor"]
    rest = (await gql(client, query, {"id": import_id, "after": after}))["partnerImport"]["rows"]
    assert [n["row"] for n in rest["nodes"]] == [4]
    assert rest["pageInfo"]["hasNextPage"] is False and rest["pageInfo"]["hasPreviousPage"] is True

    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    not_theirs = await gql(client, "query($id: Int!) { partnerImport(id: $id) { id } }", {"id": import_id})
    assert not_theirs == {"partnerImport": None}


def test_single_record_queries_are_all_nullable() -> None:
    query = schema._schema.query_type
    assert query is not None
    by_id = {name: f for name, f in query.fields.items() if "id" in f.args}
    assert {"organization", "commitment", "claim", "seminar", "diagnosis", "partnerImport"} <= set(by_id)
    assert [name for name, f in by_id.items() if isinstance(f.type, GraphQLNonNull)] == []


async def test_a_missing_record_is_null_not_an_error(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    data = await gql(
        client,
        "{ organization(id: 999999) { id } commitment(id: 999999) { id } claim(id: 999999) { id } "
        "seminar(id: 999999) { id } diagnosis(id: 999999) { id } "
        "diagnosisQuestionnaire(version: 999999) { version } }",
    )
    assert set(data.values()) == {None}


async def test_top_level_errors_carry_a_code(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    [anonymous] = await _errors(client, "{ claim(id: 1) { id } }")
    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    [syntax] = await _errors(client, "{ organizations { ")
    assert syntax["extensions"] == {"code": "INVALID"}

    await sign_in(client, world.admin.email, world.admin.password)
    [cursor] = await _errors(client, '{ organizations(after: "bm9wZQ") { totalCount } }')
    assert cursor["extensions"] == {"code": "INVALID"}

    from server.membership import organizations

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database is down")

    monkeypatch.setattr(organizations, "list_organizations", broken)
    [masked] = await _errors(client, "{ organizations { totalCount } }")
    assert masked["extensions"] == {"code": "INTERNAL"}
    assert "database" not in str(masked["message"])


async def test_messages_follow_the_askers_language(client: httpx.AsyncClient, world: World) -> None:
    query = "{ claim(id: 1) { id } }"
    assert (await _errors(client, query))[0]["message"] == "로그인하세요."
    english = {"Accept-Language": "en-GB,en;q=0.9,ko;q=0.5"}
    assert (await _errors(client, query, headers=english))[0]["message"] == "Please sign in."
    client.cookies.set("lang", "ko")
    assert (await _errors(client, query, headers=english))[0]["message"] == "로그인하세요."
    client.cookies.clear()

    wrong = 'mutation { signIn(email: "nobody@club.test", password: "nope") { errors { code message } } }'
    body = (await client.post("/graphql", json={"query": wrong})).json()
    assert body["data"]["signIn"]["errors"] == [
        {"code": "INVALID_CREDENTIALS", "message": "이메일 또는 비밀번호가 올바르지 않습니다."}
    ]
    body = (await client.post("/graphql", json={"query": wrong}, headers=english)).json()
    assert body["data"]["signIn"]["errors"][0]["message"] == "Wrong e-mail or password."


def test_the_committed_sdl_is_the_schema_the_code_serves() -> None:
    committed = SDL_FILE.read_text(encoding="utf-8") if SDL_FILE.exists() else ""
    assert committed == schema.as_str() + "\n", (
        "schema.graphql differs from the code: run `club export-schema --output schema.graphql` "
        "(or `.venv/bin/club export-schema`) and commit the file"
    )


# Lists at the top of the API that stay plain lists, each bounded by what it lists.
SHORT_LISTS = {
    "partnershipTotals": "one row per member conglomerate",
    "services": "the club's service catalogue",
}


def test_every_list_at_the_top_of_the_api_is_a_connection() -> None:
    query = schema._schema.query_type
    assert query is not None
    plain = {name for name, f in query.fields.items() if isinstance(get_nullable_type(f.type), GraphQLList)}
    assert plain == set(SHORT_LISTS)


async def test_sessions_page_like_every_list(client: httpx.AsyncClient, world: World) -> None:
    """Three browsers signed in as one person: two sessions on the first page, the third after it."""
    for _ in range(2):
        async with httpx.AsyncClient(transport=client._transport, base_url="http://testserver") as browser:
            await sign_in(browser, world.admin.email, world.admin.password)
    await sign_in(client, world.admin.email, world.admin.password)
    query = "query($after: String) { mySessions(first: 2, after: $after) { PAGE_INFO nodes { id } } }"
    first = (await gql(client, query.replace("PAGE_INFO", PAGE_INFO)))["mySessions"]
    assert len(first["nodes"]) == 2 and first["pageInfo"]["hasNextPage"]
    rest = await gql(client, query.replace("PAGE_INFO", PAGE_INFO), {"after": first["pageInfo"]["endCursor"]})
    assert len(rest["mySessions"]["nodes"]) == 1 and rest["mySessions"]["pageInfo"]["hasPreviousPage"]
