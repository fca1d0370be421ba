"""Scheduling seminars and filling them the way the secretariat and attendees do, through the services."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from server.models import RoleKind, Seminar
from server.platform.timeutil import SEOUL, now
from server.seminars.registrations import register_for_seminar
from server.seminars.schedule import SeminarInput, publish_seminar, schedule_seminar
from tests.support.costs import acting
from tests.support.world import Person


def days_ahead(days: int, hour: int = 14) -> datetime:
    """A Seoul wall-clock time `days` from today."""
    day = now().astimezone(SEOUL).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL)


def plan(**changes: object) -> SeminarInput:
    base = SeminarInput(
        title_ko="기술유출 대응 실무 워크숍",
        title_en="Leak-response workshop",
        topic="leak_response",
        venue="코엑스 301호",
        starts_at=days_ahead(10),
        ends_at=days_ahead(10, 17),
        capacity=10,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


async def published(admin: Person, **changes: object) -> Seminar:
    actor = acting(admin, RoleKind.SECRETARIAT)
    seminar = await schedule_seminar(actor=actor, data=plan(**changes))
    return await publish_seminar(actor=actor, seminar_id=seminar.id)


async def register(person: Person, seminar: Seminar, role: RoleKind = RoleKind.SME_REPRESENTATIVE):  # type: ignore[no-untyped-def]
    return await register_for_seminar(actor=acting(person, role), seminar_id=seminar.id)
