"""`club worker` and `club serve --workers N` as an operator runs them: real processes, one database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from server.models import MailStatus, OutgoingMail
from server.platform.outbox import queue_mail
from server.platform.timeutil import now
from tests.conftest import Database
from tests.support.smtp import SmtpServer, free_port

CLUB = str(Path(sys.executable).parent / "club")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "CLUB_VAR_DIR": str(tmp_path / "var"), "CLUB_ENV": "development", **extra}


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.terminate()
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


async def _queue(n: int) -> None:
    for i in range(n):
        await queue_mail(
            f"member{i}@club.test",
            "password_reset",
            user=_Person(),
            link=f"http://x/reset/{i}",
            expires_at=now(),
        )


class _Person:
    name = "김회원"


@pytest.mark.postgres_only
async def test_two_worker_processes_send_every_queued_mail_exactly_once(
    db: Database, smtp: SmtpServer, tmp_path: Path
) -> None:
    await _queue(30)
    env = _env(tmp_path, DATABASE_URL=db.url, SMTP_URL=smtp.url)
    workers = [_start([CLUB, "worker"], env, tmp_path / f"worker{i}.log") for i in range(2)]
    try:
        deadline = time.monotonic() + 60
        while await OutgoingMail.filter(status=MailStatus.SENT).count() < 30:
            assert time.monotonic() < deadline, (tmp_path / "worker0.log").read_text()
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # a second worker's late duplicate would arrive by now
    finally:
        codes = [_stop(w) for w in workers]
    assert codes == [0, 0], [(tmp_path / f"worker{i}.log").read_text() for i in range(2)]
    recipients = sorted(m["To"] for m in smtp.inbox.messages)
    assert recipients == sorted(f"member{i}@club.test" for i in range(30))
    assert len({m["Message-ID"] for m in smtp.inbox.messages}) == 30


def test_serve_with_two_worker_processes_answers_and_keeps_mail_to_the_worker(tmp_path: Path) -> None:
    env = _env(
        tmp_path, DATABASE_URL=f"sqlite://{tmp_path}/var/club.sqlite3", RUN_JOBS="false", LOG_FORMAT="json"
    )
    (tmp_path / "var").mkdir()
    assert subprocess.run([CLUB, "migrate"], env=env, capture_output=True, check=False).returncode == 0
    port = free_port()
    server = _start([CLUB, "serve", "--port", str(port), "--workers", "2"], env, tmp_path / "serve.log")
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "serve.log").read_text())
        for _ in range(10):
            assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        # Whichever process answers the scrape, it sums the series of both.
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert 'club_http_requests_total{method="GET",route="/healthz",status="200"} 10.0' in scraped, scraped
    finally:
        assert _stop(server) == 0
    printed, *logged = (tmp_path / "serve.log").read_text().splitlines()
    assert "with 2 worker processes" in printed and f"open http://127.0.0.1:{port}/" in printed
    lines = [json.loads(line) for line in logged if line.startswith("{")]
    assert [line["message"] for line in lines].count("Application startup complete.") == 2, logged
    assert len({line["process"] for line in lines}) >= 2
