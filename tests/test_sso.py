"""Conglomerate staff sign in with their company's OpenID Connect provider, matched by verified e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from server.models import Invitation, Role, User, UserSession
from server.platform.timeutil import now
from tests.support.graphql import gql
from tests.support.world import World


async def _provider_signs_in(
    client: httpx.AsyncClient, provider: str, sub: str, claims: dict[str, object]
) -> httpx.Response:
    """Drive the code flow as a browser would: our redirect, the provider's form, back to our callback."""
    async with httpx.AsyncClient() as browser:
        assert (await browser.put(f"{provider}/users/{sub}", json={"sub": sub, **claims})).status_code == 204
        start = await client.get("/sso/start")
        assert start.status_code in (302, 303, 307), start.text
        authorize = start.headers["location"]
        assert authorize.startswith(provider)
        decision = await browser.post(authorize, data={"sub": sub})
        callback = urlsplit(decision.headers["location"])
    assert callback.path == "/sso/callback"
    return await client.get(f"{callback.path}?{callback.query}")


async def test_an_invited_coordinator_signs_in_with_the_company_account(
    sso_client: httpx.AsyncClient, oidc_provider: str, world: World
) -> None:
    await Invitation.create(
        email="sso.user@samsung.test",
        organization=world.samsung,
        role="coordinator",
        token_hash="x" * 64,
        invited_by=world.admin.user,
        expires_at=now().replace(year=now().year + 1),
    )
    done = await _provider_signs_in(
        sso_client,
        oidc_provider,
        "emp-1001",
        {"email": "SSO.User@samsung.test", "email_verified": True, "name": "정보안"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    me = await gql(sso_client, "{ me { user { email name } role actingFor { nameKo } } }")
    assert me["me"] == {
        "user": {"email": "sso.user@samsung.test", "name": "정보안"},
        "role": "COORDINATOR",
        "actingFor": {"nameKo": "삼성전자"},
    }
    user = await User.get(email="sso.user@samsung.test")
    assert await UserSession.filter(user_id=user.id, revoked_at=None).count() == 1  # revocable on the server
    assert user.password_hash is None and user.oidc_subject == f"{oidc_provider}|emp-1001"
    assert (await Invitation.get(email="sso.user@samsung.test")).accepted_at is not None


async def test_an_existing_person_is_matched_by_verified_e_mail_once_then_by_subject(
    sso_client: httpx.AsyncClient, oidc_provider: str, world: World
) -> None:
    email = world.samsung_coordinator.email
    first = await _provider_signs_in(
        sso_client, oidc_provider, "emp-2002", {"email": email, "email_verified": True}
    )
    assert first.status_code == 303
    await gql(sso_client, "mutation { signOut { signedOut } }")
    # The company changes the address; the subject still identifies the same person.
    again = await _provider_signs_in(
        sso_client, oidc_provider, "emp-2002", {"email": "renamed@samsung.test", "email_verified": True}
    )
    assert again.status_code == 303
    me = await gql(sso_client, "{ me { user { email } } }")
    assert me["me"]["user"]["email"] == email


async def test_an_unverified_or_uninvited_e_mail_is_refused(
    sso_client: httpx.AsyncClient, oidc_provider: str, world: World
) -> None:
    unverified = await _provider_signs_in(
        sso_client,
        oidc_provider,
        "emp-3003",
        {"email": world.samsung_coordinator.email, "email_verified": False},
    )
    assert unverified.status_code == 403 and "인증된 이메일 주소가 없습니다" in unverified.text
    stranger = await _provider_signs_in(
        sso_client, oidc_provider, "emp-4004", {"email": "stranger@samsung.test", "email_verified": True}
    )
    assert stranger.status_code == 403
    assert not await User.exists(email="stranger@samsung.test")
    assert await Role.filter(user__email=world.samsung_coordinator.email).count() == 1
    assert (await gql(sso_client, "{ me { role } }"))["me"] is None


async def test_the_sign_in_page_offers_the_company_button_only_when_configured(
    sso_client: httpx.AsyncClient, client: httpx.AsyncClient, db: object
) -> None:
    assert "/sso/start" in (await sso_client.get("/signin")).text
    assert "/sso/start" not in (await client.get("/signin")).text
    assert (await client.get("/sso/start")).status_code == 404
