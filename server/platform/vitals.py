"""Figures an operator watches, read from the database when Prometheus scrapes `/metrics`.

Read at scrape time rather than counted as things happen, so they are right whichever process (web
or `club worker`) did the work, and survive restarts.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count, Min

from server.models import MailStatus, OutgoingMail, Payment
from server.platform.timeutil import now

WAITING = (MailStatus.PENDING, MailStatus.SENDING, MailStatus.FAILED)


@dataclass(frozen=True)
class Vitals:
    mail_waiting: dict[str, int]  # by status: pending, sending, failed
    oldest_waiting_mail_seconds: float  # 0 when nothing waits
    payments: dict[tuple[str, str], int]  # (method, status) -> count


async def read_vitals() -> Vitals:
    rows = (
        await OutgoingMail.filter(status__in=WAITING)
        .annotate(n=Count("id"), oldest=Min("created_at"))
        .group_by("status")
        .values("status", "n", "oldest")
    )
    waiting = {str(status): 0 for status in WAITING}
    oldest = None
    for row in rows:
        waiting[str(row["status"])] = int(row["n"])
        if row["oldest"] is not None and (oldest is None or row["oldest"] < oldest):
            oldest = row["oldest"]
    payments = (
        await Payment.all()
        .annotate(n=Count("id"))
        .group_by("method", "status")
        .values("method", "status", "n")
    )
    return Vitals(
        mail_waiting=waiting,
        oldest_waiting_mail_seconds=(now() - oldest).total_seconds() if oldest is not None else 0.0,
        payments={(str(p["method"]), str(p["status"])): int(p["n"]) for p in payments},
    )
