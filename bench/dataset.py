"""A club-sized dataset, made with bulk inserts: the world the benchmarks run in.

    .venv/bin/python bench/dataset.py --scale 0.1 --database sqlite:///tmp/club-0.1.sqlite3
    .venv/bin/python bench/dataset.py --fresh --scale 1 --database postgres://postgres@127.0.0.1:5432/club_bench

At scale 1: 100 conglomerates, 50,000 SMEs (one representative each), 100,000
partnerships, 300,000 claims with their ledger entries and payments, 5,000
seminars and 200,000 registrations. The database is migrated first and must
hold no organisations; with --fresh it is dropped and created first (the
PostgreSQL database, or the SQLite file). Books are consistent by construction (`club reconcile`
agrees); every password is "bench-password-2026".
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise
from tortoise.models import Model

from server.accounts.passwords import hash_password
from server.diagnosis.taking import ensure_questionnaire
from server.membership.business_number import complete
from server.models import (
    Claim,
    ClaimStatus,
    ClubMembership,
    Commitment,
    CommitmentMonth,
    CommitmentStatus,
    LedgerEntry,
    LedgerEntryKind,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Registration,
    RegistrationStatus,
    Role,
    RoleKind,
    Seminar,
    SeminarStatus,
    Service,
    SupplierTier,
    User,
)
from server.money.catalogue import ensure_catalogue
from server.money.ledger import SPEND_SIGN
from server.platform.db import close_database, is_sqlite, migrate_database, open_database
from server.platform.timeutil import in_seoul, now
from server.privacy.notice_text import FIRST_VERSION
from server.seminars.schedule import SeminarTopic

PASSWORD = "bench-password-2026"  # noqa: S105 - the published password of generated accounts
BATCH = 5000
SHARE_PERCENT = 70
CAP = 300_000
# How claims end up, in shares of all claims: most are paid or fulfilled.
OUTCOMES = [
    (ClaimStatus.SUBMITTED, 15),
    (ClaimStatus.APPROVED, 10),
    (ClaimStatus.PAID, 30),
    (ClaimStatus.FULFILLED, 30),
    (ClaimStatus.REJECTED, 5),
    (ClaimStatus.CANCELLED, 5),
    (ClaimStatus.EXPIRED, 3),
    (ClaimStatus.REFUNDED, 2),
]
STATUSES = [status for status, _ in OUTCOMES]
WEIGHTS = [weight for _, weight in OUTCOMES]


def sized(scale: float, full: int, least: int = 1) -> int:
    return max(least, round(full * scale))


async def insert(model: type[Model], rows: list[Model]) -> None:
    await model.bulk_create(rows, batch_size=BATCH)


async def analyze(url: str) -> None:
    """Fresh statistics for the planner: right after a bulk load it still believes the tables are empty
    (a partner list query took 8 ms instead of 0.1 ms until it knew better)."""
    await Tortoise.get_connection("default").execute_script("ANALYZE" if is_sqlite(url) else "VACUUM ANALYZE")


async def fix_sequences(url: str, models: list[type[Model]]) -> None:
    """Rows were written with their ids: move PostgreSQL's sequences past them."""
    if is_sqlite(url):
        return
    connection = Tortoise.get_connection("default")
    for model in models:
        table = model._meta.db_table
        statement = (
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"  # noqa: S608 - table names come from the models
        )
        await connection.execute_script(statement)  # table names come from the models


def ledger_for(status: ClaimStatus) -> list[LedgerEntryKind]:
    """The entries a claim's life leaves in the ledger, in order."""
    return {
        ClaimStatus.APPROVED: [LedgerEntryKind.RESERVE],
        ClaimStatus.PAID: [LedgerEntryKind.RESERVE, LedgerEntryKind.CAPTURE],
        ClaimStatus.FULFILLED: [LedgerEntryKind.RESERVE, LedgerEntryKind.CAPTURE],
        ClaimStatus.EXPIRED: [LedgerEntryKind.RESERVE, LedgerEntryKind.RELEASE],
        ClaimStatus.REFUNDED: [LedgerEntryKind.RESERVE, LedgerEntryKind.CAPTURE, LedgerEntryKind.REFUND],
    }.get(status, [])


