"""Time is stored in UTC and shown in Asia/Seoul."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def now() -> datetime:
    return datetime.now(UTC)


def in_seoul(moment: datetime) -> datetime:
    return moment.astimezone(SEOUL)


def in_seoul_or_none(moment: datetime | None) -> datetime | None:
    """For moments that may not have happened yet (decided, paid, checked in...)."""
    return moment.astimezone(SEOUL) if moment else None


def entered(moment: datetime) -> datetime:
    """A time as someone entered it (naive means Seoul wall-clock time), in UTC.

    Filters must compare in UTC: SQLite compares the stored UTC text, so an
    offset of +09:00 in a parameter would silently give wrong answers.
    """
    return (moment.replace(tzinfo=SEOUL) if moment.tzinfo is None else moment).astimezone(UTC)
