"""Personal data under Korea's PIPA: the privacy notice people accept, and requests to be removed."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import User


class PrivacyNotice(Model):
    """One published version of the notice (개인정보 처리방침), versions are only ever added."""

    id = fields.IntField(primary_key=True)
    version = fields.IntField(unique=True)
    text_ko = fields.TextField()
    text_en = fields.TextField()
    # What changed since the version before, in the secretariat's words (shown to people asked again).
    summary_of_changes = fields.TextField(default="", db_default="")
    published_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "privacy_notice"


class RemovalStatus(StrEnum):
    REQUESTED = "requested"
    COMPLETED = "completed"


class RemovalRequest(Model):
    """A person asked to be removed, and the secretariat completes it (the account is then anonymised)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="removal_requests", on_delete=fields.RESTRICT
    )
    user_id: int
    status = fields.CharEnumField(RemovalStatus, max_length=16, default=RemovalStatus.REQUESTED)
    requested_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)
    completed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="completed_removals", null=True, on_delete=fields.SET_NULL
    )
    completed_by_id: int | None

    class Meta:
        table = "removal_request"
        indexes = [("status", "id")]
