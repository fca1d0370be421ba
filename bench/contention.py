"""Contention on PostgreSQL: 32 clients approving claims on one commitment, 32 registering for one seminar.

    .venv/bin/python bench/contention.py --database postgres://postgres@127.0.0.1:5432/club_bench

Runs against a dataset from bench/dataset.py (it changes it: approvals and
registrations are real). Prints operations per second and then checks the
invariants: the commitment's books agree and stay within budget, the seminar
never passes capacity and its waiting list is numbered 1..n.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.screens import serve, signed_in
from server.models import (
    Claim,
    ClaimStatus,
    Commitment,
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarStatus,
    User,
)
from server.money.reconcile import check_books
from server.platform.db import close_database, open_database
from server.platform.timeutil import now
from tests.support.smtp import free_port

APPROVE = "mutation($id: Int!) { approveClaim(claimId: $id) { claim { status } errors { code } } }"
REGISTER = (
    "mutation($id: Int!) { registerForSeminar(seminarId: $id) { registration { status } errors { code } } }"
)


async def run(
    clients: list[aiohttp.ClientSession], jobs: list[tuple[int, str, dict[str, object]]]
) -> tuple[float, dict[str, int]]:
    """Each job is (client index, query, variables); the clients work through them at once."""
    outcomes: dict[str, int] = {}
    queue = list(jobs)

    async def worker(client: aiohttp.ClientSession, index: int) -> None:
        while True:
            mine = next((j for j in queue if j[0] == index), None)
            if mine is None:
                return
            queue.remove(mine)
            async with client.post("/graphql", json={"query": mine[1], "variables": mine[2]}) as response:
                answer = await response.json()
            payload = next(iter(answer["data"].values()))
            key = (
                payload["errors"][0]["code"]
                if payload["errors"]
                else next(v for v in payload.values() if v)["status"]
            )
            outcomes[key] = outcomes.get(key, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(c, i) for i, c in enumerate(clients)))
    return time.perf_counter() - started, outcomes


async def main(database: str, clients: int, per_client: int) -> None:
    await open_database(database)
    commitment = await Commitment.get(id=1)
    claims = (
        await Claim.filter(commitment_id=commitment.id, status=ClaimStatus.SUBMITTED)
        .limit(clients * per_client)
        .values_list("id", flat=True)
    )
    at = now()
    seminar = (
        await Seminar.filter(
            status=SeminarStatus.PUBLISHED, registration_opens_at__lte=at, registration_closes_at__gte=at
        )
        .order_by("registered_count")
        .first()
    )
    assert seminar is not None, "no seminar open for registration in this dataset"
    taken = await Registration.filter(seminar_id=seminar.id).values_list("user_id", flat=True)
    # More people than free seats, so the last seats and the waiting list are both raced for.
    wanted = max(clients, seminar.capacity - seminar.registered_count + clients // 2)
    people = (
        await User.filter(email__startswith="rep").exclude(id__in=list(taken)).order_by("id").limit(wanted)
    )
    emails = [person.email for person in people]
    await close_database()

    port = free_port()
    server = serve(database, 1, port)
    base = f"http://127.0.0.1:{port}"
    try:
        coordinator = await signed_in(base, "coordinator1@bench.test")
        approvals = [(i % clients, APPROVE, {"id": claim_id}) for i, claim_id in enumerate(claims)]
        elapsed, outcomes = await run([coordinator] * clients, approvals)
        print(
            f"{len(approvals)} approvals by {clients} clients on one commitment: {len(approvals) / elapsed:.0f} ops/s {outcomes}"
        )
        await coordinator.close()

        reps = [await signed_in(base, email) for email in emails]
        registrations = [(i, REGISTER, {"id": seminar.id}) for i in range(len(reps))]
        # `clients` people at a time press the button together.
        elapsed, outcomes = 0.0, {}
        for start in range(0, len(reps), clients):
            batch_elapsed, batch = await run(
                reps[start : start + clients],
                [(i - start, q, v) for i, q, v in registrations[start : start + clients]],
            )
            elapsed += batch_elapsed
            for key, count in batch.items():
                outcomes[key] = outcomes.get(key, 0) + count
        print(
            f"{len(registrations)} registrations ({clients} people at a time) for one seminar (capacity {seminar.capacity}, "
            f"{seminar.registered_count} taken): {len(registrations) / elapsed:.0f} ops/s {outcomes}"
        )
        for rep in reps:
            await rep.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    await open_database(database)
    try:
        after = await Commitment.get(id=commitment.id)
        assert after.reserved + after.captured <= after.budget
        problems = [p for p in await check_books() if p.startswith(f"commitment {commitment.id}:")]
        assert not problems, problems
        seated = await Registration.filter(
            seminar_id=seminar.id, status=RegistrationStatus.REGISTERED
        ).count()
        positions = sorted(
            await Registration.filter(
                seminar_id=seminar.id, status=RegistrationStatus.WAITLISTED
            ).values_list("waitlist_position", flat=True)
        )
        refreshed = await Seminar.get(id=seminar.id)
        assert refreshed.registered_count == seated <= refreshed.capacity
        assert positions == list(range(1, len(positions) + 1))
        print("invariants hold: books agree and within budget; seats within capacity; waiting list 1..n")
    finally:
        await close_database()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.database, args.clients, args.per_client))
