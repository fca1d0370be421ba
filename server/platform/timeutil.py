"""Time is stored in UTC and shown in Asia/Seoul."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")

# The dates anyone may enter. Python's own range (years 1..9999) overflows as soon as a moment in year 1
# or 9999 moves to UTC or a month is added to it; the club's business lies well inside these years.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def in_calendar(day: date | None) -> bool:
    """Whether a date (or a moment's date) someone entered lies in the years the club takes."""
    return day is not None and EARLIEST <= (day.date() if isinstance(day, datetime) else day) <= LATEST


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


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (the month's last day when it has no such day)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1
