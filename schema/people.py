"""The people of an organisation: who, with which role, since when; and removing one."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.accounts import UserNode
from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload
from server.membership import members as people
from server.models import Role, RoleKind
from server.platform.timeutil import in_seoul


@strawberry.type(name="OrganizationMember")
class MemberNode:
    @strawberry.field
    def user(self) -> UserNode:
        return cast(UserNode, cast(Role, self).user)

    @strawberry.field
    def role(self) -> RoleKind:
        return cast(Role, self).kind

    @strawberry.field
    def joined_at(self) -> datetime.datetime:
        return in_seoul(cast(Role, self).created_at)


@strawberry.type
class PeopleQueries:
    @strawberry.field(
        description="Its people in joined order; null when it does not exist or is not yours to see "
        "(members see their own organisation, the secretariat every one)."
    )
    async def organization_members(
        self, info: Info, organization_id: int, first: int | None = None, after: str | None = None
    ) -> Connection[MemberNode] | None:
        page = await people.list_members(info.context.actor, organization_id, first=first, after=after)
        return cast(Connection[MemberNode], Connection.of(page, after)) if page is not None else None


@strawberry.type
class RemoveMemberPayload(Payload):
    member: MemberNode | None = strawberry.field(default=None, description="The person as they were.")


@strawberry.type
class MemberPayload(Payload):
    member: MemberNode | None = None


@strawberry.type
class PeopleMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Managers (coordinators, representatives) and the secretariat make a colleague a manager "
        "or staff; the last manager cannot be demoted.",
    )
    async def change_member_role(
        self, info: Info, organization_id: int, user_id: int, role: RoleKind
    ) -> MemberPayload:
        found = await people.change_member_role(
            actor=info.context.actor, organization_id=organization_id, user_id=user_id, role=role
        )
        return MemberPayload(member=cast(MemberNode, found))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Ends the person's access to the organisation at once; the last member stays.",
    )
    async def remove_member(self, info: Info, organization_id: int, user_id: int) -> RemoveMemberPayload:
        role = await people.remove_member(
            actor=info.context.actor, organization_id=organization_id, user_id=user_id
        )
        return RemoveMemberPayload(member=cast(MemberNode, role))
