"""Prometheus series and `/metrics`.

Counters and histograms live in each process; with several processes (`club serve --workers N` and
`club worker`) they are written to PROMETHEUS_MULTIPROC_DIR and summed at scrape time (`club serve`
makes one when N > 1 and none is set). Outbox and payment figures are read from the database when
scraped (server/platform/vitals.py). With METRICS_TOKEN set, a scrape needs "Authorization: Bearer <it>".
"""

from __future__ import annotations

import hmac
import logging
import os
from contextvars import ContextVar
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

from server.platform.vitals import Vitals, read_vitals

REQUESTS = Counter("club_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "club_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
STATEMENTS = Histogram(
    "club_http_request_sql_statements",
    "SQL statements one HTTP request ran",
    ["route"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100),
)
JOB_PASSES = Counter("club_job_passes", "Passes of the periodic jobs and the mail worker", ["job", "outcome"])


@dataclass
class StatementCount:
    count: int = 0

    def __enter__(self) -> StatementCount:
        self._token = _counting.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _counting.reset(self._token)


_counting: ContextVar[StatementCount | None] = ContextVar("club_sql_statements", default=None)


class _StatementHook(logging.Filter):
    """Tortoise logs each statement to `tortoise.db_client` at DEBUG as "%s: %s" (the hook the tests'
    QueryCounter reads). This filter on that logger counts them into the current request, then drops
    every record there unless a handler of that very logger listens (a test's QueryCounter): statements
    and their values never reach the output, which they would fill with personal data."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self.logger = logger

    def filter(self, record: logging.LogRecord) -> bool:
        counting = _counting.get()
        if counting is not None and record.msg == "%s: %s":
            counting.count += 1
        return bool(self.logger.handlers)


def install_statement_hook() -> None:
    logger = logging.getLogger("tortoise.db_client")
    if not any(isinstance(f, _StatementHook) for f in logger.filters):
        logger.addFilter(_StatementHook(logger))
        logger.setLevel(logging.DEBUG)


def count_statements() -> StatementCount:
    return StatementCount()


def observe_request(method: str, route: str, status: int, seconds: float, statements: int) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)
    STATEMENTS.labels(route).observe(statements)


def job_pass(job: str, *, failed: bool) -> None:
    JOB_PASSES.labels(job, "failed" if failed else "ok").inc()


def _vitals_families(vitals: Vitals) -> list[GaugeMetricFamily]:
    waiting = GaugeMetricFamily(
        "club_outbox_mail_waiting", "Mails not sent yet, by status", labels=["status"]
    )
    for status, count in sorted(vitals.mail_waiting.items()):
        waiting.add_metric([status], count)
    oldest = GaugeMetricFamily(
        "club_outbox_oldest_waiting_seconds", "Age of the oldest mail not sent yet (0: none waits)"
    )
    oldest.add_metric([], vitals.oldest_waiting_mail_seconds)
    payments = GaugeMetricFamily(
        "club_payments", "Payments by method and outcome", labels=["method", "status"]
    )
    for (method, status), count in sorted(vitals.payments.items()):
        payments.add_metric([method, status], count)
    return [waiting, oldest, payments]


class _Fixed:
    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> list[GaugeMetricFamily]:
        return self.families


async def metrics_endpoint(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if token and not hmac.compare_digest(request.headers.get("authorization", ""), f"Bearer {token}"):
        return Response("Unauthorized\n", status_code=401, headers={"WWW-Authenticate": "Bearer"})
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(_Fixed(_vitals_families(await read_vitals())))
    return Response(body + generate_latest(database), media_type=CONTENT_TYPE_LATEST)
