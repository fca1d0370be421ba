"""Tortoise ORM configuration: one app, its models and its migrations."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tortoise import Tortoise

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


def tortoise_config(database_url: str, *, for_migrations: bool = False) -> dict[str, Any]:
    if is_sqlite(database_url):
        extra = dict(SQLITE_PRAGMAS)
        if for_migrations:
            # Altering a referenced table rebuilds it; with foreign keys on,
            # the DROP would cascade into the rows that reference it.
            extra["foreign_keys"] = "OFF"
        database_url = _with_query(database_url, extra)
    return {
        "connections": {"default": database_url},
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
