from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, User


class AuditEntry(Model):
    """Who did what, when, to which record. Written by the services, never edited.

    The model refuses to change or delete a saved entry. The one exception is the law's: removing a
    person at their request blanks their name and e-mail inside entries, by an explicit queryset
    update in `server.privacy.removal`.
    """

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    organization_id: int | None
    # The actor's role when they acted: the entry keeps it when the person is later removed.
    role = fields.CharField(max_length=32, null=True)
    action = fields.CharField(max_length=100)
    record_type = fields.CharField(max_length=50)
    record_id = fields.CharField(max_length=50)
    before: fields.Field[Any] = fields.JSONField(null=True)
    after: fields.Field[Any] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        indexes = [("record_type", "record_id"), ("created_at",)]

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise PermissionError("Audit entries are never edited.")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("Audit entries are never deleted.")
