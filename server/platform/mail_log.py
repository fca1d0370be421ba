"""The outbox as the secretariat reads and acts on it: counts, resend, give up.

Bodies hold secret links; whoever shows a mail here shows `redact(mail.body)`, never the body itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from server.models import MailStatus, OutgoingMail
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.pagination import Page, paginate
from server.platform.policy import require_secretariat
from server.platform.timeutil import now


@dataclass(frozen=True)
class MailCounts:
    pending: int  # waiting for its first try or a fast retry (or being sent)
    failing: int  # failed for over an hour; retried every few hours until sent or given up


async def list_mails(
    actor: Actor | None,
    *,
    status: MailStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[OutgoingMail]:
    require_secretariat(actor)
    query = OutgoingMail.all().select_related("given_up_by")
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)


async def mail_counts(actor: Actor | None) -> MailCounts:
    require_secretariat(actor)
    rows = (
        await OutgoingMail.filter(status__in=[MailStatus.PENDING, MailStatus.SENDING, MailStatus.FAILED])
        .annotate(n=Count("id"))
        .group_by("status")
        .values_list("status", "n")
    )
    by_status = {MailStatus(status): n for status, n in rows}
    return MailCounts(
        pending=by_status.get(MailStatus.PENDING, 0) + by_status.get(MailStatus.SENDING, 0),
        failing=by_status.get(MailStatus.FAILED, 0),
    )


async def get_mail(actor: Actor | None, mail_id: int) -> OutgoingMail:
    require_secretariat(actor)
    # An id past the column's 64 bits names no mail (and would make the database raise).
    mail = await OutgoingMail.get_or_none(id=mail_id) if 0 < mail_id < 2**63 else None
    if mail is None:
        raise not_found("mail")
    return mail


async def _change(
    actor: Actor | None,
    mail_id: int,
    action: str,
    allowed: tuple[MailStatus, ...],
    status: MailStatus,
    **values: object,
) -> OutgoingMail:
    """Move the mail to `status` only if it is still in an allowed one: a worker may be sending it."""
    actor = require_secretariat(actor)
    async with in_transaction():
        mail = await get_mail(actor, mail_id)
        if not await OutgoingMail.filter(id=mail_id, status__in=allowed).update(status=status, **values):
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "This mail is sent or being sent right now; reload the page."
            )
        await audit.record(
            action, mail, actor=actor, before={"status": mail.status.value}, after={"status": status.value}
        )
    return await OutgoingMail.get(id=mail_id).select_related("given_up_by")


async def resend_mail(*, actor: Actor | None, mail_id: int) -> OutgoingMail:
    """Try a waiting, failing or given-up mail again now; its count and last error stay."""
    return await _change(
        actor,
        mail_id,
        "mail.resend",
        (MailStatus.PENDING, MailStatus.FAILED, MailStatus.GIVEN_UP),
        status=MailStatus.PENDING,
        next_attempt_at=now(),
        given_up_at=None,
        given_up_by_id=None,
    )


async def give_up_mail(*, actor: Actor | None, mail_id: int) -> OutgoingMail:
    """Stop trying to send a mail: the only way a mail ends unsent, and it says who decided."""
    secretariat = require_secretariat(actor)
    return await _change(
        actor,
        mail_id,
        "mail.give_up",
        (MailStatus.PENDING, MailStatus.FAILED),
        status=MailStatus.GIVEN_UP,
        given_up_at=now(),
        given_up_by_id=secretariat.user.id,
    )
