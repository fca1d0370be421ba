"""The secretariat schedules joint seminars; people register, wait, are promoted, attend."""

from __future__ import annotations

from datetime import timedelta

import httpx
import icalendar
import pytest

from server.models import (
    AuditEntry,
    OutgoingMail,
    Registration,
    RegistrationStatus,
    RoleKind,
    Seminar,
    SeminarStatus,
)
from server.platform.errors import DomainError
from server.platform.timeutil import now
from server.seminars.registrations import cancel_registration, check_in, remind_tomorrow
from server.seminars.schedule import complete_past_seminars, update_seminar
from tests.support.costs import acting, sme_partner
from tests.support.graphql import gql, sign_in
from tests.support.pages import sign_in_as, submit
from tests.support.queries import QueryCounter
from tests.support.seminars import days_ahead, plan, published, register
from tests.support.world import Person, World, person

SCHEDULE = """
mutation($input: SeminarInput!) {
  scheduleSeminar(input: $input) {
    seminar { id status startsAt endsAt seatsLeft topic coHosts { nameKo } }
    errors { field code message }
  }
}"""
REGISTER = """
mutation($id: Int!) { registerForSeminar(seminarId: $id) {
  registration { id status waitlistPosition } errors { field code message } } }"""


async def staff(world: World, count: int) -> list[Person]:
    """SME staff from `count` different partner companies."""
    return [await sme_partner(world.samsung, f"교육협력사{i}", f"6168{i:05d}") for i in range(count)]


def positions(rows: list[Registration]) -> list[int | None]:
    return sorted(r.waitlist_position for r in rows if r.waitlist_position is not None)


async def test_the_secretariat_schedules_in_seoul_time_and_publishes_for_everyone(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.admin.email, world.admin.password)
    start = days_ahead(20).replace(tzinfo=None)
    data = await gql(
        client,
        SCHEDULE,
        {
            "input": {
                "titleKo": "영업비밀 보호 전략 세미나",
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "capacity": 80,
                "topic": "STRATEGY",
                "venue": "대한상공회의소 국제회의장",
                "coHostIds": [world.samsung.id, world.lg.id],
            }
        },
    )
    seminar = data["scheduleSeminar"]["seminar"]
    assert seminar["startsAt"] == start.isoformat() + "+09:00"
    assert seminar["status"] == "DRAFT" and seminar["seatsLeft"] == 80
    assert [h["nameKo"] for h in seminar["coHosts"]] == ["삼성전자", "LG전자"]

    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await gql(client, "{ seminars { totalCount } }"))["seminars"]["totalCount"] == 0
    await sign_in(client, world.admin.email, world.admin.password)
    await gql(
        client,
        "mutation($id: Int!) { publishSeminar(seminarId: $id) { errors { code } } }",
        {"id": seminar["id"]},
    )
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    listed = await gql(client, "{ seminars { totalCount nodes { titleKo seatsLeft } } }")
    assert listed["seminars"]["nodes"] == [{"titleKo": "영업비밀 보호 전략 세미나", "seatsLeft": 80}]


async def test_a_second_seminar_at_the_same_venue_and_time_is_refused_naming_the_first(
    client: httpx.AsyncClient, world: World
) -> None:
    await published(world.admin, title_ko="기술임치 제도 설명회")
    await sign_in(client, world.admin.email, world.admin.password)
    start = days_ahead(10, 16)
    clash = {
        "titleKo": "보안 점검 실습",
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=2)).isoformat(),
        "capacity": 20,
        "venue": " 코엑스 301호 ",
    }
    refused = (await gql(client, SCHEDULE, {"input": clash}))["scheduleSeminar"]
    [error] = refused["errors"]
    assert error["field"] == "venue" and error["code"] == "DUPLICATE"
    assert "기술임치 제도 설명회" in error["message"] and "14:00" in error["message"]
    later = {**clash, "startsAt": days_ahead(10, 17).isoformat(), "endsAt": days_ahead(10, 19).isoformat()}
    assert (await gql(client, SCHEDULE, {"input": later}))["scheduleSeminar"]["errors"] == []


@pytest.mark.parametrize(
    ("booked", "asked"),
    [
        ("코엑스 401호", "코엑스401호"),
        ("코엑스 401호", "코엑스\u3000４０１호"),
        ("COEX Hall A", "coex hall a"),
        ("Ｃｏｅｘ  Hall\tA", "COEX HALLA"),
    ],
    ids=["spaces", "full-width digits and ideographic space", "case", "full-width letters and tabs"],
)
async def test_a_venue_spelled_differently_is_still_the_same_venue(
    world: World, booked: str, asked: str
) -> None:
    first = await published(world.admin, venue=booked)
    with pytest.raises(DomainError) as refused:
        await published(world.admin, venue=asked, starts_at=days_ahead(10, 16))
    assert refused.value.errors[0].code.value == "duplicate" and refused.value.errors[0].field == "venue"
    assert (await Seminar.get(id=first.id)).venue == booked  # shown as typed


