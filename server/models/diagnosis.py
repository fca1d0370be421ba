from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, User


class QuestionnaireStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Questionnaire(Model):
    """One version of the self-diagnosis: its areas, weights and items, frozen once published."""

    id = fields.IntField(primary_key=True)
    version = fields.IntField(unique=True)
    status = fields.CharEnumField(QuestionnaireStatus, max_length=16, default=QuestionnaireStatus.DRAFT)
    definition: fields.Field[Any] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "questionnaire"


class DiagnosisStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ProtectionLevel(StrEnum):
    EXCELLENT = "excellent"  # 우수, 75 and above
    GOOD = "good"  # 양호, 60 to 75
    FAIR = "fair"  # 보통, 45 to 60
    WEAK = "weak"  # 취약, 30 to 45
    AT_RISK = "at_risk"  # 위험, below 30


class Diagnosis(Model):
    id = fields.IntField(primary_key=True)
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="diagnoses", on_delete=fields.RESTRICT
    )
    sme_id: int
    questionnaire: fields.ForeignKeyRelation[Questionnaire] = fields.ForeignKeyField(
        "club.Questionnaire", related_name="diagnoses", on_delete=fields.RESTRICT
    )
    questionnaire_id: int
    status = fields.CharEnumField(DiagnosisStatus, max_length=16, default=DiagnosisStatus.DRAFT)
    answers: fields.Field[Any] = fields.JSONField(default=dict)
    area_scores: fields.Field[Any] = fields.JSONField(null=True)
    overall_score = fields.DecimalField(max_digits=4, decimal_places=1, null=True)
    level = fields.CharEnumField(ProtectionLevel, max_length=16, null=True)
    taken_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="diagnoses", null=True, on_delete=fields.SET_NULL
    )
    taken_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    submitted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "diagnosis"
        indexes = [("sme_id", "status", "submitted_at")]
