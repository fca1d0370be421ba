"""The figures the dashboards answer at a glance: the club's money and month for the secretariat, and an
SME's own protection (its level, its escrow contracts and their renewal, its open claims).

Each is a fixed number of statements, whatever the club's size; server/dashboard.py gathers them per role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from tortoise.functions import Count, Sum

from server.models import (
    OPEN_CLAIMS,
    Claim,
    ClaimStatus,
    Commitment,
    CommitmentStatus,
    Diagnosis,
    DiagnosisStatus,
    Organization,
    Seminar,
    Service,
    ServiceCode,
)
from server.models.commitments import remaining_budget
from server.money.claim_jobs import RENEWAL_NOTICE
from server.platform.actor import Actor
from server.platform.policy import require_secretariat
from server.platform.sql import columns, fetch, listed, model_from, set_related
from server.platform.timeutil import in_seoul, now
from server.reports.figures import HELD
from server.seminars.queries import month_range

MONEY_ROWS = 10  # conglomerates on the dashboard, the largest budgets first; the report has them all


@dataclass(frozen=True)
class Money:
    name_ko: str
    name_en: str | None
    committed: int
    spent: int
    remaining: int


@dataclass(frozen=True)
class ClubMoney:
    total: Money
    largest: list[Money]  # by active budget, at most MONEY_ROWS
    conglomerates: int


async def club_money(actor: Actor | None) -> ClubMoney:
    """The active commitments' budgets, spend and what is left, by conglomerate (one grouped statement)."""
    require_secretariat(actor)
    rows = await (
        Commitment.filter(status=CommitmentStatus.ACTIVE)
        .annotate(budget_sum=Sum("budget"), reserved_sum=Sum("reserved"), captured_sum=Sum("captured"))
        .group_by("conglomerate_id", "conglomerate__name_ko", "conglomerate__name_en")
        .values_list(
            "conglomerate__name_ko", "conglomerate__name_en", "budget_sum", "reserved_sum", "captured_sum"
        )
    )
    money = [
        Money(
            name_ko,
            name_en,
            int(budget),
            int(captured),
            remaining_budget(int(budget), int(reserved), int(captured)),
        )
        for name_ko, name_en, budget, reserved, captured in rows
    ]
    money.sort(key=lambda m: (-m.committed, m.name_ko))
    total = Money(
        "",
        None,
        sum(m.committed for m in money),
        sum(m.spent for m in money),
        sum(m.remaining for m in money),
    )
    return ClubMoney(total, money[:MONEY_ROWS], len(money))


@dataclass(frozen=True)
class ClubMonth:
    month: date  # its first day, Seoul
    claims: dict[ClaimStatus, int]  # claims submitted this month, by where they stand now
    seminars: list[Seminar]  # held this month (published or completed), by start


async def club_month(actor: Actor | None) -> ClubMonth:
    require_secretariat(actor)
    today = in_seoul(now()).date()
    start, end = month_range(today.year, today.month)
    rows = await (
        Claim.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(n=Count("id"))
        .group_by("status")
        .values_list("status", "n")
    )
    seminars = await Seminar.filter(status__in=list(HELD), starts_at__gte=start, starts_at__lt=end).order_by(
        "starts_at", "id"
    )
    return ClubMonth(today.replace(day=1), {ClaimStatus(s): n for s, n in rows}, list(seminars))


@dataclass(frozen=True)
class EscrowContract:
    claim: Claim
    ends_on: date
    renewal: Claim | None  # the renewal claimed after it, if any

    @property
    def state(self) -> str:
        """renewed, renewal_claimed, due (within the agent's 60-day notice), ended or running."""
        if self.renewal is not None:
            return (
                "renewed"
                if self.renewal.status in (ClaimStatus.PAID, ClaimStatus.FULFILLED)
                else "renewal_claimed"
            )
        today = in_seoul(now()).date()
        if self.ends_on < today:
            return "ended"
        return "due" if self.ends_on <= today + RENEWAL_NOTICE else "running"


@dataclass(frozen=True)
class SmeProtection:
    diagnosis: Diagnosis | None  # its latest submitted result
    contracts: list[EscrowContract]  # newest first
    open_claims: list[Claim]  # submitted or approved, with their service and sponsor


ESCROW = (ServiceCode.ESCROW_NEW, ServiceCode.ESCROW_RENEWAL)
LIVE = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID, ClaimStatus.FULFILLED)


# Its live escrow claims (for the contracts and their renewals) and its open claims, newest first, each
# with its service, commitment and sponsor: one statement written once, not two ORM queries with joins.
_SME_CLAIMS = """WITH picked AS (
  SELECT id, 1 AS escrow FROM (
    SELECT c.id FROM claim c JOIN service v ON v.id = c.service_id
    WHERE c.sme_id = :sme AND v.code IN ({escrow}) AND c.status IN ({live}) ORDER BY c.id DESC LIMIT 50
  ) e
  UNION ALL
  SELECT id, 0 AS escrow FROM (
    SELECT c.id FROM claim c WHERE c.sme_id = :sme AND c.status IN ({open}) ORDER BY c.id DESC LIMIT 10
  ) o
)
SELECT picked.escrow, {claim}, {service}, {commitment}, {sponsor}
FROM picked JOIN claim c ON c.id = picked.id JOIN service v ON v.id = c.service_id
  JOIN commitment m ON m.id = c.commitment_id JOIN organization g ON g.id = m.conglomerate_id
ORDER BY c.id DESC"""


@cache
def _sme_claims() -> str:
    return _SME_CLAIMS.format(
        escrow=listed(ESCROW),
        live=listed(LIVE),
        open=listed(OPEN_CLAIMS),
        claim=columns("c", Claim),
        service=columns("v", Service),
        commitment=columns("m", Commitment),
        sponsor=columns("g", Organization),
    )


def _claim_from(record: dict[str, Any]) -> Claim:
    claim = model_from("c", Claim, record)
    commitment = model_from("m", Commitment, record)
    set_related(commitment, "conglomerate", model_from("g", Organization, record))
    set_related(claim, "service", model_from("v", Service, record))
    set_related(claim, "commitment", commitment)
    return claim


async def sme_protection(actor: Actor) -> SmeProtection:
    """For the SME the actor represents (its own records: nothing here is another organisation's)."""
    sme_id = actor.organization.id
    diagnosis = (
        await Diagnosis.filter(sme_id=sme_id, status=DiagnosisStatus.SUBMITTED).order_by("-id").first()
    )
    records = await fetch(_sme_claims(), sme=sme_id)
    escrow = [_claim_from(r) for r in records if r["escrow"]]
    contracts = []
    for claim in escrow:
        if claim.status == ClaimStatus.FULFILLED and claim.escrow_contract_ends_on is not None:
            renewal = next(
                (
                    later
                    for later in reversed(escrow)
                    if later.id > claim.id and later.service.code == ServiceCode.ESCROW_RENEWAL
                ),
                None,
            )
            contracts.append(EscrowContract(claim, claim.escrow_contract_ends_on, renewal))
    open_claims = [_claim_from(r) for r in records if not r["escrow"]]
    return SmeProtection(diagnosis, contracts, open_claims)
