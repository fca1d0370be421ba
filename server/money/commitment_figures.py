"""What a commitment offers and has spent: the price quotes an SME sees, and spending month by month."""

from __future__ import annotations

from dataclasses import dataclass

from server.models import Commitment, CommitmentMonth, Service
from server.money.commitments import sponsor_share


@dataclass(frozen=True)
class Quote:
    service: Service
    list_price: int
    sponsor_share: int
    sme_share: int


async def services_of(commitment: Commitment) -> list[Service]:
    """The services a commitment shares the cost of, in catalogue order (those fetched with it, if they were)."""
    if commitment.services._fetched:
        return sorted(commitment.services, key=lambda service: service.id)
    return await commitment.services.all().order_by("id")


def quotes(commitment: Commitment, services: list[Service]) -> list[Quote]:
    """What each service would cost the SME under this commitment, were it approved now."""
    result = []
    for service in services:
        share = min(
            sponsor_share(service.list_price, commitment.share_percent, commitment.cap_per_claim),
            commitment.remaining,
        )
        result.append(Quote(service, service.list_price, share, service.list_price - share))
    return result


@dataclass(frozen=True)
class MonthlySpend:
    month: str  # YYYY-MM in Asia/Seoul
    captured: int  # captures less refunds in the month
    cumulative: int


async def spend_by_month(commitment: Commitment) -> list[MonthlySpend]:
    """The sponsor's spend per month, for the commitment page's chart: a row per month, kept by the ledger."""
    months = await CommitmentMonth.filter(commitment_id=commitment.id).order_by("month")
    cumulative = 0
    result = []
    for month in months:
        cumulative += month.spent
        result.append(MonthlySpend(month.month, month.spent, cumulative))
    return result
