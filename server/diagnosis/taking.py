"""SME self-diagnosis: take it (with drafts), score it on the server, advise, share with sponsors.

Scores are computed here from the answers and the version's weights, never
taken from a client. An SME's results are seen by itself, the secretariat,
and its sponsors while it shares them; otherwise a sponsor learns only that
a diagnosis exists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise.transactions import in_transaction

from server.diagnosis.questionnaire import CATEGORIES, TOP, VERSION_1, check_definition, item_codes
from server.models import (
    Diagnosis,
    DiagnosisStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    Questionnaire,
    QuestionnaireStatus,
    Seminar,
    SeminarStatus,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, forbidden, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import DiagnosisView, diagnosis_view, require_actor, require_secretariat
from server.platform.timeutil import now

WEAK_BELOW = Decimal(60)
TENTH = Decimal("0.1")


def level_of(score: Decimal) -> ProtectionLevel:
    """The national scale: 우수 >= 75, 양호 60-75, 보통 45-60, 취약 30-45, 위험 < 30."""
    for floor, level in (
        (75, ProtectionLevel.EXCELLENT),
        (60, ProtectionLevel.GOOD),
        (45, ProtectionLevel.FAIR),
        (30, ProtectionLevel.WEAK),
    ):
        if score >= floor:
            return level
    return ProtectionLevel.AT_RISK


def score(definition: dict[str, Any], answers: dict[str, int]) -> tuple[dict[str, Decimal], Decimal]:
    """Per category, the weighted share of full marks out of 100; overall, the categories weighted."""
    by_category: dict[str, Decimal] = {}
    overall = Decimal(0)
    total_weight = sum(c["weight"] for c in definition["categories"])
    for category in definition["categories"]:
        weights = sum(item["weight"] for item in category["items"])
        earned = sum(Decimal(answers[item["code"]] * item["weight"]) / TOP for item in category["items"])
        value = earned / weights * 100
        by_category[category["code"]] = value.quantize(TENTH, ROUND_HALF_UP)
        overall += value * category["weight"] / total_weight
    return by_category, overall.quantize(TENTH, ROUND_HALF_UP)


async def ensure_questionnaire() -> None:
    """Every install has version 1 published."""
    if not await Questionnaire.exists():
        await Questionnaire.create(
            version=1, status=QuestionnaireStatus.PUBLISHED, definition=VERSION_1, published_at=now()
        )


async def current_questionnaire() -> Questionnaire:
    found = await Questionnaire.filter(status=QuestionnaireStatus.PUBLISHED).order_by("-version").first()
    if found is None:
        raise not_found("questionnaire")
    return found


async def get_questionnaire(actor: Actor | None, version: int | None = None) -> Questionnaire:
    require_actor(actor)
    if version is None:
        return await current_questionnaire()
    found = await Questionnaire.filter(version=version, status=QuestionnaireStatus.PUBLISHED).first()
    if found is None:
        raise not_found("questionnaire")
    return found


async def publish_questionnaire(*, actor: Actor | None, definition: Any) -> Questionnaire:
    """A new version for diagnoses from now on; results already submitted keep theirs."""
    actor = require_secretariat(actor)
    checked = check_definition(definition)
    async with in_transaction():
        latest = await Questionnaire.all().order_by("-version").select_for_update().first()
        version = (latest.version if latest else 0) + 1
        questionnaire = await Questionnaire.create(
            version=version, status=QuestionnaireStatus.PUBLISHED, definition=checked, published_at=now()
        )
        await audit.record(
            "questionnaire.publish",
            questionnaire,
            actor=actor,
            after={"version": version, "items": len(item_codes(checked))},
        )
    return questionnaire


def _require_sme(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise forbidden()
    return actor


def _checked_answers(questionnaire: Questionnaire, answers: dict[str, int]) -> dict[str, int]:
    codes = set(item_codes(questionnaire.definition))
    for code, value in answers.items():
        if code not in codes:
            raise DomainError.single(
                ErrorCode.INVALID, "%(item)s is not an item of this questionnaire.", "answers", item=code
            )
        if not isinstance(value, int) or not 0 <= value <= TOP:
            raise DomainError.single(ErrorCode.INVALID, "Answers are on the scale from 0 to 4.", "answers")
    return answers


async def _draft(actor: Actor) -> Diagnosis:
    """The SME's open draft on the current version, made when first needed."""
    # Locked alone: PostgreSQL refuses FOR UPDATE across the outer join of select_related.
    draft = (
        await Diagnosis.filter(sme_id=actor.organization.id, status=DiagnosisStatus.DRAFT)
        .select_for_update()
        .first()
    )
    if draft is not None:
        await draft.fetch_related("questionnaire")
    current = await current_questionnaire()
    if draft is not None and draft.questionnaire.id == current.id:
        return draft
    if draft is not None:  # a draft of a version since replaced: its answers carry over where items match
        kept = {k: v for k, v in draft.answers.items() if k in set(item_codes(current.definition))}
        await draft.delete()
        return await Diagnosis.create(
            sme_id=actor.organization.id, questionnaire=current, answers=kept, taken_by=actor.user
        )
    return await Diagnosis.create(
        sme_id=actor.organization.id, questionnaire=current, answers={}, taken_by=actor.user
    )


