"""The budget ledger: the one place where a commitment's money moves.

Every movement appends an entry and shifts the commitment's running totals in
the same transaction. The totals live on the commitment row so that its CHECK
constraint (`reserved + captured <= budget`, none negative) refuses an
overspend in the database itself, whatever the Python above it believed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.expressions import F

from server.models import Claim, Commitment, CommitmentMonth, LedgerEntry, LedgerEntryKind, User
from server.models.commitments import remaining_budget
from server.platform.timeutil import in_seoul

# What each kind of entry does to the sponsor's spend of its month.
SPEND_SIGN: dict[LedgerEntryKind, int] = {LedgerEntryKind.CAPTURE: 1, LedgerEntryKind.REFUND: -1}

# How each kind of entry shifts the commitment's figures.
_EFFECTS: dict[LedgerEntryKind, dict[str, int]] = {
    LedgerEntryKind.BUDGET: {"budget": 1},
    LedgerEntryKind.RESERVE: {"reserved": 1},
    LedgerEntryKind.RELEASE: {"reserved": -1},
    LedgerEntryKind.CAPTURE: {"reserved": -1, "captured": 1},
    LedgerEntryKind.REFUND: {"captured": -1},
}


async def move(
    commitment_id: int,
    kind: LedgerEntryKind,
    amount: int,
    *,
    claim_id: int | None = None,
    user: User | None = None,
) -> None:
    """Append one entry and apply it to the totals. Call inside the transaction of the change.

    A zero amount moves nothing and writes nothing: entries are always positive.
    """
    if amount == 0:
        return
    if amount < 0:
        raise ValueError("ledger amounts are positive; the kind says which way they move")
    # The UPDATE also locks the commitment row until the transaction ends: its month row below cannot be
    # created twice by two payments at once.
    await Commitment.filter(id=commitment_id).update(
        **{field: F(field) + sign * amount for field, sign in _EFFECTS[kind].items()}
    )
    entry = await LedgerEntry.create(
        commitment_id=commitment_id, claim_id=claim_id, kind=kind, amount=amount, actor=user
    )
    if kind in SPEND_SIGN:
        spent = SPEND_SIGN[kind] * amount
        month = in_seoul(entry.created_at).strftime("%Y-%m")
        months = CommitmentMonth.filter(commitment_id=commitment_id, month=month)
        if not await months.update(spent=F("spent") + spent):
            await CommitmentMonth.create(commitment_id=commitment_id, month=month, spent=spent)


async def move_share(claim: Claim, kind: LedgerEntryKind, *, user: User | None) -> None:
    """Move a claim's sponsor share on its commitment (a zero share moves nothing)."""
    await move(
        claim.commitment_id,
        kind,
        claim.sponsor_share or 0,
        claim_id=claim.id,
        user=user,
    )


@dataclass(frozen=True)
class Figures:
    budget: int = 0
    reserved: int = 0
    captured: int = 0

    @property
    def remaining(self) -> int:
        return remaining_budget(self.budget, self.reserved, self.captured)


def figures_of(entries: Iterable[tuple[LedgerEntryKind | str, int]]) -> Figures:
    """What a commitment's (or a claim's) totals must be, from its entries alone."""
    totals: dict[str, int] = defaultdict(int)
    for kind, amount in entries:
        for field, sign in _EFFECTS[LedgerEntryKind(kind)].items():
            totals[field] += sign * amount
    return Figures(**totals)
