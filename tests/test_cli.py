"""The `club` command: migrate, demo data, the first admin, reconciliation and the schema, as an operator runs them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from schema import schema

CLUB = str(Path(sys.executable).parent / "club")


def _club(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLUB, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CLUB_VAR_DIR": str(cwd / "var"), **(env or {})},
    )


def test_a_fresh_install_migrates_loads_the_demo_once_and_creates_an_admin(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path}/var/club.sqlite3"}
    (tmp_path / "var").mkdir()
    assert _club("migrate", cwd=tmp_path, env=env).returncode == 0
    demo = _club("demo", "--if-empty", cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stderr
    assert "admin@techclub.local" in demo.stdout and "coordinator@samsung.demo" in demo.stdout
    again = _club("demo", "--if-empty", cwd=tmp_path, env=env)
    assert "not loaded" in again.stdout
    # The demo's claims went through the real services: its books agree.
    books = _club("reconcile", cwd=tmp_path, env=env)
    assert books.returncode == 0 and "The books agree." in books.stdout, books.stdout
    admin = _club(
        "create-admin",
        "--email",
        "ops@club.test",
        "--name",
        "운영자",
        "--password",
        "a-long-password",
        cwd=tmp_path,
        env=env,
    )
    assert admin.returncode == 0, admin.stderr


def test_the_schema_is_exported_as_sdl(tmp_path: Path) -> None:
    result = _club("export-schema", "--output", str(tmp_path / "schema.graphql"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sdl = (tmp_path / "schema.graphql").read_text()
    assert sdl.strip() == schema.as_str().strip()
    for operation in (
        "signIn",
        "signOut",
        "me",
        "organizations",
        "organization",
        "createOrganization",
        "admitMember",
        "signDeclaration",
        "inviteUser",
        "acceptInvitation",
        "switchOrganization",
    ):
        assert f"{operation}" in sdl


def test_production_without_secrets_stops_with_a_clear_message(tmp_path: Path) -> None:
    result = _club("migrate", cwd=tmp_path, env={"CLUB_ENV": "production", "SECRET_KEY": ""})
    assert result.returncode == 2 and "Configuration error" in result.stderr


def test_the_demo_and_the_server_follow_the_chosen_port(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path}/var/club.sqlite3", "PORT": "8123"}
    (tmp_path / "var").mkdir()
    assert _club("migrate", cwd=tmp_path, env=env).returncode == 0
    demo = _club("demo", "--if-empty", cwd=tmp_path, env=env)
    assert "Sign in at http://127.0.0.1:8123/signin" in demo.stdout, demo.stdout
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with subprocess.Popen(
        [CLUB, "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "CLUB_VAR_DIR": str(tmp_path / "var"), **env},
    ) as server:
        try:
            assert server.stdout is not None
            assert f"open http://127.0.0.1:{port}/" in server.stdout.readline()
            for _ in range(100):
                with contextlib.suppress(httpx.TransportError):
                    assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
                    break
                time.sleep(0.1)
            else:
                raise AssertionError(f"nothing answers on port {port}")
        finally:
            server.terminate()
