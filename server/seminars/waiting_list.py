"""Seats and the waiting list of one seminar: seating, closing a gap, promoting the next in line.

Every function here runs with the seminar row locked by its caller (`server.seminars.schedule.locked_seminar`);
both `server.seminars.schedule` (a changed capacity) and `server.seminars.schedule.registrations` (a cancellation) promote, so this
module depends on neither.
"""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.functions import Count

from server.models import Registration, RegistrationStatus, Seminar
from server.platform import audit
from server.platform.outbox import queue_mail

SEATED = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
_OUT_OF_THE_WAY = 1_000_000  # more than any waiting list is long


async def seated_by_organization(seminar_id: int) -> dict[int, int]:
    rows = await (
        Registration.filter(seminar_id=seminar_id, status__in=SEATED)
        .annotate(n=Count("id"))
        .group_by("organization_id")
        .values_list("organization_id", "n")
    )
    return dict(rows)


async def close_gap(seminar_id: int, position: int) -> None:
    """Everyone behind `position` moves up one. In two steps, out of the way through negative
    numbers, because the database checks the unique (seminar, position) pair row by row."""
    behind = Registration.filter(seminar_id=seminar_id, waitlist_position__gt=position)
    await behind.update(waitlist_position=F("waitlist_position") - _OUT_OF_THE_WAY)
    await Registration.filter(seminar_id=seminar_id, waitlist_position__lt=0).update(
        waitlist_position=F("waitlist_position") + (_OUT_OF_THE_WAY - 1)
    )


async def seat(seminar: Seminar, registration: Registration) -> None:
    await Seminar.filter(id=seminar.id).update(registered_count=F("registered_count") + 1)
    seminar.registered_count += 1
    registration.status = RegistrationStatus.REGISTERED
    registration.waitlist_position = None


async def promote(seminar: Seminar) -> list[Registration]:
    """Seat the first on the waiting list whose organisation still has seats, while seats are free.
    Call with the seminar locked."""
    promoted = []
    while seminar.seats_left > 0:
        waiting = await Registration.filter(
            seminar_id=seminar.id, status=RegistrationStatus.WAITLISTED
        ).order_by("waitlist_position")
        seated = await seated_by_organization(seminar.id) if seminar.seats_per_organization else {}
        candidate = next(
            (
                r
                for r in waiting
                if seminar.seats_per_organization is None
                or seated.get(r.organization_id, 0) < seminar.seats_per_organization
            ),
            None,
        )
        if candidate is None:
            break
        position = candidate.waitlist_position
        assert position is not None
        await seat(seminar, candidate)
        await candidate.save(update_fields=["status", "waitlist_position"])
        await close_gap(seminar.id, position)
        await audit.record(
            "registration.promote",
            candidate,
            before={"waitlist_position": position},
            after={"status": "registered"},
        )
        person = await candidate.user
        await queue_mail(person.email, "registration_promoted", seminar=seminar, person=person)
        promoted.append(candidate)
    return promoted
