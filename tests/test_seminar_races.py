"""A popular seminar fills in minutes: many people registering and cancelling at once, on real
concurrent PostgreSQL connections (SQLite serialises writes, so these run in the PostgreSQL pass)."""

from __future__ import annotations

import asyncio
import time

import pytest

from server.models import AuditEntry, Registration, RegistrationStatus, RoleKind, Seminar, User
from server.platform.errors import DomainError
from server.seminars.registrations import cancel_registration, register_for_seminar
from server.seminars.schedule import schedule_seminar, update_seminar
from tests.support.costs import acting
from tests.support.seminars import days_ahead, plan, published
from tests.support.world import _HASH, Person, World

pytestmark = pytest.mark.postgres_only


async def sme_staff(world: World, count: int) -> list[Person]:
    """`count` people of the one SME (no per-organisation limit in these seminars)."""
    await User.bulk_create(
        [User(email=f"staff{i}@hanbit.test", name=f"직원{i:03d}", password_hash=_HASH) for i in range(count)]
    )
    users = await User.filter(email__startswith="staff").order_by("id")
    return [Person(user, world.hanbit, user.email) for user in users]


async def check_waiting_list(seminar_id: int, registered: int, waiting: int) -> None:
    seminar = await Seminar.get(id=seminar_id)
    rows = await Registration.filter(seminar_id=seminar_id)
    seated = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    positions = sorted(r.waitlist_position for r in rows if r.status == RegistrationStatus.WAITLISTED)
    assert seminar.registered_count == len(seated) == registered
    assert positions == list(range(1, waiting + 1))  # never duplicated, never skipped


async def test_a_hundred_people_registering_at_once_for_ten_seats(world: World) -> None:
    seminar = await published(world.admin, capacity=10)
    people = await sme_staff(world, 100)
    started = time.perf_counter()
    results = await asyncio.gather(
        *(
            register_for_seminar(actor=acting(p, RoleKind.SME_REPRESENTATIVE), seminar_id=seminar.id)
            for p in people
        )
    )
    elapsed = time.perf_counter() - started
    assert sum(r.status == RegistrationStatus.REGISTERED for r in results) == 10
    await check_waiting_list(seminar.id, registered=10, waiting=90)
    print(
        f"\n100 concurrent registrations for 10 seats: 10 registered, 90 waitlisted 1-90 in {elapsed:.2f} s"
    )


async def test_cancellations_at_once_promote_each_waiting_person_at_most_once(world: World) -> None:
    seminar = await published(world.admin, capacity=10)
    people = await sme_staff(world, 40)
    registrations = [
        await register_for_seminar(actor=acting(p, RoleKind.SME_REPRESENTATIVE), seminar_id=seminar.id)
        for p in people
    ]
    seated = registrations[:10]
    # Eight seated people and five waiting people cancel at the same moment.
    leaving = [
        *zip(people[:8], seated[:8], strict=True),
        *zip(people[20:25], registrations[20:25], strict=True),
    ]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            cancel_registration(actor=acting(p, RoleKind.SME_REPRESENTATIVE), registration_id=r.id)
            for p, r in leaving
        )
    )
    elapsed = time.perf_counter() - started
    await check_waiting_list(seminar.id, registered=10, waiting=40 - 10 - 8 - 5)
    promotions = await Registration.filter(
        seminar_id=seminar.id, status=RegistrationStatus.REGISTERED, id__in=[r.id for r in registrations[10:]]
    ).count()
    assert promotions == 8
    promoted_ids = await AuditEntry.filter(action="registration.promote").values_list("record_id", flat=True)
    assert len(promoted_ids) == len(set(promoted_ids)) == 8
    print(f"\n13 concurrent cancellations: 8 promotions, each once, in {elapsed:.2f} s")


async def test_a_venue_booked_by_several_staff_at_once_goes_to_one_seminar(world: World) -> None:
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    elsewhere = [
        await schedule_seminar(actor=secretariat, data=plan(venue=f"세미나실 {i}")) for i in range(5)
    ]
    # Ten new seminars and five moved ones all want 코엑스 301호 on overlapping afternoons.
    wanting = [
        *(
            schedule_seminar(
                actor=secretariat, data=plan(starts_at=days_ahead(10, 13 + i % 3), ends_at=days_ahead(10, 17))
            )
            for i in range(10)
        ),
        *(update_seminar(actor=secretariat, seminar_id=s.id, data=plan()) for s in elsewhere),
    ]
    results = await asyncio.gather(*wanting, return_exceptions=True)

    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 14 and all(e.errors[0].code.value == "duplicate" for e in refused)
    assert await Seminar.filter(venue="코엑스 301호").count() == 1


async def test_one_venue_typed_several_ways_at_once_goes_to_one_seminar(world: World) -> None:
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    spellings = ["코엑스 401호", "코엑스401호", "코엑스 ４０１호", " 코엑스\u3000401호", "코엑스 401 호"]
    results = await asyncio.gather(
        *(schedule_seminar(actor=secretariat, data=plan(venue=v)) for v in spellings * 2),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 9 and all(e.errors[0].code.value == "duplicate" for e in refused), results
    assert await Seminar.all().count() == 1
