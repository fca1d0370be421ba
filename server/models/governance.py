"""How the club governs itself: applications to join, the declaration's published texts, co-hosting."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Organization, Seminar, User


class ApplicationStatus(StrEnum):
    OPEN = "open"
    ADMITTED = "admitted"
    DECLINED = "declined"


class MembershipApplication(Model):
    """A conglomerate's request to join the club, made from the public site by someone not signed in."""

    id = fields.IntField(primary_key=True)
    name_ko = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200, default="")
    business_number = fields.CharField(max_length=10)
    # The business number while the application is open, NULL once decided: the unique index keeps
    # one open application per company on both databases (NULLs never collide).
    open_number = fields.CharField(max_length=10, unique=True, null=True)
    sector = fields.CharField(max_length=100, default="")
    representative_name = fields.CharField(max_length=100, default="")
    address = fields.CharField(max_length=300, default="")
    contact_name = fields.CharField(max_length=100)
    contact_email = fields.CharField(max_length=254)
    contact_phone = fields.CharField(max_length=40, default="")
    signer_name = fields.CharField(max_length=100)
    signer_title = fields.CharField(max_length=100, default="")
    status = fields.CharEnumField(ApplicationStatus, max_length=16, default=ApplicationStatus.OPEN)
    reason = fields.TextField(default="")
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="decided_applications", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="applications", null=True, on_delete=fields.RESTRICT
    )
    organization_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership_application"
        indexes = [("status", "id")]


class DeclarationText(Model):
    """A published version of the declaration's text, kept as published (members signed it)."""

    id = fields.IntField(primary_key=True)
    version = fields.CharField(max_length=20, unique=True)
    title_ko = fields.CharField(max_length=200)
    title_en = fields.CharField(max_length=200)
    body_ko = fields.TextField()
    body_en = fields.TextField()
    # The four pledges in order (partnership, infrastructure, fair dealing, awareness): [{"ko", "en"}] * 4.
    pledges: fields.Field[Any] = fields.JSONField()
    published_at = fields.DatetimeField(auto_now_add=True)
    published_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="published_declarations", null=True, on_delete=fields.SET_NULL
    )
    published_by_id: int | None

    class Meta:
        table = "declaration_text"

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise TypeError("a published declaration text is kept as published: publish a new version")
        await super().save(*args, **kwargs)


class CoHostingStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class CoHostingProposal(Model):
    """A conglomerate offers to co-host a seminar, and the secretariat decides."""

    id = fields.IntField(primary_key=True)
    seminar: fields.ForeignKeyRelation[Seminar] = fields.ForeignKeyField(
        "club.Seminar", related_name="cohosting_proposals", on_delete=fields.CASCADE
    )
    seminar_id: int
    conglomerate: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="cohosting_proposals", on_delete=fields.CASCADE
    )
    conglomerate_id: int
    note = fields.TextField(default="")
    status = fields.CharEnumField(CoHostingStatus, max_length=16, default=CoHostingStatus.PROPOSED)
    proposed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="cohosting_proposals", null=True, on_delete=fields.SET_NULL
    )
    proposed_by_id: int | None
    reason = fields.TextField(default="")
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cohosting_proposal"
        indexes = [("status", "id"), ("seminar_id", "conglomerate_id")]
