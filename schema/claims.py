"""Claims, their payment and fulfilment: types, queries and mutations."""

from __future__ import annotations

import datetime
from typing import Annotated, cast

import strawberry

from schema.catalogue import ServiceNode
from schema.commitments import KEY, CommitmentNode
from schema.connection import Connection
from schema.context import Info, asks_for, now_or_later, related
from schema.errors import DomainErrors, Payload, found_or_none
from schema.organizations import OrganizationNode, related_organization
from schema.scalars import Won
from server.models import Claim, ClaimStatus, Commitment, PaymentMethod, Service, TransferOutcome
from server.money import claim_fulfilment, claim_list, claim_queries, claims, payments, transfers
from server.money.claim_fulfilment import Fulfilment
from server.money.claim_queries import ClaimFilter, ClaimOrder
from server.platform.timeutil import in_seoul, in_seoul_or_none


@strawberry.type
class BankAccount:
    bank: str
    number: str
    holder: str


@strawberry.type
class TransferInstructions:
    account: BankAccount | None = strawberry.field(description="Null until the club's account is configured.")
    amount: Won = strawberry.field(
        description="Exactly the SME share: another amount does not pay the claim."
    )
    reference: str = strawberry.field(description="What to write in the depositor field.")


@strawberry.type(name="BankTransfer")
class BankTransferNode:
    id: int
    amount: Won
    received_on: datetime.date
    depositor_name: str
    outcome: TransferOutcome = strawberry.field(
        description="Only MATCHED paid the claim; the others are flagged."
    )


@strawberry.type(name="Claim")
class ClaimNode:
    id: int
    status: ClaimStatus
    details: str
    quantity: int = strawberry.field(
        description="Items claimed (technologies deposited); the price follows it."
    )
    list_price: Won = strawberry.field(
        description="The catalogue price in effect when the claim was submitted."
    )
    sponsor_share: Won | None = strawberry.field(description="Fixed at approval.")
    sme_share: Won | None = strawberry.field(description="Fixed at approval: what the SME pays.")
    rejection_reason: str
    payment_method: PaymentMethod | None
    transfer_reference: str | None = strawberry.field(
        description="Set at approval: write it as the depositor."
    )
    escrow_contract_number: str
    escrow_contract_ends_on: datetime.date | None
    guard_starts_on: datetime.date | None
    guard_ends_on: datetime.date | None

    @strawberry.field
    def sme(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "sme")

    @strawberry.field
    def service(self, info: Info) -> ServiceNode:
        return related(cast(Claim, self), "service", Service, info.context.loaders.service)

    @strawberry.field
    def commitment(self, info: Info) -> CommitmentNode:
        return related(cast(Claim, self), "commitment", Commitment, info.context.loaders.commitment)

    @strawberry.field(
        description="How to pay the SME share by bank transfer, while the claim awaits payment."
    )
    def transfer_instructions(self) -> TransferInstructions | None:
        found = transfers.instructions(cast(Claim, self))
        if found is None:
            return None
        account = found.account
        return TransferInstructions(
            account=BankAccount(bank=account.bank, number=account.number, holder=account.holder)
            if account
            else None,
            amount=Won(found.amount),
            reference=found.reference,
        )

    @strawberry.field(description="Transfers the secretariat recorded for this claim, oldest first.")
    def bank_transfers(self, info: Info) -> list[BankTransferNode]:
        return cast(
            list[BankTransferNode], now_or_later(info.context.loaders.bank_transfers, cast(Claim, self).id)
        )

    @strawberry.field
    def submitted_at(self) -> datetime.datetime:
        return in_seoul(cast(Claim, self).submitted_at)

    @strawberry.field
    def decided_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Claim, self).decided_at)

    @strawberry.field(description="An approval unpaid by then expires.")
    def payment_due_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Claim, self).payment_due_at)

    @strawberry.field
    def paid_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Claim, self).paid_at)

    @strawberry.field
    def fulfilled_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Claim, self).fulfilled_at)


