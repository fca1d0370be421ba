"""The service catalogue and cost-sharing commitments: types, queries and mutations."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, cast

import strawberry

from schema.catalogue import ServiceNode
from schema.connection import Connection
from schema.context import Info, related_many, then
from schema.errors import DomainErrors, Payload, UserError, found_or_none
from schema.organizations import OrganizationNode, related_organization
from schema.scalars import Won
from server.models import Commitment, CommitmentStatus, Service, SupplierTier
from server.money import commitment_figures, commitments
from server.money.claim_eligibility import claim_refusals
from server.money.commitment_list import list_commitments
from server.platform.timeutil import in_seoul, in_seoul_or_none


@strawberry.type
class Quote:
    service: ServiceNode
    list_price: Won
    sponsor_share: Won = strawberry.field(description="At today's price and remaining budget.")
    sme_share: Won


@strawberry.type
class ClaimRefusal:
    service_id: int
    error: UserError = strawberry.field(
        description="Why, in the asker's language; DIAGNOSIS_REQUIRED and the "
        "renewal's NOT_ELIGIBLE on serviceId say what to do first."
    )


@strawberry.type
class MonthlySpend:
    month: str = strawberry.field(description="YYYY-MM in Asia/Seoul.")
    captured: Won = strawberry.field(description="Captured less refunded in the month.")
    cumulative: Won


async def _services(commitment: Commitment) -> list[Service]:
    services = related_many(commitment.services)
    return services if isinstance(services, list) else await services


@strawberry.type(name="Commitment")
class CommitmentNode:
    id: int
    name: str
    period_start: datetime.date
    period_end: datetime.date
    share_percent: int
    cap_per_claim: Won | None
    budget: Won
    reserved: Won = strawberry.field(description="Set aside for approved claims not yet paid.")
    captured: Won = strawberry.field(description="Spent on paid claims.")
    diagnosis_within_months: int | None
    max_claims_per_sme: int | None
    status: CommitmentStatus

    @strawberry.field
    def remaining(self) -> Won:
        commitment = cast(Commitment, self)
        return cast(Won, commitment.remaining)

    @strawberry.field
    def eligible_tiers(self) -> list[SupplierTier]:
        commitment = cast(Commitment, self)
        return [
            tier
            for tier, eligible in (
                (SupplierTier.FIRST, commitment.eligible_tier_1),
                (SupplierTier.SECOND, commitment.eligible_tier_2),
            )
            if eligible
        ]

    @strawberry.field
    def conglomerate(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "conglomerate")

    @strawberry.field
    def services(self) -> list[ServiceNode]:
        return cast(list[ServiceNode], related_many(cast(Commitment, self).services))

    @strawberry.field(description="What each covered service would cost an SME if approved now.")
    def quotes(self) -> list[Quote]:
        commitment = cast(Commitment, self)
        services = related_many(commitment.services)
        return cast(list[Quote], then(services, lambda found: commitment_figures.quotes(commitment, found)))

    @strawberry.field(
        description="For the SME representative asking: why it may not claim each covered service now (none "
        "when it may claim them all, or when someone else asks). The same rules refuse `submitClaim`."
    )
    async def claim_refusals(self, info: Info) -> list[ClaimRefusal]:
        actor = info.context.actor
        if actor is None or not actor.is_sme_representative:
            return []
        commitment = cast(Commitment, self)
        refused = await claim_refusals(actor.organization.id, [(commitment, await _services(commitment))])
        translate = info.context.translate
        return [
            ClaimRefusal(
                service_id=service_id, error=UserError(field=e.field, code=e.code, message=e.text(translate))
            )
            for (_, service_id), e in refused.items()
        ]

    @strawberry.field(description="The sponsor's spend per month.")
    async def spend_by_month(self) -> list[MonthlySpend]:
        return cast(list[MonthlySpend], await commitment_figures.spend_by_month(cast(Commitment, self)))

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(Commitment, self).created_at)

    @strawberry.field
    def activated_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Commitment, self).activated_at)

    @strawberry.field
    def closed_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Commitment, self).closed_at)


@strawberry.input
class CommitmentInput:
    name: str
    period_start: datetime.date
    period_end: datetime.date
    service_ids: list[int]
    share_percent: int = strawberry.field(description="1 to 100.")
    budget: Won
    eligible_tiers: list[SupplierTier] = strawberry.field(default_factory=lambda: [SupplierTier.FIRST])
    cap_per_claim: Won | None = None
    diagnosis_within_months: int | None = None
    max_claims_per_sme: int | None = None


@strawberry.type
class CommitmentQueries:
    @strawberry.field(
        description="Coordinators: their own. SMEs: the active ones they may claim under. Secretariat: all."
    )
    async def commitments(
        self,
        info: Info,
        status: CommitmentStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CommitmentNode]:
        page = await list_commitments(info.context.actor, status=status, first=first, after=after)
        return cast(Connection[CommitmentNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def commitment(self, info: Info, id: int) -> CommitmentNode | None:
        found = await found_or_none(commitments.get_commitment(info.context.actor, id))
        return cast(CommitmentNode | None, found)


@strawberry.type
class CommitmentPayload(Payload):
    commitment: CommitmentNode | None = None


KEY = strawberry.argument(
    description="Optional: a repeat of the call with the same key returns the first result and changes nothing."
)


def _payload(commitment: Commitment) -> CommitmentPayload:
    return CommitmentPayload(commitment=cast(CommitmentNode, commitment))


@strawberry.type
class CommitmentMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()], description="A draft of the coordinator's conglomerate."
    )
    async def create_commitment(
        self, info: Info, input: CommitmentInput, idempotency_key: Annotated[str | None, KEY] = None
    ) -> CommitmentPayload:
        data: dict[str, Any] = vars(input)
        return _payload(
            await commitments.create_commitment(
                actor=info.context.actor,
                data=commitments.CommitmentInput(**data),
                idempotency_key=idempotency_key,
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def activate_commitment(
        self, info: Info, commitment_id: int, idempotency_key: Annotated[str | None, KEY] = None
    ) -> CommitmentPayload:
        return _payload(
            await commitments.activate_commitment(
                actor=info.context.actor, commitment_id=commitment_id, idempotency_key=idempotency_key
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="Add to the budget.")
    async def top_up_commitment(
        self,
        info: Info,
        commitment_id: int,
        amount: Won,
        idempotency_key: Annotated[str | None, KEY] = None,
    ) -> CommitmentPayload:
        return _payload(
            await commitments.top_up_commitment(
                actor=info.context.actor,
                commitment_id=commitment_id,
                amount=amount,
                idempotency_key=idempotency_key,
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def close_commitment(
        self, info: Info, commitment_id: int, idempotency_key: Annotated[str | None, KEY] = None
    ) -> CommitmentPayload:
        return _payload(
            await commitments.close_commitment(
                actor=info.context.actor, commitment_id=commitment_id, idempotency_key=idempotency_key
            )
        )
