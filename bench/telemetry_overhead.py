"""What request ids, the request log line and the metrics cost on the partner list (issue 14).

    .venv/bin/python bench/telemetry_overhead.py --database URL [--clients 8] [--requests 600] [--rounds 6]

Starts two servers on the same dataset, one process each, one with the telemetry and one without
(BENCH_TELEMETRY=off, bench/floor.py), and drives the coordinator's partner list (page and GraphQL) on
both in alternating rounds, so the machine's slow spells fall on both alike; prints req/s and p50/p99.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.screens import COORDINATOR, PARTNERS, Timings, drive, graphql, page, serve, signed_in  # noqa: E402
from tests.support.smtp import free_port  # noqa: E402

SCREENS = {"partner list (page)": page("/partners"), "partner list (GraphQL)": graphql(PARTNERS)}
VARIANTS = {"with telemetry": "on", "without telemetry": "off"}


async def measure(bases: dict[str, str], clients: int, requests: int, rounds: int) -> None:
    signed = {variant: await signed_in(base, COORDINATOR) for variant, base in bases.items()}
    timings = {(variant, screen): Timings([]) for variant in bases for screen in SCREENS}
    for client in signed.values():
        for request in SCREENS.values():
            await drive(client, request, clients, max(clients, requests // 10), Timings([]))  # warm up
    for turn in range(rounds):
        order = list(signed.items()) if turn % 2 == 0 else list(reversed(signed.items()))
        for variant, client in order:
            for screen, request in SCREENS.items():
                await drive(client, request, clients, requests // rounds, timings[(variant, screen)])
    for client in signed.values():
        await client.close()
    print(f"{'screen':<26}{'variant':<20}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for screen in SCREENS:
        for variant in bases:
            r = timings[(variant, screen)].result(screen)
            print(f"{screen:<26}{variant:<20}{r.rps:>8.0f}{r.p50:>9.1f}{r.p99:>9.1f}")
        with_, without = (timings[(v, screen)].result(screen).rps for v in bases)
        print(f"{screen:<26}{'overhead':<20}{(1 - with_ / without) * 100:>7.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    servers, bases = [], {}
    try:
        for variant, switch in VARIANTS.items():
            port = free_port()
            servers.append(serve(args.database, 1, port, {"BENCH_TELEMETRY": switch}))
            bases[variant] = f"http://127.0.0.1:{port}"
        asyncio.run(measure(bases, args.clients, args.requests, args.rounds))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
