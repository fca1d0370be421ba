"""Who belongs to an organisation: its own members and the secretariat see them; members remove them."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from server.models import ApiToken, Organization, Role, RoleKind
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import MANAGING_ROLES, may_invite_to, may_see_people, require_actor, roles_for
from server.platform.timeutil import now

# Joined order; the id breaks ties and is the cursor's unique key.
_ORDER = ("id",)


async def list_members(
    actor: Actor | None, organization_id: int, *, first: int | None = None, after: str | None = None
) -> Page[Role] | None:
    """Colleagues see each other, with when each joined; the secretariat sees everyone. None for others."""
    actor = require_actor(actor)
    if not may_see_people(actor, organization_id):
        return None
    query = Role.filter(organization_id=organization_id).select_related("user")
    return await paginate(query, first=first, after=after, order=_ORDER)


async def member_of(actor: Actor | None, organization_id: int, user_id: int) -> Role:
    """One person of the organisation, to those who may see its people."""
    actor = require_actor(actor)
    role = None
    if may_see_people(actor, organization_id):
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
    leaving = actor.organization.id == organization_id and actor.user.id == user_id
    if not (leaving or may_invite_to(actor, organization_id)):
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
        await _keep_a_manager(organization_id, role)
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


async def _keep_a_manager(organization_id: int, leaving: Role) -> None:
    """Refuse taking away the organisation's last manager (call it holding the organisation's lock)."""
    if leaving.kind not in MANAGING_ROLES:
        return
    managers = await Role.filter(organization_id=organization_id, kind__in=MANAGING_ROLES).count()
    if managers <= 1:
        raise DomainError.single(
            ErrorCode.INVALID_STATE,
            "The last manager of an organisation keeps that role: give it to someone else first.",
            "role",
        )


async def change_member_role(
    *, actor: Actor | None, organization_id: int, user_id: int, role: RoleKind
) -> Role:
    """An organisation's managers (and the secretariat) make a colleague a manager or staff; the last manager
    cannot be demoted. Changes in one organisation take turns on its row, so two managers cannot demote
    each other at once."""
    actor = require_actor(actor)
    if not may_invite_to(actor, organization_id):
        raise not_found("member")
    async with in_transaction():
        organization = await Organization.filter(id=organization_id).select_for_update().first()
        found = (
            await Role.filter(organization_id=organization_id, user_id=user_id)
            .select_related("user", "organization")
            .first()
        )
        if organization is None or found is None:
            raise not_found("member")
        if role not in roles_for(organization.kind):
            raise DomainError.single(
                ErrorCode.INVALID, "This role does not exist in this kind of organisation.", "role"
            )
        before = found.kind
        if before == role:
            return found
        if role not in MANAGING_ROLES:
            await _keep_a_manager(organization_id, found)
        found.kind = role
        await found.save(update_fields=["kind"])
        await audit.record(
            "member.change_role",
            organization,
            actor=actor,
            before={"user": user_id, "role": before.value},
            after={"user": user_id, "role": role.value},
        )
    return found
