"""How long the club's report takes on the benchmark's club (target: under 2 s at scale 1 on PostgreSQL).

    .venv/bin/python bench/report.py --database postgres://postgres@127.0.0.1:5432/club_bench [--enrich]

Signs in as the secretariat (made on first use: the dataset has none) and asks for this year's report as a
page, as GraphQL and as the .xlsx download, then a sponsor's evidence report as the largest sponsor's
coordinator; prints each one's median and slowest time over --runs, its SQL statements, and the report's
club totals. The dataset has no diagnoses, co-hosts or attendance: --enrich adds them once (a submitted
diagnosis for half of the SMEs over the past 400 days, two co-hosts per seminar, a third of past seminars'
registrations attended), so that every figure of the report has rows to count.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from tortoise import connections

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import BATCH, PASSWORD
from server.accounts.passwords import hash_password
from server.models import (
    Diagnosis,
    DiagnosisStatus,
    Organization,
    OrganizationKind,
    ProtectionLevel,
    Questionnaire,
    Registration,
    RegistrationStatus,
    Role,
    RoleKind,
    Seminar,
    User,
)
from server.platform.actor import Actor
from server.platform.config import configure
from server.platform.db import close_database, open_database
from server.platform.settings import Settings
from server.platform.timeutil import now
from server.privacy.notice_text import FIRST_VERSION
from server.reports.club_report import club_report
from tests.support.pages import sign_in_as
from tests.support.queries import QueryCounter
from web.app import create_app

SECRETARIAT = "secretariat@bench.test"
CLUB = """query { clubReport { total { committed spent smesSupported claims sponsorSharePercent }
  conglomerates { conglomerate { nameKo } current { committed spent claims levels { level smes } } } } }"""
LEVELS = [(ProtectionLevel.EXCELLENT, 80), (ProtectionLevel.GOOD, 65), (ProtectionLevel.FAIR, 50),
          (ProtectionLevel.WEAK, 35), (ProtectionLevel.AT_RISK, 20)]  # fmt: skip


async def secretariat() -> Actor:
    user = await User.get_or_none(email=SECRETARIAT)
    if user is None:
        office = await Organization.create(kind=OrganizationKind.SECRETARIAT, name_ko="기술보호 클럽 사무국")
        user = await User.create(
            email=SECRETARIAT,
            name="사무국",
            password_hash=hash_password(PASSWORD),
            privacy_notice_version=FIRST_VERSION,  # accepted, as the dataset's people have: pages open at once
        )
        await Role.create(user=user, organization=office, kind=RoleKind.SECRETARIAT)
    role = await Role.get(user_id=user.id, kind=RoleKind.SECRETARIAT).select_related("organization")
    return Actor(user, role.organization, RoleKind.SECRETARIAT)


async def enrich(seed: int = 2016) -> None:
    """Diagnoses, co-hosts and attendance for the report to count; each step only where none exist yet."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    at = now()
    if not await Diagnosis.exists():
        questionnaire = await Questionnaire.all().order_by("-version").first()
        assert questionnaire is not None
        smes = await Organization.filter(kind=OrganizationKind.SME).values_list("id", flat=True)
        rows = []
        for sme_id in smes[::2]:
            for _ in range(rng.choice((1, 1, 2))):
                level, score = rng.choice(LEVELS)
                rows.append(
                    Diagnosis(
                        sme_id=sme_id,
                        questionnaire_id=questionnaire.id,
                        status=DiagnosisStatus.SUBMITTED,
                        level=level,
                        overall_score=Decimal(score),
                        area_scores={},
                        submitted_at=at - timedelta(days=rng.randrange(0, 400)),
                    )
                )
        rows.sort(key=lambda d: d.submitted_at or at)  # ids follow submission, as the product makes them
        for start in range(0, len(rows), BATCH):
            await Diagnosis.bulk_create(rows[start : start + BATCH])
        print(f"enriched: {len(rows):,} diagnoses")
    bare = await Seminar.filter(co_hosts__id__isnull=True).values_list("id", flat=True)
    if bare:
        conglomerates = list(
            await Organization.filter(kind=OrganizationKind.CONGLOMERATE).values_list("id", flat=True)
        )
        pairs = [(seminar_id, host) for seminar_id in bare for host in rng.sample(conglomerates, 2)]
        for start in range(0, len(pairs), BATCH):
            # Whole numbers only, made here: the through table has no model to bulk-insert with.
            values = ",".join(f"({int(s)},{int(o)})" for s, o in pairs[start : start + BATCH])
            await connections.get("default").execute_script(
                f"INSERT INTO seminar_cohost (seminar_id, organization_id) VALUES {values}"  # noqa: S608
            )
        print(f"enriched: co-hosts on {len(bare):,} seminars")
    if not await Registration.filter(status=RegistrationStatus.ATTENDED).exists():
        past = await Seminar.filter(starts_at__lt=at).values_list("id", flat=True)
        ids = await Registration.filter(seminar_id__in=past).values_list("id", flat=True)
        chosen = [i for i in ids if rng.random() < 1 / 3]
        for start in range(0, len(chosen), BATCH):
            await Registration.filter(id__in=chosen[start : start + BATCH]).update(
                status=RegistrationStatus.ATTENDED
            )
        print(f"enriched: {len(chosen):,} attendances")
    if connections.get("default").capabilities.dialect == "postgres":
        # Statistics for the rows just added, as autovacuum would gather them: without them the planner
        # guesses a few dozen diagnoses and joins them row by row.
        await connections.get("default").execute_script("ANALYZE diagnosis, seminar_cohost, registration")


