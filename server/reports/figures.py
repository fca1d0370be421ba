"""The report's figures: each one grouped statement over the club, by conglomerate (never a loop of queries).

What each figure means, for the ministry and the sponsors alike:
- committed, reserved, remaining: the budgets of the conglomerate's commitments (active or closed, not
  drafts) whose period overlaps the report's, and what is reserved and left of them now;
- spent: its ledger's captures less refunds dated in the period (the money that left its budgets then);
- supported claims: claims paid in the period and still paid or fulfilled, counted by service code (so a
  service added to the catalogue gets its own column), with their list prices and sponsor shares; the
  SMEs supported are the distinct SMEs of those claims;
- seminars: those held (published or completed) that start in the period, co-hosted by the conglomerate;
  registrations and attendance are its active partners' at any seminar held in the period;
- diagnosis levels: its active partners' latest submitted level before a moment (server/reports/levels.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from tortoise.functions import Count, Sum

from server.models import (
    SETTLED_CLAIMS,
    Claim,
    Commitment,
    CommitmentStatus,
    LedgerEntry,
    PartnershipStatus,
    ProtectionLevel,
    RegistrationStatus,
    Seminar,
    SeminarStatus,
)
from server.models.commitments import remaining_budget
from server.money.ledger import SPEND_SIGN
from server.platform.sql import fetch
from server.reports.period import Period

HELD = (SeminarStatus.PUBLISHED, SeminarStatus.COMPLETED)
COUNTED_REGISTRATIONS = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
TENTH = Decimal("0.1")


@dataclass
class ServiceFigures:
    claims: int = 0
    list_price: int = 0
    sponsor_share: int = 0


@dataclass
class Figures:
    """One conglomerate's figures for one period, or the club's."""

    committed: int = 0
    reserved: int = 0
    remaining: int = 0
    spent: int = 0
    smes_supported: int = 0
    services: dict[str, ServiceFigures] = field(default_factory=dict)  # by service code
    seminars: int = 0  # co-hosted (a conglomerate) or held (the club)
    registrations: int = 0  # registered or attended
    attended: int = 0
    levels: dict[ProtectionLevel, int] | None = None  # SMEs by level at the period's end; None: not shown
    levels_before: dict[ProtectionLevel, int] | None = None  # ... the day before it began

    @property
    def claims(self) -> int:
        return sum(s.claims for s in self.services.values())

    @property
    def sponsor_share_percent(self) -> Decimal | None:
        """The sponsors' part of the supported claims' list prices, in percent to one decimal (a Decimal:
        weighted by price, so a ₩300,000 claim counts six times a ₩50,000 one); None without claims."""
        prices = sum(s.list_price for s in self.services.values())
        if not prices:
            return None
        shares = sum(s.sponsor_share for s in self.services.values())
        return (Decimal(shares) * 100 / prices).quantize(TENTH, ROUND_HALF_UP)

    @property
    def diagnosed(self) -> int | None:
        return None if self.levels is None else sum(self.levels.values())


def _in(period: Period, name: str) -> dict[str, datetime]:
    return {f"{name}__gte": period.start, f"{name}__lt": period.end}


async def budgets(period: Period, into: dict[int, Figures]) -> None:
    rows = await (
        Commitment.filter(
            status__in=[CommitmentStatus.ACTIVE, CommitmentStatus.CLOSED],
            period_start__lte=period.last,
            period_end__gte=period.first,
        )
        .annotate(budget_sum=Sum("budget"), reserved_sum=Sum("reserved"), captured_sum=Sum("captured"))
        .group_by("conglomerate_id")
        .values_list("conglomerate_id", "budget_sum", "reserved_sum", "captured_sum")
    )
    for conglomerate_id, budget, reserved, captured in rows:
        figures = into[conglomerate_id]
        figures.committed, figures.reserved = int(budget), int(reserved)
        figures.remaining = remaining_budget(int(budget), int(reserved), int(captured))


async def spending(period: Period, into: dict[int, Figures]) -> None:
    rows = await (
        LedgerEntry.filter(kind__in=list(SPEND_SIGN), **_in(period, "created_at"))
        .annotate(total=Sum("amount"))
        .group_by("commitment__conglomerate_id", "kind")
        .values_list("commitment__conglomerate_id", "kind", "total")
    )
    for conglomerate_id, kind, total in rows:
        into[conglomerate_id].spent += SPEND_SIGN[kind] * int(total)


def _supported(period: Period) -> dict[str, object]:
    return {"status__in": list(SETTLED_CLAIMS), **_in(period, "paid_at")}


async def supported_claims(period: Period, into: dict[int, Figures]) -> None:
    rows = await (
        Claim.filter(**_supported(period))
        .annotate(n=Count("id"), prices=Sum("list_price"), shares=Sum("sponsor_share"))
        .group_by("commitment__conglomerate_id", "service__code")
        .values_list("commitment__conglomerate_id", "service__code", "n", "prices", "shares")
    )
    for conglomerate_id, code, n, prices, shares in rows:
        into[conglomerate_id].services[str(code)] = ServiceFigures(n, int(prices or 0), int(shares or 0))


async def smes_supported(period: Period, into: dict[int, Figures]) -> None:
    rows = await (
        Claim.filter(**_supported(period))
        .annotate(n=Count("sme_id", distinct=True))
        .group_by("commitment__conglomerate_id")
        .values_list("commitment__conglomerate_id", "n")
    )
    for conglomerate_id, n in rows:
        into[conglomerate_id].smes_supported = n


async def club_smes_supported(period: Period) -> int:
    """Distinct over the club: an SME two sponsors supported counts once."""
    found = (
        await Claim.filter(**_supported(period)).annotate(n=Count("sme_id", distinct=True)).values_list("n")
    )
    return int(found[0][0]) if found else 0


def _held(period: Period) -> dict[str, object]:
    return {"status__in": list(HELD), **_in(period, "starts_at")}


async def cohosted(period: Period, into: dict[int, Figures]) -> None:
    rows = await (
        Seminar.filter(**_held(period), co_hosts__id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("co_hosts__id")
        .values_list("co_hosts__id", "n")
    )
    for conglomerate_id, n in rows:
        into[conglomerate_id].seminars = n


async def club_seminars(period: Period) -> int:
    return await Seminar.filter(**_held(period)).count()


_FROM_HELD = "FROM registration r JOIN seminar s ON s.id = r.seminar_id"
_HELD_WHERE = (
    "r.status IN (:counted_0, :counted_1) AND s.status IN (:held_0, :held_1) "
    "AND s.starts_at >= :start AND s.starts_at < :end"
)
_SEATS = (
    f"SELECT p.conglomerate_id AS owner, r.status AS status, COUNT(*) AS n {_FROM_HELD} "
    f"JOIN partnership p ON p.sme_id = r.organization_id WHERE p.status = :active AND {_HELD_WHERE} "
    "GROUP BY p.conglomerate_id, r.status "
    f"UNION ALL SELECT NULL, r.status, COUNT(*) {_FROM_HELD} WHERE {_HELD_WHERE} GROUP BY r.status"
)


async def seats(period: Period, into: dict[int, Figures], total: Figures) -> None:
    """Registrations of each conglomerate's active partners (an SME with two sponsors counts for both), and
    the club's, in one statement. Written in SQL (`server.platform.sql`): Tortoise would join each
    registration to its SME's partnerships through the organisation table."""
    counted, held = (tuple(s.value for s in kinds) for kinds in (COUNTED_REGISTRATIONS, HELD))
    assert len(counted) == len(held) == 2  # as many as _HELD_WHERE names
    found = await fetch(
        _SEATS,
        active=PartnershipStatus.ACTIVE.value,
        counted_0=counted[0],
        counted_1=counted[1],
        held_0=held[0],
        held_1=held[1],
        start=period.start,
        end=period.end,
    )
    for row in found:
        owner = row["owner"]
        _count_seat(total if owner is None else into[int(owner)], row["status"], int(row["n"]))


def _count_seat(figures: Figures, status: str, n: int) -> None:
    figures.registrations += n
    if status == RegistrationStatus.ATTENDED:
        figures.attended += n
