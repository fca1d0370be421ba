from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from server.models.diagnosis import ProtectionLevel


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
    status = fields.CharEnumField(OrganizationStatus, max_length=16, default=OrganizationStatus.ACTIVE)
    shares_diagnosis = fields.BooleanField(default=False, db_default=False)
    # The SME's latest self-diagnosis, kept here so the partner list filters and sorts in one query.
    # The score and level are set only while the SME shares its results: sorting must not leak them.
    diagnosed_at = fields.DatetimeField(null=True)
    shared_diagnosis_score = fields.DecimalField(max_digits=4, decimal_places=1, null=True)
    shared_diagnosis_level = fields.CharEnumField(ProtectionLevel, max_length=16, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

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
    """A conglomerate's place in the club and its signing of the 2011 declaration."""

    id = fields.IntField(primary_key=True)
    organization: fields.OneToOneRelation[Organization] = fields.OneToOneField(
        "club.Organization", related_name="membership", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(MembershipStatus, max_length=16, default=MembershipStatus.APPLIED)
    applied_at = fields.DatetimeField(auto_now_add=True)
    admitted_at = fields.DatetimeField(null=True)
    declaration_signed_on = fields.DateField(null=True)
    declaration_signer_name = fields.CharField(max_length=100, default="")
    declaration_signer_title = fields.CharField(max_length=100, default="")
    pledge_partnership = fields.BooleanField(default=False)
    pledge_infrastructure = fields.BooleanField(default=False)
    pledge_fair_dealing = fields.BooleanField(default=False)
    pledge_awareness = fields.BooleanField(default=False)

    class Meta:
        table = "club_membership"
