"""Purging personal data past its retention period (`PERSONAL_DATA_RETENTION_DAYS`), run by a periodic job.

A mail keeps its recipient, subject and dates (the outbox and a person's data still say what was sent
when), not its body or last error. An ended or long-idle session keeps its dates, not its browser or
address. Sign-in counters older than that are deleted. Idempotency keys (who asked for which payment
under which key) are deleted after their own, shorter period (`IDEMPOTENCY_KEY_RETENTION_DAYS`): a
request repeated later than that is a new request. Records the club must keep (claims, the ledger, the
audit trail) are not touched: they hold no more than a person's role once that person is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from server.models import IdempotencyKey, MailStatus, OutgoingMail, SignInThrottle, UserSession
from server.platform.config import settings
from server.platform.timeutil import now


@dataclass(frozen=True)
class Purged:
    mails: int
    sessions: int
    throttles: int
    idempotency_keys: int


async def purge_expired_personal_data(at: datetime | None = None) -> Purged:
    at = at or now()
    cutoff = at - timedelta(days=settings().personal_data_retention_days)
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
    keys_cutoff = at - timedelta(days=settings().idempotency_key_retention_days)
    keys = await IdempotencyKey.filter(created_at__lt=keys_cutoff).delete()
    return Purged(mails=mails, sessions=sessions, throttles=throttles, idempotency_keys=keys)
