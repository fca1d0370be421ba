from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry; kept for the secretariat to read


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
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outgoing_mail"
        indexes = [("status", "next_attempt_at")]
