"""The receipt (영수증) for an SME's own share of a claim, printable once the share is paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.models import SETTLED_CLAIMS, Claim, PaymentMethod
from server.money.claim_queries import get_claim
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.timeutil import in_seoul


@dataclass(frozen=True)
class Receipt:
    number: str
    claim: Claim
    amount: int
    method: PaymentMethod
    paid_at: datetime


def receipt_number(claim: Claim) -> str:
    assert claim.paid_at is not None
    return f"R{in_seoul(claim.paid_at):%Y}-{claim.id:06d}"


def receipt_of(claim: Claim) -> Receipt | None:
    """A claim the caller may see: its receipt, when its SME share was paid in money."""
    if (
        claim.status not in SETTLED_CLAIMS
        or claim.paid_at is None
        or claim.payment_method in (None, PaymentMethod.NONE)
        or not claim.sme_share
    ):
        return None
    assert claim.payment_method is not None
    return Receipt(receipt_number(claim), claim, claim.sme_share, claim.payment_method, claim.paid_at)


async def claim_receipt(actor: Actor | None, claim_id: int) -> Receipt:
    """Whoever sees the claim sees its receipt; there is one only for a share paid in money."""
    found = receipt_of(await get_claim(actor, claim_id))
    if found is None:
        raise not_found("receipt")
    return found
