"""Who may see and do what (PRODUCT.md section 6), in one place.

Services call these before they read or write. Visibility rules return query
filters so that a hidden record is simply absent, and an attempt to reach it
answers exactly like a record that does not exist.
"""

from __future__ import annotations

from tortoise.expressions import Q

from server.actor import Actor
from server.errors import DomainError, ErrorCode, forbidden
from server.models import OrganizationKind, PartnershipStatus, RoleKind


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise DomainError.single(ErrorCode.UNAUTHENTICATED, "Please sign in.")
    return actor


def require_secretariat(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if not actor.is_secretariat:
        raise forbidden()
    return actor


def visible_organizations(actor: Actor) -> Q:
    """The secretariat sees every organisation; others their own and their partners."""
    if actor.is_secretariat:
        return Q()
    own = Q(id=actor.organization.id)
    live = [PartnershipStatus.INVITED, PartnershipStatus.ACTIVE, PartnershipStatus.ENDED]
    if actor.organization.kind == OrganizationKind.CONGLOMERATE:
        return own | Q(
            sponsor_partnerships__conglomerate_id=actor.organization.id,
            sponsor_partnerships__status__in=live,
        )
    if actor.organization.kind == OrganizationKind.SME:
        return own | Q(
            sme_partnerships__sme_id=actor.organization.id,
            sme_partnerships__status__in=live,
        )
    return own


def roles_for(kind: OrganizationKind) -> tuple[RoleKind, ...]:
    """The roles a person may hold in an organisation of this kind."""
    return {
        OrganizationKind.CONGLOMERATE: (RoleKind.COORDINATOR,),
        OrganizationKind.SME: (RoleKind.SME_REPRESENTATIVE,),
        OrganizationKind.SECRETARIAT: (RoleKind.SECRETARIAT,),
    }[kind]


def may_invite_to(actor: Actor, organization_id: int) -> bool:
    """The secretariat invites anyone anywhere; others invite colleagues to their own organisation."""
    return actor.is_secretariat or actor.organization.id == organization_id


def may_sign_declaration(actor: Actor, organization_id: int) -> bool:
    """A company signs for itself through its coordinator; the secretariat records paper signings."""
    return actor.is_secretariat or (actor.is_coordinator and actor.organization.id == organization_id)
