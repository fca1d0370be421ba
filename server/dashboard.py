"""The figures each role sees first after signing in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from server.models import (
    ClubMembership,
    DeclarationSigning,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
)
from server.platform.actor import Actor
from server.platform.mail_log import MailCounts, mail_counts
from server.platform.policy import require_actor, require_secretariat
from server.platform.sql import columns, fetch, model_from, set_related
from server.platform.standing import IN_GOOD_STANDING, membership_status


@dataclass(frozen=True)
class ClubFigures:
    active_members: int
    applicants: int
    smes: int
    active_partnerships: int
    mails: MailCounts


async def club_figures(actor: Actor | None) -> ClubFigures:
    require_secretariat(actor)
    return ClubFigures(
        active_members=await ClubMembership.filter(status=MembershipStatus.ACTIVE).count(),
        applicants=await ClubMembership.filter(status=MembershipStatus.APPLIED).count(),
        smes=await Organization.filter(kind=OrganizationKind.SME).count(),
        active_partnerships=await Partnership.filter(status=PartnershipStatus.ACTIVE).count(),
        mails=await mail_counts(actor),
    )


@dataclass(frozen=True)
class OrganizationOverview:
    membership: ClubMembership | None
    signing: DeclarationSigning | None  # the first signing of the declaration
    partners: list[tuple[Organization, Partnership]]  # the other side of each partnership


# Its ten newest partnerships with the organisation on the other side: a statement written once per side.
_PARTNERSHIPS = """SELECT {partnership}, {other} FROM partnership p JOIN organization o ON o.id = p.{other_side}_id
WHERE p.{own_side}_id = :organization ORDER BY p.id DESC LIMIT 10"""


@cache
def _partnerships(own: str, other: str) -> str:
    return _PARTNERSHIPS.format(
        partnership=columns("p", Partnership),
        other=columns("o", Organization),
        other_side=other,
        own_side=own,
    )


async def organization_overview(actor: Actor | None) -> OrganizationOverview:
    """A coordinator's membership and partner SMEs, or an SME's sponsoring conglomerates."""
    actor = require_actor(actor)
    organization = actor.organization
    sponsor = organization.kind == OrganizationKind.CONGLOMERATE
    own, other = ("conglomerate", "sme") if sponsor else ("sme", "conglomerate")
    partnerships = []
    for record in await fetch(_partnerships(own, other), organization=organization.id):
        partnership = model_from("p", Partnership, record)
        set_related(partnership, other, model_from("o", Organization, record))
        partnerships.append(partnership)
    membership = await ClubMembership.get_or_none(organization_id=organization.id) if sponsor else None
    signing = (
        await DeclarationSigning.filter(organization_id=organization.id).order_by("id").first()
        if sponsor
        else None
    )
    return OrganizationOverview(membership, signing, [(getattr(p, other), p) for p in partnerships])


async def standing_notice(actor: Actor) -> str | None:
    """For a coordinator whose company is suspended or withdrawn, that status, for the pages' banner."""
    if not actor.is_coordinator:
        return None
    status = await membership_status(actor.organization.id)
    return None if status is None or status in IN_GOOD_STANDING else status.value


async def sponsors_out_of_standing(actor: Actor) -> list[tuple[Organization, MembershipStatus]]:
    """An SME's active sponsors that take no new claims now (suspended or withdrawn), and why."""
    if not actor.is_sme_representative:
        return []
    partnerships = (
        await Partnership.filter(
            sme_id=actor.organization.id,
            status=PartnershipStatus.ACTIVE,
            conglomerate__membership__status__not_in=IN_GOOD_STANDING,
        )
        .select_related("conglomerate__membership")
        .order_by("id")
    )
    return [(p.conglomerate, p.conglomerate.membership.status) for p in partnerships]
