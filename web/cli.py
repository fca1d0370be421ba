"""`club`: serve, migrate, load demo data, create the first admin, reconcile the books, export the schema."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from server.platform import config
from server.platform.settings import ConfigurationError, Settings, load_settings, served_port
from web.logs import setup_logging


def _with_database(work: Callable[[], Awaitable[int]]) -> int:
    from server.platform.db import close_database, open_database

    async def run() -> int:
        settings = load_settings()
        config.configure(settings)
        await open_database(settings.database_url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def serve(args: argparse.Namespace) -> int:
    port = args.port or served_port()
    settings = load_settings(host=args.host, port=port)
    # Each worker process builds its app from the environment (web.app:serving_app): links follow the port.
    os.environ["BASE_URL"] = settings.base_url
    with contextlib.ExitStack() as cleanup:
        if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Each worker writes its series there and /metrics sums them (a deployment sets its own).
            metrics_dir = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="club-metrics-"))
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        _run_uvicorn(args, port, settings)
    return 0


def without_password(url: str) -> str:
    """A database URL fit for a log: its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


def _run_uvicorn(args: argparse.Namespace, port: int, settings: Settings) -> None:
    import uvicorn

    print(
        f"Listening on {args.host}:{port} with {args.workers} worker process{'es' if args.workers > 1 else ''};"
        f" open {settings.base_url}/  (database: {without_password(settings.database_url)})",
        flush=True,
    )
    uvicorn.run(
        "web.app:serving_app",
        factory=True,
        host=args.host,
        port=port,
        workers=args.workers,
        proxy_headers=True,
        # X-Forwarded-Proto and -For are believed from TRUSTED_PROXIES (uvicorn's default: 127.0.0.1 only).
        forwarded_allow_ips=",".join(str(n) for n in settings.trusted_proxies) or None,
        log_config=None,  # serving_app sets logging up in each worker
        server_header=False,
    )


def worker(args: argparse.Namespace) -> int:
    from web.error_reports import setup_error_reports
    from web.worker import run_worker

    settings = load_settings()
    setup_logging(settings)
    setup_error_reports(settings)
    asyncio.run(run_worker(settings))
    return 0


def migrate(args: argparse.Namespace) -> int:
    from server.platform.db import migrate_database

    settings = load_settings()
    if settings.database_url.startswith("sqlite://"):
        Path(settings.database_url.removeprefix("sqlite://").split("?")[0]).parent.mkdir(
            parents=True, exist_ok=True
        )
    asyncio.run(migrate_database(settings.database_url))

    async def reference_data() -> int:
        from server.diagnosis.taking import ensure_questionnaire
        from server.money.catalogue import ensure_catalogue

        await ensure_catalogue()
        await ensure_questionnaire()
        return 0

    _with_database(reference_data)
    print("Migrations applied; the service catalogue and the self-diagnosis questionnaire are in place.")
    return 0


def demo(args: argparse.Namespace) -> int:
    from web.demo import load_demo

    async def work() -> int:
        credentials = await load_demo(only_if_empty=args.if_empty)
        base_url = load_settings().base_url
        if credentials is None:
            print(f"Database already has data; demo not loaded. Sign in at {base_url}/signin")
            return 0
        print(f"Demo data loaded. Sign in at {base_url}/signin with:")
        for role, email, password in credentials:
            print(f"  {role:<22} {email:<32} {password}")
        return 0

    return _with_database(work)


def create_admin(args: argparse.Namespace) -> int:
    from web.demo import create_first_admin

    password = args.password or getpass.getpass("Password (at least 10 characters): ")

    async def work() -> int:
        await create_first_admin(email=args.email, name=args.name, password=password)
        print(f"Secretariat admin {args.email} created.")
        return 0

    return _with_database(work)


def reconcile(args: argparse.Namespace) -> int:
    from server.money.reconcile import reconcile as check
    from server.money.stripe_calls import stripe_client

    stripe_settings = load_settings().stripe

    async def work() -> int:
        problems = await check(stripe_client(stripe_settings) if stripe_settings else None)
        for problem in problems:
            print(problem)
        if not stripe_settings:
            print("Stripe is not configured: card payments were not checked against Stripe.")
        count = len(problems)
        print(f"{count} disagreement{'' if count == 1 else 's'}." if problems else "The books agree.")
        return 1 if problems else 0

    return _with_database(work)


def backup(args: argparse.Namespace) -> int:
    from web.backup import BackupError
    from web.backup import backup as take

    try:
        take(load_settings().database_url, Path(args.path))
    except BackupError as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print(f"Backup written to {args.path} (checked).")
    return 0


def restore(args: argparse.Namespace) -> int:
    from web.backup import BackupError
    from web.backup import restore as put_back

    try:
        put_back(load_settings().database_url, Path(args.path))
    except BackupError as error:
        print(f"Restore failed: {error}", file=sys.stderr)
        return 1
    print(f"Database restored from {args.path}. Run club migrate if the backup is from an older release.")
    return 0


def export_schema(args: argparse.Namespace) -> int:
    from schema import schema

    sdl = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"Schema written to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    setup_logging()
    parser = argparse.ArgumentParser(prog="club", description="SME Tech Protection Club platform")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="run the web server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, help="default: $PORT, else 8000 (links follow it)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    p.set_defaults(func=serve)
    commands.add_parser(
        "worker", help="send mail and run the periodic jobs, without HTTP (web processes: RUN_JOBS=false)"
    ).set_defaults(func=worker)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(func=migrate)
    p = commands.add_parser("demo", help="load demo data")
    p.add_argument("--if-empty", action="store_true", help="only when the database has no organisations")
    p.set_defaults(func=demo)
    p = commands.add_parser("create-admin", help="create the first secretariat admin")
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--password", help="prompted for when left out")
    p.set_defaults(func=create_admin)
    commands.add_parser(
        "reconcile", help="check every commitment against its ledger and every payment against Stripe"
    ).set_defaults(func=reconcile)
    p = commands.add_parser("backup", help="copy the SQLite database to a new file, safely while serving")
    p.add_argument("path")
    p.set_defaults(func=backup)
    p = commands.add_parser(
        "restore", help="replace the SQLite database with a backup (stop the server first)"
    )
    p.add_argument("path")
    p.set_defaults(func=restore)
    p = commands.add_parser("export-schema", help="write the GraphQL schema as SDL")
    p.add_argument("--output", default="schema.graphql", help="file, or - for standard output")
    p.set_defaults(func=export_schema)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigurationError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
