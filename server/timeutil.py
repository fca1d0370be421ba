"""Time is stored in UTC and shown in Asia/Seoul."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def now() -> datetime:
    return datetime.now(UTC)


def in_seoul(moment: datetime) -> datetime:
    return moment.astimezone(SEOUL)
