"""The desk's first-response target: two working days, counted Monday to Friday in Seoul.

Public holidays are not counted out: the target is a promise to aim for, and a case answered a day
"late" over Chuseok shows as overdue, which is the safe side.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from server.platform.timeutil import SEOUL

FIRST_RESPONSE_DAYS = 2


def respond_by(opened_at: datetime, days: int = FIRST_RESPONSE_DAYS) -> datetime:
    """The same Seoul wall-clock time `days` working days later (opened on a weekend: counted from Monday)."""
    moment = opened_at.astimezone(SEOUL)
    left = days
    while left:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
