"""A report's period: whole days in Asia/Seoul, and the period of the same length just before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from server.platform.errors import invalid
from server.platform.timeutil import entered, in_calendar, in_seoul, now

# A report spans at most ten years: longer asks cannot be meant and would only load the database.
LONGEST = timedelta(days=3660)


@dataclass(frozen=True)
class Period:
    first: date  # the first day, Seoul
    last: date  # the last day, Seoul, included

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """Its first moment, in UTC, for filters."""
        return entered(datetime.combine(self.first, datetime.min.time()))

    @property
    def end(self) -> datetime:
        """The first moment after it, in UTC (filters compare `< end`)."""
        return entered(datetime.combine(self.last + timedelta(days=1), datetime.min.time()))

    def previous(self) -> Period:
        """The period of the same number of days that ends the day before this one begins."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))


def this_year() -> Period:
    today = in_seoul(now()).date()
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def period_of(first: date | None, last: date | None) -> Period:
    """The dates someone asked for; the current Seoul calendar year when both are left out.

    With only one date given, the period runs a year from it (or up to it).
    """
    if first is None and last is None:
        return this_year()
    if first is None:
        assert last is not None
        first = _years_later(last, -1) + timedelta(days=1) if in_calendar(last) else last
    if last is None:
        last = _years_later(first, 1) - timedelta(days=1) if in_calendar(first) else first
    if not in_calendar(first) or not in_calendar(last):
        raise invalid("from", "Give dates between 1900 and 2999.")
    if last < first:
        raise invalid("to", "The period must end on or after the day it begins.")
    if last - first > LONGEST:
        raise invalid("to", "A report covers at most ten years.")
    period = Period(first, last)
    if not in_calendar(period.previous().first):
        raise invalid("from", "Give dates between 1900 and 2999.")
    return period


def _years_later(day: date, years: int) -> date:
    """The same day `years` later; 28 February for a 29 February that year lacks."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
