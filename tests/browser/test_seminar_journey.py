"""In Chromium, on a phone-sized screen: the secretariat schedules and publishes a seminar, the
one seat goes to the first SME, the second waits and is promoted when the first cancels, and
the secretariat checks them in on the day."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from server.models import OutgoingMail, Registration, RegistrationStatus
from tests.support.costs import sme_partner
from tests.support.menu import open_menu
from tests.support.seminars import days_ahead
from tests.support.world import World


async def _window(browser: Any, live_server: str, email: str, password: str) -> Any:
    context = await browser.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
    )
    page = await context.new_page()
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(email)
    await page.get_by_label("비밀번호").fill(password)
    await page.get_by_role("button", name="로그인").click()
    return page


async def test_a_seminar_fills_up_a_place_frees_and_people_are_checked_in(
    page: Any, browser: Any, live_server: str, world: World
) -> None:
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(world.admin.email)
    await page.get_by_label("비밀번호").fill(world.admin.password)
    await page.get_by_role("button", name="로그인").click()
    await page.goto("/seminars/new")
    await page.get_by_label("제목 (한국어)").fill("기술유출 대응 실무 워크숍")
    await page.get_by_label("주제").select_option("leak_response")
    await page.get_by_label("삼성전자").check()
    await page.get_by_label("장소", exact=True).fill("코엑스 301호")
    await page.get_by_label("시작 (서울 시각)").fill(days_ahead(7, 14).strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("종료 (서울 시각)").fill(days_ahead(7, 17).strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("정원").fill("1")
    await page.get_by_role("button", name="저장").click()
    await page.get_by_role("button", name="공개").click()
    await expect(page.locator("#status")).to_have_text("공개")
    seminar_url = page.url

    hanbit = await _window(browser, live_server, world.hanbit_rep.email, world.hanbit_rep.password)
    await open_menu(hanbit)
    await hanbit.get_by_role("link", name="세미나", exact=True).click()
    await hanbit.get_by_role("link", name="기술유출 대응 실무 워크숍").click()
    await hanbit.get_by_role("button", name="참가 신청").click()
    await expect(hanbit.locator("#registration")).to_contain_text("참가가 확정되었습니다")

    second = await _window(browser, live_server, sejin.email, sejin.password)
    await second.goto(seminar_url)
    await second.get_by_role("button", name="대기 신청").click()
    await expect(second.locator("#registration")).to_contain_text("대기 1번입니다")

    await hanbit.get_by_role("button", name="참가 취소").click()
    await second.reload()
    await expect(second.locator("#registration")).to_contain_text("참가가 확정되었습니다")
    assert await OutgoingMail.filter(recipient=sejin.email, subject__contains="참가 확정").exists()

    await page.goto(seminar_url + "/check-in")
    await page.get_by_label("이름 또는 소속").fill("세진")
    await page.get_by_role("button", name="검색").click()
    await page.get_by_role("button", name="출석").click()
    await expect(page.locator(".checkin .badge")).to_have_text("참석")
    registration = await Registration.get(user_id=sejin.user.id)
    assert registration.status == RegistrationStatus.ATTENDED
