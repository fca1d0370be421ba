"""Applications to join the club: made by anyone, listed and decided by the secretariat."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.errors import DomainErrors, Payload, found_or_none
from schema.organizations import OrganizationNode
from server.membership import applications as service
from server.membership.business_number import format_number
from server.models import ApplicationStatus, MembershipApplication
from server.platform.timeutil import in_seoul, in_seoul_or_none
from web.sessions import client_of


@strawberry.type(name="MembershipApplication")
class ApplicationNode:
    id: int
    name_ko: str
    name_en: str
    sector: str
    representative_name: str
    address: str
    contact_name: str
    contact_email: str
    contact_phone: str
    signer_name: str
    signer_title: str
    status: ApplicationStatus
    reason: str = strawberry.field(description="Why it was declined; empty otherwise.")

    @strawberry.field(description="Formatted 123-45-67890.")
    def business_number(self) -> str:
        return format_number(cast(MembershipApplication, self).business_number)

    @strawberry.field
    def applied_at(self) -> datetime.datetime:
        return in_seoul(cast(MembershipApplication, self).created_at)

    @strawberry.field
    def decided_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(MembershipApplication, self).decided_at)

    @strawberry.field(description="The member organisation an admission created.")
    async def organization(self, info: Info) -> OrganizationNode | None:
        organization_id = cast(MembershipApplication, self).organization_id
        if organization_id is None:
            return None
        return cast(OrganizationNode, await info.context.loaders.organization.load(organization_id))


@strawberry.input
class MembershipApplicationInput:
    name_ko: str
    business_number: str
    contact_name: str
    contact_email: str
    signer_name: str = strawberry.field(description="Who will sign the declaration for the company.")
    name_en: str = ""
    sector: str = ""
    representative_name: str = ""
    address: str = ""
    contact_phone: str = ""
    signer_title: str = ""


@strawberry.type
class ApplicationPayload(Payload):
    application: ApplicationNode | None = None


@strawberry.type
class ApplicationReceipt(Payload):
    received: bool = strawberry.field(
        default=False, description="True once the application is recorded; the applicant gets a mail."
    )


@strawberry.type
class ApplicationQueries:
    @strawberry.field(description="The secretariat's: applications to join the club, newest first.")
    async def membership_applications(
        self,
        info: Info,
        status: ApplicationStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ApplicationNode]:
        page = await service.list_applications(info.context.actor, status=status, first=first, after=after)
        return cast(Connection[ApplicationNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def membership_application(self, info: Info, id: int) -> ApplicationNode | None:
        found = await found_or_none(service.get_application(info.context.actor, id))
        return cast(ApplicationNode, found) if found else None


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="A conglomerate applies to join the club; no sign-in needed. One open application per "
        "business number.",
    )
    async def apply_for_membership(self, info: Info, input: MembershipApplicationInput) -> ApplicationReceipt:
        await service.apply_for_membership(
            service.ApplicationForm(**vars(input)), client=client_of(info.context.request)
        )
        return ApplicationReceipt(received=True)

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The secretariat admits (organisation, active membership, an invitation for the contact "
        "to coordinate) or declines with a reason; the applicant is told either way.",
    )
    async def decide_membership_application(
        self, info: Info, application_id: int, admit: bool, reason: str = ""
    ) -> ApplicationPayload:
        application = await service.decide_membership_application(
            actor=info.context.actor, application_id=application_id, admit=admit, reason=reason
        )
        return ApplicationPayload(application=cast(ApplicationNode, application))
