"""Reading seminars: one seminar through the one visibility rule (`policy.visible_seminars`), the
programme's filter and its months. The programme list itself is read by `seminar_list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.models import Seminar
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.policy import require_actor, visible_seminars
from server.platform.timeutil import SEOUL, entered


async def get_seminar(actor: Actor | None, seminar_id: int) -> Seminar:
    actor = require_actor(actor)
    seminar = (
        await Seminar.filter(visible_seminars(actor), id=seminar_id).prefetch_related("co_hosts").first()
    )
    if seminar is None:
        raise not_found("seminar")
    return seminar


@dataclass(frozen=True)
class SeminarFilter:
    starts_from: datetime | None = None
    starts_before: datetime | None = None
    topic: str | None = None
    co_host_id: int | None = None


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of a month in Seoul and of the next, in UTC."""
    start = datetime(year, month, 1, tzinfo=SEOUL)
    following = (start + timedelta(days=32)).replace(day=1)
    return entered(start), entered(following)
