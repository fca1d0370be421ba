"""How long an unrelated cheap request waits while failed sign-ins run in the same app process.

    .venv/bin/python bench/sign_in_stall.py [--rounds 5] [--attempts 8]

Builds an app on a throw-away SQLite database, then, in each round, starts `--attempts` concurrent
sign-ins with wrong passwords (each runs one Argon2 check) and meanwhile times `{ me { role } }`
requests one after another until the sign-ins are done. Prints the cheap request's latency alone
and under that load (median and worst). Argon2 on the event loop stalls every other request of the
process; in a worker thread it does not.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.models import SignInThrottle  # noqa: E402
from server.platform.db import close_database, migrate_database, open_database  # noqa: E402
from server.platform.settings import Settings  # noqa: E402
from web.app import create_app  # noqa: E402

CHEAP = {"query": "{ me { role } }"}
SIGN_IN = "mutation S($e: String!, $p: String!) { signIn(email: $e, password: $p) { errors { code } } }"


PAUSE = 0.01  # a client's pause between requests, which also gives the sign-ins their turns


async def _timed(client: httpx.AsyncClient) -> float:
    """Milliseconds from when the request was due (after the pause) to its answer.

    Timed from before the pause: a blocked event loop delays the request's start, not only its run.
    """
    started = time.perf_counter()
    await asyncio.sleep(PAUSE)
    response = await client.post("/graphql", json=CHEAP)
    assert response.status_code == 200, response.text
    return (time.perf_counter() - started - PAUSE) * 1000


async def _round(client: httpx.AsyncClient, attempts: int, round_no: int) -> list[float]:
    await SignInThrottle.all().delete()  # each round starts with clean failure counts
    tasks = [
        asyncio.create_task(
            client.post(
                "/graphql",
                json={"query": SIGN_IN, "variables": {"e": f"r{round_no}n{n}@x.test", "p": "wrong-password"}},
            )
        )
        for n in range(attempts)
    ]
    await asyncio.sleep(0)
    latencies = []
    while not all(t.done() for t in tasks):
        latencies.append(await _timed(client))
    await asyncio.gather(*tasks)
    return latencies


async def main(rounds: int, attempts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/stall.sqlite3"
        await migrate_database(url)
        await open_database(url)
        settings = Settings(
            environment="development",
            database_url=url,
            secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a throw-away app
            base_url="http://127.0.0.1",
            smtp_url=None,
            mail_from="bench@x.test",
            oidc=None,
            stripe=None,
        )
        app = create_app(settings, run_workers=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            alone = [await _timed(client) for _ in range(50)]
            loaded: list[float] = []
            for n in range(rounds):
                loaded += await _round(client, attempts, n)
        await close_database()
    print(
        f"cheap request alone:            median {statistics.median(alone):6.1f} ms  max {max(alone):6.1f} ms"
    )
    print(
        f"during {attempts} failed sign-ins:     median {statistics.median(loaded):6.1f} ms"
        f"  max {max(loaded):6.1f} ms  ({len(loaded)} requests in {rounds} rounds)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=8)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.attempts))
