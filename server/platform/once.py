"""At-most-once work on a row, for jobs that run in every app process at the same time."""

from __future__ import annotations

from tortoise.models import Model

from server.platform.timeutil import now


async def mark_once(model: type[Model], row_id: int, stamp: str) -> bool:
    """Set the row's empty `stamp` column to now, by compare-and-set: True only for the one caller that did."""
    return await model.filter(id=row_id, **{f"{stamp}__isnull": True}).update(**{stamp: now()}) == 1
