"""The seminar pages, as a browser without JavaScript uses them."""

from __future__ import annotations

import csv
import io
import re

import httpx

from server.models import AuditEntry, Registration, RegistrationStatus, Seminar, SeminarStatus
from tests.support.costs import sme_partner
from tests.support.pages import sign_in_as, submit
from tests.support.queries import QueryCounter
from tests.support.seminars import days_ahead, published, register
from tests.support.world import World


async def test_the_secretariat_schedules_with_the_form_and_a_venue_clash_is_explained_in_korean(
    client: httpx.AsyncClient, world: World
) -> None:
    await published(world.admin, title_ko="기술임치 제도 설명회")
    await sign_in_as(client, world.admin.email, world.admin.password)
    form = {
        "title_ko": "보안 점검 실습",
        "topic": "security_controls",
        "venue": "코엑스 301호",
        "starts_at": days_ahead(10, 15).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": days_ahead(10, 18).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "audience": "everyone",
        "co_host_ids": str(world.samsung.id),
    }
    clash = await submit(client, "/seminars/new", "/seminars", form)
    assert clash.status_code == 400
    assert (
        "「기술임치 제도 설명회」 일정이 있어 사용할 수 없습니다" in clash.text
        and 'value="보안 점검 실습"' in clash.text
    )
    moved = await submit(client, "/seminars/new", "/seminars", {**form, "venue": "코엑스 302호"})
    assert moved.status_code == 303
    seminar = await Seminar.get(title_ko="보안 점검 실습")
    assert seminar.starts_at == days_ahead(10, 15) and seminar.status == SeminarStatus.DRAFT
    url = moved.headers["location"]
    assert (await submit(client, url, f"{url}/publish", {})).status_code == 303
    asked = await submit(client, url, f"{url}/cancel", {})
    assert "세미나를 취소할까요" in asked.text
    assert (await Seminar.get(id=seminar.id)).status == SeminarStatus.PUBLISHED


async def test_the_programme_shows_the_month_as_a_list_and_a_calendar_with_seats_left(
    client: httpx.AsyncClient, world: World, queries: QueryCounter
) -> None:
    for day in range(3, 9):
        await published(
            world.admin,
            venue=f"세미나실 {day}",
            starts_at=days_ahead(day),
            ends_at=days_ahead(day, 16),
            capacity=30,
        )
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    month = days_ahead(3).strftime("%Y-%m")
    queries.reset()
    listing = await client.get(f"/seminars?month={month}")
    assert queries.count <= 6, queries.statements
    assert "잔여 30석" in listing.text
    calendar = await client.get(f"/seminars?month={month}&view=calendar")
    assert calendar.text.count('class="event"') == sum(
        1 for day in range(3, 9) if days_ahead(day).strftime("%Y-%m") == month
    )
    filtered = await client.get(f"/seminars?month={month}&topic=escrow")
    assert "이 달에는 세미나가 없습니다" in filtered.text
    by_host = await client.get(f"/seminars?month={month}&co_host={world.samsung.id}")
    assert f'<option value="{world.samsung.id}" selected>삼성전자</option>' in by_host.text
    assert "이 달에는 세미나가 없습니다" in by_host.text  # none of them is co-hosted


