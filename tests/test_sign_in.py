"""Signing in by page and by API: one generic answer for bad credentials, throttled, fresh sessions."""

from __future__ import annotations

import re

import httpx

from server.models import SignInThrottle
from tests.support.graphql import SIGN_IN, gql, sign_in
from tests.support.world import World
from web.app import SESSION_COOKIE


async def _page_csrf(client: httpx.AsyncClient, path: str = "/signin") -> str:
    page = await client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def test_the_secretariat_signs_in_on_the_page_and_lands_on_its_dashboard(
    client: httpx.AsyncClient, world: World
) -> None:
    token = await _page_csrf(client)
    response = await client.post(
        "/signin", data={"email": "ADMIN@club.test ", "password": world.admin.password, "csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert (
        f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    )
    dashboard = await client.get("/")
    assert dashboard.status_code == 200 and "사무국 대시보드" in dashboard.text


async def test_a_wrong_password_and_an_unknown_e_mail_get_the_same_answer(
    client: httpx.AsyncClient, world: World
) -> None:
    wrong = await gql(client, SIGN_IN, {"email": world.admin.email, "password": "nope-nope-nope"})
    unknown = await gql(client, SIGN_IN, {"email": "nobody@club.test", "password": "nope-nope-nope"})
    assert (
        wrong["signIn"]["errors"]
        == unknown["signIn"]["errors"]
        == [{"field": None, "code": "INVALID_CREDENTIALS", "message": "Wrong e-mail or password."}]
    )
    assert (await gql(client, "{ me { user { email } } }"))["me"] is None


async def test_repeated_failures_lock_the_address_even_against_the_right_password(
    client: httpx.AsyncClient, world: World
) -> None:
    for _ in range(5):
        await gql(client, SIGN_IN, {"email": world.admin.email, "password": "guess-guess-guess"})
    locked = await gql(client, SIGN_IN, {"email": world.admin.email, "password": world.admin.password})
    assert locked["signIn"]["errors"][0]["code"] == "THROTTLED"
    other = await gql(
        client,
        SIGN_IN,
        {"email": world.samsung_coordinator.email, "password": world.samsung_coordinator.password},
    )
    assert other["signIn"]["errors"] == []
    await gql(client, "mutation { signOut { signedOut } }")
    token = await _page_csrf(client)
    page = await client.post(
        "/signin", data={"email": world.admin.email, "password": world.admin.password, "csrf_token": token}
    )
    assert page.status_code == 400 and "15분 후에 다시 시도하세요" in page.text


async def test_a_successful_sign_in_clears_the_failure_count(client: httpx.AsyncClient, world: World) -> None:
    for _ in range(3):
        await gql(client, SIGN_IN, {"email": world.admin.email, "password": "guess-guess-guess"})
    await sign_in(client, world.admin.email, world.admin.password)
    # The account's counts go; the address's stay, or an attacker could reset them with an account of their own.
    assert [t.key for t in await SignInThrottle.all()] == ["address:127.0.0.1"]


async def test_signing_in_starts_a_fresh_session(client: httpx.AsyncClient, world: World) -> None:
    await _page_csrf(client)  # an anonymous session with a CSRF token, as an attacker could plant
    planted = client.cookies.get(SESSION_COOKIE)
    await sign_in(client, world.admin.email, world.admin.password)
    assert client.cookies.get(SESSION_COOKIE) != planted
    await gql(client, "mutation { signOut { signedOut } }")
    assert (await gql(client, "{ me { user { email } } }"))["me"] is None


async def test_a_person_removed_from_their_organisation_loses_their_session(
    client: httpx.AsyncClient, world: World
) -> None:
    from server.models import Role

    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    await Role.filter(user_id=world.lg_coordinator.user.id).delete()
    assert (await gql(client, "{ me { user { email } } }"))["me"] is None
