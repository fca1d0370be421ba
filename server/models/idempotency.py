from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import User


class IdempotencyKey(Model):
    """A money-moving request one person already made under this key (a form token or a client's key).

    Written in the same transaction as the request's effect, so it exists exactly when the effect does;
    a repeat of the request finds it and is answered with the first result instead of acting again.
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    user_id: int
    key = fields.CharField(max_length=100)
    operation = fields.CharField(max_length=50)
    digest = fields.CharField(max_length=64)  # of the request, to tell a repeat from a reused key
    result_id = fields.IntField(null=True)  # the claim, commitment or payment the first request acted on
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("user", "key"),)
