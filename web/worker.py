"""`club worker`: the outbox and the periodic jobs without HTTP, for deployments whose web processes
run with RUN_JOBS=false. Several workers may run at once (see web/periodic.py); SIGTERM stops one
between two passes, and a mail it was sending is taken up by another once its lease ends."""

from __future__ import annotations

import asyncio
import logging
import signal

from server.platform import config
from server.platform.db import close_database, open_database
from server.platform.settings import Settings
from web.app import mail_worker
from web.periodic import start_background_work, stop_background_work

log = logging.getLogger("club.worker")


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    config.configure(settings)
    await open_database(settings.database_url)
    tasks = start_background_work(settings, mail_worker(settings))
    log.info(
        "worker started: mail every %ss, jobs every %ss",
        settings.mail_worker_interval,
        settings.jobs_interval,
    )
    try:
        await stop.wait()
    finally:
        log.info("worker stopping")
        await stop_background_work(tasks)
        await close_database()
