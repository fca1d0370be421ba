"""Production keeps its schema to itself: no introspection, no "did you mean" hints (the SDL is published
with `club export-schema`); development keeps both for GraphiQL."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from server.platform.settings import Settings
from tests.support.graphql import gql, gql_errors
from web.app import create_app

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE_LOOKUP = '{ __type(name: "Organization") { fields { name } } }'
TYPO = "{ organizatons(first: 1) { totalCount } }"
ENUM_TYPO = "query Q($tier: SupplierTier) { partners(tier: $tier) { totalCount } }"


@pytest_asyncio.fixture
async def production_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(settings, environment="production"), run_workers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        yield http


async def test_production_refuses_introspection(production_client: httpx.AsyncClient) -> None:
    for query in (INTROSPECTION, TYPE_LOOKUP):
        errors = await gql_errors(production_client, query)
        assert "introspection" in errors[0]["message"].lower()
    assert await gql(production_client, "{ __typename }") == {"__typename": "Query"}


async def test_production_does_not_suggest_field_names(production_client: httpx.AsyncClient) -> None:
    errors = await gql_errors(production_client, TYPO)
    assert "organizatons" in errors[0]["message"]
    assert all("did you mean" not in e["message"].lower() for e in errors), errors


async def test_production_does_not_suggest_enum_values(production_client: httpx.AsyncClient) -> None:
    errors = await gql_errors(production_client, ENUM_TYPO, {"tier": "FIRTS"})
    assert "FIRTS" in errors[0]["message"]
    assert all("did you mean" not in e["message"].lower() for e in errors), errors


async def test_development_keeps_introspection_and_suggestions(client: httpx.AsyncClient) -> None:
    data = await gql(client, INTROSPECTION)
    assert data["__schema"]["queryType"]["name"] == "Query"
    errors = await gql_errors(client, TYPO)
    assert "did you mean" in errors[0]["message"].lower()
