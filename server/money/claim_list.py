"""The claims list (the review queue, an SME's claims, a commitment's recent claims) in one statement.

The page's ids first (from an index, however many thousands match), then those claims with their SME and
service, and the total when it is shown, all in one statement written once (server.platform.sql) rather
than three built by the ORM per request. The screens still get models, built as the ORM builds them, so
templates and GraphQL read them as before. Visibility is `policy.visible_claims` (policy_sql);
tests/test_claim_list.py compares the pages with the ORM's for every role, filter and order.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from server.models import Claim, Organization, Service
from server.money.claim_queries import ClaimFilter, ClaimOrder
from server.platform import policy_sql
from server.platform.actor import Actor
from server.platform.pagination import Page, decode_cursor, page_size
from server.platform.policy import require_actor, visible_claims
from server.platform.sql import columns, fetch, model_from, set_related

_STATEMENT = """WITH page AS (
  SELECT c.id FROM claim c{join} WHERE {where} ORDER BY c.id {direction} LIMIT :size
)
SELECT t.total, {claim}, {sme}, {service}
FROM ({total}) t LEFT JOIN page ON 1 = 1 LEFT JOIN claim c ON c.id = page.id
  LEFT JOIN organization s ON s.id = c.sme_id LEFT JOIN service v ON v.id = c.service_id
ORDER BY c.id {direction}"""
_COUNT = "SELECT COUNT(*) AS total FROM claim c{join} WHERE {where}"


@cache
def _columns() -> dict[str, str]:
    return {"claim": columns("c", Claim), "sme": columns("s", Organization), "service": columns("v", Service)}


def _condition(actor: Actor, where: ClaimFilter, params: dict[str, Any]) -> str:
    parts = [policy_sql.visible_claims(actor)]
    if where.status is not None:
        parts.append("c.status = :status")
        params["status"] = where.status.value
    if where.commitment_id is not None:
        parts.append("c.commitment_id = :commitment_id")
        params["commitment_id"] = where.commitment_id
    return " AND ".join(f"({part})" for part in parts)


async def list_claims(
    actor: Actor | None,
    where: ClaimFilter,
    *,
    order: ClaimOrder = ClaimOrder.NEWEST,
    first: int | None = None,
    after: str | None = None,
    with_total: bool = True,
) -> Page[Claim]:
    """The claims the actor sees, a page at a time, each with its SME and service."""
    actor = require_actor(actor)
    size = page_size(first)
    keys = ("id",) if order == ClaimOrder.OLDEST else ("-id",)
    params: dict[str, Any] = {"actor_organization": actor.organization.id, "size": size + 1}
    condition = _condition(actor, where, params)
    join = policy_sql.claims_joined(condition)
    page_condition = condition
    if after is not None:
        [params["after"]] = decode_cursor(Claim, keys, after)
        page_condition += f" AND (c.id {'>' if order == ClaimOrder.OLDEST else '<'} :after)"
    sql = _STATEMENT.format(
        join=join,
        where=page_condition,
        direction="ASC" if order == ClaimOrder.OLDEST else "DESC",
        total=_COUNT.format(join=join, where=condition) if with_total else "SELECT NULL AS total",
        **_columns(),
    )
    records = await fetch(sql, **params)
    claims = []
    for record in records:
        if record["c__id"] is None:
            continue  # the total's row when nothing matches
        claim = model_from("c", Claim, record)
        set_related(claim, "sme", model_from("s", Organization, record))
        set_related(claim, "service", model_from("v", Service, record))
        claims.append(claim)
    total = records[0]["total"] if records and with_total else None
    return Page(
        items=claims[:size],
        has_next_page=len(claims) > size,
        order=keys,
        matching=Claim.filter(visible_claims(actor), **where.filters()),
        total=None if total is None else int(total),
    )
