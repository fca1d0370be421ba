"""Calendar files: one seminar as an .ics, and a person's registrations as a private feed.

The feed's address carries a secret (`User.calendar_token`) so that Google
Calendar and Outlook can fetch it without signing in; rotating the secret
kills the old address.
"""

from __future__ import annotations

import secrets

import icalendar

from server.models import RegistrationStatus, Seminar, SeminarStatus, User
from server.platform.actor import Actor
from server.platform.config import settings
from server.platform.errors import not_found
from server.platform.policy import require_actor
from server.platform.timeutil import SEOUL

PRODUCT = "-//SME Tech Protection Club//Seminars//KO"


def _event(seminar: Seminar) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"seminar-{seminar.id}@techclub")
    event.add("dtstamp", seminar.created_at)
    event.add("dtstart", seminar.starts_at.astimezone(SEOUL))
    event.add("dtend", seminar.ends_at.astimezone(SEOUL))
    event.add("summary", seminar.title_ko + (f" / {seminar.title_en}" if seminar.title_en else ""))
    event.add("location", seminar.venue or seminar.online_url)
    event.add("description", seminar.description_ko)
    event.add("url", f"{settings().base_url}/seminars/{seminar.id}")
    event.add("status", "CANCELLED" if seminar.status == SeminarStatus.CANCELLED else "CONFIRMED")
    return event


def _calendar(seminars: list[Seminar], name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    for seminar in seminars:
        calendar.add_component(_event(seminar))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def seminar_ics(seminar: Seminar) -> bytes:
    return _calendar([seminar], seminar.title_ko)


async def feed_ics(token: str) -> bytes:
    """The seminars a person is registered or waiting for, by the secret of their feed address."""
    user = await User.get_or_none(calendar_token=token) if token else None
    if user is None:
        raise not_found("calendar")
    seminars = await Seminar.filter(
        registrations__user_id=user.id,
        registrations__status__in=[
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITLISTED,
            RegistrationStatus.ATTENDED,
        ],
        status__not=SeminarStatus.DRAFT,
    ).order_by("starts_at")
    return _calendar(list(seminars), "중소기업 기술보호 클럽 세미나")


async def calendar_token(actor: Actor | None, *, rotate: bool = False) -> str:
    """The secret of the actor's feed address, made on first use; `rotate` replaces it."""
    actor = require_actor(actor)
    user = await User.get(id=actor.user.id)
    if user.calendar_token is None or rotate:
        user.calendar_token = secrets.token_urlsafe(32)
        await user.save(update_fields=["calendar_token"])
    return user.calendar_token
