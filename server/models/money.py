"""Money calls to Stripe recorded before they are made, and what a person has to look at."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import Claim, Payment, User


class StripeCallKind(StrEnum):
    PAYMENT = "payment"  # create and confirm the PaymentIntent of an SME share
    REFUND = "refund"  # give a card payment back


class StripeCallState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class StripeCall(Model):
    """One outbound money call, committed before Stripe hears of it.

    The idempotency key is sent with every try, so a call resumed after a crash
    is answered by Stripe with the first try's result instead of moving money again.
    """

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(StripeCallKind, max_length=16)
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "club.Payment", related_name="stripe_calls", on_delete=fields.RESTRICT
    )
    payment_id: int
    idempotency_key = fields.CharField(max_length=100, unique=True)
    state = fields.CharEnumField(StripeCallState, max_length=16, default=StripeCallState.PENDING)
    request: fields.Field[Any] = fields.JSONField(default=dict)
    result = fields.CharField(max_length=100, default="")
    error = fields.TextField(default="")
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "stripe_call"
        indexes = [("state", "created_at"), ("payment_id", "state")]


class AttentionKind(StrEnum):
    PARTIAL_REFUND = "partial_refund"  # Stripe gave back part of a share: the fixed split cannot follow
    REFUND_REFUSED = "refund_refused"  # Stripe refused a refund the books need
    PAYMENT_REFUSED = "payment_refused"  # a resumed card payment could not be settled or released
    UNKNOWN_PAYMENT = "unknown_payment"  # a refund at Stripe for a payment we do not hold
    TRANSFER_MISMATCH = "transfer_mismatch"  # a bank transfer short of or over the SME share


class Attention(Model):
    """Something about money the product could not settle by itself: the secretariat decides."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(AttentionKind, max_length=32)
    claim: fields.ForeignKeyNullableRelation[Claim] = fields.ForeignKeyField(
        "club.Claim", related_name="attention", null=True, on_delete=fields.RESTRICT
    )
    claim_id: int | None
    payment: fields.ForeignKeyNullableRelation[Payment] = fields.ForeignKeyField(
        "club.Payment", related_name="attention", null=True, on_delete=fields.RESTRICT
    )
    payment_id: int | None
    stripe_reference = fields.CharField(max_length=100, default="")
    amount = fields.BigIntField(default=0)
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)
    resolved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="resolved_attention", null=True, on_delete=fields.SET_NULL
    )
    resolved_by_id: int | None
    note = fields.TextField(default="")

    class Meta:
        table = "attention"
        indexes = [("resolved_at", "id")]
