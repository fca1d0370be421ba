"""Every response carries the headers that keep a page from running what it did not ship: a strict
Content-Security-Policy (Stripe.js only on the card page), HSTS in production, and no-store on anything
personal, so a shared computer's back button or a proxy keeps no copy of a signed-in page."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import httpx
import pytest

from server.models import RoleKind
from server.money.claims import approve_claim
from server.platform.settings import Settings
from tests.support.costs import acting, claim, commitment
from tests.support.pages import sign_in_as
from tests.support.world import World
from web.app import create_app

TEMPLATES = Path(__file__).parent.parent / "frontend" / "templates"
PAGES = ["/", "/partners", "/commitments", "/claims", "/seminars", "/organizations", "/account/tokens"]


def _policy(response: httpx.Response) -> dict[str, list[str]]:
    header = response.headers.get("content-security-policy", "")
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_no_template_holds_inline_script_handlers_or_styles() -> None:
    offending = {
        str(path.relative_to(TEMPLATES)): found
        for path in TEMPLATES.rglob("*.html")
        if (
            found := re.findall(
                r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style|javascript:", path.read_text()
            )
        )
    }
    assert offending == {}


async def test_every_page_has_a_strict_policy_and_is_not_stored(
    client: httpx.AsyncClient, world: World
) -> None:
    signin = await client.get("/signin")
    assert signin.headers["cache-control"] == "no-store"
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    for path in PAGES:
        response = await client.get(path)
        assert response.status_code == 200, path
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"], path
        assert policy["form-action"] == ["'self'"], path
        assert response.headers["cache-control"] == "no-store", path
        assert "strict-transport-security" not in response.headers  # development runs on plain HTTP
    export = await client.get("/partners/export.csv")
    assert export.headers["cache-control"] == "no-store"
    asked = await client.post("/graphql", json={"query": "{ me { role } }"})
    assert asked.headers["cache-control"] == "no-store"
    assert "no-store" not in (await client.get("/static/style.css")).headers.get("cache-control", "")


async def test_only_the_card_page_allows_stripe(paying_client: httpx.AsyncClient, world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    await sign_in_as(paying_client, world.hanbit_rep.email, world.hanbit_rep.password)
    card_page = await paying_client.get(f"/claims/{submitted.id}/pay")
    assert card_page.status_code == 200
    settings = paying_client._transport.app.state.settings  # type: ignore[attr-defined]
    stripe_origin = settings.stripe.api_base.rstrip("/")
    policy = _policy(card_page)
    assert policy["script-src"] == ["'self'", stripe_origin] and stripe_origin in policy["connect-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    other = _policy(await paying_client.get(f"/claims/{submitted.id}"))
    assert other["script-src"] == ["'self'"]


@pytest.mark.parametrize("production", [True, False])
async def test_hsts_only_in_production_and_graphiql_only_in_development(
    settings: Settings, production: bool
) -> None:
    app = create_app(
        dataclasses.replace(settings, environment="production" if production else "development"),
        run_workers=False,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        page = await http.get("/signin")
        assert ("strict-transport-security" in page.headers) is production
        if production:
            assert page.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        graphiql = await http.get("/graphql", headers={"accept": "text/html"})
        if production:
            assert graphiql.status_code == 404
        else:
            # GraphiQL's own inline script and CDN: it keeps no policy of ours, in development only.
            assert graphiql.status_code == 200 and "content-security-policy" not in graphiql.headers
