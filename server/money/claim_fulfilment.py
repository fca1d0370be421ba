"""Recording that a paid claim's service was delivered: the escrow contract, or the guard subscription's period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import Claim, ClaimStatus, Service
from server.money.claims import ESCROW, lock_claim, mail_claimant, refuse_unless
from server.platform import audit, idempotency
from server.platform.actor import Actor
from server.platform.errors import ErrorCode, ErrorCollector
from server.platform.policy import require_secretariat
from server.platform.timeutil import now


@dataclass(frozen=True)
class Fulfilment:
    contract_number: str = ""
    contract_ends_on: date | None = None
    guard_starts_on: date | None = None
    guard_ends_on: date | None = None


async def fulfill_claim(
    *, actor: Actor | None, claim_id: int, fulfilment: Fulfilment, idempotency_key: str | None = None
) -> Claim:
    """The service was delivered: the escrow contract, or the guard subscription period."""
    actor = require_secretariat(actor)
    async with in_transaction():
        ticket = await idempotency.take(
            actor, idempotency_key, "claim.fulfil", result_id=claim_id, fulfilment=fulfilment
        )
        if ticket.repeated:
            return await Claim.get(id=claim_id)
        _, claim = await lock_claim(claim_id, Q())
        refuse_unless(claim, ClaimStatus.PAID)
        service = await Service.get(id=claim.service_id)
        errors = ErrorCollector()
        if service.code in ESCROW:
            if not fulfilment.contract_number.strip():
                errors.add(ErrorCode.REQUIRED, "contractNumber", "Enter the escrow contract number.")
            if fulfilment.contract_ends_on is None:
                errors.add(ErrorCode.REQUIRED, "contractEndsOn", "Enter the date the escrow contract ends.")
        else:
            if fulfilment.guard_starts_on is None:
                errors.add(ErrorCode.REQUIRED, "guardStartsOn", "Enter the first day of the subscription.")
            if fulfilment.guard_ends_on is None:
                errors.add(ErrorCode.REQUIRED, "guardEndsOn", "Enter the last day of the subscription.")
            elif fulfilment.guard_starts_on and fulfilment.guard_ends_on < fulfilment.guard_starts_on:
                errors.add(ErrorCode.INVALID, "guardEndsOn", "The subscription must end after it starts.")
        errors.raise_if_any()
        claim.status = ClaimStatus.FULFILLED
        claim.fulfilled_at = now()
        if service.code in ESCROW:
            claim.escrow_contract_number = fulfilment.contract_number.strip()[:100]
            claim.escrow_contract_ends_on = fulfilment.contract_ends_on
        else:
            claim.guard_starts_on = fulfilment.guard_starts_on
            claim.guard_ends_on = fulfilment.guard_ends_on
        await claim.save()
        await audit.record(
            "claim.fulfil",
            claim,
            actor=actor,
            before={"status": "paid"},
            after={
                "status": "fulfilled",
                "contract_number": claim.escrow_contract_number,
                "contract_ends_on": str(claim.escrow_contract_ends_on or ""),
                "guard_period": f"{claim.guard_starts_on or ''}..{claim.guard_ends_on or ''}",
            },
        )
        await mail_claimant(claim, "claim_fulfilled")
    return claim
