"""The person's browser sessions, passwords (change, forgotten, reset) and the secretariat's deactivation."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry
from graphql import FieldNode, GraphQLError, ValidationRule

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.organizations import OrganizationNode, node
from server.accounts import credentials
from server.accounts import sessions as user_sessions
from server.models import UserSession
from server.platform.timeutil import in_seoul
from web.sessions import client_of, start_session

# Fields that check or set a password: each costs an Argon2 run, so one request may ask for one.
PASSWORD_FIELDS = frozenset({"signIn", "acceptInvitation", "changePassword", "resetPassword"})
ONLY_ONCE = "A request may sign in or check a password only once."


class OnePasswordCheck(ValidationRule):
    """Refuse aliased or repeated password fields before anything runs, so no hash is computed for them."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.seen = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in PASSWORD_FIELDS:
            self.seen += 1
            if self.seen == 2:
                self.report_error(
                    GraphQLError(ONLY_ONCE, node, extensions={"code": "TOO_MANY_PASSWORD_CHECKS"})
                )


@strawberry.type(name="Session", description="A browser where you are signed in.")
class SessionNode:
    id: int
    user_agent: str
    client_address: str
    created_at: datetime.datetime = strawberry.field(resolver=lambda root: in_seoul(root.created_at))
    last_seen_at: datetime.datetime = strawberry.field(resolver=lambda root: in_seoul(root.last_seen_at))

    @strawberry.field(description="Whether this is the session the request came with.")
    def current(self, info: Info) -> bool:
        actor = info.context.actor
        return actor is not None and cast(UserSession, self).id == actor.session_id

    @strawberry.field
    def acting_for(self) -> OrganizationNode:
        return node(cast(UserSession, self).organization)


@strawberry.type
class SessionQueries:
    @strawberry.field(description="Your sessions that still work, the newest sign-in first.")
    async def my_sessions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[SessionNode]:
        page = await user_sessions.sessions_of(info.context.actor, first=first, after=after)
        return cast(Connection[SessionNode], Connection.of(page, after))


@strawberry.type
class EndSessionsPayload(Payload):
    ended: int = 0


@strawberry.type
class DonePayload(Payload):
    done: bool = False


@strawberry.type
class SessionMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Signs that browser out at once.")
    async def end_session(self, info: Info, id: int) -> EndSessionsPayload:
        await user_sessions.end_session(actor=info.context.actor, session_id=id)
        return EndSessionsPayload(ended=1)

    @strawberry.mutation(extensions=[DomainErrors()], description="Signs out every browser but this one.")
    async def end_other_sessions(self, info: Info) -> EndSessionsPayload:
        return EndSessionsPayload(ended=await user_sessions.end_other_sessions(actor=info.context.actor))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Ends all your sessions and API tokens; this browser gets a fresh session.",
    )
    async def change_password(self, info: Info, current: str, new: str) -> DonePayload:
        actor = info.context.actor
        await credentials.change_password(actor=actor, current=current, new=new)
        if actor is not None and actor.session_id is not None:
            await start_session(info.context.request, actor)
        return DonePayload(done=True)

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Secretariat: the person can no longer sign in."
    )
    async def deactivate_user(self, info: Info, user_id: int) -> DonePayload:
        await credentials.deactivate_user(actor=info.context.actor, user_id=user_id)
        return DonePayload(done=True)

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Mails a reset link if the address belongs to someone; the answer is the same either way.",
    )
    async def request_password_reset(self, info: Info, email: str) -> DonePayload:
        await credentials.request_password_reset(email, client=client_of(info.context.request))
        return DonePayload(done=True)

    @strawberry.mutation(extensions=[DomainErrors()], description="With the token from the mailed link.")
    async def reset_password(self, info: Info, token: str, password: str) -> DonePayload:
        await credentials.reset_password(token, password)
        return DonePayload(done=True)
