"""Partner enrolment: a coordinator invites its partner SMEs, the SME accepts or declines, either side ends.

`enrol` is the one place that turns checked rows into invitations, whether a
coordinator typed one SME or uploaded five thousand: it works in bulk
(a handful of queries per batch) and writes the partnerships, the invitation
links, their mails and the audit entries in the caller's transaction.
"""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server.membership.enrolment import check_partner, enrol
from server.models import (
    OPEN_CLAIMS,
    Claim,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Partnership,
    PartnershipStatus,
    SupplierTier,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.outbox import queue_mail
from server.platform.policy import require_actor, require_coordinator
from server.platform.standing import require_member_in_good_standing
from server.platform.timeutil import now

LIVE = (PartnershipStatus.INVITED, PartnershipStatus.ACTIVE)


async def invite_partner(
    *,
    actor: Actor | None,
    business_number: str,
    name_ko: str,
    tier: SupplierTier | None,
    contact_email: str,
) -> Partnership:
    actor = require_coordinator(actor)
    await require_member_in_good_standing(actor.organization.id)
    row, errors = check_partner(business_number, name_ko, tier, contact_email)
    if row is None:
        raise DomainError(*errors)
    other = (
        await Organization.filter(business_number=row.business_number)
        .exclude(kind=OrganizationKind.SME)
        .exists()
    )
    if other:
        raise DomainError.single(
            ErrorCode.INVALID,
            "This business number belongs to a member conglomerate, not an SME.",
            "businessNumber",
        )
    if await Partnership.exists(
        conglomerate_id=actor.organization.id, sme__business_number=row.business_number, status__in=LIVE
    ):
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This SME is already your partner or has been invited.", "businessNumber"
        )
    try:
        async with in_transaction():
            [partnership] = await enrol(actor, [row])
    except IntegrityError as exc:
        # A colleague invited the same SME at the same moment.
        raise DomainError.single(
            ErrorCode.DUPLICATE, "This SME is already your partner or has been invited.", "businessNumber"
        ) from exc
    return partnership


async def _own_sme_partnership(actor: Actor, partnership_id: int) -> Partnership:
    partnership = (
        await Partnership.filter(id=partnership_id, sme_id=actor.organization.id)
        .select_related("conglomerate", "sme", "invited_by")
        .first()
    )
    if partnership is None or not actor.is_sme_representative:
        raise not_found("partnership")
    return partnership


async def _decide(
    actor: Actor | None, partnership_id: int, status: PartnershipStatus, reason: str = ""
) -> Partnership:
    actor = require_actor(actor)
    partnership = await _own_sme_partnership(actor, partnership_id)
    at = now()
    changes: dict[str, object] = {"status": status}
    if status == PartnershipStatus.ACTIVE:
        changes["accepted_at"] = at
    else:
        changes.update(ended_at=at, end_reason=reason.strip())
    async with in_transaction():
        moved = await Partnership.filter(id=partnership.id, status=PartnershipStatus.INVITED).update(
            **changes
        )
        if moved != 1:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This invitation has already been answered.")
        if status == PartnershipStatus.ACTIVE:
            await Organization.filter(id=actor.organization.id, status=OrganizationStatus.PENDING).update(
                status=OrganizationStatus.ACTIVE
            )
        await partnership.refresh_from_db()
        action = "partnership.accept" if status == PartnershipStatus.ACTIVE else "partnership.decline"
        await audit.record(
            action,
            partnership,
            actor=actor,
            before={"status": "invited"},
            after={"status": status.value, "reason": reason.strip()},
        )
        if partnership.invited_by is not None:
            await queue_mail(
                partnership.invited_by.email,
                "partnership_answered",
                partnership=partnership,
                sme=partnership.sme,
                accepted=status == PartnershipStatus.ACTIVE,
                reason=reason.strip(),
            )
    return partnership


async def accept_partnership(*, actor: Actor | None, partnership_id: int) -> Partnership:
    return await _decide(actor, partnership_id, PartnershipStatus.ACTIVE)


async def decline_partnership(*, actor: Actor | None, partnership_id: int, reason: str = "") -> Partnership:
    return await _decide(actor, partnership_id, PartnershipStatus.ENDED, reason)


async def partner_of(actor: Actor | None, partnership_id: int) -> Partnership:
    """One of the coordinator's partnerships."""
    actor = require_coordinator(actor)
    partnership = (
        await Partnership.filter(id=partnership_id, conglomerate_id=actor.organization.id)
        .select_related("sme")
        .first()
    )
    if partnership is None:
        raise not_found("partnership")
    return partnership


async def open_claims(partnership: Partnership) -> int:
    """Claims the SME still has open under this conglomerate's commitments."""
    return await Claim.filter(
        sme_id=partnership.sme_id,
        commitment__conglomerate_id=partnership.conglomerate_id,
        status__in=OPEN_CLAIMS,
    ).count()


def end_reason(reason: str) -> str:
    """Ending a partnership says why: the reason stripped, refused when blank (pages ask before confirming)."""
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give a reason for ending the partnership.", "reason")
    return reason


async def end_partnership(*, actor: Actor | None, partnership_id: int, reason: str) -> Partnership:
    partnership = await partner_of(actor, partnership_id)
    actor = require_coordinator(actor)
    end_reason(reason)
    async with in_transaction():
        moved = await Partnership.filter(id=partnership.id, status__in=LIVE).update(
            status=PartnershipStatus.ENDED, ended_at=now(), end_reason=reason.strip()
        )
        if moved != 1:
            raise DomainError.single(ErrorCode.INVALID_STATE, "This partnership has already ended.")
        await audit.record(
            "partnership.end",
            partnership,
            actor=actor,
            before={"status": partnership.status.value},
            after={"status": "ended", "reason": reason.strip()},
        )
        await queue_mail(
            partnership.contact_email,
            "partnership_ended",
            conglomerate=actor.organization,
            sme=partnership.sme,
            reason=reason.strip(),
        )
        await partnership.refresh_from_db()
    return partnership
