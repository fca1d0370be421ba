from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, User


class AuditEntry(Model):
    """Who did what, when, to which record. Written by the services, never edited."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    organization_id: int | None
    action = fields.CharField(max_length=100)
    record_type = fields.CharField(max_length=50)
    record_id = fields.CharField(max_length=50)
    before: fields.Field[Any] = fields.JSONField(null=True)
    after: fields.Field[Any] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        indexes = [("record_type", "record_id"), ("created_at",)]
