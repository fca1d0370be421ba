"""The mail outbox (secretariat only): what waits and fails, resend and give up. Secret links come redacted."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry

from schema.accounts import UserNode
from schema.connection import Connection
from schema.context import Info, related
from schema.errors import DomainErrors, Payload
from server.models import MailStatus, OutgoingMail, User
from server.platform import mail_log
from server.platform.redaction import redact
from server.platform.timeutil import in_seoul, in_seoul_or_none

strawberry.enum(MailStatus, description="FAILED is still retried every few hours; only a person gives up.")


@strawberry.type(name="OutgoingMail")
class OutgoingMailNode:
    id: int
    recipient: str
    status: MailStatus
    attempts: int = strawberry.field(description="Tries so far, failed ones included.")

    @strawberry.field
    def subject(self) -> str:
        return redact(cast(OutgoingMail, self).subject)

    @strawberry.field(description="With every secret link (invitation, calendar, password reset) hidden.")
    def body(self) -> str:
        return redact(cast(OutgoingMail, self).body)

    @strawberry.field(description="Why the last try failed; empty once sent.")
    def last_error(self) -> str:
        return redact(cast(OutgoingMail, self).last_error)

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(OutgoingMail, self).created_at)

    @strawberry.field(description="When it is tried next, while it is still being tried.")
    def next_attempt_at(self) -> datetime.datetime | None:
        mail = cast(OutgoingMail, self)
        retrying = mail.status in (MailStatus.PENDING, MailStatus.SENDING, MailStatus.FAILED)
        return in_seoul(mail.next_attempt_at) if retrying else None

    @strawberry.field
    def sent_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(OutgoingMail, self).sent_at)

    @strawberry.field
    def given_up_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(OutgoingMail, self).given_up_at)

    @strawberry.field(description="Who gave up on it.")
    def given_up_by(self, info: Info) -> UserNode | None:
        mail = cast(OutgoingMail, self)
        if mail.given_up_by_id is None:
            return None
        return cast(UserNode, related(mail, "given_up_by", User, info.context.loaders.user))


@strawberry.type
class OutgoingMailConnection(Connection[OutgoingMailNode]):
    @strawberry.field(description="Mails waiting for a try, whatever the status asked for.")
    async def pending_count(self, info: Info) -> int:
        return (await mail_log.mail_counts(info.context.actor)).pending

    @strawberry.field(description="Mails failing for over an hour, whatever the status asked for.")
    async def failing_count(self, info: Info) -> int:
        return (await mail_log.mail_counts(info.context.actor)).failing


@strawberry.type
class MailPayload(Payload):
    mail: OutgoingMailNode | None = None


@strawberry.type
class MailQueries:
    @strawberry.field(description="Secretariat: the outbox, newest first.")
    async def outgoing_mails(
        self, info: Info, status: MailStatus | None = None, first: int | None = None, after: str | None = None
    ) -> OutgoingMailConnection:
        page = await mail_log.list_mails(info.context.actor, status=status, first=first, after=after)
        return cast(OutgoingMailConnection, OutgoingMailConnection.of(page, after))


def _payload(mail: Any) -> MailPayload:
    return MailPayload(mail=cast(OutgoingMailNode, mail))


@strawberry.type
class MailMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Secretariat: try it again now.")
    async def resend_mail(self, info: Info, id: int) -> MailPayload:
        return _payload(await mail_log.resend_mail(actor=info.context.actor, mail_id=id))

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Secretariat: stop trying; recorded with who and when."
    )
    async def give_up_mail(self, info: Info, id: int) -> MailPayload:
        return _payload(await mail_log.give_up_mail(actor=info.context.actor, mail_id=id))
