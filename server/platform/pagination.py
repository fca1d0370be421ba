"""Keyset pagination for every list: `first`/`after` over a total order of the rows.

An order is a list of field paths (a leading '-' for descending) that ends in a
unique key. The cursor carries the sort values of the last row, so the next page
is "rows after these values", whatever was inserted meanwhile, and costs the
same at page 1 and page 1,000.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from server.platform.errors import invalid
from server.platform.text import has_odd_characters

T = TypeVar("T", bound=Model)
MAX_PAGE = 100
DEFAULT_PAGE = 20
NEWEST_FIRST = ("-id",)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    order: tuple[str, ...]
    matching: QuerySet[T] | None = field(default=None, repr=False, compare=False)
    total: int | None = None  # counted with the page by a read path, which then needs no `matching`

    async def total_count(self) -> int:
        """How many rows match in all: a COUNT, run only for a screen or a query that shows it."""
        if self.total is not None:
            return self.total
        if self.matching is None:
            raise ValueError("This page was read without its total.")
        return await self.matching.count()

    @property
    def end_cursor(self) -> str | None:
        return cursor_of(self.items[-1], self.order) if self.items else None


def _value(row: Any, path: str) -> Any:
    for part in path.lstrip("-").split("__"):
        row = getattr(row, part)
    return row


def _encode(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def cursor_of(row: Model, order: tuple[str, ...]) -> str:
    values = [_encode(_value(row, path)) for path in order]
    return base64.urlsafe_b64encode(json.dumps(values, ensure_ascii=False).encode()).decode()


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("after", "Invalid cursor.") from exc
    if not isinstance(values, list) or len(values) != size:
        raise invalid("after", "Invalid cursor.")
    return values


def decode_cursor(model: type[Model], order: tuple[str, ...], cursor: str) -> list[Any]:
    """A cursor's values as the fields' own types, for read paths that page in plain SQL."""
    return _typed(model, order, _decode(cursor, len(order)))


def _typed(model: type[Model], order: tuple[str, ...], values: list[Any]) -> list[Any]:
    """The cursor's JSON values as the fields' own types: PostgreSQL takes no text for a timestamp."""
    typed = []
    for path, value in zip(order, values, strict=True):
        *relations, name = path.lstrip("-").split("__")
        owner = model
        for relation in relations:
            owner = owner._meta.fields_map[relation].related_model  # type: ignore[attr-defined]
        if not _plain_value(value):
            raise invalid("after", "Invalid cursor.")
        field = owner._meta.fields_map[name]
        try:
            typed.append(None if value is None else field.to_python_value(value))
        except (ValueError, TypeError, OverflowError) as exc:
            raise invalid("after", "Invalid cursor.") from exc
        low, high = field.constraints.get("ge"), field.constraints.get("le")
        if (
            isinstance(typed[-1], int)
            and low is not None
            and high is not None
            and not low <= typed[-1] <= high
        ):
            raise invalid("after", "Invalid cursor.")  # past the column's range: no row is there
    return typed


def _plain_value(value: Any) -> bool:
    """A value a cursor of ours can carry: a forged one must not reach the database as something it
    refuses (infinity, text with NUL, a nested object)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not has_odd_characters(value)
    return value is None or isinstance(value, int)


def _after(order: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or ..."""
    condition = Q()
    matched: dict[str, Any] = {}
    alternatives = []
    for path, value in zip(order, values, strict=True):
        field = path.lstrip("-")
        alternatives.append(Q(**matched, **{f"{field}__{'lt' if path.startswith('-') else 'gt'}": value}))
        matched[field] = value
    for alternative in alternatives:
        condition |= alternative
    return condition


def page_size(first: int | None) -> int:
    """The rows a page holds when `first` are asked for."""
    size = DEFAULT_PAGE if first is None else first
    if not 0 <= size <= MAX_PAGE:
        raise invalid("first", f"first must be between 0 and {MAX_PAGE}.")
    return size


async def paginate(
    query: QuerySet[T],
    *,
    first: int | None,
    after: str | None,
    order: tuple[str, ...] = NEWEST_FIRST,
    keys_first: bool = False,
) -> Page[T]:
    """One query for the page (and one for the count, if it is asked for: see `Page.total_count`).

    With `keys_first`, the page's ids come first and then their rows (one query more): for lists whose
    filter matches thousands of rows, PostgreSQL would otherwise build every matching row, joins and all,
    before sorting them for the first few, where the ids alone come from an index.
    """
    size = page_size(first)
    page_query = query
    if after is not None:
        values = _typed(query.model, order, _decode(after, len(order)))
        page_query = page_query.filter(_after(order, values))
    if keys_first:
        ids = await page_query.order_by(*order).limit(size + 1).values_list("id", flat=True)
        by_id = {row.pk: row for row in await query.filter(id__in=ids)}
        rows = [by_id[i] for i in ids if i in by_id]  # a row deleted in between is simply gone
    else:
        rows = await page_query.order_by(*order).limit(size + 1)
    return Page(items=list(rows[:size]), has_next_page=len(rows) > size, order=order, matching=query)
