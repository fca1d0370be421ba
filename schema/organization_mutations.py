"""Mutations on organisations: registering them, their club membership, and signing the declaration."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import Any, cast

import strawberry

from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.organizations import MembershipNode, OrganizationNode, node
from server.membership import organizations as service
from server.membership.organization_details import OrganizationDetails, update_organization
from server.models import ClubMembership, MembershipStatus, OrganizationKind


@strawberry.type
class OrganizationPayload(Payload):
    organization: OrganizationNode | None = None


@strawberry.type
class MembershipPayload(Payload):
    membership: MembershipNode | None = None


@strawberry.input
class PledgesInput:
    partnership: bool
    infrastructure: bool
    fair_dealing: bool
    awareness: bool


@strawberry.input(description="Only the fields given change; every change is audited with before and after.")
class OrganizationDetailsInput:
    name_ko: str | None = None
    name_en: str | None = None
    sector: str | None = None
    representative_name: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


def _membership(membership: ClubMembership) -> Any:
    return MembershipPayload(membership=cast(MembershipNode, membership))


@strawberry.type
class OrganizationMutations:
    @strawberry.mutation(extensions=[DomainErrors()])
    async def create_organization(
        self,
        info: Info,
        kind: OrganizationKind,
        name_ko: str,
        business_number: str,
        name_en: str | None = None,
        sector: str = "",
    ) -> OrganizationPayload:
        organization = await service.create_organization(
            actor=info.context.actor,
            kind=kind,
            name_ko=name_ko,
            name_en=name_en,
            business_number=business_number,
            sector=sector,
        )
        return OrganizationPayload(organization=node(organization))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The secretariat, or the organisation's own coordinators or representatives.",
    )
    async def update_organization(
        self, info: Info, organization_id: int, input: OrganizationDetailsInput
    ) -> OrganizationPayload:
        organization = await update_organization(
            actor=info.context.actor,
            organization_id=organization_id,
            details=OrganizationDetails(**vars(input)),
        )
        return OrganizationPayload(organization=node(organization))

    @strawberry.mutation(extensions=[DomainErrors()])
    async def admit_member(self, info: Info, organization_id: int) -> MembershipPayload:
        return _membership(
            await service.admit_member(actor=info.context.actor, organization_id=organization_id)
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def change_membership_status(
        self, info: Info, organization_id: int, status: MembershipStatus
    ) -> MembershipPayload:
        return _membership(
            await service.change_membership(
                actor=info.context.actor, organization_id=organization_id, status=status
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Once: a signed declaration is kept as signed."
    )
    async def sign_declaration(
        self,
        info: Info,
        organization_id: int,
        signed_on: datetime.date,
        signer_name: str,
        pledges: PledgesInput,
        signer_title: str = "",
    ) -> MembershipPayload:
        return await _sign(
            info, service.sign_declaration, organization_id, signed_on, signer_name, pledges, signer_title
        )

    @strawberry.mutation(
        extensions=[DomainErrors()], description="A later re-affirmation, recorded beside the first signing."
    )
    async def reaffirm_declaration(
        self,
        info: Info,
        organization_id: int,
        signed_on: datetime.date,
        signer_name: str,
        pledges: PledgesInput,
        signer_title: str = "",
    ) -> MembershipPayload:
        return await _sign(
            info, service.reaffirm_declaration, organization_id, signed_on, signer_name, pledges, signer_title
        )


async def _sign(
    info: Info,
    record: Callable[..., Awaitable[ClubMembership]],
    organization_id: int,
    signed_on: datetime.date,
    signer_name: str,
    pledges: PledgesInput,
    signer_title: str,
) -> MembershipPayload:
    return _membership(
        await record(
            actor=info.context.actor,
            organization_id=organization_id,
            signed_on=signed_on,
            signer_name=signer_name,
            signer_title=signer_title,
            pledges=(pledges.partnership, pledges.infrastructure, pledges.fair_dealing, pledges.awareness),
        )
    )
