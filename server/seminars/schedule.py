"""Joint seminars: the secretariat schedules them with co-hosting conglomerates; everyone sees the programme.

Registrations are in `server.seminars.schedule.registrations`, seats and the waiting list in `server.seminars.schedule.waiting_list`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server.models import (
    Organization,
    OrganizationKind,
    RegistrationStatus,
    Seminar,
    SeminarAudience,
    SeminarStatus,
    User,
)
from server.platform import audit
from server.platform.actor import Actor
from server.platform.errors import DomainError, ErrorCode, ErrorCollector, not_found
from server.platform.outbox import queue_mail
from server.platform.policy import require_secretariat
from server.platform.timeutil import SEOUL, entered, now
from server.seminars.waiting_list import promote

MAX_CAPACITY = 10_000
LIVE = (SeminarStatus.DRAFT, SeminarStatus.PUBLISHED)


class SeminarTopic(StrEnum):
    STRATEGY = "strategy"  # 기술보호 전략
    LEAK_RESPONSE = "leak_response"  # 기술유출 대응
    ESCROW = "escrow"  # 기술임치
    SECURITY_CONTROLS = "security_controls"  # 보안 관리 실무
    LAW = "law"  # 법·제도
    OTHER = "other"


def entered_or_none(moment: datetime | None) -> datetime | None:
    return entered(moment) if moment is not None else None


@dataclass(frozen=True)
class SeminarInput:
    title_ko: str
    starts_at: datetime | None
    ends_at: datetime | None
    capacity: int | None
    topic: str = SeminarTopic.OTHER.value
    title_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    speakers: str = ""
    venue: str = ""
    online_url: str = ""
    co_host_ids: list[int] = field(default_factory=list)
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    seats_per_organization: int | None = None
    audience: SeminarAudience = SeminarAudience.EVERYONE


@dataclass(frozen=True)
class _Checked:
    data: SeminarInput
    starts_at: datetime
    ends_at: datetime
    opens_at: datetime
    closes_at: datetime
    co_hosts: list[Organization]


async def _check(data: SeminarInput) -> _Checked:
    errors = ErrorCollector()
    starts_at, ends_at = entered_or_none(data.starts_at), entered_or_none(data.ends_at)
    opens_at = entered_or_none(data.registration_opens_at) or now()
    closes_at = entered_or_none(data.registration_closes_at) or starts_at
    if not data.title_ko.strip():
        errors.add(ErrorCode.REQUIRED, "titleKo", "Enter the Korean title.")
    if data.topic not in set(SeminarTopic):
        errors.add(ErrorCode.INVALID, "topic", "Choose a topic from the list.")
    if not data.venue.strip() and not data.online_url.strip():
        errors.add(ErrorCode.REQUIRED, "venue", "Enter a venue or an online link.")
    if data.online_url.strip() and not data.online_url.strip().startswith(("https://", "http://")):
        errors.add(ErrorCode.INVALID, "onlineUrl", "The online link must start with https://.")
    if starts_at is None:
        errors.add(ErrorCode.REQUIRED, "startsAt", "Enter when the seminar starts.")
    if ends_at is None:
        errors.add(ErrorCode.REQUIRED, "endsAt", "Enter when the seminar ends.")
    elif starts_at is not None and ends_at <= starts_at:
        errors.add(ErrorCode.INVALID, "endsAt", "The seminar must end after it starts.")
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        errors.add(ErrorCode.INVALID, "capacity", "Enter a capacity between 1 and 10,000 seats.")
    if data.seats_per_organization is not None and data.seats_per_organization < 1:
        errors.add(ErrorCode.INVALID, "seatsPerOrganization", "Seats per organisation must be at least 1.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors.add(ErrorCode.INVALID, "registrationClosesAt", "Registration must close after it opens.")
    if closes_at and starts_at and closes_at > starts_at:
        errors.add(
            ErrorCode.INVALID,
            "registrationClosesAt",
            "Registration must close by the time the seminar starts.",
        )
    co_hosts = await Organization.filter(id__in=set(data.co_host_ids), kind=OrganizationKind.CONGLOMERATE)
    if len(co_hosts) != len(set(data.co_host_ids)):
        errors.add(ErrorCode.INVALID, "coHostIds", "Co-hosts must be member conglomerates.")
    errors.raise_if_any()
    assert starts_at and ends_at and closes_at
    return _Checked(data, starts_at, ends_at, opens_at, closes_at, list(co_hosts))


def venue_key(venue: str) -> str:
    """One room however it is typed: "코엑스 401호", "코엑스401호" and "코엑스 ４０１호" are the same venue
    (compatibility forms folded, case folded, every space and invisible format character left out)."""
    folded = unicodedata.normalize("NFKC", venue).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


async def _refuse_a_taken_venue(
    connection: BaseDBAsyncClient, checked: _Checked, *, exclude_id: int | None = None
) -> None:
    """Inside the transaction that writes the seminar: two people booking one venue at once would both
    find it free, so on PostgreSQL the second waits here for the first to commit (SQLite runs one write
    transaction at a time)."""
    venue = checked.data.venue.strip()
    key = venue_key(venue)
    if not key:
        return
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query(
            "SELECT pg_advisory_xact_lock(hashtext('seminar venue'), hashtext($1))", [key]
        )
    # The seminars overlapping these hours are few: their venues are compared in Python, as typed people see them.
    overlapping = (
        await Seminar.filter(status__in=LIVE, starts_at__lt=checked.ends_at, ends_at__gt=checked.starts_at)
        .using_db(connection)
        .exclude(id=exclude_id or 0)
        .exclude(venue="")
        .order_by("starts_at")
    )
    clash = next((s for s in overlapping if venue_key(s.venue) == key), None)
    if clash is not None:
        raise DomainError.single(
            ErrorCode.DUPLICATE,
            "%(venue)s is already taken by “%(title)s” from %(start)s to %(end)s.",
            "venue",
            venue=venue,
            title=clash.title_ko,
            start=clash.starts_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M"),
            end=clash.ends_at.astimezone(SEOUL).strftime("%H:%M"),
        )


def _fields(checked: _Checked) -> dict[str, Any]:
    data = checked.data
    return {
        "title_ko": data.title_ko.strip(),
        "title_en": data.title_en.strip(),
        "description_ko": data.description_ko.strip(),
        "description_en": data.description_en.strip(),
        "topic": data.topic,
        "speakers": data.speakers.strip(),
        "venue": data.venue.strip(),
        "online_url": data.online_url.strip(),
        "starts_at": checked.starts_at,
        "ends_at": checked.ends_at,
        "registration_opens_at": checked.opens_at,
        "registration_closes_at": checked.closes_at,
        "seats_per_organization": data.seats_per_organization,
        "audience": data.audience,
    }


async def schedule_seminar(*, actor: Actor | None, data: SeminarInput) -> Seminar:
    """A draft seminar; nobody but the secretariat sees it until it is published."""
    actor = require_secretariat(actor)
    checked = await _check(data)
    async with in_transaction() as connection:
        await _refuse_a_taken_venue(connection, checked)
        seminar = await Seminar.create(**_fields(checked), capacity=data.capacity, created_by=actor.user)
        if checked.co_hosts:
            await seminar.co_hosts.add(*checked.co_hosts)
        await audit.record(
            "seminar.schedule",
            seminar,
            actor=actor,
            after={
                "title": seminar.title_ko,
                "starts_at": str(seminar.starts_at),
                "capacity": seminar.capacity,
            },
        )
    return seminar


async def locked_seminar(seminar_id: int) -> Seminar:
    seminar = await Seminar.filter(id=seminar_id).select_for_update().first()
    if seminar is None:
        raise not_found("seminar")
    return seminar


async def update_seminar(*, actor: Actor | None, seminar_id: int, data: SeminarInput) -> Seminar:
    """Change a draft or published seminar; more seats promote from the waiting list at once."""

    actor = require_secretariat(actor)
    checked = await _check(data)
    assert data.capacity is not None
    async with in_transaction() as connection:
        seminar = await locked_seminar(seminar_id)
        if seminar.status not in LIVE:
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "A cancelled or completed seminar cannot be changed."
            )
        await _refuse_a_taken_venue(connection, checked, exclude_id=seminar_id)
        if data.capacity < seminar.registered_count:
            raise DomainError.single(
                ErrorCode.INVALID,
                "%(count)s people are registered: the capacity cannot go below that.",
                "capacity",
                count=seminar.registered_count,
            )
        before = {"capacity": seminar.capacity, "starts_at": str(seminar.starts_at), "venue": seminar.venue}
        await Seminar.filter(id=seminar.id).update(**_fields(checked), capacity=data.capacity)
        await seminar.co_hosts.clear()
        if checked.co_hosts:
            await seminar.co_hosts.add(*checked.co_hosts)
        await seminar.refresh_from_db()
        await audit.record(
            "seminar.update",
            seminar,
            actor=actor,
            before=before,
            after={"capacity": seminar.capacity, "starts_at": str(seminar.starts_at), "venue": seminar.venue},
        )
        if seminar.status == SeminarStatus.PUBLISHED:
            await promote(seminar)
    return seminar


async def publish_seminar(*, actor: Actor | None, seminar_id: int) -> Seminar:
    actor = require_secretariat(actor)
    async with in_transaction():
        seminar = await locked_seminar(seminar_id)
        if seminar.status != SeminarStatus.DRAFT:
            raise DomainError.single(ErrorCode.INVALID_STATE, "Only a draft can be published.")
        seminar.status = SeminarStatus.PUBLISHED
        await seminar.save(update_fields=["status"])
        await audit.record(
            "seminar.publish", seminar, actor=actor, before={"status": "draft"}, after={"status": "published"}
        )
    return seminar


async def cancel_seminar(*, actor: Actor | None, seminar_id: int, reason: str) -> Seminar:
    """Call a seminar off; everyone registered or waiting is told by mail."""
    actor = require_secretariat(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError.single(ErrorCode.REQUIRED, "Give a reason for cancelling the seminar.", "reason")
    async with in_transaction():
        seminar = await locked_seminar(seminar_id)
        if seminar.status not in LIVE:
            raise DomainError.single(
                ErrorCode.INVALID_STATE, "This seminar is already cancelled or completed."
            )
        before = seminar.status.value
        seminar.status = SeminarStatus.CANCELLED
        await seminar.save(update_fields=["status"])
        await audit.record(
            "seminar.cancel",
            seminar,
            actor=actor,
            before={"status": before},
            after={"status": "cancelled", "reason": reason},
        )
        people = await User.filter(
            registrations__seminar_id=seminar.id,
            registrations__status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED],
        ).distinct()
        for person in people:
            await queue_mail(person.email, "seminar_cancelled", seminar=seminar, person=person, reason=reason)
    return seminar


async def complete_past_seminars() -> int:
    """Published seminars that have ended become completed (periodic job): certificates open then."""
    return await Seminar.filter(status=SeminarStatus.PUBLISHED, ends_at__lt=now()).update(
        status=SeminarStatus.COMPLETED
    )
