"""Services read the settings of the application that called them, never a value each door must pass."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import pytest_asyncio

from server.models import Claim, ServiceCode
from server.platform import config
from server.platform.settings import ConfigurationError, Settings, load_settings
from tests.support.costs import claim, commitment
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.world import World
from web.app import create_app

APPROVE = "mutation($id: Int!) { approveClaim(claimId: $id) { errors { code } } }"


@pytest.fixture
def three_day_settings(settings: Settings) -> Settings:
    return load_settings(
        {
            "CLAIM_PAYMENT_DAYS": "3",
            "DATABASE_URL": settings.database_url,
            "SECRET_KEY": settings.secret_key,
            "BASE_URL": settings.base_url,
        }
    )


@pytest_asyncio.fixture
async def three_day_client(three_day_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second application in this process, beside `client`, whose claims are due in three days."""
    app = create_app(three_day_settings, run_workers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield http


async def days_to_pay(claim_id: int) -> timedelta:
    approved = await Claim.get(id=claim_id)
    assert approved.decided_at is not None and approved.payment_due_at is not None
    return approved.payment_due_at - approved.decided_at


async def test_claim_payment_days_from_the_environment_set_the_due_date_through_both_doors(
    client: httpx.AsyncClient, three_day_client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=3_000_000)
    by_api, by_page, by_other_app = [
        await claim(world.hanbit_rep, pledge, code) for code in list(ServiceCode)[:3]
    ]
    coordinator = world.samsung_coordinator

    await sign_in(three_day_client, coordinator.email, coordinator.password)
    assert (await gql(three_day_client, APPROVE, {"id": by_api.id}))["approveClaim"]["errors"] == []
    await sign_in_as(three_day_client, coordinator.email, coordinator.password)
    url = f"/claims/{by_page.id}"
    assert (await submit(three_day_client, url, f"{url}/approve", {})).status_code == 303
    await sign_in(client, coordinator.email, coordinator.password)
    assert (await gql(client, APPROVE, {"id": by_other_app.id}))["approveClaim"]["errors"] == []

    assert await days_to_pay(by_api.id) == timedelta(days=3)
    assert await days_to_pay(by_page.id) == timedelta(days=3)
    # The application beside it keeps its own (default) term in the same process.
    assert await days_to_pay(by_other_app.id) == timedelta(days=14)


def test_a_service_outside_any_application_refuses_clearly_until_configured(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config, "_configured", [])
    with pytest.raises(ConfigurationError, match="not configured"):
        config.settings()
    config.configure(settings)
    assert config.settings() is settings
