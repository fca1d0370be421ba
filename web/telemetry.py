"""What every request leaves behind: a request id on its log lines and in its answer, one log line,
and its share of the Prometheus series (web/metrics.py).

It wraps the whole application, outside Starlette's error middleware, so an answer 500 also carries
its id and is counted. Requests are labelled by their route's template (`/claims/{claim_id}`), never
by the raw path: paths hold ids and tokens, and a label per id would grow without end.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web import metrics
from web.logs import request_id

log = logging.getLogger("club.request")

HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._:-]{8,128}")
UNMATCHED = "<unmatched>"
QUIET = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapes: logged at DEBUG only


def incoming_id(scope: Scope) -> str:
    """The caller's X-Request-ID (e.g. nginx's $request_id) when it looks like one, else a new one."""
    for name, value in scope["headers"]:
        if name == HEADER:
            return value.decode("ascii") if _SANE.fullmatch(value) else uuid.uuid4().hex
    return uuid.uuid4().hex


def route_of(scope: Scope) -> str:
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    if template is None:
        return UNMATCHED
    return f"{template}/{{path}}" if isinstance(route, Mount) else str(template)


class RequestTelemetry:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = incoming_id(scope)
        # Not reset afterwards: each request runs in its own task, and uvicorn's report of an
        # unhandled error, logged after this returns, carries the id too.
        request_id.set(rid)
        status = 500
        started = time.perf_counter()
        statements = metrics.count_statements()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode("ascii"))]
            await send(message)

        try:
            with statements:
                await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = route_of(scope)
            metrics.observe_request(scope["method"], route, status, elapsed, statements.count)
            log.log(
                logging.DEBUG if route in QUIET else logging.INFO,
                "%s %s %s %.1f ms",
                scope["method"],
                route,
                status,
                elapsed * 1000,
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
