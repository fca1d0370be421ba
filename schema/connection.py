"""Relay-style connections for every list: `first`/`after`, `totalCount`, `pageInfo`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

import strawberry

from server.platform.pagination import cursor_of

T = TypeVar("T")


@strawberry.type
class PageInfo:
    """Relay's page info. Lists page forward only (`first`/`after`): there are rows before a page exactly
    when it was asked for after a cursor."""

    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    page_info: PageInfo
    nodes: list[T]
    page: strawberry.Private[Any]  # what the page came from: `total_count()` answers totalCount
    rows: strawberry.Private[list[Any]]  # the page's rows, one per node
    cursor: strawberry.Private[Callable[[Any], str]]

    @strawberry.field(description="How many match in all (one COUNT: ask only when it is shown).")
    async def total_count(self) -> int:
        return cast(int, await self.page.total_count())

    @strawberry.field
    def edges(self) -> list[Edge[T]]:
        # A cursor per row is work most screens never ask for: they page with pageInfo.endCursor.
        return [Edge(cursor=self.cursor(r), node=n) for r, n in zip(self.rows, self.nodes, strict=True)]

    @classmethod
    def of(
        cls,
        page: Any,
        after: str | None,
        *,
        cursor: Callable[[Any], str] | None = None,
        nodes: list[Any] | None = None,
    ) -> Any:
        """The connection over a page (`items`, `has_next_page`, `total_count()`): its rows are the nodes
        unless `nodes` are given, and a row's cursor is `cursor_of` the page's order unless `cursor` is."""
        rows = list(page.items)
        cursor = cursor or (lambda row: cursor_of(row, page.order))
        return cls(
            page=page,
            rows=rows,
            cursor=cursor,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=cursor(rows[0]) if rows else None,
                end_cursor=cursor(rows[-1]) if rows else None,
            ),
            nodes=rows if nodes is None else nodes,
        )
