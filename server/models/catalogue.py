from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model


class ServiceCode(StrEnum):
    ESCROW_NEW = "escrow_new"
    ESCROW_RENEWAL = "escrow_renewal"
    GUARD_SUBSCRIPTION = "guard_subscription"


class Service(Model):
    """A catalogue entry. Claims copy the price, so changing it never alters a past claim."""

    id = fields.IntField(primary_key=True)
    code = fields.CharEnumField(ServiceCode, max_length=32, unique=True)
    name_ko = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    provider = fields.CharField(max_length=200)
    billing_unit = fields.CharField(max_length=100)
    list_price = fields.BigIntField()
    is_active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "service"
        constraints = (CheckConstraint(check="list_price >= 0", name="service_price_nonnegative"),)
