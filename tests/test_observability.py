"""What an operator watches: a request id on every line and answer, logs without personal data, /metrics."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from server.platform.outbox import queue_mail
from server.platform.settings import Settings
from server.platform.timeutil import now
from tests.support.pages import sign_in_page
from tests.support.world import PASSWORD, World
from web.app import create_app
from web.logs import JsonFormatter, RequestIdFilter


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the process writes with LOG_FORMAT=json, one object a line."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def _lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


async def test_every_answer_carries_a_request_id_and_a_sane_incoming_one_is_kept(
    client: httpx.AsyncClient,
) -> None:
    made = await client.get("/signin")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    kept = await client.get("/signin", headers={"X-Request-ID": "nginx-5f2b9c1d7e"})
    assert kept.headers["x-request-id"] == "nginx-5f2b9c1d7e"
    for odd in ("short", "x" * 200, "two words here", "<script>alert(1)</script>"):
        replaced = await client.get("/signin", headers={"X-Request-ID": odd})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])


async def test_each_log_line_of_a_request_names_it_and_the_route_not_the_path(
    client: httpx.AsyncClient, world: World, json_log: io.StringIO
) -> None:
    await sign_in_page(client, world.samsung_coordinator.email, PASSWORD)
    answer = await client.get("/claims/987654", headers={"X-Request-ID": "req-claim-987654"})
    assert answer.status_code == 404
    lines = [line for line in _lines(json_log) if line["request_id"] == "req-claim-987654"]
    request_line = next(line for line in lines if line["logger"] == "club.request")
    assert request_line["route"] == "/claims/{claim_id}" and request_line["status"] == 404
    assert "987654" not in request_line["message"]
    # The SQL the request ran, with its values, never reaches the log.
    assert not any(line["logger"].startswith("tortoise") for line in _lines(json_log))  # type: ignore[union-attr]
    assert world.samsung_coordinator.email not in json_log.getvalue()


def _series(text: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus's text format (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        named = line.startswith(name + "{") or line.startswith(name + " ")
        if named and all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_metrics_count_requests_by_route_template_with_their_sql_statements(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_page(client, world.samsung_coordinator.email, PASSWORD)
    before = (await client.get("/metrics")).text
    for claim_id in (1001, 1002, 1003):
        await client.get(f"/claims/{claim_id}")
    await client.get("/partners")
    text = (await client.get("/metrics")).text
    route = {"route": "/claims/{claim_id}"}
    counted = _series(text, "club_http_requests_total", status="404", **route)
    assert counted - _series(before, "club_http_requests_total", status="404", **route) == 3
    assert "/claims/1001" not in text  # never a label per id
    assert _series(text, "club_http_request_duration_seconds_count", route="/partners") >= 1
    assert _series(text, "club_http_request_sql_statements_sum", route="/partners") > 0


async def test_metrics_show_the_outbox_backlog_its_oldest_mail_and_payments(
    client: httpx.AsyncClient, world: World
) -> None:
    await queue_mail(
        "a@club.test", "password_reset", user=world.admin.user, link="http://x/r", expires_at=now()
    )
    text = (await client.get("/metrics")).text
    assert _series(text, "club_outbox_mail_waiting", status="pending") >= 1
    assert _series(text, "club_outbox_oldest_waiting_seconds") >= 0
    assert "# TYPE club_payments gauge" in text
    assert "# TYPE club_job_passes_total counter" in text


async def test_with_a_metrics_token_a_scrape_must_present_it(settings: Settings) -> None:
    app = create_app(
        dataclasses.replace(settings, metrics_token="scrape-token-0123456789"), run_workers=False
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        assert (await http.get("/metrics")).status_code == 401
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401
        right = await http.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
        assert right.status_code == 200 and "club_http_requests_total" in right.text
