"""People around a seminar beyond oneself: registering colleagues, and conglomerates offering to co-host."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info, related
from schema.errors import DomainErrors, Payload
from schema.organizations import OrganizationNode, related_organization
from schema.seminars import RegistrationPayload, SeminarNode, registration_payload
from server.models import CoHostingProposal, CoHostingStatus, Seminar
from server.platform.timeutil import in_seoul, in_seoul_or_none
from server.seminars import cohosting, colleagues


@strawberry.type(name="CoHostingProposal")
class ProposalNode:
    id: int
    status: CoHostingStatus
    note: str
    reason: str = strawberry.field(description="Why it was declined; empty otherwise.")

    @strawberry.field
    def seminar(self, info: Info) -> SeminarNode:
        return related(cast(CoHostingProposal, self), "seminar", Seminar, info.context.loaders.seminar)

    @strawberry.field
    def conglomerate(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "conglomerate")

    @strawberry.field
    def proposed_at(self) -> datetime.datetime:
        return in_seoul(cast(CoHostingProposal, self).created_at)

    @strawberry.field
    def decided_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(CoHostingProposal, self).decided_at)


@strawberry.type
class ProposalPayload(Payload):
    proposal: ProposalNode | None = None


@strawberry.type
class SeminarPeopleQueries:
    @strawberry.field(
        description="Offers to co-host: every one for the secretariat, a coordinator's own company's."
    )
    async def co_hosting_proposals(
        self,
        info: Info,
        status: CoHostingStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ProposalNode]:
        page = await cohosting.cohosting_proposals(
            info.context.actor, status=status, first=first, after=after
        )
        return cast(Connection[ProposalNode], Connection.of(page, after))


@strawberry.type
class SeminarPeopleMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="A coordinator or representative registers a colleague (userId), or a newcomer (name and "
        "email: invited to the company as staff), within the company's seats; else the waiting list.",
    )
    async def register_colleague_for_seminar(
        self, info: Info, seminar_id: int, user_id: int | None = None, name: str = "", email: str = ""
    ) -> RegistrationPayload:
        registration = await colleagues.register_colleague_for_seminar(
            actor=info.context.actor, seminar_id=seminar_id, user_id=user_id, name=name, email=email
        )
        return registration_payload(registration)

    @strawberry.mutation(
        extensions=[DomainErrors()], description="A coordinator offers its company as co-host."
    )
    async def propose_co_hosting(self, info: Info, seminar_id: int, note: str = "") -> ProposalPayload:
        proposal = await cohosting.propose_cohosting(
            actor=info.context.actor, seminar_id=seminar_id, note=note
        )
        return ProposalPayload(proposal=cast(ProposalNode, proposal))

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The secretariat accepts (the company joins the co-hosts) or declines with a reason.",
    )
    async def decide_co_hosting(
        self, info: Info, proposal_id: int, accept: bool, reason: str = ""
    ) -> ProposalPayload:
        proposal = await cohosting.decide_cohosting(
            actor=info.context.actor, proposal_id=proposal_id, accept=accept, reason=reason
        )
        return ProposalPayload(proposal=cast(ProposalNode, proposal))
