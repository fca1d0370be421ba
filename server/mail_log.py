"""The outbox as the secretariat reads it."""

from __future__ import annotations

from server.actor import Actor
from server.models import MailStatus, OutgoingMail
from server.pagination import Page, paginate
from server.policy import require_secretariat


async def list_mails(
    actor: Actor | None,
    *,
    status: MailStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[OutgoingMail]:
    require_secretariat(actor)
    query = OutgoingMail.all()
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)
