"""Registrations: a person takes a seat or a place on the waiting list; cancellations promote the next.

Every change locks the seminar row first. Under that lock the seat count
(`registered_count`, kept within capacity by a CHECK) and the waiting list
positions (unique per seminar, always 1..n without gaps) change together.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from tortoise.expressions import F, Q, Subquery
from tortoise.transactions import in_transaction

from server.models import (
    Organization,
    OrganizationKind,
    Partnership,
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarAudience,
    SeminarStatus,
    User,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, not_found
from server.platform.once import mark_once
from server.platform.outbox import queue_mail
from server.platform.pagination import Page, paginate
from server.platform.policy import require_actor, require_secretariat, visible_seminars
from server.platform.timeutil import now
from server.seminars.schedule import locked_seminar
from server.seminars.waiting_list import SEATED, close_gap, promote, seat, seated_by_organization

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.ATTENDED)


def _refuse(message: str, code: ErrorCode = ErrorCode.INVALID_STATE) -> DomainError:
    return DomainError.single(code, message)


async def register_for_seminar(*, actor: Actor | None, seminar_id: int) -> Registration:
    """A seat if one is free for the person's organisation, else the end of the waiting list."""
    actor = require_actor(actor)
    async with in_transaction():
        return await take_place(actor, seminar_id, actor.user, actor.organization)


async def take_place(actor: Actor, seminar_id: int, user: User, organization: Organization) -> Registration:
    """`user` takes a seat for `organization` if one is free for it, else the end of the waiting list; `actor`
    is who asked (the person, or a colleague registering them). Call it inside the caller's transaction: it
    locks the seminar row first, so the seat and per-organisation counts cannot be overfilled."""
    visible = await Seminar.filter(visible_seminars(actor), id=seminar_id).exists()
    if not visible:
        raise not_found("seminar")
    seminar = await locked_seminar(seminar_id)
    at = now()
    if seminar.status != SeminarStatus.PUBLISHED:
        raise _refuse("This seminar is not open for registration.")
    if not seminar.registration_opens_at <= at <= seminar.registration_closes_at:
        raise _refuse(
            "Registration is closed: it is open from the opening to the closing time shown.",
            ErrorCode.NOT_ELIGIBLE,
        )
    if seminar.audience == SeminarAudience.SME_STAFF and organization.kind != OrganizationKind.SME:
        raise _refuse("This seminar is for SME staff only.", ErrorCode.NOT_ELIGIBLE)
    registration = await Registration.filter(seminar_id=seminar.id, user_id=user.id).first()
    if registration is not None and registration.status in ACTIVE:
        raise _refuse("You are already registered or on the waiting list.", ErrorCode.DUPLICATE)
    if registration is None:
        registration = Registration(seminar_id=seminar.id, user_id=user.id)
    registration.organization_id = organization.id
    registration.cancelled_at = None
    seated = await seated_by_organization(seminar.id) if seminar.seats_per_organization else {}
    fits = (
        seminar.seats_per_organization is None
        or seated.get(organization.id, 0) < seminar.seats_per_organization
    )
    if seminar.seats_left > 0 and fits:
        await seat(seminar, registration)
    else:
        waiting = await Registration.filter(
            seminar_id=seminar.id, status=RegistrationStatus.WAITLISTED
        ).count()
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlist_position = waiting + 1
    registration.registered_at = at
    await registration.save()
    await audit.record(
        "registration.register",
        registration,
        actor=actor,
        after={"status": registration.status.value, "waitlist_position": registration.waitlist_position},
    )
    await queue_mail(
        user.email,
        "registration_received",
        seminar=seminar,
        person=user,
        registration=registration,
    )
    return registration


