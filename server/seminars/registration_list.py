"""One's own registrations (the SME dashboard, "my seminars", GraphQL's `myRegistrations`) in one statement.

The page with each registration's seminar, and the total, in one statement written once
(server.platform.sql) where the ORM built two per request. The screens still get models, the seminar
where select_related puts it. tests/test_registration_list.py compares the pages with the ORM's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from server.models import Registration, Seminar
from server.platform.actor import Actor
from server.platform.pagination import NEWEST_FIRST, Page, decode_cursor, page_size
from server.platform.policy import require_actor
from server.platform.sql import columns, fetch, model_from, set_related

_STATEMENT = """WITH page AS (
  SELECT r.id FROM registration r WHERE r.user_id = :user{after} ORDER BY r.id DESC LIMIT :size
)
SELECT t.total, {registration}, {seminar}
FROM (SELECT COUNT(*) AS total FROM registration r WHERE r.user_id = :user) t
  LEFT JOIN page ON 1 = 1 LEFT JOIN registration r ON r.id = page.id
  LEFT JOIN seminar s ON s.id = r.seminar_id
ORDER BY r.id DESC"""


@cache
def _columns() -> dict[str, str]:
    return {"registration": columns("r", Registration), "seminar": columns("s", Seminar)}


async def my_registrations(
    actor: Actor | None, *, first: int | None = None, after: str | None = None
) -> Page[Registration]:
    """The acting person's registrations, newest first, each with its seminar."""
    actor = require_actor(actor)
    size = page_size(first)
    params: dict[str, Any] = {"user": actor.user.id, "size": size + 1}
    page_after = ""
    if after is not None:
        [params["after"]] = decode_cursor(Registration, NEWEST_FIRST, after)
        page_after = " AND r.id < :after"
    records = await fetch(_STATEMENT.format(after=page_after, **_columns()), **params)
    rows = []
    for record in records:
        if record["r__id"] is None:
            continue  # the total's row when there is none
        registration = model_from("r", Registration, record)
        set_related(registration, "seminar", model_from("s", Seminar, record))
        rows.append(registration)
    return Page(
        items=rows[:size],
        has_next_page=len(rows) > size,
        order=NEWEST_FIRST,
        total=int(records[0]["total"]) if records else 0,
    )
