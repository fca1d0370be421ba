"""Partner enrolment: invitations, decisions, the partner list and spreadsheet imports."""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info, now_or_later
from schema.errors import DomainErrors, Payload, found_or_none
from schema.import_rows import ImportRowConnection, import_rows
from schema.organizations import OrganizationNode, node, related_organization
from schema.partner_list import partner_connection, sme_of
from schema.scalars import Won
from server.membership import partner_import as imports
from server.membership import partner_queries
from server.membership import partners as service
from server.membership.partner_queries import PartnerFilter, PartnerOrder
from server.membership.partner_rows import PartnerRow
from server.models import (
    ImportStatus,
    PartnerImport,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    SupplierTier,
)
from server.platform.errors import invalid
from server.platform.timeutil import in_seoul, in_seoul_or_none


@strawberry.type
class PartnerClaimSummary:
    claims: int
    open: int = strawberry.field(description="Submitted or approved, not yet paid.")
    sponsor_paid: Won = strawberry.field(description="Sponsor shares of paid and fulfilled claims.")


def _summary_key(partnership: Partnership) -> tuple[int, int]:
    return (partnership.conglomerate_id, partnership.sme_id)


@strawberry.type(name="Partnership")
class PartnershipNode:
    id: int
    tier: SupplierTier
    status: PartnershipStatus
    contact_email: str
    end_reason: str

    @strawberry.field
    def sme(self, info: Info) -> OrganizationNode:
        if isinstance(self, PartnerRow):  # the partner list's plain rows (schema.partner_list)
            return cast(OrganizationNode, sme_of(info, self))
        return related_organization(info, self, "sme")

    @strawberry.field(description="The SME's claims under this conglomerate's commitments.")
    def claim_summary(self, info: Info) -> PartnerClaimSummary:
        if isinstance(self, PartnerRow):
            return cast(PartnerClaimSummary, self.claims)
        # The server's ClaimSummary has the same fields; usually loaded for the whole page already.
        summary = now_or_later(info.context.loaders.claim_summary, _summary_key(cast(Partnership, self)))
        return cast(PartnerClaimSummary, summary)

    @strawberry.field
    def conglomerate(self, info: Info) -> OrganizationNode:
        if isinstance(self, PartnerRow):
            return cast(
                OrganizationNode, now_or_later(info.context.loaders.organization, self.conglomerate_id)
            )
        return related_organization(info, self, "conglomerate")

    @strawberry.field
    def invited_at(self) -> datetime.datetime:
        return in_seoul(cast(Partnership, self).invited_at)

    @strawberry.field
    def accepted_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Partnership, self).accepted_at)

    @strawberry.field
    def ended_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Partnership, self).ended_at)


@strawberry.type(name="PartnerImport")
class PartnerImportNode:
    id: int
    filename: str
    status: ImportStatus
    new_count: int
    existing_count: int
    invalid_count: int
    processed_count: int = strawberry.field(
        description="New rows invited so far, for progress while committing."
    )

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(PartnerImport, self).created_at)

    @strawberry.field(
        description="The checked rows in file order, optionally only one outcome; at most 500 per request."
    )
    def rows(
        self, outcome: str | None = None, first: int = 100, after: str | None = None
    ) -> ImportRowConnection:
        return import_rows(cast(PartnerImport, self).rows, outcome, first, after)


@strawberry.type
class PartnershipTotals:
    conglomerate: OrganizationNode
    invited: int
    active: int
    ended: int


@strawberry.type
class PartnerQueries:
    @strawberry.field(description="The acting coordinator's partners.")
    async def partners(
        self,
        info: Info,
        search: str | None = None,
        tier: SupplierTier | None = None,
        status: PartnershipStatus | None = None,
        diagnosis_level: ProtectionLevel | None = None,
        order_by: PartnerOrder = PartnerOrder.NEWEST,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PartnershipNode]:
        where = PartnerFilter(search, tier, status, diagnosis_level)
        return cast(
            Connection[PartnershipNode], await partner_connection(info, where, order_by, first, after)
        )

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def partner_import(self, info: Info, id: int) -> PartnerImportNode | None:
        found = await found_or_none(imports.get_partner_import(info.context.actor, id))
        return cast(PartnerImportNode | None, found)

    @strawberry.field(description="Partners per conglomerate (secretariat).")
    async def partnership_totals(self, info: Info) -> list[PartnershipTotals]:
        return [
            PartnershipTotals(
                conglomerate=node(t.conglomerate), invited=t.invited, active=t.active, ended=t.ended
            )
            for t in await partner_queries.partnership_totals(info.context.actor)
        ]


@strawberry.type
class PartnershipPayload(Payload):
    partnership: PartnershipNode | None = None


@strawberry.type
class PartnerImportPayload(Payload):
    partner_import: PartnerImportNode | None = None


def _partnership(partnership: Partnership) -> PartnershipPayload:
    return PartnershipPayload(partnership=cast(PartnershipNode, partnership))


@strawberry.type
class PartnerMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="An SME new to the platform: mails its contact a link to accept and become its first "
        "representative. An SME already on it: its representatives answer; the contact only gets a notice.",
    )
    async def invite_partner(
        self, info: Info, business_number: str, name_ko: str, tier: SupplierTier, contact_email: str
    ) -> PartnershipPayload:
        return _partnership(
            await service.invite_partner(
                actor=info.context.actor,
                business_number=business_number,
                name_ko=name_ko,
                tier=tier,
                contact_email=contact_email,
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def accept_partnership(self, info: Info, partnership_id: int) -> PartnershipPayload:
        return _partnership(
            await service.accept_partnership(actor=info.context.actor, partnership_id=partnership_id)
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def decline_partnership(
        self, info: Info, partnership_id: int, reason: str = ""
    ) -> PartnershipPayload:
        return _partnership(
            await service.decline_partnership(
                actor=info.context.actor, partnership_id=partnership_id, reason=reason
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def end_partnership(self, info: Info, partnership_id: int, reason: str) -> PartnershipPayload:
        return _partnership(
            await service.end_partnership(
                actor=info.context.actor, partnership_id=partnership_id, reason=reason
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Check every row of a .csv or .xlsx file; nothing is invited yet.",
    )
    async def preview_partner_import(
        self, info: Info, filename: str, content_base64: str
    ) -> PartnerImportPayload:
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise invalid("contentBase64", "The file content is not valid base64.") from exc
        found = await imports.preview_partner_import(
            actor=info.context.actor, filename=filename, content=content
        )
        return PartnerImportPayload(partner_import=cast(PartnerImportNode, found))

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Invite the valid new rows of a previewed import."
    )
    async def commit_partner_import(self, info: Info, import_id: int) -> PartnerImportPayload:
        found = await imports.commit_partner_import(actor=info.context.actor, import_id=import_id)
        return PartnerImportPayload(partner_import=cast(PartnerImportNode, found))
