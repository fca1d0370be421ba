"""The desk's club-wide figures for the secretariat: counts by kind, month and outcome, and time to first
response. Nothing names or identifies an SME, and no one but the secretariat sees them (a sponsor's
figures never count cases)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

from server.models import CaseKind, CaseOutcome, CaseStatus, ProtectionCase
from server.platform.actor import Actor
from server.platform.policy import require_secretariat
from server.platform.timeutil import in_seoul, now


@dataclass(frozen=True)
class CaseStatistics:
    total: int
    by_kind: dict[CaseKind, int]
    by_month: list[tuple[str, int]]  # YYYY-MM in Seoul, oldest first
    by_outcome: dict[CaseOutcome, int]  # closed cases
    still_open: int
    overdue: int
    answered: int
    answered_in_time: int
    median_hours_to_first_response: float | None


async def protection_case_statistics(actor: Actor | None) -> CaseStatistics:
    require_secretariat(actor)
    rows = await ProtectionCase.all().values_list(
        "kind", "status", "outcome", "opened_at", "respond_by", "first_response_at"
    )
    moment = now()
    kinds: Counter[CaseKind] = Counter()
    months: Counter[str] = Counter()
    outcomes: Counter[CaseOutcome] = Counter()
    hours: list[float] = []
    still_open = overdue = in_time = 0
    for kind, status, outcome, opened_at, due, first_response_at in rows:
        kinds[CaseKind(kind)] += 1
        months[in_seoul(opened_at).strftime("%Y-%m")] += 1
        if outcome:
            outcomes[CaseOutcome(outcome)] += 1
        if status != CaseStatus.CLOSED:
            still_open += 1
        if first_response_at is None:
            overdue += status != CaseStatus.CLOSED and due < moment
            continue
        hours.append((first_response_at - opened_at).total_seconds() / 3600)
        in_time += first_response_at <= due
    return CaseStatistics(
        total=len(rows),
        by_kind={kind: kinds[kind] for kind in CaseKind},
        by_month=sorted(months.items()),
        by_outcome={outcome: outcomes[outcome] for outcome in CaseOutcome},
        still_open=still_open,
        overdue=overdue,
        answered=len(hours),
        answered_in_time=in_time,
        median_hours_to_first_response=round(median(hours), 1) if hours else None,
    )
