"""Paying the SME share by bank transfer, and the receipt for it: the secretariat's record and the SME's print."""

from __future__ import annotations

import datetime
from typing import Annotated, cast

import strawberry

from schema.claims import BankTransferNode, ClaimNode
from schema.commitments import KEY
from schema.context import Info
from schema.errors import DomainErrors, Payload, found_or_none
from schema.organizations import OrganizationNode, node
from schema.scalars import Won
from server.models import PaymentMethod
from server.money import receipts, transfers
from server.platform.timeutil import in_seoul


@strawberry.type(name="Receipt")
class ReceiptNode:
    number: str
    claim: ClaimNode
    payer: OrganizationNode = strawberry.field(description="The SME that paid its share.")
    service_name_ko: str
    service_name_en: str
    quantity: int
    amount: Won = strawberry.field(description="The SME share paid.")
    method: PaymentMethod
    paid_at: datetime.datetime


@strawberry.type
class TransferQueries:
    @strawberry.field(
        description="The receipt for the SME share of a paid claim; null when there is none to see."
    )
    async def claim_receipt(self, info: Info, claim_id: int) -> ReceiptNode | None:
        found = await found_or_none(receipts.claim_receipt(info.context.actor, claim_id))
        if found is None:
            return None
        claim = found.claim
        return ReceiptNode(
            number=found.number,
            claim=cast(ClaimNode, claim),
            payer=node(claim.sme),
            service_name_ko=claim.service.name_ko,
            service_name_en=claim.service.name_en,
            quantity=claim.quantity,
            amount=Won(found.amount),
            method=found.method,
            paid_at=in_seoul(found.paid_at),
        )


@strawberry.type
class BankTransferPayload(Payload):
    transfer: BankTransferNode | None = None
    claim: ClaimNode | None = None


@strawberry.type
class TransferMutations:
    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="Secretariat: a transfer arrived for an approved claim. Exactly the SME share pays the claim; "
        "any other amount is recorded, flagged for attention, and leaves the claim unpaid.",
    )
    async def record_bank_transfer(
        self,
        info: Info,
        claim_id: int,
        amount: Won,
        received_on: Annotated[datetime.date, strawberry.argument(description="Asia/Seoul.")],
        depositor_name: str,
        idempotency_key: Annotated[str | None, KEY] = None,
    ) -> BankTransferPayload:
        transfer = await transfers.record_bank_transfer(
            actor=info.context.actor,
            claim_id=claim_id,
            data=transfers.TransferInput(amount, received_on, depositor_name),
            idempotency_key=idempotency_key,
        )
        return BankTransferPayload(
            transfer=cast(BankTransferNode, transfer), claim=cast(ClaimNode, transfer.claim)
        )
