"""Joint seminars and registrations: types, queries and mutations."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry

from schema.connection import Connection
from schema.context import Info, related, related_many
from schema.errors import DomainErrors, Payload, found_or_none
from schema.organizations import OrganizationNode, related_organization
from server.models import (
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarAudience,
    SeminarStatus,
    User,
)
from server.platform.timeutil import in_seoul, in_seoul_or_none
from server.seminars import queries, registrations, seminar_list
from server.seminars import schedule as seminars
from server.seminars.queries import SeminarFilter
from server.seminars.registration_list import my_registrations
from server.seminars.schedule import SeminarTopic


@strawberry.type(name="Seminar")
class SeminarNode:
    id: int
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    speakers: str
    venue: str
    online_url: str
    capacity: int
    registered_count: int
    seats_per_organization: int | None
    audience: SeminarAudience
    status: SeminarStatus

    @strawberry.field
    def topic(self) -> SeminarTopic:
        return SeminarTopic(cast(Seminar, self).topic)

    @strawberry.field
    def seats_left(self) -> int:
        return cast(Seminar, self).seats_left

    @strawberry.field
    def starts_at(self) -> datetime.datetime:
        return in_seoul(cast(Seminar, self).starts_at)

    @strawberry.field
    def ends_at(self) -> datetime.datetime:
        return in_seoul(cast(Seminar, self).ends_at)

    @strawberry.field
    def registration_opens_at(self) -> datetime.datetime:
        return in_seoul(cast(Seminar, self).registration_opens_at)

    @strawberry.field
    def registration_closes_at(self) -> datetime.datetime:
        return in_seoul(cast(Seminar, self).registration_closes_at)

    @strawberry.field
    def co_hosts(self) -> list[OrganizationNode]:
        return cast(list[OrganizationNode], related_many(cast(Seminar, self).co_hosts))

    @strawberry.field(description="Where to download this seminar as a calendar file.")
    def ics_url(self, info: Info) -> str:
        return f"{info.context.settings.base_url}/seminars/{cast(Seminar, self).id}.ics"

    @strawberry.field(
        description="Secretariat: everyone registered or waiting. Co-hosting coordinators: their partners. "
        "Others: null."
    )
    async def registrations(
        self, info: Info, search: str = "", first: int | None = None, after: str | None = None
    ) -> Connection[RegistrationNode] | None:
        page = await registrations.seminar_registrations(
            info.context.actor, cast(Seminar, self), search=search, first=first, after=after
        )
        return cast(Connection[RegistrationNode], Connection.of(page, after)) if page is not None else None


@strawberry.type
class Person:
    id: int
    name: str


@strawberry.type(name="Registration")
class RegistrationNode:
    id: int
    status: RegistrationStatus
    waitlist_position: int | None = strawberry.field(description="1 is next in line.")

    @strawberry.field
    def seminar(self, info: Info) -> SeminarNode:
        return related(cast(Registration, self), "seminar", Seminar, info.context.loaders.seminar)

    @strawberry.field(description="Who registered: the user's id and name, nothing more.")
    def person(self, info: Info) -> Person:
        return related(cast(Registration, self), "user", User, info.context.loaders.user)

    @strawberry.field
    def organization(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "organization")

    @strawberry.field
    def registered_at(self) -> datetime.datetime:
        return in_seoul(cast(Registration, self).registered_at)

    @strawberry.field
    def checked_in_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(Registration, self).checked_in_at)


@strawberry.input
class SeminarInput:
    title_ko: str
    starts_at: datetime.datetime = strawberry.field(description="Without an offset, Seoul time.")
    ends_at: datetime.datetime
    capacity: int
    topic: SeminarTopic = SeminarTopic.OTHER
    title_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    speakers: str = ""
    venue: str = ""
    online_url: str = ""
    co_host_ids: list[int] = strawberry.field(default_factory=list)
    registration_opens_at: datetime.datetime | None = strawberry.field(
        default=None, description="Now, if left out."
    )
    registration_closes_at: datetime.datetime | None = strawberry.field(
        default=None, description="The start, if left out."
    )
    seats_per_organization: int | None = None
    audience: SeminarAudience = SeminarAudience.EVERYONE


def _input(data: SeminarInput) -> seminars.SeminarInput:
    values: dict[str, Any] = dict(vars(data))
    values["topic"] = data.topic.value
    return seminars.SeminarInput(**values)


@strawberry.type
class SeminarQueries:
    @strawberry.field(description="The programme in date order (Seoul): drafts only for the secretariat.")
    async def seminars(
        self,
        info: Info,
        starts_from: datetime.datetime | None = None,
        starts_before: datetime.datetime | None = None,
        topic: SeminarTopic | None = None,
        co_host_id: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SeminarNode]:
        where = SeminarFilter(starts_from, starts_before, topic.value if topic else None, co_host_id)
        page = await seminar_list.list_seminars(info.context.actor, where, first=first, after=after)
        return cast(Connection[SeminarNode], Connection.of(page, after))

    @strawberry.field(description="Null when it does not exist or is not yours to see.")
    async def seminar(self, info: Info, id: int) -> SeminarNode | None:
        return cast(SeminarNode | None, await found_or_none(queries.get_seminar(info.context.actor, id)))

    @strawberry.field(description="The signed-in person's registrations, newest first.")
    async def my_registrations(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[RegistrationNode]:
        page = await my_registrations(info.context.actor, first=first, after=after)
        return cast(Connection[RegistrationNode], Connection.of(page, after))


@strawberry.type
class SeminarPayload(Payload):
    seminar: SeminarNode | None = None


@strawberry.type
class RegistrationPayload(Payload):
    registration: RegistrationNode | None = None


def _seminar(seminar: Seminar) -> SeminarPayload:
    return SeminarPayload(seminar=cast(SeminarNode, seminar))


def registration_payload(registration: Registration) -> RegistrationPayload:
    return RegistrationPayload(registration=cast(RegistrationNode, registration))


@strawberry.type
class SeminarMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="Secretariat: a draft seminar.")
    async def schedule_seminar(self, info: Info, input: SeminarInput) -> SeminarPayload:
        return _seminar(await seminars.schedule_seminar(actor=info.context.actor, data=_input(input)))

    @strawberry.mutation(extensions=[DomainErrors()], description="More seats promote from the waiting list.")
    async def update_seminar(self, info: Info, seminar_id: int, input: SeminarInput) -> SeminarPayload:
        return _seminar(
            await seminars.update_seminar(actor=info.context.actor, seminar_id=seminar_id, data=_input(input))
        )

    @strawberry.mutation(extensions=[DomainErrors()])
    async def publish_seminar(self, info: Info, seminar_id: int) -> SeminarPayload:
        return _seminar(await seminars.publish_seminar(actor=info.context.actor, seminar_id=seminar_id))

    @strawberry.mutation(
        extensions=[DomainErrors()], description="Everyone registered or waiting is told by mail."
    )
    async def cancel_seminar(self, info: Info, seminar_id: int, reason: str) -> SeminarPayload:
        return _seminar(
            await seminars.cancel_seminar(actor=info.context.actor, seminar_id=seminar_id, reason=reason)
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="A seat, or a place on the waiting list.")
    async def register_for_seminar(self, info: Info, seminar_id: int) -> RegistrationPayload:
        return registration_payload(
            await registrations.register_for_seminar(actor=info.context.actor, seminar_id=seminar_id)
        )

    @strawberry.mutation(
        extensions=[DomainErrors()], description="The first who fits on the waiting list moves up."
    )
    async def cancel_registration(self, info: Info, registration_id: int) -> RegistrationPayload:
        return registration_payload(
            await registrations.cancel_registration(actor=info.context.actor, registration_id=registration_id)
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="Secretariat, on the day.")
    async def check_in(self, info: Info, registration_id: int) -> RegistrationPayload:
        return registration_payload(
            await registrations.check_in(actor=info.context.actor, registration_id=registration_id)
        )
