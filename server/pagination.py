"""Keyset pagination for every list: `first`/`after` over a unique integer key."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from server.errors import invalid

T = TypeVar("T", bound=Model)
MAX_PAGE = 100
DEFAULT_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total_count: int
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return encode_cursor(self.items[-1].pk) if self.items else None


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        prefix, _, key = text.partition(":")
        if prefix != "k":
            raise ValueError(cursor)
        return int(key)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("after", "Invalid cursor.") from exc


async def paginate(query: QuerySet[T], *, first: int | None, after: str | None) -> Page[T]:
    """Newest first by primary key; one query for the page, one for the count."""
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise invalid("first", f"first must be between 0 and {MAX_PAGE}.")
    page_query = query
    if after is not None:
        page_query = page_query.filter(id__lt=decode_cursor(after))
    rows = await page_query.order_by("-id").limit(size + 1)
    total = await query.count()
    return Page(items=list(rows[:size]), total_count=total, has_next_page=len(rows) > size)
