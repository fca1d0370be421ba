from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from server.models.diagnosis import ProtectionLevel

if TYPE_CHECKING:
    from server.models.accounts import User


class OrganizationKind(StrEnum):
    CONGLOMERATE = "conglomerate"
    SME = "sme"
    SECRETARIAT = "secretariat"


class OrganizationStatus(StrEnum):
    # An SME created by a partner invitation stays pending until it accepts.
    PENDING = "pending"
    ACTIVE = "active"


class Organization(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(OrganizationKind, max_length=16)
    name_ko = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200, null=True)
    business_number = fields.CharField(max_length=10, unique=True, null=True)
    sector = fields.CharField(max_length=100, default="")
    representative_name = fields.CharField(max_length=100, default="", db_default="")  # 대표자명
    address = fields.CharField(max_length=300, default="", db_default="")
    contact_name = fields.CharField(max_length=100, default="", db_default="")
    contact_email = fields.CharField(max_length=254, default="", db_default="")
    contact_phone = fields.CharField(max_length=40, default="", db_default="")
    status = fields.CharEnumField(OrganizationStatus, max_length=16, default=OrganizationStatus.ACTIVE)
    shares_diagnosis = fields.BooleanField(default=False, db_default=False)
    # The SME's latest self-diagnosis, kept here so the partner list filters and sorts in one query.
    # The score and level are set only while the SME shares its results: sorting must not leak them.
    diagnosed_at = fields.DatetimeField(null=True)
    shared_diagnosis_score = fields.DecimalField(max_digits=4, decimal_places=1, null=True)
    shared_diagnosis_level = fields.CharEnumField(ProtectionLevel, max_length=16, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    membership: fields.BackwardOneToOneRelation[ClubMembership]  # a conglomerate's, set by ClubMembership

    class Meta:
        table = "organization"
        indexes = [("kind", "name_ko")]

    def __str__(self) -> str:
        return self.name_ko


class MembershipStatus(StrEnum):
    APPLIED = "applied"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class ClubMembership(Model):
    """A conglomerate's place in the club; its signings of the 2011 declaration are `DeclarationSigning`s."""

    id = fields.IntField(primary_key=True)
    organization: fields.OneToOneRelation[Organization] = fields.OneToOneField(
        "club.Organization", related_name="membership", on_delete=fields.RESTRICT
    )
    organization_id: int
    status = fields.CharEnumField(MembershipStatus, max_length=16, default=MembershipStatus.APPLIED)
    applied_at = fields.DatetimeField(auto_now_add=True)
    admitted_at = fields.DatetimeField(null=True)
    # The date of the first signing, copied from its record when it is made, for lists; never changed after.
    declaration_signed_on = fields.DateField(null=True)

    class Meta:
        table = "club_membership"


class DeclarationKind(StrEnum):
    SIGNING = "signing"
    REAFFIRMATION = "reaffirmation"


class DeclarationSigning(Model):
    """One signing of the declaration, kept as signed: rows are only ever added (who, when, which text, pledges).

    A member signs once; a later re-affirmation is a new row beside the first.
    """

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="declaration_signings", on_delete=fields.RESTRICT
    )
    organization_id: int
    kind = fields.CharEnumField(DeclarationKind, max_length=16)
    signed_on = fields.DateField()
    signer_name = fields.CharField(max_length=100)
    signer_title = fields.CharField(max_length=100, default="")
    text_version = fields.CharField(max_length=20)
    pledge_partnership = fields.BooleanField()
    pledge_infrastructure = fields.BooleanField()
    pledge_fair_dealing = fields.BooleanField()
    pledge_awareness = fields.BooleanField()
    # Who recorded it on the platform: the coordinator signing, or the secretariat entering a paper signing.
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="declaration_signings", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "declaration_signing"
        indexes = [("organization_id", "id")]

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise TypeError("a declaration signing is kept as signed: add a re-affirmation instead")
        await super().save(*args, **kwargs)
