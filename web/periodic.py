"""Work repeated in the background: sending mail, prices falling due, expiring claims, reminders.

It runs inside each web process unless RUN_JOBS=false, and in every `club worker`. Each job is safe
to run in several processes at once (they claim rows by compare-and-set or under row locks and check
again once they hold them), so no process is special.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from server.money.catalogue import apply_due_prices
from server.money.claim_jobs import expire_overdue_claims, remind_escrow_renewals, remind_guard_expiries
from server.money.stripe_calls import stripe_client
from server.money.stripe_sync import resume_stale_calls
from server.platform.outbox import MailWorker
from server.platform.settings import Settings
from server.privacy.retention import purge_expired_personal_data
from server.seminars.registrations import remind_tomorrow
from server.seminars.schedule import complete_past_seminars
from web import metrics

log = logging.getLogger("club.jobs")


def start_background_work(settings: Settings, mail: MailWorker) -> list[asyncio.Task[None]]:
    """The outbox and every periodic job, each in its own task (cancel them to stop)."""
    every = settings.jobs_interval
    return [
        asyncio.create_task(run_periodically(mail.run_once, settings.mail_worker_interval, "mail")),
        asyncio.create_task(run_periodically(claim_jobs, every, "claims")),
        asyncio.create_task(run_periodically(seminar_jobs, every, "seminars")),
        asyncio.create_task(run_periodically(privacy_jobs, every, "privacy")),
        asyncio.create_task(run_periodically(stripe_jobs(settings), every, "stripe")),
    ]


async def stop_background_work(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def run_periodically(work: Callable[[], Awaitable[object]], interval: float, name: str) -> None:
    while True:
        try:
            await work()
        except Exception:
            log.exception("%s pass failed; retrying", name)
            metrics.job_pass(name, failed=True)
        else:
            metrics.job_pass(name, failed=False)
        await asyncio.sleep(interval)


async def claim_jobs() -> None:
    """Prices whose day has come take effect; unpaid approvals past their deadline expire; escrow
    contracts and guard subscriptions near their end get a reminder."""
    await apply_due_prices()
    await expire_overdue_claims()
    await remind_escrow_renewals()
    await remind_guard_expiries()


async def seminar_jobs() -> None:
    """Reminders the day before; seminars that have ended become completed."""
    await remind_tomorrow()
    await complete_past_seminars()


async def privacy_jobs() -> None:
    """Personal data past its retention period is purged (PERSONAL_DATA_RETENTION_DAYS), and idempotency
    keys past theirs (IDEMPOTENCY_KEY_RETENTION_DAYS)."""
    await purge_expired_personal_data()


def stripe_jobs(settings: Settings) -> Callable[[], Awaitable[object]]:
    """Calls to Stripe a crash left pending are finished with their own idempotency key (none without Stripe)."""

    async def work() -> None:
        if settings.stripe is not None:
            await resume_stale_calls(stripe_client(settings.stripe))

    return work
