"""`club backup` copies the SQLite database while it is in use; `club restore` puts a checked backup back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import Database
from tests.support.world import World
from web.backup import BackupError, backup, check, restore, sqlite_path

CLUB = str(Path(sys.executable).parent / "club")


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


async def test_a_backup_taken_while_writes_go_on_is_whole_and_restores(
    db: Database, world: World, tmp_path: Path
) -> None:
    if db.is_postgres:
        pytest.skip("the embedded database only: PostgreSQL is backed up with pg_dump")
    live = sqlite_path(db.url)
    users = _count(live, "user")
    stop = threading.Event()

    def keep_writing() -> None:  # another process serving meanwhile
        with sqlite3.connect(live, timeout=10) as writer:
            while not stop.is_set():
                writer.execute("CREATE TABLE IF NOT EXISTS busy (n INTEGER)")
                writer.execute("INSERT INTO busy VALUES (1)")
                writer.commit()
            writer.execute("DROP TABLE busy")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        backup(db.url, tmp_path / "club-backup.sqlite3")
    finally:
        stop.set()
        writer.join()
    check(tmp_path / "club-backup.sqlite3")
    assert _count(tmp_path / "club-backup.sqlite3", "user") == users

    elsewhere = tmp_path / "restored" / "club.sqlite3"
    restore(f"sqlite://{elsewhere}", tmp_path / "club-backup.sqlite3")
    assert _count(elsewhere, "user") == users and _count(elsewhere, "organization") > 0


def test_restore_refuses_a_file_that_is_no_backup_of_the_club(tmp_path: Path) -> None:
    stranger = tmp_path / "other.sqlite3"
    with sqlite3.connect(stranger) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(BackupError, match="not a backup"):
        restore(f"sqlite://{tmp_path}/club.sqlite3", stranger)
    (tmp_path / "garbage").write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not an SQLite database"):
        restore(f"sqlite://{tmp_path}/club.sqlite3", tmp_path / "garbage")
    assert not (tmp_path / "club.sqlite3").exists() or _tables_of(tmp_path / "club.sqlite3") == set()


def _tables_of(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_on_postgresql_the_command_points_to_pg_dump(tmp_path: Path) -> None:
    result = subprocess.run(
        [CLUB, "backup", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CLUB_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://db/club"},
    )
    assert result.returncode == 1 and "pg_dump" in result.stderr
