from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import User


class ServiceCode(StrEnum):
    """What kind of service it is: decides how a claim for it is fulfilled (contract or period)."""

    ESCROW_NEW = "escrow_new"
    ESCROW_RENEWAL = "escrow_renewal"
    GUARD_SUBSCRIPTION = "guard_subscription"


class Service(Model):
    """A catalogue entry. Claims copy the price, so changing it never alters a past claim.

    `list_price` and `per_item_price` are the price in effect today, rolled forward from
    `ServicePrice` (the history) when a future-dated price falls due.
    """

    id = fields.IntField(primary_key=True)
    # Not unique: the secretariat may offer two services of one kind (say, a regional escrow programme).
    code = fields.CharEnumField(ServiceCode, max_length=32)
    name_ko = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    provider = fields.CharField(max_length=200)
    billing_unit = fields.CharField(max_length=100)
    list_price = fields.BigIntField()
    # Charged per item when max_quantity > 1: list_price covers the first item, each added one costs this.
    per_item_price = fields.BigIntField(default=0, db_default=0)
    max_quantity = fields.IntField(default=1, db_default=1)
    is_active = fields.BooleanField(default=True)
    retired_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service"
        indexes = [("code", "id")]
        constraints = (
            CheckConstraint(check="list_price >= 0", name="service_price_nonnegative"),
            CheckConstraint(check="per_item_price >= 0", name="service_item_price_nonnegative"),
            CheckConstraint(check="max_quantity >= 1", name="service_quantity_positive"),
        )


class ServicePrice(Model):
    """One price the secretariat set, in effect from `effective_on` (Asia/Seoul) until the next one."""

    id = fields.IntField(primary_key=True)
    service: fields.ForeignKeyRelation[Service] = fields.ForeignKeyField(
        "club.Service", related_name="prices", on_delete=fields.RESTRICT
    )
    service_id: int
    effective_on = fields.DateField()
    list_price = fields.BigIntField()
    per_item_price = fields.BigIntField(default=0)
    set_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="service_prices", null=True, on_delete=fields.SET_NULL
    )
    set_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    # When the price was copied onto the service; null while it is still in the future.
    applied_at = fields.DatetimeField(null=True)

    class Meta:
        table = "service_price"
        indexes = [("service_id", "effective_on", "id"), ("applied_at", "effective_on")]
        constraints = (
            CheckConstraint(check="list_price >= 0", name="service_price_row_nonnegative"),
            CheckConstraint(check="per_item_price >= 0", name="service_price_row_item_nonnegative"),
        )
