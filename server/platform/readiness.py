"""Readiness: may this process take traffic? Its database answers and holds every migration the code has.

`/healthz` says the process is alive without touching the database; a load balancer asks `/readyz`
before sending requests. A database ahead of the code (migrated before an older process stopped,
as the upgrade order asks) is still ready: migrations keep the previous release working.
"""

from __future__ import annotations

import asyncio
import logging
import pkgutil

from tortoise.connection import get_connection
from tortoise.migrations.recorder import MigrationRecorder

import migrations

APP_LABEL = "club"
TIMEOUT_SECONDS = 3.0

log = logging.getLogger(__name__)


def migrations_on_disk() -> set[str]:
    # The same rule as Tortoise's loader: every module of the package not starting with _ or ~.
    return {
        name
        for _, name, is_package in pkgutil.iter_modules(migrations.__path__)
        if not is_package and name[0] not in "_~"
    }


async def readiness() -> dict[str, object] | None:
    """None when ready; else why not, short enough for a probe's log."""
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            connection = get_connection("default")
            await connection.execute_query("SELECT 1")
            applied = await MigrationRecorder(connection).applied_migrations()
    except Exception as error:  # any failure to reach the database means the same: not ready
        log.warning("readiness: the database does not answer: %r", error)
        return {"reason": "database unavailable"}
    pending = migrations_on_disk() - {key.name for key in applied if key.app_label == APP_LABEL}
    if pending:
        return {"reason": "migrations pending", "pending": sorted(pending)}
    return None
