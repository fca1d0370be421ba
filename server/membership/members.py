"""Who belongs to an organisation: its own members and the secretariat see them; members remove them."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.models import ApiToken, Organization, Role
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import may_invite_to, require_actor
from server.platform.timeutil import now

# Joined order; the id breaks ties and is the cursor's unique key.
_ORDER = ("id",)


async def list_members(
    actor: Actor | None, organization_id: int, *, first: int | None = None, after: str | None = None
) -> Page[Role] | None:
    """Colleagues see each other, with when each joined; the secretariat sees everyone. None for others."""
    actor = require_actor(actor)
    if not may_invite_to(actor, organization_id):
        return None
    query = Role.filter(organization_id=organization_id).select_related("user")
    return await paginate(query, first=first, after=after, order=_ORDER)


async def member_of(actor: Actor | None, organization_id: int, user_id: int) -> Role:
    """One person of the organisation, to those who may see its people."""
    actor = require_actor(actor)
    role = None
    if may_invite_to(actor, organization_id):
        role = (
            await Role.filter(organization_id=organization_id, user_id=user_id)
            .select_related("user", "organization")
            .first()
        )
    if role is None:
        raise not_found("member")
    return role


async def remove_member(*, actor: Actor | None, organization_id: int, user_id: int) -> Role:
    """Take a person out of the organisation: from the next request on they no longer act for it.

    The session and the API tokens name a role, checked on every request (`actor_for`); the tokens
    are revoked too, so that joining again later does not bring them back. An organisation always
    keeps one member: to replace the last one, invite the new person first.
    """
    actor = require_actor(actor)
    if not may_invite_to(actor, organization_id):
        raise not_found("member")
    async with in_transaction():
        # Removals in one organisation take turns, so two members cannot remove each other at once.
        organization = await Organization.filter(id=organization_id).select_for_update().first()
        role = (
            await Role.filter(organization_id=organization_id, user_id=user_id).select_related("user").first()
        )
        if organization is None or role is None:
            raise not_found("member")
        if await Role.filter(organization_id=organization_id).count() == 1:
            raise DomainError.single(
                ErrorCode.INVALID_STATE,
                "An organisation keeps at least one member: invite the person who takes over first.",
            )
        await Role.filter(id=role.id).delete()
        await ApiToken.filter(user_id=user_id, organization_id=organization_id, revoked_at=None).update(
            revoked_at=now()
        )
        await audit.record(
            "member.remove",
            organization,
            actor=actor,
            before={
                "user": user_id,
                "email": role.user.email,
                "role": role.kind.value,
                "joined_at": role.created_at.isoformat(),
            },
        )
    return role
