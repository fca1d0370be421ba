"""The commitments list (its page, an SME's dashboard, GraphQL's `commitments`) in one statement, and
one commitment (its page, GraphQL's `commitment`, a claim's form) in another.

The page with each commitment's sponsor and covered services, and the total, in one statement written
once (server.platform.sql) where the ORM took up to four built per request: the SME's sponsors, the
page, its services and the count. The screens still get models, with the sponsor and the services where
select_related and prefetch_related put them. Visibility is `policy.visible_commitments` (policy_sql);
tests/test_commitment_list.py compares the pages with the ORM's for every role and status.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from server.models import ClubMembership, Commitment, CommitmentStatus, Organization, Service
from server.platform import policy_sql
from server.platform.actor import Actor
from server.platform.pagination import NEWEST_FIRST, Page, decode_cursor, page_size
from server.platform.policy import require_actor
from server.platform.sql import columns, fetch, model_from, models_with_many, set_related
from server.platform.timeutil import in_seoul, now

_STATEMENT = """WITH page AS (
  SELECT m.id FROM commitment m WHERE {where}{after} ORDER BY m.id DESC LIMIT :size
)
SELECT t.total, {commitment}, {sponsor}, {service}
FROM (SELECT COUNT(*) AS total FROM commitment m WHERE {where}) t
  LEFT JOIN page ON 1 = 1 LEFT JOIN commitment m ON m.id = page.id
  LEFT JOIN organization g ON g.id = m.conglomerate_id
  LEFT JOIN commitment_service cs ON cs.commitment_id = m.id LEFT JOIN service v ON v.id = cs.service_id
ORDER BY m.id DESC, v.id"""


# One commitment the actor sees, with its sponsor, the sponsor's membership (its standing shows on the
# page) and its services: where the ORM took the SME's sponsors, the commitment and its services.
_ONE = """SELECT {commitment}, {sponsor}, {membership}, {service}
FROM commitment m JOIN organization g ON g.id = m.conglomerate_id
  LEFT JOIN club_membership b ON b.organization_id = g.id
  LEFT JOIN commitment_service cs ON cs.commitment_id = m.id LEFT JOIN service v ON v.id = cs.service_id
WHERE m.id = :id AND ({visible})
ORDER BY v.id"""


@cache
def _columns() -> dict[str, str]:
    return {
        "commitment": columns("m", Commitment),
        "sponsor": columns("g", Organization),
        "service": columns("v", Service),
    }


@cache
def _one(visible: str) -> str:
    return _ONE.format(visible=visible, membership=columns("b", ClubMembership), **_columns())


def _condition(actor: Actor, status: CommitmentStatus | None, params: dict[str, Any]) -> str:
    parts = [policy_sql.visible_commitments(actor)]
    if actor.is_sme_representative:
        # An SME is shown what it can still claim under.
        parts.append("m.period_end >= :today")
        params["today"] = in_seoul(now()).date()
    if status is not None:
        parts.append("m.status = :status")
        params["status"] = status.value
    return " AND ".join(f"({part})" for part in parts)


async def list_commitments(
    actor: Actor | None,
    *,
    status: CommitmentStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Commitment]:
    """The commitments the actor sees, newest first, each with its sponsor and services."""
    actor = require_actor(actor)
    size = page_size(first)
    params: dict[str, Any] = {"actor_organization": actor.organization.id, "size": size + 1}
    condition = _condition(actor, status, params)
    page_after = ""
    if after is not None:
        [params["after"]] = decode_cursor(Commitment, NEWEST_FIRST, after)
        page_after = " AND m.id < :after"
    records = await fetch(_STATEMENT.format(where=condition, after=page_after, **_columns()), **params)
    rows = []
    for commitment, record in models_with_many(records, "m", Commitment, "services", "v", Service):
        set_related(commitment, "conglomerate", model_from("g", Organization, record))
        rows.append(commitment)
    return Page(
        items=rows[:size],
        has_next_page=len(rows) > size,
        order=NEWEST_FIRST,
        total=int(records[0]["total"]) if records else 0,
    )


async def read_commitment(actor: Actor, commitment_id: int) -> Commitment | None:
    """The commitment if the actor sees it, with its sponsor (and the sponsor's membership, as
    select_related("conglomerate__membership") gives it) and its services prefetched, in one statement."""
    records = await fetch(
        _one(policy_sql.visible_commitments(actor)),
        id=commitment_id,
        actor_organization=actor.organization.id,
    )
    found = models_with_many(records, "m", Commitment, "services", "v", Service)
    if not found:
        return None
    [(commitment, record)] = found
    sponsor = model_from("g", Organization, record)
    set_related(
        sponsor, "membership", None if record["b__id"] is None else model_from("b", ClubMembership, record)
    )
    set_related(commitment, "conglomerate", sponsor)
    return commitment
