"""Reading self-diagnosis results: who may see them (`policy.diagnosis_view`), lists, one result, advice,
statistics and the trend of an SME's scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from server.diagnosis.areas import by_area
from server.diagnosis.questionnaire import AREAS
from server.diagnosis.taking import TENTH
from server.models import (
    Diagnosis,
    DiagnosisStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    Seminar,
    SeminarStatus,
)
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import DiagnosisView, diagnosis_view, require_actor, require_secretariat
from server.platform.timeutil import now

WEAK_BELOW = Decimal(60)


async def may_see_results(actor: Actor, sme: Organization) -> bool:
    """Whether the actor sees the SME's results: `policy.diagnosis_view`, the one rule, decides."""
    return await view_of(actor, sme) == DiagnosisView.RESULTS


async def view_of(actor: Actor, sme: Organization) -> DiagnosisView:
    """How much of this SME's diagnosis the actor sees (`policy.diagnosis_view`)."""
    status = None
    if actor.is_coordinator:
        status = (await partnership_statuses(actor.organization.id, [sme.id])).get(sme.id)
    return diagnosis_view(actor, sme, status)


async def partnership_statuses(conglomerate_id: int, sme_ids: list[int]) -> dict[int, PartnershipStatus]:
    """The conglomerate's partnership status with each SME (absent: none), for `policy.diagnosis_view`."""
    rows = await Partnership.filter(conglomerate_id=conglomerate_id, sme_id__in=sme_ids).values_list(
        "sme_id", "status"
    )
    return {sme_id: PartnershipStatus(status) for sme_id, status in rows}


async def _visible_sme(actor: Actor, sme_id: int | None) -> Organization:
    """The SME whose diagnoses are asked for; a sponsor who may not see them gets 'not found'."""
    target = actor.organization.id if sme_id is None else sme_id
    sme = await Organization.filter(id=target, kind=OrganizationKind.SME).first()
    if sme is None or not await may_see_results(actor, sme):
        raise not_found("diagnosis")
    return sme


async def list_diagnoses(
    actor: Actor | None, *, sme_id: int | None = None, first: int | None = None, after: str | None = None
) -> Page[Diagnosis]:
    """Submitted results, newest first."""
    actor = require_actor(actor)
    sme = await _visible_sme(actor, sme_id)
    query = Diagnosis.filter(sme_id=sme.id, status=DiagnosisStatus.SUBMITTED).select_related("questionnaire")
    return await paginate(query, first=first, after=after)


async def get_diagnosis(actor: Actor | None, diagnosis_id: int) -> Diagnosis:
    actor = require_actor(actor)
    diagnosis = (
        await Diagnosis.filter(id=diagnosis_id, status=DiagnosisStatus.SUBMITTED)
        .select_related("sme", "questionnaire")
        .first()
    )
    if diagnosis is None or not await may_see_results(actor, diagnosis.sme):
        raise not_found("diagnosis")
    return diagnosis


@dataclass(frozen=True)
class Advice:
    category: str
    score: Decimal
    services: tuple[str, ...]  # service codes of the club's catalogue
    seminar_topic: str
    checklist: tuple[str, ...]
    seminars: tuple[Seminar, ...] = ()


# Per national area: the catalogue's services, the seminar topic, a checklist.
_ADVICE: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "protection_policy": (("escrow_new", "escrow_renewal"), "strategy", ()),
    "administrative": ((), "strategy", ()),
    "physical": ((), "security_controls", ()),
    "technical": (("guard_subscription",), "security_controls", ()),
    "incident_management": (
        (),
        "leak_response",
        (
            "Stop the leak: cut the account, the device or the connection involved.",
            "Keep the evidence untouched: logs, access records, e-mails, the devices.",
            "Call the SME ministry's technology protection desk (1357) or the police.",
            "Write down what happened, when, and who knew; keep it with the evidence.",
            "Tell your sponsors and the club secretariat.",
        ),
    ),
}


async def advice_for(diagnosis: Diagnosis) -> list[Advice]:
    """For each weak national area (below 60), the club's help: services, upcoming seminars, a checklist."""
    weak = [(area, value) for area, value in by_area(diagnosis.area_scores).items() if value < WEAK_BELOW]
    topics = {_ADVICE[code][1] for code, _ in weak}
    upcoming: dict[str, list[Seminar]] = defaultdict(list)
    if topics:
        for seminar in (
            await Seminar.filter(status=SeminarStatus.PUBLISHED, topic__in=topics, starts_at__gt=now())
            .order_by("starts_at")
            .limit(20)
        ):
            upcoming[seminar.topic].append(seminar)
    result = []
    for code, value in sorted(weak, key=lambda pair: pair[1]):
        services, topic, checklist = _ADVICE[code]
        result.append(Advice(code, value, services, topic, checklist, tuple(upcoming[topic][:3])))
    return result


@dataclass(frozen=True)
class Statistics:
    levels: dict[ProtectionLevel, int]  # SMEs by the level of their latest result
    categories: dict[str, Decimal]  # per national area, average of the latest results, weakest first
    sectors: dict[str, Decimal]  # average overall score of the latest results per sector
    smes: int


async def statistics(actor: Actor | None) -> Statistics:
    """Club-wide, over each SME's latest submitted result (secretariat)."""
    require_secretariat(actor)
    rows = (
        await Diagnosis.filter(status=DiagnosisStatus.SUBMITTED)
        .order_by("sme_id", "-submitted_at", "-id")
        .values("sme_id", "level", "overall_score", "area_scores", "sme__sector")
    )
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        latest.setdefault(row["sme_id"], row)
    levels = {level: 0 for level in ProtectionLevel}
    category_sums: dict[str, Decimal] = defaultdict(Decimal)
    sectors: dict[str, list[Decimal]] = defaultdict(list)
    for row in latest.values():
        levels[ProtectionLevel(row["level"])] += 1
        for area, value in by_area(row["area_scores"]).items():
            category_sums[area] += value
        sectors[row["sme__sector"] or "-"].append(Decimal(row["overall_score"]))
    count = len(latest)
    averages = {
        code: (category_sums[code] / count).quantize(TENTH, ROUND_HALF_UP) if count else Decimal(0)
        for code in AREAS
    }
    return Statistics(
        levels=levels,
        categories=dict(sorted(averages.items(), key=lambda pair: pair[1])),
        sectors={
            name: (sum(v, Decimal(0)) / len(v)).quantize(TENTH, ROUND_HALF_UP)
            for name, v in sorted(sectors.items())
        },
        smes=count,
    )


def trend(history: list[Diagnosis]) -> list[tuple[datetime, Decimal]]:
    """Overall scores oldest first, for the trend chart."""
    return [
        (d.submitted_at, d.overall_score)
        for d in reversed(history)
        if d.submitted_at and d.overall_score is not None
    ]