async def current_draft(actor: Actor | None) -> Diagnosis | None:
    actor = _require_sme(actor)
    return (
        await Diagnosis.filter(sme_id=actor.organization.id, status=DiagnosisStatus.DRAFT)
        .select_related("questionnaire")
        .first()
    )


async def save_draft(*, actor: Actor | None, answers: dict[str, int]) -> Diagnosis:
    """Keep what has been answered so far; nothing is scored yet."""
    actor = _require_sme(actor)
    async with in_transaction():
        draft = await _draft(actor)
        draft.answers = {**draft.answers, **_checked_answers(draft.questionnaire, answers)}
        draft.taken_by = actor.user
        await draft.save(update_fields=["answers", "taken_by_id", "updated_at"])
    return draft


async def submit(*, actor: Actor | None, answers: dict[str, int]) -> Diagnosis:
    """Score the draft with these last answers; every item must be answered."""
    actor = _require_sme(actor)
    async with in_transaction():
        draft = await _draft(actor)
        merged = {**draft.answers, **_checked_answers(draft.questionnaire, answers)}
        missing = [code for code in item_codes(draft.questionnaire.definition) if code not in merged]
        if missing:
            raise DomainError.single(
                ErrorCode.REQUIRED,
                "Answer every item first: %(count)s are still open.",
                "answers",
                count=len(missing),
            )
        by_category, overall = score(draft.questionnaire.definition, merged)
        draft.answers = merged
        draft.area_scores = {code: str(value) for code, value in by_category.items()}
        draft.overall_score = overall
        draft.level = level_of(overall)
        draft.status = DiagnosisStatus.SUBMITTED
        draft.submitted_at = now()
        draft.taken_by = actor.user
        await draft.save()
        organization = await Organization.get(id=actor.organization.id)
        organization.diagnosed_at = draft.submitted_at
        _share_latest(organization, draft)
        await organization.save(
            update_fields=["diagnosed_at", "shared_diagnosis_score", "shared_diagnosis_level"]
        )
        await audit.record(
            "diagnosis.submit",
            draft,
            actor=actor,
            after={"overall": str(overall), "level": draft.level.value},
        )
    return draft


def _share_latest(organization: Organization, latest: Diagnosis | None) -> None:
    shown = latest if organization.shares_diagnosis else None
    organization.shared_diagnosis_score = shown.overall_score if shown else None
    organization.shared_diagnosis_level = shown.level if shown else None  # type: ignore[assignment]


async def set_sharing(*, actor: Actor | None, shared: bool) -> Organization:
    """Whether the SME's sponsors may see its results (the latest on the partner list, all in detail)."""
    actor = _require_sme(actor)
    async with in_transaction():
        organization = await Organization.filter(id=actor.organization.id).select_for_update().get()
        organization.shares_diagnosis = shared
        latest = await _latest(organization.id)
        _share_latest(organization, latest)
        await organization.save(
            update_fields=["shares_diagnosis", "shared_diagnosis_score", "shared_diagnosis_level"]
        )
        await audit.record("diagnosis.sharing", organization, actor=actor, after={"shared": shared})
    return organization


async def _latest(sme_id: int) -> Diagnosis | None:
    return (
        await Diagnosis.filter(sme_id=sme_id, status=DiagnosisStatus.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


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


_ADVICE: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "management": (("escrow_new", "escrow_renewal"), "strategy", ()),
    "people": ((), "strategy", ()),
    "physical": ((), "security_controls", ()),
    "technical": (("guard_subscription",), "security_controls", ()),
    "leak_response": (
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
    """For each weak category (below 60), the club's help: services, upcoming seminars, a checklist."""
    weak = [
        (code, Decimal(value))
        for code, value in (diagnosis.area_scores or {}).items()
        if Decimal(value) < WEAK_BELOW
    ]
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
    categories: dict[str, Decimal]  # average of the latest results, weakest first
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
        for code in CATEGORIES:
            category_sums[code] += Decimal(row["area_scores"][code])
        sectors[row["sme__sector"] or "-"].append(Decimal(row["overall_score"]))
    count = len(latest)
    averages = {
        code: (category_sums[code] / count).quantize(TENTH, ROUND_HALF_UP) if count else Decimal(0)
        for code in CATEGORIES
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
