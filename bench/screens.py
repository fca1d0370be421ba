"""Throughput and latency of the main screens, through /graphql and through the pages.

    .venv/bin/python bench/screens.py --database URL [--small URL] [--workers 1 2] [--clients 8] [--requests 600]

Starts the app as bench/app.py serves it (no periodic jobs; the ORM floor of bench/floor.py and
the fast floor) on 127.0.0.1 under uvicorn with each number of worker processes, signs in as the
dataset's first coordinator and first SME representative (bench/dataset.py),
drives each screen with a bounded number of concurrent clients (in rounds,
so that every screen sees the machine's slow spells alike), and prints
requests per second and p50/p99 latency; then the partner list's ratios to
both floors, with --small the latency ratio of the large dataset to the small
one, the plans of the partner list's statement for the largest and a typical
sponsor, and last one line for scripts:

    speed: graphql/orm-floor <x>; page/orm-floor <y>; worst p99 <ms> ms (<screen>)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import PASSWORD  # noqa: E402
from tests.support.smtp import free_port  # noqa: E402

PARTNERS = """query { partners(first: 50) { totalCount nodes { id tier status
  sme { nameKo businessNumber diagnosisLevel } claimSummary { claims open sponsorPaid } } } }"""
QUEUE = """query { claims(status: SUBMITTED, orderBy: OLDEST, first: 50) { totalCount
  nodes { id listPrice submittedAt sme { nameKo } service { code nameKo } } } }"""
COMMITMENT = """query($id: Int!) { commitment(id: $id) { id name budget reserved captured remaining
  services { code } spendByMonth { month captured cumulative } } }"""
PROGRAMME = """query($from: DateTime!, $to: DateTime!) { seminars(startsFrom: $from, startsBefore: $to, first: 30) {
  totalCount nodes { id titleKo startsAt seatsLeft topic coHosts { nameKo } } } }"""
SME_HOME = """query { claims(first: 10) { totalCount nodes { id status smeShare service { code } } }
  myRegistrations(first: 10) { nodes { status seminar { titleKo startsAt } } }
  commitments(first: 10) { nodes { id name quotes { service { code } smeShare } } } }"""


ROUNDS = 3


@dataclass
class Result:
    screen: str
    rps: float
    p50: float
    p99: float
    cpu: float  # server CPU per request, ms


@dataclass
class Timings:
    latencies: list[float]
    elapsed: float = 0.0
    cpu: float = 0.0  # the server's CPU seconds meanwhile

    def result(self, screen: str) -> Result:
        ordered = sorted(self.latencies)
        return Result(
            screen,
            len(ordered) / self.elapsed,
            statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            self.cpu / len(ordered) * 1000,
        )


async def drive(
    client: aiohttp.ClientSession, request: dict[str, object], clients: int, total: int, into: Timings
) -> None:
    """`total` requests by `clients` concurrent clients; latencies and elapsed time added to `into`."""
    remaining = total

    async def one_client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            async with client.request(**request) as response:  # type: ignore[arg-type]
                body = await response.read()
            into.latencies.append(time.perf_counter() - started)
            if response.status != 200 or b'"errors"' in body[:200]:
                raise RuntimeError(f"{request['url']}: {response.status} {body[:300]!r}")

    started, cpu = time.perf_counter(), server_cpu()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    into.elapsed += time.perf_counter() - started
    into.cpu += server_cpu() - cpu


SERVER_PIDS: list[int] = []


def server_cpu() -> float:
    """CPU seconds (user and system) of the server's processes so far, from /proc; 0 elsewhere."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    pids = list(SERVER_PIDS)
    for pid in SERVER_PIDS:
        with contextlib.suppress(OSError):
            pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def serve(
    database: str,
    workers: int,
    port: int,
    extra_env: dict[str, str] | None = None,
    root: Path = ROOT,
) -> subprocess.Popen[bytes]:
    """The app of the checkout at `root` (this one unless told) on 127.0.0.1:`port`, once it answers."""
    env = {
        **os.environ,
        **(extra_env or {}),
        "DATABASE_URL": database,
        "CLUB_VAR_DIR": str(ROOT / "var"),
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [
        sys.executable, "-m", "uvicorn", "bench.app:app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=root, env=env)
    SERVER_PIDS[:] = [process.pid]
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the server did not start")


async def signed_in(base: str, email: str) -> aiohttp.ClientSession:
    """A client signed in through the form. aiohttp, not httpx: it costs the shared CPUs about a quarter
    as much per request (0.4 against 1.5 ms), and they are what the server is measured on."""
    client = aiohttp.ClientSession(
        base, cookie_jar=aiohttp.CookieJar(unsafe=True), connector=aiohttp.TCPConnector(limit=64)
    )
    async with client.get("/signin") as form:
        token = re.search(r'name="csrf_token" value="([^"]+)"', await form.text())
    assert token
    data = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    async with client.post("/signin", data=data, allow_redirects=False) as answer:
        signed = answer.status == 303
    if not signed:
        await client.close()
        raise SystemExit(f"{email} cannot sign in: generate the datasets first (make bench-data).")
    return client


def graphql(query: str, **variables: object) -> dict[str, object]:
    return {"method": "POST", "url": "/graphql", "json": {"query": query, "variables": variables}}


def page(path: str) -> dict[str, object]:
    return {"method": "GET", "url": path}


COORDINATOR = "coordinator1@bench.test"
SME_REPRESENTATIVE = "rep1@bench.test"


def main_screens(today: datetime) -> list[tuple[str, str, dict[str, object]]]:
    """The screens measured, as (name, who asks, request): the coordinator of the dataset's first
    conglomerate (commitment 1 is its own) or the representative of its first SME."""
    month = today.strftime("%Y-%m")
    start = today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    programme = graphql(PROGRAMME, **{"from": start.isoformat(), "to": end.isoformat()})
    return [
        ("partner list (GraphQL)", COORDINATOR, graphql(PARTNERS)),
        ("partner list (hand-written)", COORDINATOR, page("/bench/partners")),
        ("partner list (fast floor, hand-written)", COORDINATOR, page("/bench/partners-fast")),
        ("partner list (page)", COORDINATOR, page("/partners")),
        ("review queue (GraphQL)", COORDINATOR, graphql(QUEUE)),
        ("review queue (page)", COORDINATOR, page("/claims")),
        ("commitment (GraphQL)", COORDINATOR, graphql(COMMITMENT, id=1)),
        ("commitment (page)", COORDINATOR, page("/commitments/1")),
        ("programme month (GraphQL)", COORDINATOR, programme),
        ("programme month (page)", COORDINATOR, page(f"/seminars?month={month}")),
        ("SME dashboard (GraphQL)", SME_REPRESENTATIVE, graphql(SME_HOME)),
        ("SME dashboard (page)", SME_REPRESENTATIVE, page("/")),
        ("fixed cost: { __typename } (GraphQL)", COORDINATOR, graphql("{ __typename }")),
    ]


async def measure(base: str, clients: int, requests: int) -> list[Result]:
    """Each screen in turn, in rounds: a slow spell of the machine falls on every screen alike, and the
    GraphQL and hand-written partner lists are compared over the same stretch of time."""
    signed = {email: await signed_in(base, email) for email in (COORDINATOR, SME_REPRESENTATIVE)}
    plan = [(name, signed[who], request) for name, who, request in main_screens(datetime.now())]
    for _, client, request in plan:
        await drive(client, request, clients, max(clients, requests // 10), Timings([]))  # warm up
    timings = {name: Timings([]) for name, _, _ in plan}
    for _ in range(ROUNDS):
        for name, client, request in plan:
            await drive(client, request, clients, requests // ROUNDS, timings[name])
    for client in signed.values():
        await client.close()
    return [timings[name].result(name) for name, _, _ in plan]


def table(title: str, results: list[Result]) -> None:
    print(f"\n{title}")
    print(f"{'screen':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}")
    for r in results:
        print(f"{r.screen:<40}{r.rps:>9.0f}{r.p50:>9.1f}{r.p99:>9.1f}{r.cpu:>12.2f}")
    by_name = {r.screen: r for r in results}
    for floor in ("partner list (hand-written)", "partner list (fast floor, hand-written)"):
        graphql_ratio = by_name["partner list (GraphQL)"].rps / by_name[floor].rps
        page_ratio = by_name["partner list (page)"].rps / by_name[floor].rps
        print(f"partner list throughput / {floor}: GraphQL {graphql_ratio:.2f}, page {page_ratio:.2f}")


def speed_line(results: list[Result]) -> str:
    """The run's figures against the ORM floor and its slowest product screen, for scripts."""
    by_name = {r.screen: r for r in results}
    floor = by_name["partner list (hand-written)"].rps
    worst = max((r for r in results if "hand-written" not in r.screen), key=lambda r: r.p99)
    return (
        f"speed: graphql/orm-floor {by_name['partner list (GraphQL)'].rps / floor:.2f}; "
        f"page/orm-floor {by_name['partner list (page)'].rps / floor:.2f}; "
        f"worst p99 {worst.p99:.1f} ms ({worst.screen})"
    )


def print_plans(database: str) -> None:
    """EXPLAIN ANALYZE of the partner list's one statement for the largest and a typical sponsor."""
    from bench.plans import partner_list_plans

    for title, plan in asyncio.run(partner_list_plans(database)):
        print(f"\n{title}")
        print(plan)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True, help="the large dataset")
    parser.add_argument("--small", help="the same dataset 10 times smaller, for the large/small ratio")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    runs: dict[tuple[str, int], list[Result]] = {}
    for label, database in (("large", args.database), ("small", args.small)):
        if database is None:
            continue
        for workers in args.workers if label == "large" else args.workers[:1]:
            port = free_port()
            server = serve(database, workers, port)
            try:
                results = asyncio.run(measure(f"http://127.0.0.1:{port}", args.clients, args.requests))
            finally:
                server.terminate()
                server.wait(timeout=10)
            runs[(label, workers)] = results
            table(
                f"{label} dataset, {workers} process(es), {args.clients} clients, {args.requests} requests each",
                results,
            )
    if args.small:
        workers = args.workers[0]
        print(f"\np99 latency, large / small dataset ({workers} process(es)):")
        for big, small in zip(runs[("large", workers)], runs[("small", workers)], strict=True):
            print(f"{big.screen:<40}{big.p99 / small.p99:>6.2f}")
    print_plans(args.database)
    print("\n" + speed_line(runs[("large", args.workers[0])]))


if __name__ == "__main__":
    main()
