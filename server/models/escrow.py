"""Proof of what an SME deposited in escrow, and escrow contracts made outside the club (issue 19)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Claim, Organization, User


class EscrowDeposit(Model):
    """The certificate of one deposit under a fulfilled escrow claim and the fingerprints of its files.

    The files themselves stay with the SME and the escrow agent: only SHA-256 digests are kept.
    """

    id = fields.IntField(primary_key=True)
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="escrow_deposits", on_delete=fields.RESTRICT
    )
    sme_id: int
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "club.Claim", related_name="escrow_deposits", on_delete=fields.RESTRICT
    )
    claim_id: int
    certificate_number = fields.CharField(max_length=100)
    deposited_on = fields.DateField()
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="escrow_deposits", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    recorded_at = fields.DatetimeField(auto_now_add=True)
    files: fields.ReverseRelation[DepositFile]

    class Meta:
        table = "escrow_deposit"
        indexes = [("sme_id", "id")]


class DepositFile(Model):
    id = fields.IntField(primary_key=True)
    deposit: fields.ForeignKeyRelation[EscrowDeposit] = fields.ForeignKeyField(
        "club.EscrowDeposit", related_name="files", on_delete=fields.CASCADE
    )
    deposit_id: int
    name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)

    class Meta:
        table = "deposit_file"
        indexes = [("sha256",)]


class OutsideEscrowContract(Model):
    """An escrow contract the SME made without the club, recorded so that it can claim the renewal."""

    id = fields.IntField(primary_key=True)
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="outside_escrow_contracts", on_delete=fields.RESTRICT
    )
    sme_id: int
    contract_number = fields.CharField(max_length=100)
    ends_on = fields.DateField()
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="outside_escrow_contracts", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outside_escrow_contract"
        indexes = [("sme_id", "ends_on")]
