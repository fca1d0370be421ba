"""What a member's withdrawal does to its money: commitments close, claims awaiting a decision are rejected."""

from __future__ import annotations

from server.models import Claim, ClaimStatus, Commitment, CommitmentStatus
from server.money.claims import reject_locked
from server.money.commitments import move_status
from server.platform.actor import Actor

WITHDRAWN_REASON = (
    "후원 대기업이 클럽에서 탈퇴하여 지원이 종료되었습니다. / The sponsor has withdrawn from the club."
)


async def close_for_withdrawal(actor: Actor, conglomerate_id: int) -> None:
    """A withdrawing member's active commitments close; claims still awaiting a decision are rejected.

    Approved claims keep their reservations and complete or expire as usual: closing moves no money.
    Call inside the withdrawal's transaction, with the membership row locked (it is locked before
    commitments everywhere).
    """
    active = Commitment.filter(conglomerate_id=conglomerate_id, status=CommitmentStatus.ACTIVE)
    for commitment in await active.select_for_update().order_by("id"):
        waiting = Claim.filter(commitment_id=commitment.id, status=ClaimStatus.SUBMITTED)
        for claim in await waiting.select_for_update().order_by("id"):
            await reject_locked(claim, WITHDRAWN_REASON, actor=actor, decided_by=None)
        await move_status(commitment, CommitmentStatus.CLOSED, actor=actor, reason="membership withdrawn")
