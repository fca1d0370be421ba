"""Periodic jobs over claims: approvals left unpaid expire, escrow contracts near their end ask for renewal.

Each job takes a batch and locks as the commands do: the commitment row, then the claim.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from tortoise.transactions import in_transaction

from server.models import Claim, ClaimStatus, Commitment, LedgerEntryKind
from server.money.claims import close_claim, mail_claimant
from server.platform import audit
from server.platform.once import mark_once
from server.platform.outbox import queue_mail
from server.platform.timeutil import in_seoul, now

RENEWAL_NOTICE = timedelta(days=60)


async def expire_overdue_claims(batch: int = 100) -> int:
    """Approvals left unpaid past their deadline expire and release their reservation (periodic job)."""
    overdue = (
        await Claim.filter(status=ClaimStatus.APPROVED, payment_due_at__lt=now())
        .order_by("id")
        .limit(batch)
        .values_list("id", "commitment_id")
    )
    expired = 0
    for claim_id, commitment_id in overdue:
        async with in_transaction():
            await Commitment.filter(id=commitment_id).select_for_update().get()
            claim = await Claim.filter(id=claim_id).select_for_update().get()
            if (
                claim.status != ClaimStatus.APPROVED
                or claim.payment_due_at is None
                or claim.payment_due_at >= now()
            ):
                continue  # paid or cancelled meanwhile
            await close_claim(claim, ClaimStatus.EXPIRED, LedgerEntryKind.RELEASE, None)
            await audit.record(
                "claim.expire", claim, before={"status": "approved"}, after={"status": "expired"}
            )
            await mail_claimant(claim, "claim_expired")
            expired += 1
    return expired


async def remind_escrow_renewals(batch: int = 100) -> int:
    """60 days before an escrow contract ends, remind the SME and its sponsor to claim the renewal (once)."""
    return await _remind_before_end(
        "escrow_contract_ends_on", RENEWAL_NOTICE, "escrow_renewal_reminder", batch
    )


GUARD_NOTICE = timedelta(days=30)


async def remind_guard_expiries(batch: int = 100) -> int:
    """30 days before a guard subscription ends, remind the SME and its sponsor to claim the next one (once).

    A guard claim has no escrow contract, so its `renewal_reminder_sent_at` records this reminder.
    """
    return await _remind_before_end("guard_ends_on", GUARD_NOTICE, "guard_expiry_reminder", batch)


async def _remind_before_end(ends_on: str, notice: timedelta, template: str, batch: int) -> int:
    """Mail the claimant and the commitment's coordinator once, `notice` before the claim's `ends_on` date."""
    today = in_seoul(now()).date()
    due = (
        await Claim.filter(
            status=ClaimStatus.FULFILLED,
            renewal_reminder_sent_at__isnull=True,
            **{f"{ends_on}__lte": in_seoul(now() + notice).date(), f"{ends_on}__gte": today},
        )
        .order_by("id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    sent = 0
    for claim_id in due:
        async with in_transaction():
            if not await mark_once(Claim, cast(int, claim_id), "renewal_reminder_sent_at"):
                continue
            claim = (
                await Claim.filter(id=claim_id)
                .select_related(
                    "sme", "service", "submitted_by", "commitment__conglomerate", "commitment__created_by"
                )
                .get()
            )
            for person in (claim.submitted_by, claim.commitment.created_by):
                if person is not None:
                    await queue_mail(person.email, template, claim=claim)
            sent += 1
    return sent
