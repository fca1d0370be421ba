from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, User


class SupplierTier(IntEnum):
    FIRST = 1
    SECOND = 2


class PartnershipStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    ENDED = "ended"


class Partnership(Model):
    id = fields.IntField(primary_key=True)
    conglomerate: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="sme_partnerships", on_delete=fields.RESTRICT
    )
    conglomerate_id: int
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="sponsor_partnerships", on_delete=fields.RESTRICT
    )
    sme_id: int
    tier = fields.IntEnumField(SupplierTier)
    status = fields.CharEnumField(PartnershipStatus, max_length=16, default=PartnershipStatus.INVITED)
    contact_email = fields.CharField(max_length=254)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="partner_invitations", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: int | None
    invited_at = fields.DatetimeField(auto_now_add=True)
    accepted_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.TextField(default="")

    class Meta:
        table = "partnership"
        unique_together = (("conglomerate", "sme"),)
        indexes = [
            ("sme_id", "status"),
            ("conglomerate_id", "status", "tier"),
            # Newest first, a page at a time: without it PostgreSQL walks the whole table backwards by id
            # and throws away other sponsors' rows, so a small sponsor's page costs as much as the whole table.
            ("conglomerate_id", "id"),
        ]


class ImportStatus(StrEnum):
    PREVIEWED = "previewed"
    COMMITTING = "committing"
    COMMITTED = "committed"


class PartnerImport(Model):
    """An uploaded partner spreadsheet: its checked rows, then how far their invitations got."""

    id = fields.IntField(primary_key=True)
    conglomerate: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="partner_imports", on_delete=fields.CASCADE
    )
    conglomerate_id: int
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="partner_imports", null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_id: int | None
    filename = fields.CharField(max_length=255)
    file_sha256 = fields.CharField(max_length=64)
    status = fields.CharEnumField(ImportStatus, max_length=16, default=ImportStatus.PREVIEWED)
    rows: fields.Field[Any] = fields.JSONField()
    new_count = fields.IntField(default=0)
    existing_count = fields.IntField(default=0)
    invalid_count = fields.IntField(default=0)
    processed_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    committed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "partner_import"
        indexes = [("conglomerate_id", "created_at")]