async def cancel_registration(*, actor: Actor | None, registration_id: int) -> Registration:
    """Give up a seat (the next who fits is promoted at once) or a place on the waiting list."""
    actor = require_actor(actor)
    mine = Q(user_id=actor.user.id) if not actor.is_secretariat else Q()
    async with in_transaction():
        found = await Registration.filter(mine, id=registration_id).first()
        if found is None:
            raise not_found("registration")
        seminar = await locked_seminar(found.seminar_id)
        registration = await Registration.filter(id=registration_id).select_for_update().get()
        if registration.status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
            raise _refuse("This registration is already cancelled or attended.")
        if seminar.status not in (SeminarStatus.PUBLISHED, SeminarStatus.DRAFT):
            raise _refuse("This seminar is over or cancelled.")
        before = {"status": registration.status.value, "waitlist_position": registration.waitlist_position}
        position = registration.waitlist_position
        was_seated = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.waitlist_position = None
        registration.cancelled_at = now()
        await registration.save(update_fields=["status", "waitlist_position", "cancelled_at"])
        if was_seated:
            await Seminar.filter(id=seminar.id).update(registered_count=F("registered_count") - 1)
            seminar.registered_count -= 1
        elif position is not None:
            await close_gap(seminar.id, position)
        await audit.record(
            "registration.cancel", registration, actor=actor, before=before, after={"status": "cancelled"}
        )
        if was_seated:
            await promote(seminar)
    return registration


async def check_in(*, actor: Actor | None, registration_id: int) -> Registration:
    actor = require_secretariat(actor)
    async with in_transaction():
        registration = await Registration.filter(id=registration_id).select_for_update().first()
        if registration is None:
            raise not_found("registration")
        if registration.status != RegistrationStatus.REGISTERED:
            raise _refuse("Only a registered person can be checked in.")
        registration.status = RegistrationStatus.ATTENDED
        registration.checked_in_at = now()
        await registration.save(update_fields=["status", "checked_in_at"])
        await audit.record("registration.check_in", registration, actor=actor, after={"status": "attended"})
    return registration


async def my_registration(actor: Actor, seminar_id: int) -> Registration | None:
    return await Registration.filter(user_id=actor.user.id, seminar_id=seminar_id).first()


async def seminar_registrations(
    actor: Actor | None,
    seminar: Seminar,
    *,
    search: str = "",
    first: int | None = None,
    after: str | None = None,
) -> Page[Registration] | None:
    """Everyone, for the secretariat; a co-hosting coordinator's own partners; None for anyone else."""
    actor = require_actor(actor)
    query = Registration.filter(seminar_id=seminar.id, status__not=RegistrationStatus.CANCELLED)
    if not actor.is_secretariat:
        cohosts = {o.id for o in await seminar.co_hosts.all()}
        if not (actor.is_coordinator and actor.organization.id in cohosts):
            return None
        partners = Partnership.filter(conglomerate_id=actor.organization.id).values("sme_id")
        query = query.filter(organization_id__in=Subquery(partners))
    if search.strip():
        term = search.strip()
        query = query.filter(Q(user__name__icontains=term) | Q(organization__name_ko__icontains=term))
    return await paginate(
        query.select_related("user", "organization"), first=first, after=after, order=("user__name", "id")
    )


async def remind_tomorrow(batch: int = 200) -> int:
    """The day before a seminar, each registered person gets one reminder (periodic job)."""
    at = now()
    due = (
        await Registration.filter(
            status=RegistrationStatus.REGISTERED,
            reminder_sent_at__isnull=True,
            seminar__status=SeminarStatus.PUBLISHED,
            seminar__starts_at__gt=at,
            seminar__starts_at__lte=at + timedelta(days=1),
        )
        .order_by("id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    sent = 0
    for registration_id in due:
        async with in_transaction():
            if not await mark_once(Registration, cast(int, registration_id), "reminder_sent_at"):
                continue
            registration = (
                await Registration.filter(id=registration_id).select_related("seminar", "user").get()
            )
            await queue_mail(
                registration.user.email,
                "seminar_reminder",
                seminar=registration.seminar,
                person=registration.user,
            )
            sent += 1
    return sent


async def attendance(actor: Actor | None, seminar_id: int) -> list[Registration]:
    """Everyone who registered, for the secretariat's export."""
    require_secretariat(actor)
    return (
        await Registration.filter(seminar_id=seminar_id, status__in=[*SEATED, RegistrationStatus.WAITLISTED])
        .select_related("user", "organization")
        .order_by("organization__name_ko", "user__name")
    )


async def certificate(actor: Actor | None, seminar_id: int) -> Registration:
    """The person's attendance at a completed seminar."""
    actor = require_actor(actor)
    registration = (
        await Registration.filter(
            user_id=actor.user.id,
            seminar_id=seminar_id,
            status=RegistrationStatus.ATTENDED,
            seminar__status=SeminarStatus.COMPLETED,
        )
        .select_related("seminar", "user", "organization")
        .first()
    )
    if registration is None:
        raise not_found("certificate")
    return registration
