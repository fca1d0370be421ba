from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Commitment, Organization, Service, User


class ClaimStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PAID = "paid"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"


# Claims still in play (a decision or a payment is awaited), and claims whose SME share is paid.
OPEN_CLAIMS = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)
SETTLED_CLAIMS = (ClaimStatus.PAID, ClaimStatus.FULFILLED)


class PaymentMethod(StrEnum):
    CARD = "card"
    TRANSFER = "transfer"
    NONE = "none"  # the sponsor paid everything


class Claim(Model):
    """An SME's request for one sponsored service under one commitment.

    `list_price` is copied at submission; the split (`sponsor_share`,
    `sme_share`) is fixed at approval and never changes afterwards.
    """

    id = fields.IntField(primary_key=True)
    commitment: fields.ForeignKeyRelation[Commitment] = fields.ForeignKeyField(
        "club.Commitment", related_name="claims", on_delete=fields.RESTRICT
    )
    commitment_id: int
    sme: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "club.Organization", related_name="claims", on_delete=fields.RESTRICT
    )
    sme_id: int
    service: fields.ForeignKeyRelation[Service] = fields.ForeignKeyField(
        "club.Service", related_name="claims", on_delete=fields.RESTRICT
    )
    service_id: int
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="submitted_claims", null=True, on_delete=fields.SET_NULL
    )
    submitted_by_id: int | None
    details = fields.TextField(default="")
    status = fields.CharEnumField(ClaimStatus, max_length=16, default=ClaimStatus.SUBMITTED)
    # How many items (technologies deposited) a per-item service is claimed for; list_price follows it.
    quantity = fields.IntField(default=1, db_default=1)
    list_price = fields.BigIntField()
    sponsor_share = fields.BigIntField(null=True)
    sme_share = fields.BigIntField(null=True)
    submitted_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="decided_claims", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None
    rejection_reason = fields.TextField(default="")
    payment_due_at = fields.DatetimeField(null=True)
    paid_at = fields.DatetimeField(null=True)
    payment_method = fields.CharEnumField(PaymentMethod, max_length=16, null=True)
    # What the SME writes in the depositor field of a bank transfer; set at approval.
    transfer_reference = fields.CharField(max_length=16, null=True, unique=True)
    fulfilled_at = fields.DatetimeField(null=True)
    escrow_contract_number = fields.CharField(max_length=100, default="")
    escrow_contract_ends_on = fields.DateField(null=True)
    guard_starts_on = fields.DateField(null=True)
    guard_ends_on = fields.DateField(null=True)
    renewal_reminder_sent_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "claim"
        indexes = [
            ("commitment_id", "status", "id"),  # review queue: page ids from the index alone
            ("sme_id", "status"),
            ("status", "payment_due_at"),
            # the reports' supported claims of a period: SMEs and sponsors counted from the index alone
            ("paid_at", "status", "commitment_id", "sme_id"),
        ]
        constraints = (
            CheckConstraint(check="list_price >= 0", name="claim_price_nonnegative"),
            CheckConstraint(check="quantity >= 1", name="claim_quantity_positive"),
            CheckConstraint(
                check="(sponsor_share IS NULL AND sme_share IS NULL) OR "
                "(sponsor_share >= 0 AND sme_share >= 0 AND sponsor_share + sme_share = list_price)",
                name="claim_split_adds_up",
            ),
        )


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"


class Payment(Model):
    """The SME's own share of a claim, paid by card (Stripe) or bank transfer."""

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "club.Claim", related_name="payments", on_delete=fields.RESTRICT
    )
    claim_id: int
    method = fields.CharEnumField(PaymentMethod, max_length=16)
    amount = fields.BigIntField()
    # What Stripe has given back of it, as last heard from Stripe.
    amount_refunded = fields.BigIntField(default=0, db_default=0)
    currency = fields.CharField(max_length=3, default="KRW")
    status = fields.CharEnumField(PaymentStatus, max_length=16, default=PaymentStatus.PENDING)
    stripe_payment_intent = fields.CharField(max_length=100, unique=True, null=True)
    stripe_refund = fields.CharField(max_length=100, null=True)
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="recorded_payments", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment"
        constraints = (CheckConstraint(check="amount >= 0", name="payment_amount_nonnegative"),)


class TransferOutcome(StrEnum):
    MATCHED = "matched"  # the exact SME share: the claim is paid
    SHORT = "short"  # less than the share: flagged, the claim stays unpaid
    EXCESS = "excess"  # more than the share: flagged, the claim stays unpaid


class BankTransfer(Model):
    """A transfer the secretariat saw arrive on the club's account for a claim, as the bank showed it."""

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "club.Claim", related_name="bank_transfers", on_delete=fields.RESTRICT
    )
    claim_id: int
    amount = fields.BigIntField()
    received_on = fields.DateField()
    depositor_name = fields.CharField(max_length=100)
    outcome = fields.CharEnumField(TransferOutcome, max_length=16)
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "club.Payment", related_name="bank_transfers", null=True, on_delete=fields.RESTRICT
    )
    payment_id: int | None
    recorded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="recorded_transfers", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bank_transfer"
        indexes = [("claim_id", "id")]
        constraints = (CheckConstraint(check="amount > 0", name="bank_transfer_amount_positive"),)


class StripeEvent(Model):
    """Each Stripe webhook event id, so that a redelivery is applied only once."""

    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=100, unique=True)
    type = fields.CharField(max_length=100)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stripe_event"
