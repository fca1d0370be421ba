"""Malformed, abusive or unexpected input to /graphql gets a clear error and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from server.models import Organization
from tests.support.graphql import gql_errors, sign_in
from tests.support.world import World


async def test_malformed_graphql_is_a_clear_error(client: httpx.AsyncClient, db: object) -> None:
    errors = await gql_errors(client, "{ organizations { ")
    assert "Syntax Error" in errors[0]["message"]


async def test_an_unknown_field_is_named(client: httpx.AsyncClient, db: object) -> None:
    errors = await gql_errors(client, "{ nothingHere }")
    assert "nothingHere" in errors[0]["message"]


async def test_deep_queries_are_refused(client: httpx.AsyncClient, db: object) -> None:
    deep = "{ me { actingFor { membership { status } } } }"
    nested = "{ me " + "{ user " * 12 + "}" * 13
    assert (await client.post("/graphql", json={"query": deep})).status_code == 200
    errors = await gql_errors(client, nested)
    assert errors


async def test_alias_floods_are_refused(client: httpx.AsyncClient, db: object) -> None:
    flood = "{ " + " ".join(f"a{i}: me {{ role }}" for i in range(30)) + " }"
    errors = await gql_errors(client, flood)
    assert "aliases" in errors[0]["message"].lower()


async def test_documents_of_too_many_tokens_are_not_parsed(client: httpx.AsyncClient, db: object) -> None:
    within = "{ " + "__typename " * 500 + "}"
    beyond = "{ " + "__typename " * 2000 + "}"
    assert (await client.post("/graphql", json={"query": within})).json()["data"]["__typename"] == "Query"
    errors = await gql_errors(client, beyond)
    assert "more than 2000 tokens" in errors[0]["message"]


async def test_an_oversized_body_is_refused_before_it_is_read(client: httpx.AsyncClient, db: object) -> None:
    response = await client.post(
        "/graphql",
        content=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_queries_over_get_are_not_served(client: httpx.AsyncClient, db: object) -> None:
    response = await client.get("/graphql", params={"query": "{ me { role } }"})
    assert response.status_code == 400
    assert response.text == "queries are not allowed when using GET"


async def test_an_unexpected_failure_is_masked_and_logged(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.membership import organizations

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(organizations, "list_organizations", broken)
    await sign_in(client, world.admin.email, world.admin.password)
    errors = await gql_errors(client, "{ organizations { totalCount } }")
    assert errors[0]["message"] == "Unexpected error."
    assert "hunter2" not in str(errors)


async def test_a_signed_out_mutation_says_so_and_writes_nothing(
    client: httpx.AsyncClient, db: object
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": 'mutation { createOrganization(kind: SME, nameKo: "x", businessNumber: "134-86-72683") { errors { code } } }'
        },
    )
    assert response.json()["data"]["createOrganization"]["errors"] == [{"code": "UNAUTHENTICATED"}]
    assert not await Organization.exists()


async def test_graphiql_is_served_in_development_only(settings: object) -> None:
    import dataclasses

    from server.platform.settings import Settings
    from web.app import create_app

    assert isinstance(settings, Settings)
    for environment, expected in (("development", 200), ("production", 404)):
        app = create_app(dataclasses.replace(settings, environment=environment), run_workers=False)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http:
            response = await http.get("/graphql", headers={"accept": "text/html"})
        assert response.status_code == expected
        assert ("graphiql" in response.text.lower()) is (environment == "development")
