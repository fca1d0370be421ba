"""Who a request acts as, read in one plain statement.

Every signed-in request pays for this read before anything else runs, so it is written once as SQL
(server.platform.sql) instead of being built by the ORM's query builder on each request, and the person
and organisation rows are turned into models as the ORM itself turns rows into models.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from server.models import Organization, RoleKind, User
from server.platform.actor import Actor
from server.platform.sql import columns, fetch, model_from

# The person is active and holds a role in the organisation the session or token acts for. Column names
# come from the models, never from input; the values are parameters.
_FROM = 'FROM role r JOIN "user" u ON u.id = r.user_id JOIN organization o ON o.id = r.organization_id'

BY_SESSION = """SELECT s.id AS source_id, s.last_seen_at AS source_seen_at, {people} {roles}
  JOIN user_session s ON s.user_id = r.user_id AND s.organization_id = r.organization_id
  WHERE s.secret_hash = :secret AND s.revoked_at IS NULL AND s.last_seen_at > :idle_since
    AND s.created_at > :created_since AND u.is_active"""

BY_BEARER = """SELECT t.id AS source_id, t.last_used_at AS source_seen_at, {people} {roles}
  JOIN api_token t ON t.user_id = r.user_id AND t.organization_id = r.organization_id
  WHERE t.token_hash = :secret AND t.revoked_at IS NULL AND t.expires_at > :at AND u.is_active"""

BY_ROLE = """SELECT {people} {roles}
  WHERE r.user_id = :user_id AND r.organization_id = :organization_id AND u.is_active"""


@cache
def _statement(template: str) -> str:
    people = f"r.kind AS role_kind, {columns('u', User)}, {columns('o', Organization)}"
    return template.format(people=people, roles=_FROM)


async def actor_row(sql: str, **params: Any) -> tuple[Actor, dict[str, Any]] | None:
    """The actor the statement finds, with its row (for `source_id` and `source_seen_at`), or None."""
    rows = await fetch(_statement(sql), **params)
    if not rows:
        return None
    row = rows[0]
    actor = Actor(model_from("u", User, row), model_from("o", Organization, row), RoleKind(row["role_kind"]))
    return actor, row
