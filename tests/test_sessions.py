"""Sessions live on the server: signing out, ending a session, idling or a password change kills the cookie."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest_asyncio

from server.models import ApiToken, Role, RoleKind, UserSession
from server.platform.settings import Settings
from server.platform.timeutil import now
from server.platform.tokens import digest
from tests.support.graphql import gql, sign_in
from tests.support.pages import submit
from tests.support.world import World
from web.app import SESSION_COOKIE, create_app

ME = "{ me { user { email } actingFor { nameKo } } }"
SESSIONS = "{ mySessions { nodes { id current userAgent actingFor { nameKo } } } }"


def _client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]


@pytest_asyncio.fixture
async def other_browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser on the same app process... or, as here, on a second process of the same database."""
    async with _client(create_app(settings, run_workers=False)) as http:
        yield http


async def _me(client: httpx.AsyncClient) -> object:
    return (await gql(client, ME))["me"]


async def test_a_cookie_captured_before_sign_out_is_signed_out_after(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    captured = client.cookies.get(SESSION_COOKIE)
    await gql(client, "mutation { signOut { signedOut } }")
    other_browser.cookies.set(SESSION_COOKIE, str(captured))
    assert await _me(other_browser) is None
    page = await other_browser.get("/")
    assert page.status_code in (302, 303) and page.headers["location"].startswith("/signin")
    assert (await UserSession.get()).revoked_at is not None


async def test_a_session_ended_on_one_app_process_is_dead_on_another(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    other_browser.cookies.set(SESSION_COOKIE, str(client.cookies.get(SESSION_COOKIE)))
    assert await _me(other_browser) == {
        "user": {"email": world.samsung_coordinator.email},
        "actingFor": {"nameKo": "삼성전자"},
    }
    await gql(client, "mutation { signOut { signedOut } }")
    assert await _me(other_browser) is None


async def test_the_cookie_carries_only_the_session_secret_and_the_database_only_its_digest(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    payload = str(client.cookies.get(SESSION_COOKIE)).split(".")[0]
    content = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(content) == {"sid"}
    row = await UserSession.get()
    assert row.secret_hash == digest(content["sid"]) and content["sid"] not in str(row.__dict__)


async def test_an_idle_or_too_old_session_expires(
    client: httpx.AsyncClient, settings: Settings, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    await UserSession.all().update(last_seen_at=now() - settings.session_idle - timedelta(minutes=1))
    assert await _me(client) is None

    await sign_in(client, world.admin.email, world.admin.password)
    await UserSession.filter(revoked_at=None).update(
        created_at=now() - settings.session_lifetime - timedelta(minutes=1)
    )
    assert await _me(client) is None


async def test_last_seen_is_written_every_few_minutes_not_on_every_request(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    first = (await UserSession.get()).last_seen_at
    await _me(client)
    assert (await UserSession.get()).last_seen_at == first
    earlier = now() - timedelta(minutes=30)
    await UserSession.all().update(last_seen_at=earlier)
    await _me(client)
    assert (await UserSession.get()).last_seen_at > earlier + timedelta(minutes=29)


async def test_a_person_sees_their_sessions_and_ends_another_one(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    await sign_in(other_browser, world.admin.email, world.admin.password)
    await sign_in(
        httpx.AsyncClient(transport=client._transport, base_url="http://testserver"),  # a stranger's session
        world.lg_coordinator.email,
        world.lg_coordinator.password,
    )
    mine = await gql(client, SESSIONS, headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/130"})
    assert sorted(s["current"] for s in mine["mySessions"]["nodes"]) == [False, True]
    other = next(s for s in mine["mySessions"]["nodes"] if not s["current"])
    ended = await gql(
        client, "mutation E($id: Int!) { endSession(id: $id) { ended errors { code } } }", {"id": other["id"]}
    )
    assert ended["endSession"] == {"ended": 1, "errors": []}
    assert await _me(other_browser) is None
    assert await _me(client) is not None

    strangers = await UserSession.get(user_id=world.lg_coordinator.user.id)
    refused = await gql(
        client, "mutation E($id: Int!) { endSession(id: $id) { errors { code } } }", {"id": strangers.id}
    )
    assert refused["endSession"]["errors"] == [{"code": "NOT_FOUND"}]
    assert (await UserSession.get(id=strangers.id)).revoked_at is None


async def test_the_sessions_page_ends_a_session_after_confirmation_and_ends_all_others(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(other_browser, world.hanbit_rep.email, world.hanbit_rep.password)
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    page = await client.get("/account/sessions", headers={"User-Agent": "x"})
    assert page.status_code == 200 and "내 로그인 세션" in page.text and "이 브라우저" in page.text
    other = await UserSession.filter(user_id=world.hanbit_rep.user.id).order_by("id").first()
    assert other is not None
    asked = await submit(client, "/account/sessions", f"/account/sessions/{other.id}/end", {})
    assert asked.status_code == 200 and "이 세션을 로그아웃할까요?" in asked.text
    assert await _me(other_browser) is not None
    done = await submit(
        client, "/account/sessions", f"/account/sessions/{other.id}/end", {"confirmed": "yes"}
    )
    assert done.status_code == 303 and await _me(other_browser) is None

    await sign_in(other_browser, world.hanbit_rep.email, world.hanbit_rep.password)
    await submit(client, "/account/sessions", "/account/sessions/others/end", {"confirmed": "yes"})
    assert await _me(other_browser) is None and await _me(client) is not None


async def test_switching_organisation_keeps_the_same_session(client: httpx.AsyncClient, world: World) -> None:
    await Role.create(user=world.samsung_coordinator.user, organization=world.lg, kind=RoleKind.COORDINATOR)
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    switched = await gql(
        client,
        "mutation S($id: Int!) { switchOrganization(organizationId: $id) { me { actingFor { nameKo } } } }",
        {"id": world.lg.id},
    )
    assert switched["switchOrganization"]["me"]["actingFor"]["nameKo"] == "LG전자"
    [row] = await UserSession.all()
    assert row.organization_id == world.lg.id  # type: ignore[attr-defined]
    assert (await _me(client)) == {
        "user": {"email": world.samsung_coordinator.email},
        "actingFor": {"nameKo": "LG전자"},
    }
    assert (await gql(client, SESSIONS))["mySessions"]["nodes"][0]["actingFor"] == {"nameKo": "LG전자"}


async def test_changing_the_password_ends_every_other_session_and_token(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(other_browser, world.lg_coordinator.email, world.lg_coordinator.password)
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    secret = (await gql(client, 'mutation { createApiToken(name: "ERP") { secret } }'))["createApiToken"][
        "secret"
    ]
    change = "mutation C($c: String!, $n: String!) { changePassword(current: $c, new: $n) { done errors { field code } } }"
    wrong = await gql(client, change, {"c": "not-my-password", "n": "a-new-long-password"})
    assert wrong["changePassword"]["errors"] == [{"field": "current", "code": "INVALID_CREDENTIALS"}]
    short = await gql(client, change, {"c": world.lg_coordinator.password, "n": "short"})
    assert short["changePassword"]["errors"] == [{"field": "new", "code": "INVALID"}]
    done = await gql(client, change, {"c": world.lg_coordinator.password, "n": "a-new-long-password"})
    assert done["changePassword"] == {"done": True, "errors": []}
    assert await _me(other_browser) is None
    assert await _me(client) is not None  # this browser got a fresh session
    bearer = await client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {secret}"})
    assert bearer.status_code == 401
    assert await ApiToken.filter(revoked_at=None).count() == 0


async def test_the_password_page_changes_the_password(client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    wrong = await submit(
        client,
        "/account/password",
        "/account/password",
        {"current": "nope-nope-nope", "new": "brand-new-password"},
    )
    assert wrong.status_code == 400 and "현재 비밀번호가 틀렸습니다" in wrong.text
    done = await submit(
        client,
        "/account/password",
        "/account/password",
        {"current": world.hanbit_rep.password, "new": "brand-new-password"},
    )
    assert done.status_code == 303
    assert "비밀번호가 변경되었습니다" in (await client.get(done.headers["location"])).text


async def test_the_secretariat_deactivates_a_person_who_is_signed_out_everywhere(
    client: httpx.AsyncClient, other_browser: httpx.AsyncClient, world: World
) -> None:
    await sign_in(other_browser, world.lg_coordinator.email, world.lg_coordinator.password)
    secret = (await gql(other_browser, 'mutation { createApiToken(name: "ERP") { secret } }'))[
        "createApiToken"
    ]["secret"]
    deactivate = "mutation D($id: Int!) { deactivateUser(userId: $id) { done errors { code } } }"
    refused = await gql(other_browser, deactivate, {"id": world.samsung_coordinator.user.id})
    assert refused["deactivateUser"]["errors"] == [{"code": "FORBIDDEN"}]

    await sign_in(client, world.admin.email, world.admin.password)
    page = await client.get(f"/organizations/{world.lg.id}")
    assert f"/people/{world.lg_coordinator.user.id}/deactivate" in page.text
    asked = await submit(
        client,
        f"/organizations/{world.lg.id}",
        f"/people/{world.lg_coordinator.user.id}/deactivate",
        {"organization_id": str(world.lg.id)},
    )
    assert asked.status_code == 200 and "비활성화할까요" in asked.text
    assert await _me(other_browser) is not None, "asking first deactivates nobody"
    done = await submit(
        client,
        f"/organizations/{world.lg.id}",
        f"/people/{world.lg_coordinator.user.id}/deactivate",
        {"organization_id": str(world.lg.id), "confirmed": "yes"},
    )
    assert done.status_code == 303
    assert await _me(other_browser) is None
    bearer = await client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {secret}"})
    assert bearer.status_code == 401
    again = await gql(
        other_browser,
        "mutation S($e: String!, $p: String!) { signIn(email: $e, password: $p) { errors { code } } }",
        {"e": world.lg_coordinator.email, "p": world.lg_coordinator.password},
    )
    assert again["signIn"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert "비활성화됨" in (await client.get(f"/organizations/{world.lg.id}")).text
