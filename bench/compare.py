"""This checkout against another commit, screen by screen, measured over the same stretch of time.

    .venv/bin/python bench/compare.py --database URL [--against main] [--clients 8] [--requests 600]

This machine's CPU speed drifts by a fifth to a half within minutes, so two `make bench` runs a few
minutes apart can disagree more than a change differs. Here both versions are served at once on the
same dataset (one process each; the other commit from a temporary `git worktree`, with this
checkout's virtualenv) and every main screen of bench/screens.py is driven on one, then on the other,
in alternating rounds; a slow spell falls on both alike. Prints req/s, p99 and server CPU per request
of each and the CPU ratio (this / other, below 1 is faster).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import screens  # noqa: E402
from bench.screens import COORDINATOR, SME_REPRESENTATIVE, Timings, drive, serve, signed_in  # noqa: E402
from tests.support.smtp import free_port  # noqa: E402

ROUNDS = 6


async def measure(servers: dict[str, tuple[str, int]], clients: int, requests: int) -> None:
    """`servers`: per version, its address and the process id its CPU is read from."""
    signed = {
        version: {who: await signed_in(base, who) for who in (COORDINATOR, SME_REPRESENTATIVE)}
        for version, (base, _) in servers.items()
    }
    plan = screens.main_screens(datetime.now())
    timings = {(version, name): Timings([]) for version in servers for name, _, _ in plan}

    async def run(version: str, name: str, who: str, request: dict[str, object], into: Timings) -> None:
        screens.SERVER_PIDS[:] = [servers[version][1]]  # whose CPU `drive` reads
        await drive(signed[version][who], request, clients, requests // ROUNDS, into)

    try:
        for name, who, request in plan:
            for version in servers:
                await run(version, name, who, request, Timings([]))  # warm up
        for turn in range(ROUNDS):
            for name, who, request in plan:
                order = list(servers) if turn % 2 == 0 else list(reversed(servers))
                for version in order:
                    await run(version, name, who, request, timings[(version, name)])
    finally:
        for clients_of in signed.values():
            for client in clients_of.values():
                await client.close()
    this, other = servers
    print(f"{'screen':<40}{'version':<12}{'req/s':>8}{'p99 ms':>9}{'CPU ms/req':>12}")
    for name, _, _ in plan:
        for version in servers:
            r = timings[(version, name)].result(name)
            print(f"{name:<40}{version:<12}{r.rps:>8.0f}{r.p99:>9.1f}{r.cpu:>12.2f}")
        ratio = timings[(this, name)].result(name).cpu / timings[(other, name)].result(name).cpu
        print(f"{name:<40}{'CPU ratio':<12}{ratio:>29.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--against", default="main", help="a commit, branch or tag (default: main)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.against], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        other_root = Path(scratch) / "other"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(other_root), commit], cwd=ROOT, check=True
        )
        processes = []
        try:
            servers: dict[str, tuple[str, int]] = {}
            for version, root in (("this", ROOT), (commit, other_root)):
                port = free_port()
                process = serve(args.database, 1, port, root=root)
                processes.append(process)
                servers[version] = (f"http://127.0.0.1:{port}", process.pid)
            asyncio.run(measure(servers, args.clients, args.requests))
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
            subprocess.run(["git", "worktree", "remove", "--force", str(other_root)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
