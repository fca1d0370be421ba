"""Talking to /graphql as a client would."""

from __future__ import annotations

from typing import Any

import httpx

# GraphQL messages follow the asker's language (Korean by default); these helpers ask in English so tests
# read the msgids.
ENGLISH = {"Accept-Language": "en"}


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **kw: Any
) -> Any:
    """The `data` of a successful GraphQL response; fails the test on top-level errors."""
    headers = {**ENGLISH, **kw.pop("headers", {})}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers, **kw
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def gql_errors(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> list[Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=ENGLISH
    )
    body = response.json()
    assert body.get("errors"), body
    return list(body["errors"])


SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    me { user { email } role actingFor { id nameKo } }
    errors { field code message }
  }
}
"""


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> dict[str, Any]:
    data = await gql(client, SIGN_IN, {"email": email, "password": password})
    assert data["signIn"]["errors"] == [], data
    return dict(data["signIn"]["me"])
