"""The world the tests run in: a migrated database and the real peers the platform talks to.

One pytest run uses one backend (`--backend sqlite|postgres`): Tortoise binds its
models to the first database's dialect for the life of the process. `make test`
runs the suite on SQLite and again on PostgreSQL when TEST_DATABASE_URL is set.
Each run gets a fresh database built by the migrations, never by generate_schemas.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import pytest_asyncio
import uvicorn
from tortoise import Tortoise
from tortoise.connection import get_connection

from server.money.reconcile import check_books
from server.platform.config import configure
from server.platform.db import close_database, is_sqlite, migrate_database, open_database
from server.platform.outbox import MailWorker, smtp_transport
from server.platform.settings import OidcSettings, Settings, StripeSettings
from tests.support import processes
from tests.support.queries import QueryCounter
from tests.support.smtp import SmtpServer, free_port
from tests.support.world import World, build_world
from web.app import create_app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=["sqlite", "postgres"], default="sqlite")


def backend_of(config: pytest.Config) -> str:
    return str(config.getoption("--backend"))


def pytest_configure(config: pytest.Config) -> None:
    if backend_of(config) == "postgres" and not TEST_DATABASE_URL:
        raise pytest.UsageError("--backend postgres needs TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {backend_of(config)}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres_only") and backend_of(item.config) != "postgres":
        pytest.skip("proves nothing on SQLite (no row locks): runs in the PostgreSQL pass of make test")


class Database:
    def __init__(self, url: str, backend: str) -> None:
        self.url = url
        self.backend = backend

    @property
    def is_postgres(self) -> bool:
        return self.backend == "postgres"


def _with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _on_postgres_server(statement: str) -> None:
    """Run a statement (CREATE/DROP DATABASE) through the TEST_DATABASE_URL connection."""
    import asyncpg

    assert TEST_DATABASE_URL
    admin = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


@pytest_asyncio.fixture(scope="session")
async def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    backend = backend_of(request.config)
    if backend == "postgres":
        name = f"club_test_{uuid.uuid4().hex[:10]}"
        await _on_postgres_server(f'CREATE DATABASE "{name}"')
        assert TEST_DATABASE_URL
        # A pool wide enough for the race tests' concurrent transactions.
        url = _with_database_name(TEST_DATABASE_URL, name) + "?minsize=1&maxsize=40"
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'club.sqlite3'}"
    await migrate_database(url)
    await open_database(url)
    try:
        yield Database(url, backend)
    finally:
        await close_database()
        if backend == "postgres":
            await _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables() -> list[str]:
    tables: list[str] = []
    for model in Tortoise.apps["club"].values():
        tables.append(model._meta.db_table)
        for field_name in model._meta.m2m_fields:
            through = model._meta.fields_map[field_name].through  # type: ignore[attr-defined]
            if through not in tables:
                tables.append(through)
    return tables


@pytest_asyncio.fixture
async def db(database: Database, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A database with every table empty when the test starts; the books must agree when it ends."""
    yield database
    try:
        if not request.node.get_closest_marker("corrupts_books"):
            assert await check_books() == [], "the test left the ledger and the claims disagreeing"
    finally:
        await _empty_tables(database)


async def _empty_tables(database: Database) -> None:
    connection = get_connection("default")
    tables = _tables()
    if is_sqlite(database.url):
        await connection.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "DELETE FROM sqlite_sequence; PRAGMA foreign_keys=ON;"
        )
    else:
        quoted = ", ".join(f'"{t}"' for t in tables)
        await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture
def settings(db: Database) -> Settings:
    """Also what services called directly by a test read; an app serves its own settings to its requests."""
    value = Settings(
        environment="development",
        database_url=db.url,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        base_url="http://testserver",
        smtp_url=None,
        mail_from="Club <noreply@techclub.test>",
        oidc=None,
        stripe=None,
    )
    configure(value)
    return value


@pytest_asyncio.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, run_workers=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def queries() -> Iterator[QueryCounter]:
    with QueryCounter.installed() as counter:
        yield counter


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        if "browser" in str(Path(str(item.fspath)).relative_to(root)):
            item.add_marker(pytest.mark.browser)


@pytest_asyncio.fixture
async def world(settings: Settings) -> World:
    """Built with the settings configured, so a test calling services directly reads the same settings as a page."""
    return await build_world()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_worker(smtp: SmtpServer, settings: Settings) -> MailWorker:
    return MailWorker(smtp_transport(smtp.url, settings.mail_from), settings.mail_from)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """A real OpenID Connect provider (oidc-provider-mock) on a free local port."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    process = processes.start(
        [str(processes.BIN / "oidc-provider-mock"), "--port", str(port)],
        f"{issuer}/.well-known/openid-configuration",
    )
    try:
        yield issuer
    finally:
        processes.stop(process)


@pytest_asyncio.fixture
async def sso_client(settings: Settings, oidc_provider: str) -> AsyncIterator[httpx.AsyncClient]:
    with_sso = dataclasses.replace(
        settings, oidc=OidcSettings(oidc_provider, "techclub-test", "client-secret", "Samsung SSO")
    )
    app = create_app(with_sso, run_workers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield http


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PRESENT = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The app on a real port, served by uvicorn inside the test's event loop."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    app = create_app(dataclasses.replace(settings, base_url=base_url), run_workers=False)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.02)
    try:
        yield base_url
    finally:
        server.should_exit = True
        await task


@pytest_asyncio.fixture
async def live_server(settings: Settings) -> AsyncIterator[str]:
    async with serving(settings) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def stripe_api() -> Iterator[str]:
    """localstripe: a stateful fake of Stripe's API (and of Stripe.js) on a free local port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # localstripe saves its store to a fixed /tmp file and reloads it at start: a peer stopped mid-write
    # left it truncated and the next run could not start. Each run begins empty.
    process = processes.start(
        [str(processes.BIN / "localstripe"), "--port", str(port), "--from-scratch"],
        f"{base}/js.stripe.com/v3/",
    )
    try:
        yield base
    finally:
        processes.stop(process)


@pytest.fixture
def stripe_settings(settings: Settings, stripe_api: str) -> Settings:
    config = StripeSettings(
        secret_key="sk_test_club",
        publishable_key="pk_test_club",
        webhook_secret="whsec_club_test_secret",
        api_base=stripe_api,
    )
    value = dataclasses.replace(settings, stripe=config)
    configure(value)
    return value


@pytest_asyncio.fixture
async def paying_client(stripe_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with Stripe switched on, in-process: Stripe's own webhooks cannot reach it."""
    app = create_app(stripe_settings, run_workers=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        yield http


@pytest_asyncio.fixture
async def stripe_server(stripe_settings: Settings, stripe_api: str) -> AsyncIterator[str]:
    """The app with Stripe switched on, its webhook registered at localstripe."""
    async with serving(stripe_settings) as base_url:
        assert stripe_settings.stripe is not None
        async with httpx.AsyncClient() as http:
            registered = await http.post(
                f"{stripe_api}/_config/webhooks/club",
                data={"url": f"{base_url}/stripe/webhook", "secret": stripe_settings.stripe.webhook_secret},
            )
            registered.raise_for_status()
        yield base_url


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM_PRESENT:
        pytest.skip("Chromium is not installed (apt-get install chromium): browser journeys were NOT run")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture
async def page(browser: Any, live_server: str) -> AsyncIterator[Any]:
    context = await browser.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
    )
    try:
        yield await context.new_page()
    finally:
        await context.close()
