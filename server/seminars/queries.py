"""Reading seminars: one seminar, the programme list with its filters, and a month of it, through the one
visibility rule (`policy.visible_seminars`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from server.models import Seminar
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.pagination import Page, paginate
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


async def list_seminars(
    actor: Actor | None, where: SeminarFilter, *, first: int | None = None, after: str | None = None
) -> Page[Seminar]:
    """The programme in date order: one query for the page, one for its co-hosts, one to count."""
    actor = require_actor(actor)
    query = Seminar.filter(visible_seminars(actor))
    if where.starts_from is not None:
        query = query.filter(starts_at__gte=entered(where.starts_from))
    if where.starts_before is not None:
        query = query.filter(starts_at__lt=entered(where.starts_before))
    if where.topic:
        query = query.filter(topic=where.topic)
    if where.co_host_id is not None:
        query = query.filter(id__in=Subquery(Seminar.filter(co_hosts__id=where.co_host_id).values("id")))
    return await paginate(
        query.prefetch_related("co_hosts"), first=first, after=after, order=("starts_at", "id")
    )


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of a month in Seoul and of the next, in UTC."""
    start = datetime(year, month, 1, tzinfo=SEOUL)
    following = (start + timedelta(days=32)).replace(day=1)
    return entered(start), entered(following)
