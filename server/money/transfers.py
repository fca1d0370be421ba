"""Bank transfers of the SME's share to the club's account, as the secretariat sees them arrive.

An approved claim carries a transfer reference the SME writes in the depositor field. The
secretariat records each transfer received: the exact SME share settles the claim through the
same path a card payment takes (ledger capture under the commitment and claim locks); any other
amount is recorded and flagged on the attention list, and the claim stays unpaid: nobody's money
is silently accepted. Locks: the commitment row, then the claim row (as `lock_claim`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import (
    AttentionKind,
    BankTransfer,
    Claim,
    ClaimStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    TransferOutcome,
)
from server.money.attention import flag
from server.money.claims import lock_claim, mail_claimant, refuse_unless, settle
from server.money.references import transfer_reference
from server.platform import audit, idempotency
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import DomainError, ErrorCode, ErrorCollector
from server.platform.policy import require_secretariat
from server.platform.settings import BankAccount
from server.platform.text import MAX_WON
from server.platform.timeutil import in_seoul, now

MAX_DEPOSITOR = 100


@dataclass(frozen=True)
class TransferInstructions:
    """What an SME needs to pay its share from any bank: where, exactly how much, and what to write."""

    account: BankAccount | None  # None until the club's account is configured
    amount: int
    reference: str


def instructions(claim: Claim) -> TransferInstructions | None:
    """For an approved claim with a share to pay; claims approved before references existed get theirs now."""
    if claim.status != ClaimStatus.APPROVED or not claim.sme_share:
        return None
    reference = claim.transfer_reference or transfer_reference(claim.id)
    return TransferInstructions(settings().bank_account, claim.sme_share, reference)


@dataclass(frozen=True)
class TransferInput:
    amount: int
    received_on: date | None
    depositor_name: str


def _checked(data: TransferInput) -> TransferInput:
    errors = ErrorCollector()
    depositor = data.depositor_name.strip()
    if not 0 < data.amount <= MAX_WON:
        errors.add(ErrorCode.INVALID, "amount", "Enter the amount received, in won.")
    if data.received_on is None:
        errors.add(ErrorCode.REQUIRED, "receivedOn", "Enter the day the transfer arrived.")
    elif data.received_on > in_seoul(now()).date():
        errors.add(ErrorCode.INVALID, "receivedOn", "A transfer cannot arrive in the future.")
    if not depositor:
        errors.add(ErrorCode.REQUIRED, "depositorName", "Enter the depositor's name as the bank shows it.")
    elif len(depositor) > MAX_DEPOSITOR:
        errors.add(ErrorCode.INVALID, "depositorName", "This is too long.")
    errors.raise_if_any()
    return TransferInput(data.amount, data.received_on, depositor)


def _outcome(amount: int, share: int) -> TransferOutcome:
    if amount == share:
        return TransferOutcome.MATCHED
    return TransferOutcome.SHORT if amount < share else TransferOutcome.EXCESS


async def record_bank_transfer(
    *, actor: Actor | None, claim_id: int, data: TransferInput, idempotency_key: str | None = None
) -> BankTransfer:
    """The secretariat saw a transfer for an approved claim arrive: the exact share pays the claim."""
    actor = require_secretariat(actor)
    data = _checked(data)
    async with in_transaction():
        ticket = await idempotency.take(
            actor,
            idempotency_key,
            "claim.transfer",
            claim=claim_id,
            amount=data.amount,
            received_on=str(data.received_on),
            depositor=data.depositor_name,
        )
        if ticket.repeated:
            return await BankTransfer.get(id=ticket.first_result).select_related("claim")
        _, claim = await lock_claim(claim_id, Q())
        refuse_unless(claim, ClaimStatus.APPROVED)
        if await Payment.exists(claim_id=claim.id, status=PaymentStatus.PENDING):
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "A card payment for this claim is under way. Wait for its result."
            )
        assert claim.sme_share is not None and data.received_on is not None
        outcome = _outcome(data.amount, claim.sme_share)
        payment = None
        if outcome == TransferOutcome.MATCHED:
            payment = await Payment.create(
                claim_id=claim.id,
                method=PaymentMethod.TRANSFER,
                amount=data.amount,
                status=PaymentStatus.SUCCEEDED,
                recorded_by=actor.user,
            )
        transfer = await BankTransfer.create(
            claim_id=claim.id,
            amount=data.amount,
            received_on=data.received_on,
            depositor_name=data.depositor_name,
            outcome=outcome,
            payment=payment,
            recorded_by=actor.user,
        )
        await ticket.done(transfer.id)
        received = {
            "amount": data.amount,
            "received_on": str(data.received_on),
            "depositor": data.depositor_name,
        }
        if outcome == TransferOutcome.MATCHED:
            await settle(claim, PaymentMethod.TRANSFER, user=actor.user)
            await audit.record(
                "claim.pay",
                claim,
                actor=actor,
                before={"status": "approved"},
                after={"status": "paid", "method": "transfer", **received},
            )
            await mail_claimant(claim, "claim_paid")
        else:
            await flag(
                AttentionKind.TRANSFER_MISMATCH,
                claim_id=claim.id,
                stripe_reference=f"transfer-{transfer.id}",
                amount=data.amount,
                detail=f"{outcome.value}: received {data.amount}, the SME share is {claim.sme_share} "
                f"({data.depositor_name}, {data.received_on})",
            )
            await audit.record(
                "claim.transfer_flagged",
                claim,
                actor=actor,
                after={"outcome": outcome.value, "sme_share": claim.sme_share, **received},
            )
        transfer.claim = claim
    return transfer


async def transfers_of(claim: Claim) -> list[BankTransfer]:
    """A claim the caller may already see: the transfers recorded for it, oldest first."""
    return await BankTransfer.filter(claim_id=claim.id).order_by("id")


async def transfers_by_claim(claim_ids: list[int]) -> dict[int, list[BankTransfer]]:
    """Claims the caller may already see: their transfers, oldest first, in one query."""
    found: dict[int, list[BankTransfer]] = {claim_id: [] for claim_id in claim_ids}
    for transfer in await BankTransfer.filter(claim_id__in=claim_ids).order_by("id"):
        found[transfer.claim_id].append(transfer)
    return found