async def test_a_busy_month_lists_thirty_seminars_a_page_and_the_calendar_holds_them_all(
    client: httpx.AsyncClient, world: World
) -> None:
    first_day = days_ahead(40).replace(day=1)
    for i in range(35):
        starts = first_day.replace(day=1 + i % 28, hour=9 + i // 28 * 5)
        await published(
            world.admin, venue=f"세미나실 {i}", starts_at=starts, ends_at=starts.replace(hour=starts.hour + 2)
        )
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    month = first_day.strftime("%Y-%m")

    listing = await client.get(f"/seminars?month={month}")
    assert listing.text.count('class="card"') == 30
    after = re.search(r'href="(/seminars\?[^"]*after=[^"]+)"', listing.text)
    assert after, "a next-page link"
    rest = await client.get(after.group(1).replace("&amp;", "&"))
    assert rest.text.count('class="card"') == 5 and "다음 페이지" not in rest.text
    shown = re.findall(r'href="/seminars/(\d+)"', listing.text + rest.text)
    assert len(set(shown)) == len(shown) == 35
    calendar = await client.get(f"/seminars?month={month}&view=calendar")
    assert calendar.text.count('class="event"') == 35


async def test_a_person_registers_from_the_page_and_sees_their_waiting_list_position(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin, capacity=1)
    other = await sme_partner(world.samsung, "세진테크", "214860001")
    await register(other, seminar)
    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    url = f"/seminars/{seminar.id}"
    page = await client.get(url)
    assert "대기 신청" in page.text
    assert (await submit(client, url, f"{url}/register", {})).status_code == 303
    assert "대기 1번입니다" in (await client.get(url)).text
    mine = await Registration.get(seminar_id=seminar.id, user_id=world.hanbit_rep.user.id)
    cancelled = await submit(client, url, f"{url}/unregister", {"registration_id": str(mine.id)})
    assert cancelled.status_code == 303
    assert (await Registration.get(id=mine.id)).status == RegistrationStatus.CANCELLED


async def test_check_in_on_the_day_attendance_export_and_certificate(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    hanbit = await register(world.hanbit_rep, seminar)
    await register(await sme_partner(world.samsung, "세진테크", "214860001"), seminar)
    await sign_in_as(client, world.admin.email, world.admin.password)
    url = f"/seminars/{seminar.id}/check-in"
    found = await client.get(f"{url}?q=한빛")
    assert "이대표" in found.text and "세진테크" not in found.text
    assert (await submit(client, f"{url}?q=한빛", f"{url}/{hanbit.id}", {"q": "한빛"})).status_code == 303
    assert (await Registration.get(id=hanbit.id)).status == RegistrationStatus.ATTENDED
    export = await client.get(f"/seminars/{seminar.id}/attendance.csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[0][:2] == ["이름", "소속"] and {r[3] for r in rows[1:]} == {"참석", "참가 확정"}

    await sign_in_as(client, world.hanbit_rep.email, world.hanbit_rep.password)
    assert (await client.get(f"/seminars/{seminar.id}/certificate")).status_code == 404  # not over yet
    await Seminar.filter(id=seminar.id).update(
        status=SeminarStatus.COMPLETED, starts_at=days_ahead(-1), ends_at=days_ahead(-1, 17)
    )
    certificate = await client.get(f"/seminars/{seminar.id}/certificate")
    assert (
        certificate.status_code == 200 and "참석 확인서" in certificate.text and "이대표" in certificate.text
    )


async def test_a_second_tap_on_check_in_shows_the_list_saying_so_and_checks_in_once(
    client: httpx.AsyncClient, world: World
) -> None:
    seminar = await published(world.admin)
    hanbit = await register(world.hanbit_rep, seminar)
    await sign_in_as(client, world.admin.email, world.admin.password)
    url = f"/seminars/{seminar.id}/check-in"
    assert (await submit(client, url, f"{url}/{hanbit.id}", {"q": ""})).status_code == 303
    again = await submit(client, url, f"{url}/{hanbit.id}", {"q": ""})
    assert again.status_code == 400 and "이대표" in again.text and 'role="alert"' in again.text
    assert await AuditEntry.filter(action="registration.check_in").count() == 1


async def test_only_the_secretariat_reaches_check_in(client: httpx.AsyncClient, world: World) -> None:
    seminar = await published(world.admin)
    registration = await register(world.hanbit_rep, seminar)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    assert (await client.get(f"/seminars/{seminar.id}/check-in")).status_code == 404
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/seminars")).text)
    assert token
    posted = await client.post(
        f"/seminars/{seminar.id}/check-in/{registration.id}", data={"csrf_token": token.group(1)}
    )
    assert posted.status_code == 404
    assert (await Registration.get(id=registration.id)).status == RegistrationStatus.REGISTERED
