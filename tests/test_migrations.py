"""The migrations build the whole schema on an empty database, with its constraints, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from server.models import Commitment, LedgerEntry, Organization, OrganizationKind
from server.platform.db import open_database
from tests.conftest import Database

ROOT = Path(__file__).parent.parent
EXPECTED_TABLES = {
    "organization",
    "club_membership",
    "user",
    "role",
    "invitation",
    "api_token",
    "sign_in_throttle",
    "partnership",
    "service",
    "commitment",
    "commitment_service",
    "commitment_month",
    "ledger_entry",
    "claim",
    "payment",
    "stripe_event",
    "stripe_call",
    "attention",
    "seminar",
    "seminar_cohost",
    "registration",
    "questionnaire",
    "diagnosis",
    "audit_entry",
    "outgoing_mail",
}


async def _tables(db: Database) -> set[str]:
    connection = get_connection("default")
    if db.is_postgres:
        rows = await connection.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        )
    else:
        rows = await connection.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


async def test_an_empty_database_is_migrated_to_the_whole_data_model(db: Database) -> None:
    # The session database was created empty and migrated by the same command `club migrate` runs.
    assert await _tables(db) >= EXPECTED_TABLES


@pytest.mark.corrupts_books  # writes a commitment's figures by hand, without ledger entries
async def test_the_database_refuses_a_commitment_that_overspends_its_budget(db: Database) -> None:
    sponsor = await Organization.create(kind=OrganizationKind.CONGLOMERATE, name_ko="삼성전자")
    commitment = await Commitment.create(
        conglomerate=sponsor,
        name="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        share_percent=100,
        budget=1_000_000,
    )
    with pytest.raises((IntegrityError, OperationalError)):
        async with in_transaction():
            await Commitment.filter(id=commitment.id).update(reserved=700_000, captured=400_000)
    assert (await Commitment.get(id=commitment.id)).reserved == 0
    with pytest.raises((IntegrityError, OperationalError)):
        await Commitment.create(
            conglomerate=sponsor,
            name="bad",
            period_start="2026-01-01",
            period_end="2026-12-31",
            share_percent=101,
            budget=1,
        )
    with pytest.raises((IntegrityError, OperationalError)):
        await LedgerEntry.create(commitment=commitment, kind="reserve", amount=0)


def test_the_models_and_the_migrations_agree(tmp_path: Path) -> None:
    """`tortoise makemigrations` finds nothing to add: no model change is left without its migration."""
    config = tmp_path / "drift_config.py"
    config.write_text(
        "from server.platform.db import tortoise_config\n"
        f"TORTOISE_ORM = tortoise_config('sqlite://{tmp_path}/drift.sqlite3')\n"
    )
    before = sorted(p.name for p in (ROOT / "migrations").glob("*.py"))
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "tortoise"),
            "-c",
            "drift_config.TORTOISE_ORM",
            "makemigrations",
            "club",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    after = sorted(p.name for p in (ROOT / "migrations").glob("*.py"))
    for created in set(after) - set(before):
        (ROOT / "migrations" / created).unlink()
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert after == before


async def test_data_written_under_the_first_migration_survives_the_later_ones(
    tmp_path: Path, db: Database
) -> None:
    """Upgrading a database that holds a club loses nothing (SQLite rebuilds tables to alter them)."""
    import sqlite3

    from tortoise.migrations.api import migrate

    from server.platform.db import tortoise_config

    if db.is_postgres:
        pytest.skip("covered on SQLite, where table rebuilds can cascade")
    url = f"sqlite://{tmp_path}/upgrade.sqlite3"
    await migrate(config=tortoise_config(url, for_migrations=True), target="club.0001_initial")
    await get_connection("default").close()
    with sqlite3.connect(tmp_path / "upgrade.sqlite3") as raw:
        raw.execute(
            "INSERT INTO organization (kind, name_ko, sector, status, shares_diagnosis, created_at) VALUES ('conglomerate', '삼성전자', '', 'active', 0, '2026-01-01')"
        )
        raw.execute(
            "INSERT INTO organization (kind, name_ko, sector, status, shares_diagnosis, created_at) VALUES ('sme', '한빛정밀', '', 'active', 0, '2026-01-01')"
        )
        raw.execute(
            "INSERT INTO user (email, name, is_active, created_at) VALUES ('a@b.test', 'A', 1, '2026-01-01')"
        )
        raw.execute(
            "INSERT INTO partnership (conglomerate_id, sme_id, tier, status, contact_email, invited_at, end_reason) VALUES (1, 2, 1, 'active', 'x@y.test', '2026-01-01', '')"
        )
        raw.execute(
            "INSERT INTO invitation (email, organization_id, role, token_hash, created_at, expires_at) VALUES ('a@b.test', 2, 'sme_representative', 'h', '2026-01-01', '2026-02-01')"
        )
    await migrate(config=tortoise_config(url, for_migrations=True))
    await get_connection("default").close()
    await open_database(db.url)  # back to the suite's database
    with sqlite3.connect(tmp_path / "upgrade.sqlite3") as raw:
        assert raw.execute("SELECT count(*) FROM partnership").fetchone() == (1,)
        assert raw.execute("SELECT count(*) FROM invitation").fetchone() == (1,)
        assert raw.execute("SELECT count(*) FROM organization").fetchone() == (2,)
