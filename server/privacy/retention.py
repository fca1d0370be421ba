"""Purging personal data past its retention period (`PERSONAL_DATA_RETENTION_DAYS`), run by a periodic job.

A mail keeps its recipient, subject and dates (the outbox and a person's data still say what was sent
when), not its body or last error. An ended or long-idle session keeps its dates, not its browser or
address. Sign-in counters older than that are deleted. Records the club must keep (claims, the ledger, the
audit trail) are not touched: they hold no more than a person's role once that person is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from server.models import MailStatus, OutgoingMail, SignInThrottle, UserSession
from server.platform.config import settings
from server.platform.timeutil import now


@dataclass(frozen=True)
class Purged:
    mails: int
    sessions: int
    throttles: int


async def purge_expired_personal_data(at: datetime | None = None) -> Purged:
    cutoff = (at or now()) - timedelta(days=settings().personal_data_retention_days)
    mails = (
        await OutgoingMail.filter(created_at__lt=cutoff, status__in=(MailStatus.SENT, MailStatus.GIVEN_UP))
        .filter(Q(body__not="") | Q(last_error__not=""))
        .update(body="", last_error="")
    )
    sessions = (
        await UserSession.filter(Q(revoked_at__lt=cutoff) | Q(last_seen_at__lt=cutoff))
        .filter(Q(user_agent__not="") | Q(client_address__not=""))
        .update(user_agent="", client_address="")
    )
    throttles = await SignInThrottle.filter(window_started_at__lt=cutoff).delete()
    return Purged(mails=mails, sessions=sessions, throttles=throttles)
