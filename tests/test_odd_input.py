"""Odd input at any door is a clear refusal (4xx, or a typed GraphQL error), never an internal error.

The page routes are walked from the app's own route table, so a page added later is fuzzed too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from starlette.routing import Route

from server.platform.settings import Settings
from server.seminars import seminar_list
from tests.support.fuzz import (
    ACTIONS,
    FORM_FIELDS,
    ODD_CURSORS,
    ODD_KINDS,
    QUERY_PARAMETERS,
    Doors,
    odd_value,
    open_doors,
)
from tests.support.world import World

SKIPPED = {"/signout", "/graphql", "/stripe/webhook"}  # sign-out would end the walk; GraphQL has its own walk


@pytest_asyncio.fixture
async def doors(settings: Settings, world: World) -> AsyncIterator[Doors]:
    opened = await open_doors(settings, world)
    try:
        yield opened
    finally:
        for client in opened.clients.values():
            await client.aclose()


def _paths(route: Route, ids: dict[str, int]) -> list[str]:
    path = route.path
    for name in re.findall(r"{(\w+):int}", path):
        path = path.replace(f"{{{name}:int}}", str(ids[name]))
    for name in re.findall(r"{(\w+)(?::str)?}", path):
        if name in ("action", "decision"):
            prefix = next(p for p in ACTIONS if path.startswith(p))
            return [path.replace(f"{{{name}:str}}", action) for action in ACTIONS[prefix]]
        path = re.sub(rf"{{{name}(?::str)?}}", "x", path)
    return [path]


async def _csrf(client: httpx.AsyncClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/seminars")).text)
    assert found
    return found.group(1)


async def test_every_page_refuses_odd_values_without_an_internal_error(doors: Doors) -> None:
    failures = []
    for role, client in doors.clients.items():
        token = await _csrf(client)
        for route in doors.app.routes:
            if not isinstance(route, Route) or route.path in SKIPPED:
                continue
            for path, method, kind in itertools.product(
                _paths(route, doors.ids), sorted((route.methods or {"GET"}) - {"HEAD"}), ODD_KINDS
            ):
                params = {name: odd_value(kind, name)[:100] for name in QUERY_PARAMETERS}
                form = {**{name: odd_value(kind, name) for name in FORM_FIELDS}, "csrf_token": token}
                response = await client.request(
                    method, path, params=params, data=form if method == "POST" else None
                )
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {path} ({kind}): {response.status_code}")
    assert failures == [], "\n".join(failures)


ODD_URLS = [
    f"/claims/{2**64}",
    f"/seminars/{2**63}",
    f"/seminars/{2**31}.ics",
    f"/partners/{10**30}",
    "/calendar/%00.ics",
    "/calendar/a%00b.ics",
    "/seminars?q=%00",
    "/partners?q=a%00b&after=%00",
    "/lang/%00",
    "/invitations/%00",
]


async def test_odd_urls_are_refused_clearly(doors: Doors) -> None:
    answers = {
        (role, path): (await client.get(path)).status_code
        for role, client in doors.clients.items()
        for path in ODD_URLS
    }
    assert {key: status for key, status in answers.items() if not 400 <= status < 500} == {}


async def test_forged_cursors_are_refused_clearly(doors: Doors) -> None:
    pages = [
        "/partners",
        "/organizations",
        "/commitments",
        "/claims",
        "/mail",
        "/my/registrations",
        "/seminars",
    ]
    answers = {
        (role, page, name): (await client.get(page, params={"after": forged})).status_code
        for role, client in doors.clients.items()
        for page in pages
        for name, forged in ODD_CURSORS.items()
    }
    assert {key: status for key, status in answers.items() if status >= 500} == {}


async def test_an_unexpected_fault_shows_the_generic_page_without_its_trace(
    doors: Doors, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail: connection to db-7.internal refused")

    monkeypatch.setattr(seminar_list, "list_seminars", broken)
    response = await doors.clients["sme"].get("/seminars")
    assert response.status_code == 500 and "오류가 발생했습니다" in response.text
    assert "db-7.internal" not in response.text and "Traceback" not in response.text
    asked = await doors.clients["sme"].post(
        "/graphql", json={"query": "{ seminars { totalCount } }"}, headers={"accept-language": "en"}
    )
    assert asked.json()["errors"][0]["message"] == "Unexpected error." and "db-7" not in asked.text


async def test_odd_stripe_webhooks_are_refused_clearly(
    paying_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    bodies = [
        b"",
        b"\x00",
        b"not json",
        b'{"type": "payment_intent.succeeded"}',
        b"[" * 50_000,
        "\ud800".encode("utf-8", "surrogatepass"),
    ]
    signatures = [None, "", "t=1,v1=00", "t=99999999999999999999,v1=" + "a" * 64, "t=-1,v1=x"]
    for http in (paying_client, client):
        for body in bodies:
            for signature in signatures:
                headers = {"stripe-signature": signature} if signature is not None else {}
                response = await http.post("/stripe/webhook", content=body, headers=headers)
                assert 400 <= response.status_code < 500, (body[:20], signature, response.status_code)
