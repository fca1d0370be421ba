"""Time a 5,000-row partner import (preview and commit) on a fresh migrated database.

    .venv/bin/python bench/partner_import.py                # SQLite in a temporary folder
    .venv/bin/python bench/partner_import.py postgres://postgres@127.0.0.1:5432/test

With a PostgreSQL address it creates and drops its own scratch database there.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.membership.partner_import import commit_partner_import, preview_partner_import
from server.models import OutgoingMail, Partnership, RoleKind
from server.platform.actor import Actor
from server.platform.config import configure
from server.platform.db import close_database, migrate_database, open_database
from server.platform.settings import load_settings
from tests.support.spreadsheets import csv_bytes, partner_rows, xlsx_bytes
from tests.support.world import build_world

ROWS = 5000


async def scratch_postgres(url: str) -> tuple[str, str]:
    import asyncpg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return url.rsplit("/", 1)[0] + f"/{name}", name


async def drop_postgres(url: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def run(url: str) -> None:
    await migrate_database(url)
    await open_database(url)
    configure(load_settings({"DATABASE_URL": url, "BASE_URL": "http://bench", "SECRET_KEY": "bench-" * 8}))
    try:
        world = await build_world()
        actor = Actor(world.samsung_coordinator.user, world.samsung, RoleKind.COORDINATOR)
        for label, filename, content in (
            ("csv", "partners.csv", csv_bytes(partner_rows(ROWS))),
            ("xlsx", "partners.xlsx", xlsx_bytes(partner_rows(ROWS, office="313"))),
        ):
            started = time.perf_counter()
            found = await preview_partner_import(actor=actor, filename=filename, content=content)
            previewed = time.perf_counter()
            await commit_partner_import(actor=actor, import_id=found.id)
            committed = time.perf_counter()
            print(
                f"{label:>4}: {ROWS} rows  preview {previewed - started:6.2f} s  commit {committed - previewed:6.2f} s"
                f"  ({found.new_count} new, {found.invalid_count} invalid)"
            )
        print(
            f"partnerships {await Partnership.all().count()}, mails queued {await OutgoingMail.all().count()}"
        )
    finally:
        await close_database()


async def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else None
    if target and target.startswith("postgres"):
        url, name = await scratch_postgres(target)
        print(f"PostgreSQL ({name})")
        try:
            await run(url)
        finally:
            await drop_postgres(target, name)
        return
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        await run(f"sqlite://{folder}/bench.sqlite3")


if __name__ == "__main__":
    asyncio.run(main())
