"""Sponsor statements: per conglomerate and month (Asia/Seoul), the sponsor shares captured and refunded.

A claim whose sponsor share came to ₩0 moves nothing in the ledger, yet the sponsor should see that
its partner used the service: such a claim is a ₩0 line in the month it was paid, and a refund line
in the month it was refunded. The sponsor total stays the ledger's captures less refunds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import Q

from server.models import (
    Claim,
    ClaimStatus,
    LedgerEntry,
    LedgerEntryKind,
    Organization,
    OrganizationKind,
    PaymentMethod,
)
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.policy import require_actor
from server.platform.timeutil import entered, in_calendar, in_seoul, now


@dataclass(frozen=True)
class StatementLine:
    claim: Claim
    at: datetime
    refund: bool

    def _signed(self, amount: int | None) -> int:
        return -(amount or 0) if self.refund else amount or 0

    @property
    def list_price(self) -> int:
        return self._signed(self.claim.list_price)

    @property
    def sponsor_share(self) -> int:
        return self._signed(self.claim.sponsor_share)

    @property
    def sme_share(self) -> int:
        return self._signed(self.claim.sme_share)

    @property
    def paid_by(self) -> PaymentMethod:
        """How the SME paid its share: by card, by bank transfer, or nothing to pay."""
        return self.claim.payment_method or PaymentMethod.NONE


@dataclass(frozen=True)
class SponsorStatement:
    conglomerate: Organization
    month: date  # its first day
    lines: list[StatementLine]

    @property
    def total_list_price(self) -> int:
        return sum(line.list_price for line in self.lines)

    @property
    def total_sponsor_share(self) -> int:
        return sum(line.sponsor_share for line in self.lines)

    @property
    def total_sme_share(self) -> int:
        return sum(line.sme_share for line in self.lines)


def parse_month(text: str | None) -> date:
    """'2026-11' as its first day; the current Seoul month when empty."""
    if not text:
        return in_seoul(now()).date().replace(day=1)
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise DomainError.single(ErrorCode.INVALID, "Give the month as YYYY-MM.", "month") from exc
    if not in_calendar(first):
        raise DomainError.single(ErrorCode.INVALID, "Give the month as YYYY-MM.", "month")
    return first


def _next_month(first: date) -> date:
    return first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)


async def sponsor_statement(
    actor: Actor | None, *, month: str | None, conglomerate_id: int | None = None
) -> SponsorStatement:
    """A coordinator's own conglomerate; the secretariat names any conglomerate."""
    actor = require_actor(actor)
    if actor.is_coordinator and conglomerate_id in (None, actor.organization.id):
        conglomerate_id = actor.organization.id
    elif not actor.is_secretariat or conglomerate_id is None:
        raise not_found("statement")
    conglomerate = await Organization.filter(id=conglomerate_id, kind=OrganizationKind.CONGLOMERATE).first()
    if conglomerate is None:
        raise not_found("statement")
    first = parse_month(month)
    start = entered(datetime(first.year, first.month, 1))
    end = entered(datetime.combine(_next_month(first), datetime.min.time()))
    entries = (
        await LedgerEntry.filter(
            commitment__conglomerate_id=conglomerate.id,
            kind__in=[LedgerEntryKind.CAPTURE, LedgerEntryKind.REFUND],
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("claim__sme", "claim__service")
        .order_by("created_at", "id")
    )
    lines = [
        StatementLine(entry.claim, entry.created_at, entry.kind == LedgerEntryKind.REFUND)
        for entry in entries
        if entry.claim is not None
    ]
    lines += await _unsponsored_lines(conglomerate.id, start, end)
    lines.sort(key=lambda line: (line.at, line.refund, line.claim.id))
    return SponsorStatement(conglomerate, first, lines)


async def _unsponsored_lines(conglomerate_id: int, start: datetime, end: datetime) -> list[StatementLine]:
    """The month's ₩0 sponsor shares, which the ledger does not record: paid, and refunded."""
    refunded = Q(status=ClaimStatus.REFUNDED, closed_at__gte=start, closed_at__lt=end)
    claims = await Claim.filter(
        Q(paid_at__gte=start, paid_at__lt=end) | refunded,
        commitment__conglomerate_id=conglomerate_id,
        sponsor_share=0,
    ).select_related("sme", "service")
    lines = []
    for claim in claims:
        if claim.paid_at is not None and start <= claim.paid_at < end:
            lines.append(StatementLine(claim, claim.paid_at, False))
        if claim.status == ClaimStatus.REFUNDED and claim.closed_at and start <= claim.closed_at < end:
            lines.append(StatementLine(claim, claim.closed_at, True))
    return lines
