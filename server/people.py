"""Who belongs to an organisation."""

from __future__ import annotations

from server.actor import Actor
from server.errors import not_found
from server.models import Role
from server.policy import may_invite_to, require_actor


async def members_of(actor: Actor | None, organization_id: int) -> list[Role]:
    """Colleagues see each other; the secretariat sees everyone."""
    actor = require_actor(actor)
    if not may_invite_to(actor, organization_id):
        raise not_found("organization")
    return await Role.filter(organization_id=organization_id).select_related("user").order_by("id").limit(200)