@strawberry.type
class ClaimQueries:
    @strawberry.field(
        description="Coordinators: claims under their commitments (the review queue is status SUBMITTED). "
        "SMEs: their own. Secretariat: all."
    )
    async def claims(
        self,
        info: Info,
        status: ClaimStatus | None = None,
        commitment_id: int | None = None,
        order_by: ClaimOrder = ClaimOrder.NEWEST,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ClaimNode]:
        page = await claim_list.list_claims(
            info.context.actor,
            ClaimFilter(status, commitment_id),
            order=order_by,
            first=first,
            after=after,
            with_total=asks_for(info, "totalCount"),
        )
        return cast(Connection[ClaimNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def claim(self, info: Info, id: int) -> ClaimNode | None:
        return cast(ClaimNode | None, await found_or_none(claim_queries.get_claim(info.context.actor, id)))


@strawberry.type
class ClaimPayload(Payload):
    claim: ClaimNode | None = None


@strawberry.type
class ClaimPaymentPayload(Payload):
    claim: ClaimNode | None = None
    payment_url: str | None = strawberry.field(
        default=None, description="Our page where the SME pays by card."
    )
    publishable_key: str | None = None
    amount: Won | None = None
    client_secret: str | None = strawberry.field(
        default=None,
        description="Set when the card asks for authentication: finish with Stripe.js confirmCardPayment.",
    )


def _claim(claim: Claim) -> ClaimPayload:
    return ClaimPayload(claim=cast(ClaimNode, claim))


@strawberry.type
class ClaimMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()], description="An SME asks for a service under a commitment."
    )
    async def submit_claim(
        self, info: Info, commitment_id: int, service_id: int, details: str = "", quantity: int = 1
    ) -> ClaimPayload:
        return _claim(
            await claims.submit_claim(
                actor=info.context.actor,
                commitment_id=commitment_id,
                service_id=service_id,
                details=details,
                quantity=quantity,
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Fixes the split and reserves the sponsor share."
    )
    async def approve_claim(
        self, info: Info, claim_id: int, idempotency_key: Annotated[str | None, KEY] = None
    ) -> ClaimPayload:
        return _claim(
            await claims.approve_claim(
                actor=info.context.actor,
                claim_id=claim_id,
                idempotency_key=idempotency_key,
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def reject_claim(
        self, info: Info, claim_id: int, reason: str, idempotency_key: Annotated[str | None, KEY] = None
    ) -> ClaimPayload:
        return _claim(
            await claims.reject_claim(
                actor=info.context.actor, claim_id=claim_id, reason=reason, idempotency_key=idempotency_key
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="The SME withdraws a claim before paying.")
    async def cancel_claim(
        self, info: Info, claim_id: int, idempotency_key: Annotated[str | None, KEY] = None
    ) -> ClaimPayload:
        return _claim(
            await claims.cancel_claim(
                actor=info.context.actor, claim_id=claim_id, idempotency_key=idempotency_key
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Without a payment method: where to pay. With one from Stripe.js: charge the SME share now; "
        "the claim turns paid when Stripe confirms it.",
    )
    async def start_claim_payment(
        self,
        info: Info,
        claim_id: int,
        payment_method: str | None = None,
        idempotency_key: Annotated[str | None, KEY] = None,
    ) -> ClaimPaymentPayload:
        settings = info.context.settings
        started = await payments.start_claim_payment(
            actor=info.context.actor,
            claim_id=claim_id,
            payment_method=payment_method,
            idempotency_key=idempotency_key,
        )
        return ClaimPaymentPayload(
            claim=cast(ClaimNode, started.claim),
            payment_url=started.payment_url,
            publishable_key=settings.stripe.publishable_key if settings.stripe else None,
            amount=Won(started.claim.sme_share or 0),
            client_secret=started.client_secret,
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: the escrow contract (number, end date) or the guard subscription period.",
    )
    async def fulfill_claim(
        self,
        info: Info,
        claim_id: int,
        contract_number: str = "",
        contract_ends_on: datetime.date | None = None,
        guard_starts_on: datetime.date | None = None,
        guard_ends_on: datetime.date | None = None,
        idempotency_key: Annotated[str | None, KEY] = None,
    ) -> ClaimPayload:
        fulfilment = Fulfilment(contract_number, contract_ends_on, guard_starts_on, guard_ends_on)
        return _claim(
            await claim_fulfilment.fulfill_claim(
                actor=info.context.actor,
                claim_id=claim_id,
                fulfilment=fulfilment,
                idempotency_key=idempotency_key,
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: give the SME its share back and release the capture.",
    )
    async def refund_claim(
        self, info: Info, claim_id: int, reason: str, idempotency_key: Annotated[str | None, KEY] = None
    ) -> ClaimPayload:
        return _claim(
            await payments.refund_claim(
                actor=info.context.actor,
                claim_id=claim_id,
                reason=reason,
                idempotency_key=idempotency_key,
            )
        )
