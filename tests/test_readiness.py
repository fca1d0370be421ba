"""A load balancer sends requests only to a process whose database answers and holds every migration."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from tortoise.connection import get_connection
from tortoise.migrations.api import migrate

from server.platform.db import close_database, open_database, tortoise_config
from tests.conftest import TEST_DATABASE_URL, Database, _on_postgres_server, _with_database_name

MIGRATIONS = sorted(path.stem for path in (Path(__file__).parent.parent / "migrations").glob("[0-9]*.py"))


@asynccontextmanager
async def serving_from(url: str, db: Database) -> AsyncIterator[None]:
    """The app's requests use the database at `url` until the block ends."""
    await close_database()
    await open_database(url)
    try:
        yield
    finally:
        await close_database()
        await open_database(db.url)  # back to the suite's database


@asynccontextmanager
async def database_migrated_to(target: str, db: Database, tmp_path: Path) -> AsyncIterator[str]:
    if db.is_postgres:
        assert TEST_DATABASE_URL
        name = f"club_ready_{uuid.uuid4().hex[:10]}"
        await _on_postgres_server(f'CREATE DATABASE "{name}"')
        url = _with_database_name(TEST_DATABASE_URL, name)
    else:
        url = f"sqlite://{tmp_path}/earlier.sqlite3"
    try:
        await migrate(config=tortoise_config(url, for_migrations=True), target=f"club.{target}")
        await get_connection("default").close()
        yield url
    finally:
        if db.is_postgres:
            await close_database()
            await open_database(db.url)
            await _on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_database_migrated_to_the_code_s_head_is_ready(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    assert (await client.get("/healthz")).status_code == 200


async def test_a_database_one_migration_behind_is_not_ready_and_says_which(
    client: httpx.AsyncClient, db: Database, tmp_path: Path
) -> None:
    *_, before_last, last = MIGRATIONS
    async with database_migrated_to(before_last, db, tmp_path) as url, serving_from(url, db):
        ready = await client.get("/readyz")
        health = await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "reason": "migrations pending", "pending": [last]}
    assert health.status_code == 200


async def test_a_database_that_does_not_answer_is_not_ready_while_the_process_stays_healthy(
    client: httpx.AsyncClient, db: Database, tmp_path: Path
) -> None:
    unreachable = (
        "postgres://postgres@127.0.0.1:1/club"
        if db.is_postgres
        else f"sqlite://{tmp_path}/no-such-directory/club.sqlite3"
    )
    async with serving_from(unreachable, db):
        ready = await client.get("/readyz")
        health = await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "reason": "database unavailable"}
    assert health.status_code == 200 and health.text == "ok"
