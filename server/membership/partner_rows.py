"""The partner list as plain rows: a page, the total and each partner's claim figures in one statement.

The read path of `partner_queries.list_partners` for the screens (the page and GraphQL's `partners`):
the same filters, orders, cursors and visibility (`policy.require_coordinator`, policy_sql), without
building models. tests/test_partner_rows.py compares its rows with the ORM version on both databases.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from server.membership.partner_queries import PartnerFilter, PartnerOrder
from server.models import (
    OPEN_CLAIMS,
    SETTLED_CLAIMS,
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    SupplierTier,
)
from server.money.claim_queries import ClaimSummary
from server.platform.actor import Actor
from server.platform.pagination import decode_cursor, page_size
from server.platform.policy import DiagnosisView, require_coordinator, view_of
from server.platform.policy_sql import COORDINATOR_PARTNERSHIPS, SPONSOR_SEES_RESULTS
from server.platform.sql import dialect, fetch, like_pattern, listed


@dataclass(frozen=True, slots=True)
class PartnerSme:
    kind: ClassVar[OrganizationKind] = OrganizationKind.SME
    id: int
    name_ko: str
    name_en: str | None
    business_number: str | None
    shares_diagnosis: bool
    diagnosed_at: datetime | None
    shared_diagnosis_score: Decimal | None
    shared_diagnosis_level: ProtectionLevel | None


@dataclass(frozen=True, slots=True)
class PartnerRow:
    id: int
    conglomerate_id: int
    sme_id: int
    tier: SupplierTier
    status: PartnershipStatus
    contact_email: str
    end_reason: str
    invited_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None
    sme: PartnerSme
    claims: ClaimSummary
    view: DiagnosisView  # of the SME's self-diagnosis, for this coordinator (policy.diagnosis_view)


# Per order: (expression in the page, its column outside it, the path its cursor carries), descending?
_ORDERS: dict[PartnerOrder, tuple[tuple[str, str, str, bool], ...]] = {
    PartnerOrder.NEWEST: (("p.id", "id", "id", True),),
    PartnerOrder.NAME: (("o.name_ko", "name_ko", "sme__name_ko", False), ("p.id", "id", "id", False)),
    PartnerOrder.BUSINESS_NUMBER: (
        ("o.business_number", "business_number", "sme__business_number", False),
        ("p.id", "id", "id", False),
    ),
    PartnerOrder.WEAKEST_FIRST: (
        # As Tortoise orders it: SQLite keeps decimals as text.
        (
            "CAST(o.shared_diagnosis_score AS NUMERIC)",
            "shared_diagnosis_score",
            "sme__shared_diagnosis_score",
            False,
        ),
        ("p.id", "id", "id", False),
    ),
}
_OPEN = listed(OPEN_CLAIMS)
_SETTLED = listed(SETTLED_CLAIMS)

_STATEMENT = """WITH page AS (
  SELECT p.id, p.conglomerate_id, p.sme_id, p.tier, p.status, p.contact_email, p.end_reason, p.invited_at,
    p.accepted_at, p.ended_at, o.name_ko, o.name_en, o.business_number, o.shares_diagnosis, o.diagnosed_at,
    o.shared_diagnosis_score, o.shared_diagnosis_level
  FROM partnership p JOIN organization o ON o.id = p.sme_id
  WHERE {where}{after} ORDER BY {inner_order} LIMIT :size
), figures AS (
  SELECT c.sme_id, COUNT(*) AS claims,
    SUM(CASE WHEN c.status IN ({open}) THEN 1 ELSE 0 END) AS open_claims,
    SUM(CASE WHEN c.status IN ({settled}) THEN COALESCE(c.sponsor_share, 0) ELSE 0 END) AS sponsor_paid
  FROM claim c JOIN commitment m ON m.id = c.commitment_id
  WHERE c.sme_id IN (SELECT sme_id FROM page) AND m.conglomerate_id = :actor_organization
  GROUP BY c.sme_id
)
SELECT page.*, f.claims, f.open_claims, f.sponsor_paid, t.total
FROM ({total}) t LEFT JOIN page ON 1 = 1 LEFT JOIN figures f ON f.sme_id = page.sme_id
ORDER BY {outer_order}"""
_COUNT = "SELECT COUNT(*) AS total FROM partnership p{join} WHERE {where}"
_SME = " JOIN organization o ON o.id = p.sme_id"  # only when the filter needs it: a hash join of every SME


@dataclass(frozen=True)
class PartnerRows:
    """A page of the partner list, as `pagination.Page` has it (items, has_next_page, end_cursor)."""

    items: list[PartnerRow]
    has_next_page: bool
    order: PartnerOrder
    total: int | None  # None unless asked for

    @property
    def end_cursor(self) -> str | None:
        return cursor(self.items[-1], self.order) if self.items else None


def cursor(row: PartnerRow, order: PartnerOrder) -> str:
    """The same cursor `pagination.cursor_of` gives the ORM's row, so either path reads the other's."""
    values: list[Any] = []
    for _, column, _, _ in _ORDERS[order]:
        value = row.id if column == "id" else getattr(row.sme, column)
        values.append(str(value) if isinstance(value, Decimal) else value)
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode()


def _where(where: PartnerFilter, order: PartnerOrder, params: dict[str, Any]) -> str:
    parts = [COORDINATOR_PARTNERSHIPS]
    if where.level is not None:
        parts += [SPONSOR_SEES_RESULTS, "o.shared_diagnosis_level = :level"]
        params["level"] = where.level.value
    if order == PartnerOrder.WEAKEST_FIRST:
        parts += [SPONSOR_SEES_RESULTS, "o.shared_diagnosis_score IS NOT NULL"]
    if where.tier is not None:
        parts.append("p.tier = :tier")
        params["tier"] = int(where.tier)
    if where.status is not None:
        parts.append("p.status = :status")
        params["status"] = where.status.value
    if where.search and where.search.strip():
        term = where.search.strip()
        digits = term.replace("-", "")
        params["term"] = like_pattern(term.upper())
        match = "UPPER(o.name_ko) LIKE :term ESCAPE '\\' OR UPPER(o.name_en) LIKE :term ESCAPE '\\'"
        if digits.isdigit():
            params["digits"] = like_pattern(digits, prefix=True)
            match += " OR o.business_number LIKE :digits ESCAPE '\\'"
        parts.append(f"({match})")
    return " AND ".join(parts)


def _after(order: PartnerOrder, after: str | None, params: dict[str, Any]) -> str:
    """Rows strictly after the cursor's values: (a > x) or (a = x and b > y), as `pagination._after`."""
    if after is None:
        return ""
    spec = _ORDERS[order]
    values = decode_cursor(Partnership, tuple(("-" if desc else "") + path for *_, path, desc in spec), after)
    alternatives: list[str] = []
    matched: list[str] = []
    for i, ((expression, _, _, desc), value) in enumerate(zip(spec, values, strict=True)):
        params[f"after{i}"] = value
        alternatives.append(" AND ".join([*matched, f"{expression} {'<' if desc else '>'} :after{i}"]))
        matched.append(f"{expression} = :after{i}")
    return " AND (" + " OR ".join(f"({a})" for a in alternatives) + ")"


