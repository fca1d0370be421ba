"""The figures each role sees first after signing in."""

from __future__ import annotations

from dataclasses import dataclass

from server.actor import Actor
from server.models import (
    ClubMembership,
    MailStatus,
    MembershipStatus,
    Organization,
    OrganizationKind,
    OutgoingMail,
    Partnership,
    PartnershipStatus,
)
from server.policy import require_actor, require_secretariat


@dataclass(frozen=True)
class ClubFigures:
    active_members: int
    applicants: int
    smes: int
    active_partnerships: int
    undelivered_mails: int


async def club_figures(actor: Actor | None) -> ClubFigures:
    require_secretariat(actor)
    return ClubFigures(
        active_members=await ClubMembership.filter(status=MembershipStatus.ACTIVE).count(),
        applicants=await ClubMembership.filter(status=MembershipStatus.APPLIED).count(),
        smes=await Organization.filter(kind=OrganizationKind.SME).count(),
        active_partnerships=await Partnership.filter(status=PartnershipStatus.ACTIVE).count(),
        undelivered_mails=await OutgoingMail.filter(status__not=MailStatus.SENT).count(),
    )


@dataclass(frozen=True)
class OrganizationOverview:
    membership: ClubMembership | None
    partnerships: list[Partnership]


async def organization_overview(actor: Actor | None) -> OrganizationOverview:
    """A coordinator's membership and partners, or an SME's sponsors."""
    actor = require_actor(actor)
    organization = actor.organization
    if organization.kind == OrganizationKind.CONGLOMERATE:
        membership = await ClubMembership.get_or_none(organization_id=organization.id)
        partnerships = (
            await Partnership.filter(conglomerate_id=organization.id)
            .select_related("sme")
            .order_by("-id")
            .limit(10)
        )
        return OrganizationOverview(membership, list(partnerships))
    partnerships = (
        await Partnership.filter(sme_id=organization.id)
        .select_related("conglomerate")
        .order_by("-id")
        .limit(10)
    )
    return OrganizationOverview(None, list(partnerships))
