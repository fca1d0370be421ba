"""Relay-style connections for every list: `first`/`after`, `totalCount`, `pageInfo`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import strawberry

from server.platform.pagination import Page, cursor_of

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
    edges: list[Edge[T]]
    nodes: list[T]
    page: strawberry.Private[Page[Any]]

    @strawberry.field(description="How many match in all (one COUNT: ask only when it is shown).")
    async def total_count(self) -> int:
        return await self.page.total_count()

    @classmethod
    def of(cls, page: Page[Any], after: str | None) -> Any:
        edges = [Edge(cursor=cursor_of(item, page.order), node=item) for item in page.items]
        return cls(
            page=page,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            edges=edges,
            nodes=list(page.items),
        )
