"""Organisations, club membership and the declaration: types, queries and mutations."""

from __future__ import annotations

import datetime
import inspect
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry

from schema.connection import Connection
from schema.context import Info, now_or_later, related
from schema.errors import found_or_none
from server.membership import organizations as service
from server.membership.business_number import format_number
from server.models import (
    ClubMembership,
    DeclarationKind,
    DeclarationSigning,
    MembershipStatus,
    Organization,
    OrganizationKind,
    PartnershipStatus,
    ProtectionLevel,
)

if TYPE_CHECKING:
    from schema.partners import PartnershipNode
from server.membership import partner_queries
from server.platform.policy import DiagnosisView, diagnosis_view
from server.platform.timeutil import in_seoul, in_seoul_or_none


@strawberry.type(name="DeclarationSigning", description="A signing of the declaration, kept as signed.")
class DeclarationSigningNode:
    id: int = strawberry.field(description="Its printable page and PDF: /declaration/signings/<id>.")
    kind: DeclarationKind
    signed_on: datetime.date
    signer_name: str
    signer_title: str
    text_version: str = strawberry.field(description="Which text was signed: 2011-11, the November 2011 one.")
    pledge_partnership: bool
    pledge_infrastructure: bool
    pledge_fair_dealing: bool
    pledge_awareness: bool

    @strawberry.field
    def recorded_at(self) -> datetime.datetime:
        return in_seoul(cast(DeclarationSigning, self).recorded_at)

    @strawberry.field(description="Who recorded it here: the signing coordinator or the secretariat.")
    def recorded_by(self) -> str | None:
        user = cast(DeclarationSigning, self).recorded_by
        return user.name if user else None


@strawberry.type(name="ClubMembership")
class MembershipNode:
    status: MembershipStatus
    applied_at: datetime.datetime
    admitted_at: datetime.datetime | None
    declaration_signed_on: datetime.date | None = strawberry.field(description="The first signing's date.")

    @strawberry.field(description="The signing and any later re-affirmations, oldest first.")
    async def declaration_signings(self, info: Info) -> list[DeclarationSigningNode]:
        organization_id = cast(ClubMembership, self).organization_id
        return cast(
            list[DeclarationSigningNode],
            await info.context.loaders.declaration_signings.load(organization_id),
        )


@strawberry.type(name="Organization")
class OrganizationNode:
    id: int
    kind: OrganizationKind
    name_ko: str
    name_en: str | None
    sector: str
    representative_name: str = strawberry.field(description="대표자명: the company's representative.")
    address: str
    contact_name: str = strawberry.field(description="The main contact's name.")
    contact_email: str
    contact_phone: str

    @strawberry.field(description="Formatted 123-45-67890.")
    def business_number(self) -> str | None:
        number = cast(Organization, self).business_number
        return format_number(number) if number else None

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(Organization, self).created_at)

    @strawberry.field(
        description="SMEs: when the latest self-diagnosis was submitted; null to those who may not know."
    )
    def diagnosed_at(self, info: Info) -> datetime.datetime | None:
        organization = cast(Organization, self)
        return _if_seen(info, organization, DiagnosisView.TAKEN, in_seoul_or_none(organization.diagnosed_at))

    @strawberry.field(
        description="SMEs that share their results with you (sponsors: through an active partnership): "
        "the level of the latest one."
    )
    def diagnosis_level(self, info: Info) -> ProtectionLevel | None:
        organization = cast(Organization, self)
        return _if_seen(info, organization, DiagnosisView.RESULTS, organization.shared_diagnosis_level)

    @strawberry.field(
        description="SMEs: whether sponsors with an active partnership may see the self-diagnosis results "
        "(false to anyone else)."
    )
    def shares_diagnosis(self, info: Info) -> bool:
        organization = cast(Organization, self)
        return _if_seen(info, organization, DiagnosisView.TAKEN, organization.shares_diagnosis, hidden=False)

    @strawberry.field(description="Conglomerates only.")
    async def membership(self, info: Info) -> MembershipNode | None:
        organization = cast(Organization, self)
        if organization.kind != OrganizationKind.CONGLOMERATE:
            return None
        return cast(MembershipNode, await info.context.loaders.membership.load(organization.id))

    @strawberry.field(
        description="Its partnerships seen from its own side; null for anyone but itself and the secretariat."
    )
    async def partnerships(
        self,
        info: Info,
        status: PartnershipStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[PartnershipNode, strawberry.lazy("schema.partners")]] | None:
        page = await partner_queries.partnerships_of(
            info.context.actor, cast(Organization, self), status=status, first=first, after=after
        )
        return Connection.of(page, after) if page is not None else None


def _if_seen(info: Info, sme: Organization, least: DiagnosisView, value: Any, hidden: Any = None) -> Any:
    """`value` if the actor's view of the SME's diagnosis (policy.diagnosis_view) reaches `least`.

    Returns a value, or an awaitable when the partnership status is not loaded yet (see `now_or_later`).
    """
    actor = info.context.actor
    if actor is None or sme.kind != OrganizationKind.SME:
        return hidden
    if not actor.is_coordinator:
        return value if diagnosis_view(actor, sme, None) >= least else hidden
    status = now_or_later(info.context.loaders.partnership_status, (actor.organization.id, sme.id))
    if not inspect.isawaitable(status):
        return value if diagnosis_view(actor, sme, status) >= least else hidden

    async def later() -> Any:
        return value if diagnosis_view(actor, sme, await status) >= least else hidden

    return later()


def node(organization: Organization) -> OrganizationNode:
    return cast(OrganizationNode, organization)


def related_organization(info: Info, source: Any, name: str) -> Any:
    """The organisation, or a future of it (see `related`)."""
    return related(source, name, Organization, info.context.loaders.organization)


@strawberry.type
class OrganizationQueries:
    @strawberry.field(description="Organisations you may see, newest first.")
    async def organizations(
        self,
        info: Info,
        kind: OrganizationKind | None = None,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[OrganizationNode]:
        page = await service.list_organizations(
            info.context.actor, kind=kind, search=search, first=first, after=after
        )
        return cast(Connection[OrganizationNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def organization(self, info: Info, id: int) -> OrganizationNode | None:
        found = await found_or_none(service.get_organization(info.context.actor, id))
        return node(found) if found else None
