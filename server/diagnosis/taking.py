"""Taking the self-diagnosis: the questionnaire's versions, drafts, submitting, sharing with sponsors.

Scores are computed here from the answers and the version's weights, never
taken from a client. An SME's results are seen by itself, the secretariat,
and its sponsors while it shares them; otherwise a sponsor learns only that
a diagnosis exists.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise.transactions import in_transaction

from server.diagnosis.areas import VERSION_2
from server.diagnosis.questionnaire import AREAS, TOP, VERSION_1, check_definition, item_codes
from server.models import (
    Diagnosis,
    DiagnosisStatus,
    Organization,
    ProtectionLevel,
    Questionnaire,
    QuestionnaireStatus,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, forbidden, not_found
from server.platform.policy import require_actor, require_secretariat
from server.platform.timeutil import now

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
    """Every install has version 1 and, after it, a version on the national areas (version 2 on a new
    install; the next number where the secretariat had published others on version 1's categories)."""
    if not await Questionnaire.exists():
        await Questionnaire.create(
            version=1, status=QuestionnaireStatus.PUBLISHED, definition=VERSION_1, published_at=now()
        )
    versions = await Questionnaire.all().order_by("version")
    if not any([c["code"] for c in q.definition["categories"]] == list(AREAS) for q in versions):
        await Questionnaire.create(
            version=versions[-1].version + 1,
            status=QuestionnaireStatus.PUBLISHED,
            definition=VERSION_2,
            published_at=now(),
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
