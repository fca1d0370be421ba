"""Whether a member conglomerate is in good standing: what its membership lets it start, for every door."""

from __future__ import annotations

from server.models import ClubMembership, MembershipStatus
from server.platform.errors import DomainError, ErrorCode

# What a member conglomerate may do follows from its membership, decided here for every door.
# Applied (registered by the secretariat, awaiting admission) and active members take part fully.
# A suspended member starts nothing new: no partner invitations, no new, activated or topped-up
# commitments, no claim approvals, and its commitments are not offered to SMEs, who cannot claim under
# them. Claims already approved still complete (payment, fulfilment, cancellation, expiry, refund), and
# it may still reject claims, close commitments and end partnerships. A withdrawn member is held the
# same way, and its active commitments close when it withdraws (`claims.close_for_withdrawal`).
IN_GOOD_STANDING = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE)

_OUT_OF_STANDING = {
    MembershipStatus.SUSPENDED: "Your company's club membership is suspended: "
    "this is not possible until the secretariat reinstates it.",
    MembershipStatus.WITHDRAWN: "Your company has withdrawn from the club: this is no longer possible.",
}


async def membership_status(organization_id: int, *, lock: bool = False) -> MembershipStatus | None:
    """A conglomerate's membership status (None for other organisations); `lock` holds the row."""
    query = ClubMembership.filter(organization_id=organization_id)
    if lock:
        query = query.select_for_update()
    found = await query.only("id", "status").first()
    return found.status if found else None


async def require_member_in_good_standing(organization_id: int, *, lock: bool = False) -> None:
    """Refuse what a suspended or withdrawn member may not start (see IN_GOOD_STANDING).

    With `lock`, call it inside the transaction, before locking any of the member's commitments: it
    holds the membership row so that a withdrawal closing them waits, or is waited for.
    """
    status = await membership_status(organization_id, lock=lock)
    if status in _OUT_OF_STANDING:
        raise DomainError.single(ErrorCode.MEMBERSHIP_INACTIVE, _OUT_OF_STANDING[status])
