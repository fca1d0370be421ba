"""`club backup` / `club restore` for the embedded SQLite database (PostgreSQL: pg_dump, docs/deploy.md).

A backup uses SQLite's online backup API: it copies a consistent snapshot page by page while the
server keeps serving and writing. A restore replaces the database's content with the backup's; stop
every process using the database first (they would keep serving what they had cached).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# A file is taken for a backup of this product when it holds these tables.
EXPECTED_TABLES = {"organization", "user", "outgoing_mail", "ledger_entry"}


class BackupError(RuntimeError):
    pass


def sqlite_path(database_url: str) -> Path:
    if not database_url.startswith("sqlite://"):
        raise BackupError(
            "club backup and club restore copy the embedded SQLite database; for PostgreSQL use "
            "pg_dump --format=custom and pg_restore (docs/deploy.md, Backups)"
        )
    return Path(database_url.removeprefix("sqlite://").split("?")[0])


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target, pages=1024)  # in steps, so writers are not held up for the whole copy


def backup(database_url: str, destination: Path) -> None:
    path = sqlite_path(database_url)
    if not path.exists():
        raise BackupError(f"no database at {path}")
    if destination.exists():
        raise BackupError(f"{destination} exists; choose a new file")
    with sqlite3.connect(path) as source, sqlite3.connect(destination) as target:
        _copy(source, target)
    check(destination)


def check(backup_file: Path) -> None:
    if not backup_file.is_file():
        raise BackupError(f"no file at {backup_file}")
    try:
        with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as db:
            if db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{backup_file} is damaged (integrity check failed)")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup_file} is not an SQLite database: {error}") from error
    if not tables >= EXPECTED_TABLES:
        raise BackupError(f"{backup_file} is not a backup of this service's database")


def restore(database_url: str, backup_file: Path) -> None:
    check(backup_file)
    path = sqlite_path(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as source, sqlite3.connect(path) as target:
        _copy(source, target)
