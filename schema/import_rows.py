"""The checked rows of a partner import, paged like every other list: `first`/`after`, `pageInfo`.

The rows are a list held on the import, not a table, so their cursor is the row's number in the file.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import strawberry

from schema.connection import PageInfo
from schema.errors import UserError
from server.platform.errors import invalid

MAX_ROWS_PER_REQUEST = 500


@strawberry.type
class ImportRow:
    row: int
    business_number: str
    name: str
    tier: str
    email: str
    outcome: str = strawberry.field(description="new, existing (already a live partner) or invalid")
    errors: list[UserError]


@strawberry.type
class ImportRowEdge:
    cursor: str
    node: ImportRow


@strawberry.type
class ImportRowConnection:
    page_info: PageInfo
    edges: list[ImportRowEdge]
    nodes: list[ImportRow]
    total_count: int = strawberry.field(description="How many rows match in all.")


def _cursor(row: int) -> str:
    return base64.urlsafe_b64encode(str(row).encode()).decode()


def _row_after(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise invalid("after", "Invalid cursor.") from exc
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise invalid("after", "Invalid cursor.")
    return int(text)


def _node(r: dict[str, Any]) -> ImportRow:
    return ImportRow(
        row=r["row"],
        business_number=r["business_number"],
        name=r["name"],
        tier=str(r["tier"]),
        email=r["email"],
        outcome=r["outcome"],
        errors=[UserError(field=e["field"], code=e["code"], message=e["message"]) for e in r["errors"]],
    )


def import_rows(
    rows: list[dict[str, Any]], outcome: str | None, first: int, after: str | None
) -> ImportRowConnection:
    if not 0 <= first <= MAX_ROWS_PER_REQUEST:
        raise invalid("first", "first must be between 0 and 500.")
    matching = [r for r in rows if outcome is None or r["outcome"] == outcome]
    start = _row_after(after) if after is not None else None
    following = [r for r in matching if start is None or r["row"] > start]
    edges = [ImportRowEdge(cursor=_cursor(r["row"]), node=_node(r)) for r in following[:first]]
    return ImportRowConnection(
        page_info=PageInfo(
            has_next_page=len(following) > first,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
        nodes=[edge.node for edge in edges],
        total_count=len(matching),
    )
