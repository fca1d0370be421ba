"""Organisations, their admission to the club, and their signing of the declaration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.membership.business_number import normalize
from server.membership.business_number import problem as number_problem
from server.membership.declaration import FIRST_VERSION, current_text
from server.models import (
    ClubMembership,
    DeclarationKind,
    DeclarationSigning,
    MembershipStatus,
    Organization,
    OrganizationKind,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, forbidden, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import (
    may_sign_declaration,
    require_actor,
    require_secretariat,
    visible_organizations,
)
from server.platform.timeutil import now

# The first text members signed, the declaration of November 2011; later ones are published (declaration.py).
DECLARATION_TEXT = FIRST_VERSION

DUPLICATE_NUMBER = "An organisation with this business registration number already exists."

# Which membership changes the secretariat may make, from each status.
_MEMBERSHIP_MOVES: dict[MembershipStatus, set[MembershipStatus]] = {
    MembershipStatus.APPLIED: {MembershipStatus.ACTIVE, MembershipStatus.WITHDRAWN},
    MembershipStatus.ACTIVE: {MembershipStatus.SUSPENDED, MembershipStatus.WITHDRAWN},
    MembershipStatus.SUSPENDED: {MembershipStatus.ACTIVE, MembershipStatus.WITHDRAWN},
    MembershipStatus.WITHDRAWN: {MembershipStatus.APPLIED},
}


async def create_organization(
    *,
    actor: Actor | None,
    kind: OrganizationKind,
    name_ko: str,
    name_en: str | None,
    business_number: str,
    sector: str,
) -> Organization:
    actor = require_secretariat(actor)
    errors = ErrorCollector()
    if not name_ko.strip():
        errors.add(ErrorCode.REQUIRED, "nameKo", "Enter the Korean name.")
    number = normalize(business_number)
    if number is None:
        errors.add(
            ErrorCode.INVALID,
            "businessNumber",
            number_problem(business_number),
        )
    errors.raise_if_any()
    if await Organization.exists(business_number=number):
        raise DomainError.single(ErrorCode.DUPLICATE, DUPLICATE_NUMBER, "businessNumber")
    try:
        async with in_transaction():
            organization = await Organization.create(
                kind=kind,
                name_ko=name_ko.strip(),
                name_en=(name_en or "").strip() or None,
                business_number=number,
                sector=sector.strip(),
            )
            if kind == OrganizationKind.CONGLOMERATE:
                await ClubMembership.create(organization=organization)
            await audit.record(
                "organization.create",
                organization,
                actor=actor,
                after={"kind": kind.value, "name_ko": organization.name_ko, "business_number": number},
            )
    except IntegrityError as exc:
        # Two secretariat staff entering the same company at the same moment.
        raise DomainError.single(ErrorCode.DUPLICATE, DUPLICATE_NUMBER, "businessNumber") from exc
    return organization


async def find_organization(actor: Actor | None, organization_id: int) -> Organization | None:
    """The organisation if it exists and the actor may see it; None either way otherwise."""
    if actor is None:
        return None
    return await Organization.filter(visible_organizations(actor), id=organization_id).first()


async def get_organization(actor: Actor | None, organization_id: int) -> Organization:
    organization = await find_organization(require_actor(actor), organization_id)
    if organization is None:
        raise not_found("organization")
    return organization


async def list_organizations(
    actor: Actor | None,
    *,
    kind: OrganizationKind | None = None,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Organization]:
    actor = require_actor(actor)
    query = Organization.filter(visible_organizations(actor)).distinct()
    if kind is not None:
        query = query.filter(kind=kind)
    if search and search.strip():
        term = search.strip()
        digits = term.replace("-", "")
        matches = Q(name_ko__icontains=term) | Q(name_en__icontains=term)
        if digits.isdigit():
            matches |= Q(business_number__startswith=digits)
        query = query.filter(matches)
    return await paginate(query, first=first, after=after)


async def memberships_by_organization(organization_ids: list[int]) -> dict[int, ClubMembership]:
    """The club memberships of organisations the caller has already been allowed to see."""
    rows = await ClubMembership.filter(organization_id__in=organization_ids)
    return {row.organization_id: row for row in rows}


async def _membership_for_update(organization_id: int) -> ClubMembership:
    membership = await ClubMembership.filter(organization_id=organization_id).select_for_update().first()
    if membership is None:
        raise not_found("membership")
    return membership


async def change_membership(
    *, actor: Actor | None, organization_id: int, status: MembershipStatus
) -> ClubMembership:
    actor = require_secretariat(actor)
    async with in_transaction():
        membership = await _membership_for_update(organization_id)
        before = membership.status
        if status not in _MEMBERSHIP_MOVES[before]:
            raise DomainError.single(
                ErrorCode.INVALID_STATE,
                "This membership change is not possible from its current status.",
                "status",
            )
        membership.status = status
        if status == MembershipStatus.ACTIVE and membership.admitted_at is None:
            membership.admitted_at = now()
        await membership.save()
        await audit.record(
            "membership.change",
            membership,
            actor=actor,
            before={"status": before.value},
            after={"status": status.value},
        )
        if status == MembershipStatus.WITHDRAWN:
            # Imported here: claims builds on commitments, partners and invitations, which use this module.
            from server.money.withdrawal import close_for_withdrawal

            await close_for_withdrawal(actor, organization_id)
    return membership


async def admit_member(*, actor: Actor | None, organization_id: int) -> ClubMembership:
    return await change_membership(
        actor=actor, organization_id=organization_id, status=MembershipStatus.ACTIVE
    )


async def _signing(
    actor: Actor | None,
    organization_id: int,
    kind: DeclarationKind,
    signed_on: date,
    signer_name: str,
    signer_title: str,
    pledges: tuple[bool, bool, bool, bool],
) -> ClubMembership:
    organization = await get_organization(actor, organization_id)
    actor = require_actor(actor)
    if not may_sign_declaration(actor, organization.id):
        raise forbidden()
    errors = ErrorCollector()
    if not signer_name.strip():
        errors.add(ErrorCode.REQUIRED, "signerName", "Enter who signed.")
    if signed_on > now().date():
        errors.add(ErrorCode.INVALID, "signedOn", "The signing date cannot be in the future.")
    if not all(pledges):
        errors.add(ErrorCode.REQUIRED, "pledges", "The declaration is signed with all four pledges.")
    errors.raise_if_any()
    async with in_transaction():
        # The membership row's lock makes two first signings at once queue; the second then finds the first.
        membership = await _membership_for_update(organization_id)
        signed, version = (
            await DeclarationSigning.exists(organization_id=organization_id),
            (await current_text()).version,
        )
        if kind == DeclarationKind.SIGNING and signed:
            raise DomainError.single(
                ErrorCode.INVALID_STATE,
                "The declaration has already been signed. Record a re-affirmation instead.",
            )
        if kind == DeclarationKind.REAFFIRMATION and not signed:
            raise DomainError.single(ErrorCode.INVALID_STATE, "Sign the declaration before re-affirming it.")
        signing = await DeclarationSigning.create(
            organization_id=organization_id,
            kind=kind,
            signed_on=signed_on,
            signer_name=signer_name.strip(),
            signer_title=signer_title.strip(),
            text_version=version,
            pledge_partnership=pledges[0],
            pledge_infrastructure=pledges[1],
            pledge_fair_dealing=pledges[2],
            pledge_awareness=pledges[3],
            recorded_by=actor.user,
        )
        if kind == DeclarationKind.SIGNING:
            membership.declaration_signed_on = signed_on
            await membership.save(update_fields=["declaration_signed_on"])
        await audit.record(
            f"declaration.{'sign' if kind == DeclarationKind.SIGNING else 'reaffirm'}",
            signing,
            actor=actor,
            after={
                "signed_on": signed_on.isoformat(),
                "signer_name": signing.signer_name,
                "signer_title": signing.signer_title,
                "text_version": version,
                "pledges": list(pledges),
            },
        )
    return membership


async def sign_declaration(
    *,
    actor: Actor | None,
    organization_id: int,
    signed_on: date,
    signer_name: str,
    signer_title: str,
    pledges: tuple[bool, bool, bool, bool],
) -> ClubMembership:
    """The member's signing, recorded by the secretariat or its own coordinator; once only."""
    return await _signing(
        actor, organization_id, DeclarationKind.SIGNING, signed_on, signer_name, signer_title, pledges
    )


async def reaffirm_declaration(
    *,
    actor: Actor | None,
    organization_id: int,
    signed_on: date,
    signer_name: str,
    signer_title: str,
    pledges: tuple[bool, bool, bool, bool],
) -> ClubMembership:
    """A later re-affirmation by a member that has signed: a new record beside the first signing."""
    return await _signing(
        actor, organization_id, DeclarationKind.REAFFIRMATION, signed_on, signer_name, signer_title, pledges
    )


@dataclass(frozen=True)
class Conglomerate:
    id: int
    name_ko: str
    name_en: str


async def conglomerate_choices() -> list[Conglomerate]:
    """Every conglomerate member by name only, for a page's list to choose from (co-hosts, statements)."""
    rows = await (
        Organization.filter(kind=OrganizationKind.CONGLOMERATE)
        .order_by("name_ko")
        .values_list("id", "name_ko", "name_en")
    )
    return [Conglomerate(*row) for row in rows]
