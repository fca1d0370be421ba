"""Tortoise ORM configuration: one app, its models and its migrations."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from asyncpg import Connection
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

# Writers (requests and the mail worker) share one SQLite file: wait for the
# lock instead of failing at once.
SQLITE_PRAGMAS = {"busy_timeout": "5000"}


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(extra)
    return urlunsplit(parts._replace(query=urlencode(query)))


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite:")


async def _keep_session(connection: Connection) -> None:
    """Nothing to undo when a PostgreSQL connection goes back to the pool.

    asyncpg's default reset sends `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` after
    every query Tortoise runs outside a transaction: a second round trip each time. This app takes
    advisory locks only for a transaction (they end with it), opens no cursors, listens to nothing
    and sets nothing on its sessions; an open transaction is still rolled back by the pool before
    this is called.
    """


def _connection(database_url: str, *, for_migrations: bool) -> str | dict[str, Any]:
    if is_sqlite(database_url):
        extra = dict(SQLITE_PRAGMAS)
        if for_migrations:
            # Altering a referenced table rebuilds it; with foreign keys on,
            # the DROP would cascade into the rows that reference it.
            extra["foreign_keys"] = "OFF"
        return _with_query(database_url, extra)
    expanded = expand_db_url(database_url)
    expanded["credentials"]["reset"] = _keep_session
    return expanded


def tortoise_config(database_url: str, *, for_migrations: bool = False) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(database_url, for_migrations=for_migrations)},
        "apps": {
            "club": {
                "models": ["server.models"],
                "migrations": "migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str) -> None:
    # Tortoise 1.x keeps connections in a context variable; the app's lifespan
    # runs in another task than its requests, so share them process-wide
    # (what tortoise.contrib.starlette.RegisterTortoise does too).
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def migrate_database(database_url: str) -> None:
    from tortoise.migrations.api import migrate

    await migrate(config=tortoise_config(database_url, for_migrations=True))
    await Tortoise.close_connections()
