"""Password guessing is slowed and refused per client address, without letting a stranger lock anyone out."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import time

import httpx
import pytest

from server.models import SignInThrottle, UserSession
from server.platform.settings import ConfigurationError, Settings, SignInLimits, load_settings
from tests.support.addresses import Browser, browsers_at
from tests.support.graphql import SIGN_IN, gql
from tests.support.world import World

LIMITS = SignInLimits(
    address_slow_after=3, address_limit=6, account_slow_after=2, delay_step=0.3, max_delay=0.6
)


@pytest.fixture
def browser_at(settings: Settings) -> Browser:
    """Small limits and a trusted proxy network."""
    return browsers_at(
        dataclasses.replace(
            settings, sign_in_limits=LIMITS, trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),)
        )
    )


async def _attempt(
    client: httpx.AsyncClient, email: str, password: str, **kw: object
) -> list[dict[str, str]]:
    data = await gql(client, SIGN_IN, {"email": email, "password": password}, **kw)
    return list(data["signIn"]["errors"])


async def test_many_e_mails_from_one_address_are_slowed_then_refused(
    browser_at: Browser, world: World
) -> None:
    async with browser_at("203.0.113.9") as sprayer, browser_at("198.51.100.7") as elsewhere:
        for n in range(LIMITS.address_limit):
            started = time.monotonic()
            errors = await _attempt(sprayer, f"guess{n}@club.test", "spring-2026-!")
            assert errors[0]["code"] == "INVALID_CREDENTIALS"
            if n >= LIMITS.address_slow_after:
                assert time.monotonic() - started >= LIMITS.delay_step  # waited before the check
        refused = await _attempt(sprayer, world.admin.email, world.admin.password)
        assert refused[0]["code"] == "THROTTLED"
        assert await _attempt(elsewhere, world.admin.email, world.admin.password) == []


async def test_a_stranger_cannot_lock_the_owner_out_of_their_own_address(
    browser_at: Browser, world: World
) -> None:
    async with browser_at("203.0.113.9") as stranger, browser_at("198.51.100.7") as owner:
        for _ in range(LIMITS.pair_lock_after):
            await _attempt(stranger, world.samsung_coordinator.email, "guess-guess-guess")
        locked = await _attempt(stranger, world.samsung_coordinator.email, world.samsung_coordinator.password)
        assert locked == [
            {
                "field": None,
                "code": "THROTTLED",
                "message": "Too many failed sign-ins. Try again in 15 minutes.",
            }
        ]
        # From the owner's address the account is only slowed (a capped delay), and the right password works.
        started = time.monotonic()
        assert (
            await _attempt(owner, world.samsung_coordinator.email, world.samsung_coordinator.password) == []
        )
        assert time.monotonic() - started >= LIMITS.delay_step


async def test_behind_a_trusted_proxy_the_forwarded_address_counts_and_elsewhere_it_is_ignored(
    browser_at: Browser, world: World
) -> None:
    async with browser_at("10.0.0.2") as proxy, browser_at("203.0.113.9") as direct:
        forwarded = {"X-Forwarded-For": "192.0.2.44, 10.0.0.7"}
        await _attempt(proxy, "nobody@club.test", "guess-guess-guess", headers=forwarded)
        assert await _attempt(proxy, world.admin.email, world.admin.password, headers=forwarded) == []
        assert (await UserSession.get()).client_address == "192.0.2.44"
        await _attempt(
            direct, "nobody@club.test", "guess-guess-guess", headers={"X-Forwarded-For": "192.0.2.99"}
        )
    keys = sorted(t.key for t in await SignInThrottle.filter(key__startswith="address:"))
    assert keys == ["address:192.0.2.44", "address:203.0.113.9"]


async def test_aliased_sign_ins_in_one_request_are_refused_before_any_password_is_checked(
    client: httpx.AsyncClient, world: World
) -> None:
    many = " ".join(
        f'a{n}: signIn(email: "{world.admin.email}", password: "guess-{n}-guess") {{ errors {{ code }} }}'
        for n in range(5)
    )
    response = await client.post("/graphql", json={"query": f"mutation {{ {many} }}"})
    body = response.json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TOO_MANY_PASSWORD_CHECKS"]
    mixed = (
        'mutation { signIn(email: "a@b.c", password: "x") { errors { code } } '
        'acceptInvitation(token: "t", password: "y") { errors { code } } }'
    )
    assert (await client.post("/graphql", json={"query": mixed})).json()["errors"][0]["extensions"] == {
        "code": "TOO_MANY_PASSWORD_CHECKS"
    }
    batched = await client.post(
        "/graphql", json=[{"query": SIGN_IN, "variables": {"email": "a@b.c", "password": "x"}}] * 3
    )
    assert batched.status_code == 400
    assert not await SignInThrottle.exists()  # nothing was even counted: no hash ran


def test_trusted_proxies_and_session_limits_come_from_the_environment() -> None:
    configured = load_settings(
        {
            "SECRET_KEY": "x" * 40,
            "TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
            "SESSION_IDLE_MINUTES": "30",
            "SESSION_MAX_HOURS": "8",
        }
    )
    assert configured.trusted_proxies == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    assert (configured.session_idle.total_seconds(), configured.session_lifetime.total_seconds()) == (
        1800,
        28800,
    )
    assert load_settings({"SECRET_KEY": "x" * 40}).trusted_proxies == ()
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES"):
        load_settings({"SECRET_KEY": "x" * 40, "TRUSTED_PROXIES": "proxy.local"})


@pytest.mark.postgres_only
async def test_failures_at_the_same_moment_are_all_counted(browser_at: Browser, world: World) -> None:
    async with browser_at("203.0.113.50") as guesser:
        await asyncio.gather(*(_attempt(guesser, world.admin.email, f"guess-{n}-guess") for n in range(4)))
    counts = {t.key: t.failures for t in await SignInThrottle.all()}
    assert counts == {
        "address:203.0.113.50": 4,
        f"account:{world.admin.email}": 4,
        f"pair:{world.admin.email}|203.0.113.50": 4,
    }
