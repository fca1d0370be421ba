"""The Starlette application: routes of both doors, middleware and lifespan."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Route
from starlette.types import ASGIApp

from server.platform.db import close_database, open_database
from server.platform.outbox import MailWorker, log_transport, smtp_transport
from server.platform.settings import Settings, load_settings
from web.error_reports import setup_error_reports
from web.logs import setup_logging
from web.metrics import install_statement_hook, metrics_endpoint
from web.middleware import BodySizeLimit, RefuseNulInAddress, SecurityHeaders, ServesSettings
from web.periodic import start_background_work, stop_background_work
from web.sessions import BearerTokenGate
from web.telemetry import RequestTelemetry

SESSION_COOKIE = "club_session"


def tune_garbage_collection() -> None:
    """For a serving process, once the app is built: fewer, cheaper pauses of the cycle collector.

    A request allocates tens of thousands of objects; with Python's default thresholds the collector
    ran often and its full passes walked the schema, the ORM's metadata and the templates every time.
    Those live for the whole process: frozen, they are left out; the higher thresholds make passes
    rarer, which shortens the slowest requests under load (measure with bench/screens.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 50)


def mail_worker(settings: Settings) -> MailWorker:
    transport = (
        smtp_transport(settings.smtp_url, settings.mail_from)
        if settings.smtp_url
        else log_transport(production=settings.production)
    )
    return MailWorker(transport, settings.mail_from)


def serving_app() -> Starlette:
    """What `club serve` hands uvicorn as an import string: each worker process calls it, so every one
    sets up logging and tunes its collector the same way (settings come from the environment, which
    `club serve` completed with BASE_URL)."""
    settings = load_settings()
    setup_logging(settings)
    setup_error_reports(settings)
    app = create_app(settings)
    tune_garbage_collection()
    return app


class ClubApp(Starlette):
    """Starlette with the request telemetry (web/telemetry.py) outside even its error middleware."""

    telemetry = True

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return RequestTelemetry(stack) if self.telemetry else stack


def create_app(
    settings: Settings | None = None, *, run_workers: bool = True, telemetry: bool = True
) -> Starlette:
    """`telemetry=False` leaves out request ids, the request log line and the metrics
    (bench/telemetry_overhead.py measures what they cost)."""
    from frontend import error_handlers, page_routes
    from schema import graphql_routes

    settings = settings or load_settings()
    worker = mail_worker(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await open_database(settings.database_url)
        tasks = start_background_work(settings, worker) if run_workers and settings.run_jobs else []
        try:
            yield
        finally:
            await stop_background_work(tasks)
            await close_database()

    if telemetry:
        install_statement_hook()
    app = ClubApp(
        debug=False,
        routes=[*graphql_routes(settings), *page_routes(settings), Route("/metrics", metrics_endpoint)],
        middleware=[
            Middleware(ServesSettings, settings=settings),
            Middleware(SecurityHeaders, production=settings.production),
            Middleware(RefuseNulInAddress),
            Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie=SESSION_COOKIE,
                # The row decides when a session ends; the cookie need not outlive it.
                max_age=int(settings.session_lifetime.total_seconds()),
                same_site="lax",
                https_only=settings.production,
            ),
            Middleware(BearerTokenGate),
        ],
        exception_handlers=error_handlers(),
        lifespan=lifespan,
    )
    app.telemetry = telemetry
    app.state.settings = settings
    app.state.mail_worker = worker
    return app
