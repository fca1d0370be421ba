"""The programme (a month, the upcoming list, GraphQL's `seminars`) in one statement.

The page in date order with each seminar's co-hosts, and the total, in one statement written once
(server.platform.sql) where the ORM built three per request: the page, its co-hosts and the count. The
screens still get models, the co-hosts where prefetch_related puts them. Visibility is
`policy.visible_seminars` (policy_sql); tests/test_seminar_list.py compares the pages with the ORM's.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from server.models import Organization, Seminar
from server.platform import policy_sql
from server.platform.actor import Actor
from server.platform.pagination import Page, decode_cursor, page_size
from server.platform.policy import require_actor
from server.platform.sql import columns, fetch, models_with_many
from server.platform.timeutil import entered
from server.seminars.queries import SeminarFilter

ORDER = ("starts_at", "id")
_STATEMENT = """WITH page AS (
  SELECT s.id FROM seminar s WHERE {where}{after} ORDER BY s.starts_at, s.id LIMIT :size
)
SELECT t.total, {seminar}, {host}
FROM (SELECT COUNT(*) AS total FROM seminar s WHERE {where}) t
  LEFT JOIN page ON 1 = 1 LEFT JOIN seminar s ON s.id = page.id
  LEFT JOIN seminar_cohost sc ON sc.seminar_id = s.id LEFT JOIN organization h ON h.id = sc.organization_id
ORDER BY s.starts_at, s.id, h.id"""


@cache
def _columns() -> dict[str, str]:
    return {"seminar": columns("s", Seminar), "host": columns("h", Organization)}


def _moment(value: datetime) -> Any:
    """As the ORM sends a time to the database: in UTC, in the form SQLite keeps it."""
    return Seminar._meta.fields_map["starts_at"].to_db_value(value, Seminar)


def _condition(actor: Actor, where: SeminarFilter, params: dict[str, Any]) -> str:
    parts = [policy_sql.visible_seminars(actor)]
    if where.starts_from is not None:
        parts.append("s.starts_at >= :starts_from")
        params["starts_from"] = _moment(entered(where.starts_from))
    if where.starts_before is not None:
        parts.append("s.starts_at < :starts_before")
        params["starts_before"] = _moment(entered(where.starts_before))
    if where.topic:
        parts.append("s.topic = :topic")
        params["topic"] = where.topic
    if where.co_host_id is not None:
        parts.append("s.id IN (SELECT seminar_id FROM seminar_cohost WHERE organization_id = :co_host)")
        params["co_host"] = where.co_host_id
    return " AND ".join(f"({part})" for part in parts)


async def list_seminars(
    actor: Actor | None, where: SeminarFilter, *, first: int | None = None, after: str | None = None
) -> Page[Seminar]:
    """The programme in date order, each seminar with its co-hosts."""
    actor = require_actor(actor)
    size = page_size(first)
    params: dict[str, Any] = {"size": size + 1}
    condition = _condition(actor, where, params)
    page_after = ""
    if after is not None:
        starts_at, params["after_id"] = decode_cursor(Seminar, ORDER, after)
        params["after_at"] = _moment(starts_at)
        page_after = " AND (s.starts_at > :after_at OR (s.starts_at = :after_at AND s.id > :after_id))"
    records = await fetch(_STATEMENT.format(where=condition, after=page_after, **_columns()), **params)
    rows = [seminar for seminar, _ in models_with_many(records, "s", Seminar, "co_hosts", "h", Organization)]
    return Page(
        items=rows[:size],
        has_next_page=len(rows) > size,
        order=ORDER,
        total=int(records[0]["total"]) if records else 0,
    )