async def timed(runs: int, call: object) -> tuple[list[float], int]:
    times, statements = [], 0
    for _ in range(runs):
        with QueryCounter.installed() as counter:
            started = time.perf_counter()
            await call()  # type: ignore[operator]
            times.append(time.perf_counter() - started)
        statements = counter.count
    return times, statements


def line(name: str, times: list[float], statements: int) -> str:
    return (
        f"{name:<32} median {statistics.median(times) * 1000:7.0f} ms   slowest {max(times) * 1000:7.0f} ms"
        f"   {statements} statements"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--enrich", action="store_true")
    args = parser.parse_args()
    settings = Settings(
        environment="development",
        database_url=args.database,
        secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a local benchmark's  # noqa: S106 - a local benchmark's
        base_url="http://bench",
        smtp_url=None,
        mail_from="Club <noreply@techclub.test>",
        oidc=None,
        stripe=None,
    )
    configure(settings)
    await open_database(args.database)
    try:
        if args.enrich:
            await enrich()
        admin = await secretariat()
        report = await club_report(admin)
        app = create_app(settings, run_workers=False)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            await sign_in_as(client, SECRETARIAT, PASSWORD)

            async def page() -> None:
                assert (await client.get("/reports")).status_code == 200

            async def graphql() -> None:
                answer = await client.post("/graphql", json={"query": CLUB})
                assert answer.status_code == 200 and "errors" not in answer.json(), answer.text[:300]

            async def workbook() -> None:
                assert (await client.get("/reports.xlsx")).status_code == 200

            results = [("club report (domain)", await timed(args.runs, lambda: club_report(admin)))]
            results += [("club report page", await timed(args.runs, page))]
            results += [("clubReport (GraphQL)", await timed(args.runs, graphql))]
            results += [("club report .xlsx", await timed(args.runs, workbook))]
            await sign_in_as(client, "coordinator1@bench.test", PASSWORD)

            async def evidence() -> None:
                assert (await client.get("/reports/sponsor")).status_code == 200

            results += [("evidence report page (largest)", await timed(args.runs, evidence))]
    finally:
        await close_database()
    total = report.total
    print(f"period {report.period.first} – {report.period.last}, {len(report.lines)} conglomerates")
    print(
        f"committed ₩{total.committed:,}  reserved ₩{total.reserved:,}  spent ₩{total.spent:,}  "
        f"remaining ₩{total.remaining:,}"
    )
    print(
        f"SMEs supported {total.smes_supported:,}  supported claims {total.claims:,} "
        f"({', '.join(f'{code} {s.claims:,}' for code, s in sorted(total.services.items()))})  "
        f"average sponsor share {total.sponsor_share_percent}%"
    )
    print(
        f"seminars {total.seminars:,}  registrations {total.registrations:,}  attended {total.attended:,}  "
        f"levels now {dict((k.value, v) for k, v in (total.levels or {}).items())}"
    )
    print(f"previous period: spent ₩{report.previous_total.spent:,}  claims {report.previous_total.claims:,}")
    for name, (times, statements) in results:
        print(line(name, times, statements))


if __name__ == "__main__":
    asyncio.run(main())
