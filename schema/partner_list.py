"""GraphQL's partner list from the read path's plain rows (server/membership/partner_rows.py).

One statement for the page, its total (only when `totalCount` is asked for) and each row's claim
figures; cursors only when `edges` is asked for. A row's SME answers the fields it carries; a query
asking anything else of the SME gets the page's organisations in one more statement.
"""

from __future__ import annotations

from typing import Any

from strawberry.types.nodes import SelectedField

from schema.connection import Connection
from schema.context import Info, selections_below
from server.membership.partner_queries import PartnerFilter, PartnerOrder
from server.membership.partner_rows import PartnerRow, PartnerRows, cursor, partner_rows

# OrganizationNode's fields a row's SME (PartnerSme) answers; any other sends for the organisations.
SME_ROW_FIELDS = frozenset(
    {"id", "kind", "nameKo", "nameEn", "businessNumber", "diagnosedAt", "diagnosisLevel", "sharesDiagnosis"}
)


class RowsPage:
    """The partner rows as Connection takes a page: rows, whether more follow, and the total."""

    def __init__(self, rows: PartnerRows) -> None:
        self.rows = rows
        self.items = rows.items
        self.has_next_page = rows.has_next_page

    async def total_count(self) -> int:
        return self.rows.total or 0


def _top(info: Info) -> list[SelectedField]:
    return [f for connection in info.selected_fields for f in selections_below(connection.selections)]


def _nodes(top: list[SelectedField]) -> list[SelectedField]:
    found = []
    for part in top:
        if part.name == "nodes":
            found += selections_below(part.selections)
        elif part.name == "edges":
            for edge in selections_below(part.selections):
                if edge.name == "node":
                    found += selections_below(edge.selections)
    return found


async def partner_connection(
    info: Info, where: PartnerFilter, order: PartnerOrder, first: int | None, after: str | None
) -> Any:
    top = _top(info)
    names = {f.name for f in top}
    rows = await partner_rows(
        info.context.actor, where, order=order, first=first, after=after, with_total="totalCount" in names
    )
    loaders = info.context.loaders
    # Each row's partnership decides what its SME's diagnosis fields show: no query for it per row.
    loaders.partnership_status.prime_many({(p.conglomerate_id, p.sme_id): p.status for p in rows.items})
    sme_asks = {
        f.name for node in _nodes(top) if node.name == "sme" for f in selections_below(node.selections)
    }
    if not sme_asks <= SME_ROW_FIELDS:
        await loaders.organization.load_many([p.sme_id for p in rows.items])
    return Connection.of(RowsPage(rows), after, cursor=lambda row: cursor(row, order))


def sme_of(info: Info, row: PartnerRow) -> Any:
    """The row's SME, or its organisation when the query asks more than the row carries."""
    future = info.context.loaders.organization.cache_map.get(row.sme_id)
    if future is not None and future.done() and future.exception() is None:
        return future.result()
    return row.sme
