"""The figures each role sees first after signing in."""

from __future__ import annotations

from dataclasses import dataclass

from server.actor import Actor
from server.models import (
    ClubMembership,
    DeclarationSigning,
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
    signing: DeclarationSigning | None  # the first signing of the declaration
    partners: list[tuple[Organization, Partnership]]  # the other side of each partnership


async def organization_overview(actor: Actor | None) -> OrganizationOverview:
    """A coordinator's membership and partner SMEs, or an SME's sponsoring conglomerates."""
    actor = require_actor(actor)
    organization = actor.organization
    sponsor = organization.kind == OrganizationKind.CONGLOMERATE
    own, other = ("conglomerate", "sme") if sponsor else ("sme", "conglomerate")
    partnerships = (
        await Partnership.filter(**{f"{own}_id": organization.id})
        .select_related(other)
        .order_by("-id")
        .limit(10)
    )
    membership = await ClubMembership.get_or_none(organization_id=organization.id) if sponsor else None
    signing = (
        await DeclarationSigning.filter(organization_id=organization.id).order_by("id").first()
        if sponsor
        else None
    )
    return OrganizationOverview(membership, signing, [(getattr(p, other), p) for p in partnerships])
