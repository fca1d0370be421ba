from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from server.models import User


class MailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # a worker holds it until `next_attempt_at` (its lease)
    SENT = "sent"
    FAILED = "failed"  # failing after the fast retries: still retried every few hours, never dropped
    GIVEN_UP = "given_up"  # only a person ends a mail without sending it (`given_up_by`)


class OutgoingMail(Model):
    """The durable outbox: written in the same transaction as the change it reports."""

    id = fields.BigIntField(primary_key=True)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body = fields.TextField()
    status = fields.CharEnumField(MailStatus, max_length=16, default=MailStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default="")
    # Set on the first try and kept for every retry, so a resend is recognisably the same message.
    message_id = fields.CharField(max_length=250, default="", db_default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    given_up_at = fields.DatetimeField(null=True)
    given_up_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "club.User", related_name="given_up_mails", null=True, on_delete=fields.SET_NULL
    )
    given_up_by_id: int | None

    class Meta:
        table = "outgoing_mail"
        indexes = [("status", "next_attempt_at")]