async def test_a_full_seminar_puts_people_on_a_waiting_list_and_a_cancellation_promotes_the_first(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin, capacity=2)
    people = await staff(world, 5)
    results = [await register(p, seminar) for p in people]
    assert [r.status for r in results] == ["registered"] * 2 + ["waitlisted"] * 3
    assert [r.waitlist_position for r in results[2:]] == [1, 2, 3]

    await sign_in(client, people[0].email, people[0].password)
    again = (await gql(client, REGISTER, {"id": seminar.id}))["registerForSeminar"]
    assert again["errors"][0]["code"] == "DUPLICATE"
    cancelled = await gql(
        client,
        "mutation($id: Int!) { cancelRegistration(registrationId: $id) { registration { status } errors { code } } }",
        {"id": results[0].id},
    )
    assert cancelled["cancelRegistration"]["registration"]["status"] == "CANCELLED"

    rows = await Registration.filter(seminar_id=seminar.id)
    promoted = next(r for r in rows if r.id == results[2].id)
    assert promoted.status == RegistrationStatus.REGISTERED and promoted.waitlist_position is None
    assert positions(rows) == [1, 2]  # no gap, no duplicate
    assert (await Seminar.get(id=seminar.id)).registered_count == 2
    assert await OutgoingMail.filter(recipient=people[2].email, subject__contains="참가 확정").exists()
    # Someone leaving the waiting list closes the gap too.
    await cancel_registration(
        actor=acting(people[3], RoleKind.SME_REPRESENTATIVE), registration_id=results[3].id
    )
    assert positions(await Registration.filter(seminar_id=seminar.id)) == [1]


async def test_seats_per_organisation_send_the_extra_colleague_to_the_waiting_list_and_promotion_skips_them(
    world: World,
) -> None:
    seminar = await published(world.admin, capacity=3, seats_per_organization=1)
    first = await register(world.hanbit_rep, seminar)
    colleague = await _colleague(world)
    waiting_colleague = await register(colleague, seminar)
    others = await staff(world, 3)
    seated = [await register(p, seminar) for p in others]
    assert (first.status, waiting_colleague.status) == ("registered", "waitlisted")
    assert [r.status for r in seated] == ["registered", "registered", "waitlisted"]
    # A seat from another company frees up: Hanbit already has its one seat, so the next in line moves up.
    await cancel_registration(
        actor=acting(others[0], RoleKind.SME_REPRESENTATIVE), registration_id=seated[0].id
    )
    assert (await Registration.get(id=waiting_colleague.id)).status == RegistrationStatus.WAITLISTED
    assert (await Registration.get(id=seated[2].id)).status == RegistrationStatus.REGISTERED
    assert positions(await Registration.filter(seminar_id=seminar.id)) == [1]


async def _colleague(world: World) -> Person:
    return await person("engineer@hanbit.test", world.hanbit, RoleKind.SME_REPRESENTATIVE, "박엔지니어")


async def test_registration_outside_the_window_or_the_audience_is_refused(world: World) -> None:
    closed = await published(
        world.admin, registration_opens_at=days_ahead(3), registration_closes_at=days_ahead(5)
    )
    with pytest.raises(DomainError) as early:
        await register(world.hanbit_rep, closed)
    assert early.value.errors[0].code == "not_eligible"
    for_smes = await published(
        world.admin, venue="온라인", online_url="https://meet.example/x", audience="sme_staff"
    )
    with pytest.raises(DomainError) as audience:
        await register(world.samsung_coordinator, for_smes, RoleKind.COORDINATOR)
    assert audience.value.errors[0].code == "not_eligible"
    assert (await register(world.hanbit_rep, for_smes)).status == "registered"


async def test_more_capacity_promotes_from_the_waiting_list_and_less_than_registered_is_refused(
    world: World,
) -> None:
    seminar = await published(world.admin, capacity=1)
    people = await staff(world, 3)
    for p in people:
        await register(p, seminar)
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    await update_seminar(actor=admin, seminar_id=seminar.id, data=plan(capacity=2))
    rows = await Registration.filter(seminar_id=seminar.id).order_by("id")
    assert [r.status for r in rows] == ["registered", "registered", "waitlisted"]
    assert positions(rows) == [1]
    with pytest.raises(DomainError) as below:
        await update_seminar(actor=admin, seminar_id=seminar.id, data=plan(capacity=1))
    assert below.value.errors[0].field == "capacity" and below.value.errors[0].params == {"count": 2}


async def test_cancelling_a_seminar_tells_everyone_registered_or_waiting(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin, capacity=1)
    people = await staff(world, 2)
    for p in people:
        await register(p, seminar)
    await sign_in(client, world.admin.email, world.admin.password)
    done = await gql(
        client,
        'mutation($id: Int!) { cancelSeminar(seminarId: $id, reason: "강사 사정") { seminar { status } } }',
        {"id": seminar.id},
    )
    assert done["cancelSeminar"]["seminar"]["status"] == "CANCELLED"
    told = await OutgoingMail.filter(subject__contains="취소 안내").values_list("recipient", flat=True)
    assert sorted(told) == sorted(p.email for p in people)


