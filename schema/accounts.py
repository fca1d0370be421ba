"""Signing in, who am I, acting for an organisation, invitations and API tokens."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.organizations import OrganizationNode, node
from server.accounts import signin as accounts
from server.membership import invitations
from server.models import ApiToken, RoleKind
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode
from server.platform.timeutil import in_seoul
from web.sessions import client_of, end_session, start_session, switch_session, uses_bearer_token


@strawberry.type(name="User")
class UserNode:
    id: int
    name: str
    email: str


@strawberry.type
class RoleAssignment:
    role: RoleKind
    organization: OrganizationNode


@strawberry.type(name="ApiToken")
class ApiTokenNode:
    id: int
    name: str

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(ApiToken, self).created_at)

    @strawberry.field
    def expires_at(self) -> datetime.datetime:
        return in_seoul(cast(ApiToken, self).expires_at)

    @strawberry.field
    def revoked(self) -> bool:
        return cast(ApiToken, self).revoked_at is not None


@strawberry.type
class Me:
    user: UserNode
    role: RoleKind
    acting_for: OrganizationNode

    @strawberry.field(description="Every organisation you belong to, with your role there.")
    async def roles(self) -> list[RoleAssignment]:
        rows = await accounts.roles_of(self.user.id)
        return [RoleAssignment(role=r.kind, organization=node(r.organization)) for r in rows]

    @strawberry.field
    async def api_tokens(self, info: Info) -> list[ApiTokenNode]:
        return cast(list[ApiTokenNode], await accounts.api_tokens_of(info.context.actor))


def me_of(actor: Actor) -> Me:
    return Me(user=cast(UserNode, actor.user), role=actor.role, acting_for=node(actor.organization))


@strawberry.type
class AccountQueries:
    @strawberry.field(description="Who you are and for which organisation you act; null when signed out.")
    def me(self, info: Info) -> Me | None:
        return me_of(info.context.actor) if info.context.actor else None


@strawberry.type
class MePayload(Payload):
    me: Me | None = None


@strawberry.type
class SignOutPayload(Payload):
    signed_out: bool = False


@strawberry.type
class InvitationPayload(Payload):
    email: str | None = None
    expires_at: datetime.datetime | None = None


@strawberry.type
class ApiTokenPayload(Payload):
    token: ApiTokenNode | None = None
    secret: str | None = strawberry.field(default=None, description="Shown this once; only its hash is kept.")


def _require_browser(info: Info) -> None:
    if uses_bearer_token(info.context.request):
        raise DomainError.single(
            ErrorCode.INVALID_STATE, "A bearer token acts for one organisation; sign in to switch."
        )


@strawberry.type
class AccountMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Starts a browser session (cookie).")
    async def sign_in(self, info: Info, email: str, password: str) -> MePayload:
        request, settings = info.context.request, info.context.settings
        user = await accounts.sign_in(
            email, password, client=client_of(request), limits=settings.sign_in_limits
        )
        actor = await start_session(request, await accounts.landing_actor(user))
        return MePayload(me=me_of(actor))

    @strawberry.mutation(extensions=[DomainErrors()])
    async def sign_out(self, info: Info) -> SignOutPayload:
        await end_session(info.context.request)
        return SignOutPayload(signed_out=True)

    @strawberry.mutation(extensions=[DomainErrors()])
    async def switch_organization(self, info: Info, organization_id: int) -> MePayload:
        _require_browser(info)
        actor = await accounts.switch_organization(info.context.actor, organization_id)
        await switch_session(info.context.request, actor)
        return MePayload(me=me_of(actor))

    @strawberry.mutation(extensions=[DomainErrors()], description="Mails a one-time link.")
    async def invite_user(
        self, info: Info, email: str, organization_id: int, role: RoleKind
    ) -> InvitationPayload:
        invitation = await invitations.invite_user(
            actor=info.context.actor,
            email=email,
            organization_id=organization_id,
            role=role,
        )
        return InvitationPayload(email=invitation.email, expires_at=in_seoul(invitation.expires_at))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Accept with the token from the link: a new person sets name and password. "
        "`privacyNoticeVersion`: the version of `privacyNotice` the person read and accepted.",
    )
    async def accept_invitation(
        self, info: Info, token: str, password: str, name: str = "", privacy_notice_version: int | None = None
    ) -> MePayload:
        accepted = await invitations.accept_invitation(
            token, name=name, password=password, privacy_notice_version=privacy_notice_version
        )
        actor = await start_session(info.context.request, accepted.actor)
        return MePayload(me=me_of(actor))

    @strawberry.mutation(extensions=[DomainErrors()])
    async def create_api_token(self, info: Info, name: str, days: int = 90) -> ApiTokenPayload:
        issued = await accounts.create_api_token(info.context.actor, name, days)
        return ApiTokenPayload(token=cast(ApiTokenNode, issued.token), secret=issued.secret)

    @strawberry.mutation(extensions=[DomainErrors()])
    async def revoke_api_token(self, info: Info, id: int) -> ApiTokenPayload:
        token = await accounts.revoke_api_token(info.context.actor, id)
        return ApiTokenPayload(token=cast(ApiTokenNode, token))
