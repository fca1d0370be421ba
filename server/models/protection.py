"""The protection desk: an SME's confidential case, its timeline and its evidence (issue 19).

Who may see a case is `policy.visible_protection_cases`; nothing here is ever shown to a conglomerate
unless the SME shares the case with that one sponsor.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import EscrowDeposit, Organization, User


class CaseKind(StrEnum):
    SUSPECTED_LEAK = "suspected_leak"
    PARTNER_MISAPPROPRIATION = "partner_misappropriation"
    INFRINGEMENT = "infringement"
    CONSULTING = "consulting"
    ESCROW_HELP = "escrow_help"
    OTHER = "other"


class CaseUrgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    URGENT = "urgent"


class CaseStatus(StrEnum):
    RECEIVED = "received"
    IN_CONSULTATION = "in_consultation"
    REFERRED = "referred"
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    RESOLVED = "resolved"
    REFERRED_ONWARD = "referred_onward"
    WITHDRAWN = "withdrawn"
    NO_ACTION = "no_action"


class ReferralBody(StrEnum):
    COUNSELLING_SERVICE = "counselling_service"  # the national technology-protection counselling service
    POLICE = "police"  # the police's industrial technology investigation unit
    LEGAL_AID = "legal_aid"
    DISPUTE_MEDIATION = "dispute_mediation"  # the SME technology dispute mediation committee
    IP_OFFICE = "ip_office"  # the patent office's technology-protection support


class EntryKind(StrEnum):
    OPENED = "opened"
    MESSAGE = "message"  # between the SME and the secretariat: both see it
    NOTE = "note"  # the secretariat's internal note: the SME never sees it
    ASSIGNED = "assigned"
    REFERRED = "referred"
    CLOSED = "closed"
    SHARED = "shared"
    EVIDENCE = "evidence"
    DEPOSIT_CITED = "deposit_cited"


class ProtectionCase(Model):
    """One SME's request for help. Only what the desk needs to help and to count (see docs/protection.md)."""

    id = fields.IntField(primary_key=True)
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="protection_cases", on_delete=fields.RESTRICT
    )
    sme_id: int
    opened_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="opened_cases", null=True, on_delete=fields.SET_NULL
    )
    opened_by_id: int | None
    kind = fields.CharEnumField(CaseKind, max_length=32)
    noticed_on = fields.DateField()
    technologies = fields.CharField(max_length=500)
    urgency = fields.CharEnumField(CaseUrgency, max_length=16)
    description = fields.TextField()
    checklist: fields.Field[Any] = fields.JSONField(default=list)  # codes of the steps the SME has taken
    status = fields.CharEnumField(CaseStatus, max_length=16, default=CaseStatus.RECEIVED)
    handler: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="handled_cases", null=True, on_delete=fields.SET_NULL
    )
    handler_id: int | None
    # The one sponsor the SME chose to show the case to; None: no conglomerate sees it.
    shared_with: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="cases_shared_with", null=True, on_delete=fields.SET_NULL
    )
    shared_with_id: int | None
    opened_at = fields.DatetimeField(auto_now_add=True)
    respond_by = fields.DatetimeField()  # two working days (Mon–Fri in Seoul) after opening
    # The queue shows unanswered cases first, earliest deadline first: overdue ones lead.
    answered = fields.BooleanField(default=False)
    first_response_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    outcome = fields.CharEnumField(CaseOutcome, max_length=32, null=True)
    close_reason = fields.TextField(default="")

    class Meta:
        table = "protection_case"
        indexes = [("sme_id", "id"), ("answered", "respond_by", "id"), ("shared_with_id", "id")]


class CaseEntry(Model):
    """One step of a case's timeline. Internal ones (notes) are the secretariat's alone."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[ProtectionCase] = fields.ForeignKeyField(
        "club.ProtectionCase", related_name="entries", on_delete=fields.CASCADE
    )
    case_id: int
    kind = fields.CharEnumField(EntryKind, max_length=16)
    internal = fields.BooleanField(default=False)
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="case_entries", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    body = fields.TextField(default="")
    referral_body = fields.CharEnumField(ReferralBody, max_length=32, null=True)
    referred_on = fields.DateField(null=True)
    reference = fields.CharField(max_length=100, default="")
    deposit: fields.ForeignKeyNullableRelation[EscrowDeposit] = fields.ForeignKeyField(
        "club.EscrowDeposit", related_name="citations", null=True, on_delete=fields.SET_NULL
    )
    deposit_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "case_entry"
        indexes = [("case_id", "id")]


class CaseEvidence(Model):
    """A file the SME holds: always its fingerprint, its bytes only when the SME chose to upload them."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[ProtectionCase] = fields.ForeignKeyField(
        "club.ProtectionCase", related_name="evidence", on_delete=fields.CASCADE
    )
    case_id: int
    name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    content_type = fields.CharField(max_length=100)
    sha256 = fields.CharField(max_length=64)
    # Where the encrypted bytes are (`server.protection.files`); "" when only the fingerprint was given.
    stored_key = fields.CharField(max_length=100, default="")
    added_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="case_evidence", null=True, on_delete=fields.SET_NULL
    )
    added_by_id: int | None
    added_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "case_evidence"
        indexes = [("case_id", "id")]

    @property
    def uploaded(self) -> bool:
        return bool(self.stored_key)


class StoredFile(Model):
    """Encrypted bytes kept in the database (the default store): nonce + AES-GCM ciphertext."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True)
    data = fields.BinaryField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stored_file"