def _order(order: PartnerOrder, *, outer: bool) -> str:
    parts = []
    for expression, column, _, desc in _ORDERS[order]:
        term = (
            expression.replace(f"o.{column}", f"page.{column}").replace("p.id", "page.id")
            if outer
            else expression
        )
        parts.append(term + (" DESC" if desc else ""))
    return ", ".join(parts)


def statement(
    organization_id: int,
    where: PartnerFilter,
    order: PartnerOrder,
    *,
    size: int,
    after: str | None = None,
    with_total: bool = True,
) -> tuple[str, dict[str, Any]]:
    """The one statement of a page (`size` rows, and one more to tell whether another page follows)."""
    params: dict[str, Any] = {"actor_organization": organization_id, "size": size + 1}
    condition = _where(where, order, params)
    sql = _STATEMENT.format(
        where=condition,
        after=_after(order, after, params),
        inner_order=_order(order, outer=False),
        outer_order=_order(order, outer=True),
        open=_OPEN,
        settled=_SETTLED,
        total=_COUNT.format(join=_SME if "o." in condition else "", where=condition)
        if with_total
        else "SELECT NULL AS total",
    )
    return sql, params


async def partner_rows(
    actor: Actor | None,
    where: PartnerFilter,
    *,
    order: PartnerOrder = PartnerOrder.NEWEST,
    first: int | None = None,
    after: str | None = None,
    with_total: bool = True,
) -> PartnerRows:
    """What `list_partners` returns, with each row's claim figures and the total, in one statement."""
    actor = require_coordinator(actor)
    size = page_size(first)
    sql, params = statement(
        actor.organization.id, where, order, size=size, after=after, with_total=with_total
    )
    records = await fetch(sql, **params)
    decode = _decoder()
    rows = [decode(actor, r) for r in records if r["id"] is not None]
    total = records[0]["total"] if records and with_total else None
    return PartnerRows(rows[:size], len(rows) > size, order, None if total is None else int(total))


def _decoder() -> Any:
    if dialect() == "postgres":
        return _row
    fields = {**Partnership._meta.fields_map, **Organization._meta.fields_map}
    typed = ("invited_at", "accepted_at", "ended_at", "diagnosed_at", "shared_diagnosis_score")

    def from_sqlite(actor: Actor, record: dict[str, Any]) -> PartnerRow:
        record = dict(record)
        for name in typed:
            if record[name] is not None:
                record[name] = fields[name].to_python_value(record[name])
        record["shares_diagnosis"] = bool(record["shares_diagnosis"])
        return _row(actor, record)

    return from_sqlite


def _row(actor: Actor, r: dict[str, Any]) -> PartnerRow:
    status = PartnershipStatus(r["status"])
    level = r["shared_diagnosis_level"]
    return PartnerRow(
        id=r["id"],
        conglomerate_id=r["conglomerate_id"],
        sme_id=r["sme_id"],
        tier=SupplierTier(r["tier"]),
        status=status,
        contact_email=r["contact_email"],
        end_reason=r["end_reason"],
        invited_at=r["invited_at"],
        accepted_at=r["accepted_at"],
        ended_at=r["ended_at"],
        sme=PartnerSme(
            id=r["sme_id"],
            name_ko=r["name_ko"],
            name_en=r["name_en"],
            business_number=r["business_number"],
            shares_diagnosis=r["shares_diagnosis"],
            diagnosed_at=r["diagnosed_at"],
            shared_diagnosis_score=r["shared_diagnosis_score"],
            shared_diagnosis_level=None if level is None else ProtectionLevel(level),
        ),
        claims=ClaimSummary(int(r["claims"] or 0), int(r["open_claims"] or 0), int(r["sponsor_paid"] or 0)),
        view=view_of(actor, r["sme_id"], r["shares_diagnosis"], status),
    )
