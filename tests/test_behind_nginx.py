"""The deployment docs/deploy.md describes, run for real: Debian's nginx with deploy/nginx.conf and TLS in
front of two web processes and a `club worker`, all on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from server.models import Claim, ClaimStatus, ServiceCode, UserSession
from tests.conftest import Database
from tests.support.costs import commitment, service, today
from tests.support.pages import sign_in_page, submit
from tests.support.smtp import SmtpServer, free_port
from tests.support.world import World

NGINX = Path("/usr/sbin/nginx")
ROOT = Path(__file__).resolve().parent.parent
CLUB = str(Path(sys.executable).parent / "club")
CLIENT = "127.0.0.2"  # the browser's address; nginx and the apps talk over 127.0.0.1

pytestmark = pytest.mark.postgres_only


def _certificate(directory: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _site(prefix: Path, web_ports: list[int], http_port: int, https_port: int) -> str:
    """deploy/nginx.conf with this test's ports and certificate: each value the guide marks to change."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n": "".join(
            f"    server 127.0.0.1:{port};\n" for port in web_ports
        ),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/club.example.kr/fullchain.pem": str(prefix / "cert.pem"),
        "/etc/letsencrypt/live/club.example.kr/privkey.pem": str(prefix / "key.pem"),
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


def _main_config(prefix: Path) -> str:
    """What /etc/nginx/nginx.conf gives the site on a server; here everything lives under the prefix."""
    temp = "".join(
        f"    {kind}_temp_path {prefix}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log {prefix}/access.log;\n{temp}    include {prefix}/club.conf;\n}}\n"
    )


@pytest.fixture
def nginx_prefix() -> Iterator[Path]:
    if not NGINX.exists():
        pytest.skip(
            "!!! /usr/sbin/nginx is missing: the deployment behind nginx was NOT tested "
            "(apt-get install nginx-light; .ci/run installs it) !!!"
        )
    prefix = Path(tempfile.mkdtemp(prefix="club-nginx-"))
    try:
        yield prefix
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _start_nginx(prefix: Path) -> subprocess.Popen[bytes]:
    command = [
        str(NGINX),
        "-p",
        str(prefix),
        "-e",
        str(prefix / "error.log"),
        "-c",
        str(prefix / "nginx.conf"),
    ]
    command += ["-g", "daemon off;"]
    if os.geteuid() == 0:  # never as root: as nobody, owning only its own prefix
        nobody = pwd.getpwnam("nobody")
        for path in [prefix, *prefix.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        command = [
            "setpriv",
            f"--reuid={nobody.pw_uid}",
            f"--regid={nobody.pw_gid}",
            "--clear-groups",
            *command,
        ]
    with (prefix / "stderr.log").open("wb") as errors:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _until_answers(url: str, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    async with httpx.AsyncClient(verify=False) as http:  # noqa: S501 - the test's own certificate
        for _ in range(600):
            if any(p.poll() is not None for p in processes):
                break
            try:
                if (await http.get(url, timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} does not answer:\n{_all_logs(logs)}")


def _all_logs(logs: Path) -> str:
    return "\n".join(f"--- {path.name}\n{path.read_text()}" for path in sorted(logs.glob("*.log")))


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest_asyncio.fixture
async def deployment(
    db: Database, smtp: SmtpServer, nginx_prefix: Path, tmp_path: Path
) -> AsyncIterator[tuple[str, Path]]:
    web_ports, http_port, https_port = [free_port(), free_port()], free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}"
    env = {
        **os.environ,
        "CLUB_ENV": "production",
        "SECRET_KEY": "deployment-test-secret-key-0123456789abcdef",
        "DATABASE_URL": db.url,
        "BASE_URL": public,
        "TRUSTED_PROXIES": "127.0.0.1",
        "RUN_JOBS": "false",
        "LOG_FORMAT": "json",
        "SMTP_URL": smtp.url,
        "CLUB_VAR_DIR": str(tmp_path),
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = []
    for i, port in enumerate(web_ports):
        processes.append(_spawn([CLUB, "serve", "--port", str(port)], env, logs / f"web{i}.log"))
    processes.append(_spawn([CLUB, "worker"], env, logs / "worker.log"))
    _certificate(nginx_prefix)
    (nginx_prefix / "club.conf").write_text(_site(nginx_prefix, web_ports, http_port, https_port))
    (nginx_prefix / "nginx.conf").write_text(_main_config(nginx_prefix))
    try:
        for port in web_ports:
            await _until_answers(f"http://127.0.0.1:{port}/readyz", processes, logs)
        processes.append(_start_nginx(nginx_prefix))
        await _until_answers(f"{public}/healthz", processes, logs)
        yield public, logs
    finally:
        for process in reversed(processes):
            _stop(process)
        for name in ("error.log", "stderr.log"):
            if (nginx_prefix / name).exists():
                shutil.copy(nginx_prefix / name, logs / f"nginx-{name}")


def _browser(public: str) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=CLIENT, verify=False)
    return httpx.AsyncClient(transport=transport, base_url=public)


async def test_behind_nginx_a_sign_in_keeps_the_client_address_and_a_claim_is_completed(
    deployment: tuple[str, Path], world: World, smtp: SmtpServer
) -> None:
    public, logs = deployment
    pledge = await commitment(world.samsung_coordinator, budget=1_000_000)
    escrow = await service(ServiceCode.ESCROW_NEW)
    async with _browser(public) as sme, _browser(public) as sponsor, _browser(public) as secretariat:
        # A forged X-Forwarded-For from the browser changes nothing: nginx says who connected.
        sme.headers["X-Forwarded-For"] = "203.0.113.9"
        await sign_in_page(sme, world.hanbit_rep.email, world.hanbit_rep.password)
        session = await UserSession.filter(user_id=world.hanbit_rep.user.id).get()
        assert session.client_address == CLIENT

        form = f"/claims/new?commitment={pledge.id}&service={escrow.id}"
        fields = {"commitment_id": str(pledge.id), "service_id": str(escrow.id), "details": "소스코드"}
        sent = await submit(sme, form, "/claims", fields)
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"].startswith("/claims/")  # relative: no internal address leaks
        url = sent.headers["location"].split("?")[0]
        claim_id = int(url.rsplit("/", 1)[1])

        await sign_in_page(sponsor, world.samsung_coordinator.email, world.samsung_coordinator.password)
        assert (await submit(sponsor, url, f"{url}/approve", {})).status_code == 303

        await sign_in_page(secretariat, world.admin.email, world.admin.password)
        received = {"amount": "90,000", "received_on": str(today()), "depositor_name": "한빛정밀"}
        assert (await submit(secretariat, url, f"{url}/transfer", received)).status_code == 303
        ends = str(today() + dt.timedelta(days=365))
        fulfil = {"contract_number": "KEC-7", "contract_ends_on": ends}
        done = await submit(secretariat, url, f"{url}/fulfil", fulfil)
        assert done.status_code == 303
        assert re.fullmatch(r"[0-9a-f]{32}", done.headers["x-request-id"])  # nginx's $request_id
        assert done.headers["strict-transport-security"]
    assert (await Claim.get(id=claim_id)).status == ClaimStatus.FULFILLED

    for _ in range(300):  # the worker, not the web processes (RUN_JOBS=false), sends the claim's mail
        if smtp.inbox.messages:
            break
        await asyncio.sleep(0.1)
    assert smtp.inbox.messages, (logs / "worker.log").read_text()
    served = [(logs / f"web{i}.log").read_text() for i in range(2)]
    assert all('"logger": "club.request"' in log for log in served), "nginx used one web process only"
    assert done.headers["x-request-id"] in "".join(served)
