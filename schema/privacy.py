"""Personal data through GraphQL: the privacy notice, one's own data, and removal at one's request."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from schema.accounts import UserNode
from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from server.models import PrivacyNotice, RemovalRequest, RemovalStatus
from server.platform.timeutil import in_seoul, in_seoul_or_none
from server.privacy import notice, personal_data, removal

strawberry.enum(RemovalStatus)


@strawberry.type(name="PrivacyNotice")
class PrivacyNoticeNode:
    version: int

    @strawberry.field(description="The text in the asker's language (Korean unless English is asked for).")
    def text(self, info: Info) -> str:
        shown = cast(PrivacyNotice, self)
        return shown.text_en if info.context.language == "en" else shown.text_ko

    @strawberry.field
    def text_ko(self) -> str:
        return cast(PrivacyNotice, self).text_ko

    @strawberry.field
    def text_en(self) -> str:
        return cast(PrivacyNotice, self).text_en

    @strawberry.field(description="What changed since the version before (empty for the first one).")
    def summary_of_changes(self) -> str:
        return cast(PrivacyNotice, self).summary_of_changes

    @strawberry.field
    def published_at(self) -> datetime.datetime:
        return in_seoul(cast(PrivacyNotice, self).published_at)


@strawberry.input
class PublishPrivacyNoticeInput:
    text_ko: str
    text_en: str
    summary_of_changes: str = strawberry.field(description="What changed, for the people asked again.")
    version: int | None = strawberry.field(
        default=None,
        description="The version you mean to publish: refused unless it is the next one (so a page opened "
        "before another version came out cannot publish twice). Omitted: the next one.",
    )


@strawberry.type(name="RemovalRequest")
class RemovalRequestNode:
    id: int
    status: RemovalStatus

    @strawberry.field(description="Who asked; after completion, an anonymised account.")
    def user(self) -> UserNode:
        return cast(UserNode, cast(RemovalRequest, self).user)

    @strawberry.field
    def requested_at(self) -> datetime.datetime:
        return in_seoul(cast(RemovalRequest, self).requested_at)

    @strawberry.field
    def completed_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(RemovalRequest, self).completed_at)

    @strawberry.field(
        description="Organisations this person is the last member of (to confirm on completion)."
    )
    async def last_member_of(self) -> list[str]:
        return await removal.last_member_of(cast(RemovalRequest, self).user_id)


@strawberry.type
class RemovalRequestConnection(Connection[RemovalRequestNode]):
    pass


@strawberry.type
class PrivacyNoticePayload(Payload):
    accepted_version: int | None = None


@strawberry.type
class PublishPrivacyNoticePayload(Payload):
    privacy_notice: PrivacyNoticeNode | None = None


@strawberry.type
class RemovalRequestPayload(Payload):
    removal_request: RemovalRequestNode | None = None


def _removal(request: Any) -> RemovalRequestPayload:
    return RemovalRequestPayload(removal_request=cast(RemovalRequestNode, request))


@strawberry.type
class PrivacyQueries:
    @strawberry.field(description="The current privacy notice (anyone, signed in or not).")
    async def privacy_notice(self) -> PrivacyNoticeNode | None:
        return cast(PrivacyNoticeNode | None, await notice.current_notice())

    @strawberry.field(
        description="Everything the club holds about the signed-in person: account, memberships, sessions "
        "(no secrets), registrations, claims they submitted, audit entries about them, mails sent to them."
    )
    async def my_personal_data(self, info: Info) -> JSON:
        return cast(JSON, await personal_data.personal_data(info.context.actor, info.context.translate))

    @strawberry.field(
        description="Secretariat: requests to be removed, oldest first (waiting ones by default)."
    )
    async def removal_requests(
        self,
        info: Info,
        status: RemovalStatus | None = RemovalStatus.REQUESTED,
        first: int | None = None,
        after: str | None = None,
    ) -> RemovalRequestConnection:
        page = await removal.removal_requests(info.context.actor, status=status, first=first, after=after)
        return cast(RemovalRequestConnection, RemovalRequestConnection.of(page, after))


@strawberry.type
class PrivacyMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Accept the notice version you were shown.")
    async def accept_privacy_notice(self, info: Info, version: int) -> PrivacyNoticePayload:
        user = await notice.accept_notice(actor=info.context.actor, version=version)
        return PrivacyNoticePayload(accepted_version=user.privacy_notice_version)

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: publish a new version of the notice; everyone who accepted an older one "
        "is asked to accept it at their next page.",
    )
    async def publish_privacy_notice(
        self, info: Info, input: PublishPrivacyNoticeInput
    ) -> PublishPrivacyNoticePayload:
        published = await notice.publish_notice(
            actor=info.context.actor,
            text_ko=input.text_ko,
            text_en=input.text_en,
            summary_of_changes=input.summary_of_changes,
            version=input.version,
        )
        return PublishPrivacyNoticePayload(privacy_notice=cast(PrivacyNoticeNode, published))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Ask to be removed: the secretariat completes it; your account is then deactivated and "
        "your name and e-mail anonymised where records must stay.",
    )
    async def request_account_removal(self, info: Info) -> RemovalRequestPayload:
        return _removal(await removal.request_account_removal(actor=info.context.actor))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: remove the person who asked. If they are the last member of an "
        "organisation, `lastMemberConfirmed` must say the secretariat arranges a successor.",
    )
    async def complete_account_removal(
        self, info: Info, request_id: int, last_member_confirmed: bool = False
    ) -> RemovalRequestPayload:
        done = await removal.complete_account_removal(
            actor=info.context.actor, request_id=request_id, last_member_confirmed=last_member_confirmed
        )
        return _removal(await RemovalRequest.get(id=done.id).select_related("user"))
