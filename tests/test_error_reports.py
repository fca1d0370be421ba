"""With SENTRY_DSN set, an unhandled error is reported to Sentry, without personal data or secrets."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport
from starlette.requests import Request
from starlette.routing import Route

from server.platform.settings import Settings
from web.app import create_app
from web.error_reports import setup_error_reports


class Captured(Transport):
    events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def reports() -> Iterator[list[dict[str, Any]]]:
    Captured.events = []
    yield Captured.events
    sentry_sdk.get_client().close()
    # Reports off again for the tests after this one. Not `sentry_sdk.init()`: with no DSN it still makes a
    # client with the automatic integrations, whose Strawberry one then watches every schema built later.
    sentry_sdk.get_global_scope().set_client(None)


async def _boom(request: Request) -> None:
    raise RuntimeError("the ledger is on fire")


async def test_an_unhandled_error_is_reported_without_cookies_or_secret_links(
    settings: Settings, reports: list[dict[str, Any]]
) -> None:
    with_dsn = dataclasses.replace(settings, sentry_dsn="http://public@127.0.0.1:9/1")
    assert setup_error_reports(with_dsn, transport=Captured)
    app = create_app(with_dsn, run_workers=False)
    app.router.routes.append(Route("/invitations/{token}/boom", _boom))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies={"club_session": "cookie-value"}
    ) as http:
        answer = await http.get("/invitations/s3cret-token/boom?email=kim@samsung.test")
    assert answer.status_code == 500
    sentry_sdk.flush()
    assert reports, "nothing was reported"
    event = reports[0]
    assert event["exception"]["values"][-1]["value"] == "the ledger is on fire"
    assert event["transaction"] == "/invitations/{token}/boom"
    flat = repr(event)
    assert "s3cret-token" not in flat and "cookie-value" not in flat and "kim@samsung.test" not in flat


def test_without_a_dsn_nothing_is_reported(settings: Settings) -> None:
    assert not setup_error_reports(settings)
