"""The durable mail outbox.

Services call `queue_mail` inside their transaction, so a mail exists exactly
when the change it reports does. `MailWorker` runs inside each app process and
sends due mails (in every web process, or only in `club worker` processes with RUN_JOBS=false);
a process claims a mail by marking it as sending with a lease (a compare-and-set), so several
processes never send the same mail twice. The claim is one UPDATE that commits at once, so no row
lock is held while a mail goes out; `FOR UPDATE SKIP LOCKED` would only spare a losing worker one
UPDATE that changes nothing, and SQLite has no such clause: the compare-and-set works on both.
A mail is never dropped: after the fast retries it is retried every few hours
until it is sent or a person gives up on it (`server.platform.mail_log`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from server.models import MailStatus, OutgoingMail
from server.platform import config
from server.platform.korean import particles
from server.platform.timeutil import SEOUL, now

log = logging.getLogger("club.mail")

FAST_ATTEMPTS = 8  # about an hour of outage; then the mail counts as failing
SLOWEST = timedelta(hours=6)
LEASE = timedelta(minutes=5)
RETRYING = (MailStatus.PENDING, MailStatus.FAILED)
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "mail_templates"),
    undefined=StrictUndefined,
    autoescape=False,  # noqa: S701 - plain-text mail, never HTML
    keep_trailing_newline=True,
)

_templates.filters["won"] = lambda amount: f"{amount or 0:,}원"
# A mail about a claim or a seminar links to its page on this install.
_templates.globals["link"] = lambda path: f"{config.settings().base_url}{path}"

Transport = Callable[[EmailMessage], Awaitable[None]]


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour for the fast tries; then 1 h, 2 h, 4 h and every 6 h forever."""
    if attempts < FAST_ATTEMPTS:
        return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))
    return min(timedelta(hours=2 ** min(attempts - FAST_ATTEMPTS, 8)), SLOWEST)


def compose_mail(recipient: str, template: str, **context: object) -> OutgoingMail:
    """An unsaved outbox row from `mail_templates/<template>.txt` (its first line is the subject)."""
    # The templates write both forms of a particle after a name (이(가)); the name decides which stays.
    rendered = particles(_templates.get_template(f"{template}.txt").render(seoul=SEOUL, **context))
    subject, _, body = rendered.partition("\n")
    return OutgoingMail(
        recipient=recipient, subject=subject.strip(), body=body.lstrip("\n"), next_attempt_at=now()
    )


async def queue_mail(recipient: str, template: str, **context: object) -> OutgoingMail:
    """Write a mail into the outbox; call it inside the transaction of the change it reports."""
    mail = compose_mail(recipient, template, **context)
    await mail.save()
    return mail


def smtp_transport(smtp_url: str, mail_from: str) -> Transport:
    """smtp://user:password@host:port (STARTTLS when offered) or smtps:// for implicit TLS."""
    parts = urlsplit(smtp_url)
    implicit_tls = parts.scheme == "smtps"

    async def send(message: EmailMessage) -> None:
        message["From"] = mail_from
        await aiosmtplib.send(
            message,
            hostname=parts.hostname or "localhost",
            port=parts.port or (465 if implicit_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=implicit_tls,
            start_tls=None if not implicit_tls else False,
            timeout=20,
        )

    return send


def log_transport(*, production: bool) -> Transport:
    """Without SMTP, a mail is 'sent' to the log and stays readable in the outbox.

    In development the log shows the whole mail, links included, to follow them; in production a
    log is read by people the mail is not meant for: it names the mail by its Message-ID only (no
    recipient, no body), and the secretariat reads it on the /mail page, secret links hidden.
    """

    async def send(message: EmailMessage) -> None:
        if production:
            log.info("mail %s kept in the outbox only: SMTP_URL is not set", message["Message-ID"])
            return
        log.info("mail to %s: %s\n%s", message["To"], message["Subject"], message.get_content())

    return send


class MailWorker:
    def __init__(self, transport: Transport, mail_from: str | None = None) -> None:
        self.transport = transport
        # Message-IDs name the sender's domain; without one, make_msgid falls back to this host's name.
        address = parseaddr(mail_from)[1] if mail_from else ""
        self.domain = address.rpartition("@")[2] or None

    async def _claim(self, mail: OutgoingMail, at: datetime) -> bool:
        """Take the mail for one lease; the first id it is tried with stays its id for every retry."""
        mail.message_id = mail.message_id or make_msgid(domain=self.domain)
        taken = await OutgoingMail.filter(
            id=mail.id, status=mail.status, next_attempt_at=mail.next_attempt_at
        ).update(status=MailStatus.SENDING, next_attempt_at=at + LEASE, message_id=mail.message_id)
        mail.next_attempt_at = at + LEASE
        return taken == 1

    @staticmethod
    def _message(mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        # "+0000": formatdate(localtime=False) writes "-0000", which RFC 5322 reads as "zone unknown".
        message["Date"] = format_datetime(now())
        message["Message-ID"] = mail.message_id
        message.set_content(mail.body)
        return message

    async def _deliver(self, mail: OutgoingMail) -> None:
        attempts = mail.attempts + 1
        try:
            await self.transport(self._message(mail))
        except Exception as exc:  # whatever fails (server, network, a malformed address) is kept and retried
            # By id: the recipient's address is personal data, and the outbox row holds it.
            log.warning("mail %s failed (try %s): %s", mail.id, attempts, exc)
            # Only while this worker still holds the lease: past it, another worker owns the mail.
            await OutgoingMail.filter(
                id=mail.id, status=MailStatus.SENDING, next_attempt_at=mail.next_attempt_at
            ).update(
                attempts=attempts,
                last_error=str(exc)[:1000] or type(exc).__name__,
                status=MailStatus.FAILED if attempts >= FAST_ATTEMPTS else MailStatus.PENDING,
                next_attempt_at=now() + backoff(attempts),
            )
            return
        await OutgoingMail.filter(id=mail.id).update(
            attempts=attempts, status=MailStatus.SENT, sent_at=now(), last_error=""
        )

    async def run_once(self, batch: int = 50) -> int:
        """Send what is due (and what a stopped worker left sending past its lease); the number tried."""
        at = now()
        due = (
            await OutgoingMail.filter(status__in=[*RETRYING, MailStatus.SENDING], next_attempt_at__lte=at)
            .order_by("next_attempt_at", "id")
            .limit(batch)
        )
        tried = 0
        for mail in due:
            if await self._claim(mail, at):
                await self._deliver(mail)
                tried += 1
        return tried
