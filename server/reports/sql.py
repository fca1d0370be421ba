"""Running the report's few hand-written statements on either database: the text uses `?` for every bound
value and becomes `$1, $2, …` on PostgreSQL. Values are always bound, never spliced into the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tortoise import connections


async def rows(sql: str, values: Sequence[object]) -> list[Any]:
    """The statement's rows, each indexable by column position."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        numbers = iter(range(1, len(values) + 1))
        sql = re.sub(r"\?", lambda _: f"${next(numbers)}", sql)
    _, found = await connection.execute_query(sql, list(values))
    return list(found)