async def test_the_secretariat_checks_people_in_and_attendees_get_a_certificate_after_the_seminar(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    registration = await register(world.hanbit_rep, seminar)
    await check_in(actor=acting(world.admin, RoleKind.SECRETARIAT), registration_id=registration.id)
    assert (await Registration.get(id=registration.id)).status == RegistrationStatus.ATTENDED
    assert await AuditEntry.filter(action="registration.check_in").exists()
    await Seminar.filter(id=seminar.id).update(starts_at=days_ahead(-2), ends_at=days_ahead(-2, 17))
    assert await complete_past_seminars() == 1
    assert (await Seminar.get(id=seminar.id)).status == SeminarStatus.COMPLETED


async def test_co_hosting_coordinators_see_only_their_own_partners_registrations(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin, co_host_ids=[world.samsung.id])
    await register(world.hanbit_rep, seminar)  # Samsung's partner
    lg_partner = await sme_partner(world.lg, "엘지협력", "617800001")
    await register(lg_partner, seminar)
    query = "query($id: Int!) { seminar(id: $id) { registrations { totalCount nodes { organization { nameKo } } } } }"
    await sign_in(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    seen = (await gql(client, query, {"id": seminar.id}))["seminar"]["registrations"]
    assert seen == {"totalCount": 1, "nodes": [{"organization": {"nameKo": "한빛정밀"}}]}
    await sign_in(client, world.lg_coordinator.email, world.lg_coordinator.password)
    assert (await gql(client, query, {"id": seminar.id}))["seminar"]["registrations"] is None
    await sign_in(client, world.admin.email, world.admin.password)
    assert (await gql(client, query, {"id": seminar.id}))["seminar"]["registrations"]["totalCount"] == 2


async def test_a_reminder_goes_out_the_day_before_and_never_twice(world: World) -> None:
    seminar = await published(world.admin)
    await register(world.hanbit_rep, seminar)
    assert await remind_tomorrow() == 0
    await Seminar.filter(id=seminar.id).update(
        starts_at=now() + timedelta(hours=20), ends_at=now() + timedelta(hours=23)
    )
    assert await remind_tomorrow() == 1
    assert await remind_tomorrow() == 0
    assert await OutgoingMail.filter(recipient=world.hanbit_rep.email, subject__contains="내일").count() == 1


async def test_calendar_files_carry_the_seoul_zone_and_the_private_feed_can_be_rotated(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    await register(world.hanbit_rep, seminar)
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    download = await client.get(f"/seminars/{seminar.id}.ics")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(download.content)
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == days_ahead(10) and str(event["DTSTART"].params["TZID"]) == "Asia/Seoul"
    assert "Asia/Seoul" in [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]

    mine = await client.get("/my/registrations")
    feed_url = mine.text.split('id="feed-url" value="')[1].split('"')[0].removeprefix("http://testserver")
    feed = icalendar.Calendar.from_ical((await client.get(feed_url)).content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == [
        "기술유출 대응 실무 워크숍 / Leak-response workshop"
    ]
    await submit(client, "/my/registrations", "/my/calendar/rotate", {})
    assert (await client.get(feed_url)).status_code == 404


async def test_the_programme_query_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    for day in range(1, 13):
        await published(
            world.admin,
            venue=f"세미나실 {day}",
            starts_at=days_ahead(day),
            ends_at=days_ahead(day, 16),
            co_host_ids=[world.samsung.id],
        )
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    query = """query($first: Int) { seminars(first: $first) { totalCount
      nodes { id titleKo startsAt seatsLeft topic coHosts { nameKo } } } }"""
    counts = []
    for first in (3, 12):
        queries.reset()
        data = await gql(client, query, {"first": first})
        assert len(data["seminars"]["nodes"]) == first
        counts.append(queries.count)
    assert counts[0] == counts[1] <= 6, queries.statements


async def test_the_programme_query_pages_by_start_time_and_refuses_a_forged_cursor(
    client: httpx.AsyncClient, world: World
) -> None:
    import base64
    import json

    for day in range(1, 6):
        await published(
            world.admin, venue=f"세미나실 {day}", starts_at=days_ahead(day), ends_at=days_ahead(day, 16)
        )
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    query = """query($after: String) { seminars(first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { startsAt } } }"""
    seen, after = [], None
    while True:
        page = (await gql(client, query, {"after": after}))["seminars"]
        seen += [n["startsAt"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(set(seen)) == 5

    forged = base64.urlsafe_b64encode(json.dumps(["next tuesday", 1]).encode()).decode()
    response = await client.post(
        "/graphql", json={"query": query, "variables": {"after": forged}}, headers={"accept-language": "en"}
    )
    [error] = response.json()["errors"]
    assert error["message"] == "Invalid cursor." and "Traceback" not in response.text