async def generate(url: str, scale: float, seed: int = 2011) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    at = now()
    password_hash = hash_password(PASSWORD)
    services = list(await Service.all().order_by("id"))
    counts: dict[str, int] = {}

    conglomerates = [
        Organization(
            id=i + 1,
            kind=OrganizationKind.CONGLOMERATE,
            name_ko=f"대기업{i + 1:03d}",
            name_en=f"Conglomerate {i + 1}",
            business_number=complete(f"{101 + i:03d}81{i + 1:04d}"),
            sector=rng.choice(["전자", "자동차", "통신", "철강", "화학"]),
        )
        for i in range(sized(scale, 100, 2))
    ]
    sme_count = sized(scale, 50_000, 10)
    smes = [
        Organization(
            id=len(conglomerates) + i + 1,
            kind=OrganizationKind.SME,
            name_ko=f"협력사{i + 1:05d}",
            business_number=complete(f"{300 + i // 9_999:03d}86{i % 9_999 + 1:04d}"),
            sector=rng.choice(["정밀기계", "소프트웨어", "소재", "전자부품", "반도체 장비"]),
        )
        for i in range(sme_count)
    ]
    await insert(Organization, conglomerates + smes)
    await insert(
        ClubMembership,
        [ClubMembership(organization_id=c.id, status=MembershipStatus.ACTIVE) for c in conglomerates],
    )

    coordinators = [
        User(
            id=i + 1,
            email=f"coordinator{i + 1}@bench.test",
            name=f"담당자{i + 1}",
            password_hash=password_hash,
            privacy_notice_version=FIRST_VERSION,  # as accepted when they joined: pages open at once
        )
        for i in range(len(conglomerates))
    ]
    reps = [
        User(
            id=len(coordinators) + i + 1,
            email=f"rep{i + 1}@bench.test",
            name=f"대표{i + 1}",
            password_hash=password_hash,
            privacy_notice_version=FIRST_VERSION,  # as accepted when they joined: pages open at once
        )
        for i in range(sme_count)
    ]
    await insert(User, coordinators + reps)
    roles = [
        Role(user_id=u.id, organization_id=c.id, kind=RoleKind.COORDINATOR)
        for u, c in zip(coordinators, conglomerates, strict=True)
    ]
    roles += [
        Role(user_id=u.id, organization_id=s.id, kind=RoleKind.SME_REPRESENTATIVE)
        for u, s in zip(reps, smes, strict=True)
    ]
    await insert(Role, roles)
    counts.update(conglomerates=len(conglomerates), smes=sme_count, users=len(coordinators) + len(reps))

    # Each SME partners two conglomerates (one when there are few); the first conglomerate gets the most.
    pairs: list[tuple[int, int]] = []
    for index, sme in enumerate(smes):
        first = conglomerates[index % len(conglomerates)] if index % 3 else conglomerates[0]
        pairs.append((first.id, sme.id))
        if len(pairs) < sized(scale, 100_000, 10):
            second = conglomerates[(index + 1 + rng.randrange(len(conglomerates) - 1)) % len(conglomerates)]
            if second.id != first.id:
                pairs.append((second.id, sme.id))
    partnerships = [
        Partnership(
            id=i + 1,
            conglomerate_id=c,
            sme_id=s,
            tier=SupplierTier.FIRST if rng.random() < 0.7 else SupplierTier.SECOND,
            status=PartnershipStatus.ACTIVE,
            contact_email=f"rep{s - len(conglomerates)}@bench.test",
            invited_by_id=c,
            invited_at=at - timedelta(days=rng.randrange(1, 700)),
            accepted_at=at - timedelta(days=rng.randrange(0, 1)),
        )
        for i, (c, s) in enumerate(pairs)
    ]
    await insert(Partnership, partnerships)
    counts["partnerships"] = len(partnerships)

    # One active commitment per conglomerate, covering every service.
    commitments = {
        c.id: Commitment(
            id=c.id,
            conglomerate_id=c.id,
            name=f"{at.year}년 협력사 기술보호 지원",
            period_start=(at - timedelta(days=200)).date(),
            period_end=(at + timedelta(days=165)).date(),
            share_percent=SHARE_PERCENT,
            cap_per_claim=CAP,
            budget=0,
            eligible_tier_1=True,
            eligible_tier_2=True,
            status=CommitmentStatus.ACTIVE,
            created_by_id=c.id,
            activated_at=at - timedelta(days=200),
        )
        for c in conglomerates
    }
    claims: list[Claim] = []
    entries: list[LedgerEntry] = []
    payments: list[Payment] = []
    figures: dict[int, dict[str, int]] = defaultdict(lambda: {"reserved": 0, "captured": 0})
    spend: dict[tuple[int, str], int] = defaultdict(int)
    for claim_id in range(1, sized(scale, 300_000, 20) + 1):
        conglomerate_id, sme_id = pairs[rng.randrange(len(pairs))]
        service = services[rng.randrange(len(services))]
        status = rng.choices(STATUSES, WEIGHTS)[0]
        # Approvals are recent: the app's expiry job would otherwise expire them during a benchmark.
        age = rng.randrange(0, 10) if status == ClaimStatus.APPROVED else rng.randrange(0, 200)
        submitted = at - timedelta(days=age, minutes=rng.randrange(1440))
        decided = status not in (ClaimStatus.SUBMITTED, ClaimStatus.CANCELLED, ClaimStatus.REJECTED)
        share = min(service.list_price * SHARE_PERCENT // 100, CAP) if decided else None
        claim = Claim(
            id=claim_id,
            commitment_id=conglomerate_id,
            sme_id=sme_id,
            service_id=service.id,
            submitted_by_id=sme_id,  # SME n's representative is user n (conglomerates and coordinators line up)
            details="벤치마크 신청",
            status=status,
            list_price=service.list_price,
            sponsor_share=share,
            sme_share=service.list_price - share if share is not None else None,
            submitted_at=submitted,
            decided_at=submitted + timedelta(days=2) if decided or status == ClaimStatus.REJECTED else None,
            payment_due_at=submitted + timedelta(days=16) if decided else None,
            paid_at=submitted + timedelta(days=5)
            if status in (ClaimStatus.PAID, ClaimStatus.FULFILLED, ClaimStatus.REFUNDED)
            else None,
            payment_method=PaymentMethod.TRANSFER
            if status in (ClaimStatus.PAID, ClaimStatus.FULFILLED, ClaimStatus.REFUNDED)
            else None,
        )
        claims.append(claim)
        for step, kind in enumerate(ledger_for(status)):
            if share:
                moved_at = submitted + timedelta(days=2 + 3 * step)
                entries.append(
                    LedgerEntry(
                        commitment_id=conglomerate_id,
                        claim_id=claim_id,
                        kind=kind,
                        amount=share,
                        created_at=moved_at,
                    )
                )
                if kind in SPEND_SIGN:
                    spend[(conglomerate_id, in_seoul(moved_at).strftime("%Y-%m"))] += SPEND_SIGN[kind] * share
                totals = figures[conglomerate_id]
                if kind == LedgerEntryKind.RESERVE:
                    totals["reserved"] += share
                elif kind == LedgerEntryKind.CAPTURE:
                    totals["reserved"] -= share
                    totals["captured"] += share
                elif kind == LedgerEntryKind.RELEASE:
                    totals["reserved"] -= share
                else:
                    totals["captured"] -= share
        if claim.payment_method is not None:
            payments.append(
                Payment(
                    claim_id=claim_id,
                    method=PaymentMethod.TRANSFER,
                    amount=claim.sme_share,
                    status=PaymentStatus.REFUNDED
                    if status == ClaimStatus.REFUNDED
                    else PaymentStatus.SUCCEEDED,
                )
            )
    for conglomerate_id, commitment in commitments.items():
        used = figures[conglomerate_id]
        commitment.reserved, commitment.captured = used["reserved"], used["captured"]
        commitment.budget = (used["reserved"] + used["captured"]) * 3 // 2 + 10_000_000
        entries.append(
            LedgerEntry(
                commitment_id=conglomerate_id,
                kind=LedgerEntryKind.BUDGET,
                amount=commitment.budget,
                created_at=at - timedelta(days=200),
            )
        )
    await insert(Commitment, list(commitments.values()))
    for commitment in await Commitment.all():
        await commitment.services.add(*services)
    await insert(Claim, claims)
    await insert(LedgerEntry, entries)
    await insert(
        CommitmentMonth,
        [CommitmentMonth(commitment_id=c, month=m, spent=spent) for (c, m), spent in sorted(spend.items())],
    )
    await insert(Payment, payments)
    counts.update(claims=len(claims), ledger_entries=len(entries), payments=len(payments))

    # Seminars over the past and coming year, each in its own room; registrations fill them in turn.
    seminar_count = sized(scale, 5_000, 5)
    seminars = []
    for i in range(seminar_count):
        starts = at + timedelta(days=rng.randrange(-365, 365), hours=rng.randrange(9, 16))
        seminars.append(
            Seminar(
                id=i + 1,
                title_ko=f"기술보호 세미나 {i + 1}",
                topic=rng.choice(list(SeminarTopic)).value,
                venue=f"세미나실 {i + 1}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                capacity=rng.randrange(40, 200),
                registration_opens_at=starts - timedelta(days=30),
                registration_closes_at=starts,
                status=SeminarStatus.COMPLETED if starts < at else SeminarStatus.PUBLISHED,
            )
        )
    registrations = []
    wanted = sized(scale, 200_000, 20)
    users = [u.id for u in reps]
    for seminar in seminars:
        if len(registrations) >= wanted:
            break
        seats = min(seminar.capacity, wanted - len(registrations), len(users))
        for user_id in rng.sample(users, seats):
            registrations.append(
                Registration(
                    seminar_id=seminar.id,
                    user_id=user_id,
                    organization_id=user_id,  # each representative's SME has the same id
                    status=RegistrationStatus.REGISTERED,
                )
            )
        seminar.registered_count = seats
    await insert(Seminar, seminars)
    await insert(Registration, registrations)
    counts.update(seminars=len(seminars), registrations=len(registrations))
    await fix_sequences(url, [Organization, User, Partnership, Commitment, Claim, Seminar])
    return counts


def _remove_sqlite_files(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


async def recreate(url: str) -> None:
    """Drop the database and create it empty: the PostgreSQL database the URL names, or the SQLite file."""
    parts = urlsplit(url)
    if is_sqlite(url):
        await asyncio.to_thread(_remove_sqlite_files, parts.path)
        return
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres", query=""))
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database", required=True)
    parser.add_argument("--fresh", action="store_true", help="drop and create the database first")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.fresh:
        await recreate(args.database)
    await migrate_database(args.database)
    await open_database(args.database)
    try:
        if await Organization.exists():
            raise SystemExit("The database already holds organisations: give an empty one.")
        await ensure_catalogue()
        await ensure_questionnaire()
        generating = time.perf_counter()
        counts = await generate(args.database, args.scale)
        done = time.perf_counter()
        await analyze(args.database)
    finally:
        await close_database()
    print(
        f"scale {args.scale} on {args.database.split(':')[0]}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    print(
        f"generated in {done - generating:.1f} s (migrations {generating - started:.1f} s, "
        f"statistics {time.perf_counter() - done:.1f} s)"
    )


if __name__ == "__main__":
    asyncio.run(main())
