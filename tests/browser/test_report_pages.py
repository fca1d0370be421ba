"""In Chromium on a 390 px phone: the report pages fit the screen without scrolling sideways, run under the
Content-Security-Policy, and print without their buttons and forms."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.support.club_year import club_year
from tests.support.world import Person, World

pytestmark = pytest.mark.usefixtures("settings")


async def _phone(browser: Any, live_server: str, person: Person) -> Any:
    context = await browser.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
    )
    await context.add_init_script(RECORD_VIOLATIONS)
    page = await context.new_page()
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(person.email)
    await page.get_by_label("비밀번호").fill(person.password)
    await page.get_by_role("button", name="로그인").click()
    await expect(page.get_by_role("banner").get_by_role("button", name="로그아웃")).to_be_visible()
    return page


async def _fits(page: Any, path: str) -> None:
    response = await page.goto(path)
    assert response.status == 200, path
    # Chromium stretches innerWidth to a too-wide page: compare the document with the viewport instead.
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert await page.evaluate("window.__violations") == []


async def _fits_and_prints(page: Any, path: str) -> None:
    await _fits(page, path)
    chart = page.locator("svg.chart.hbar").first
    assert (await chart.bounding_box())["width"] <= 390
    await page.emulate_media(media="print")
    await expect(page.locator("form.filters")).to_be_hidden()
    await expect(chart).to_be_visible()
    await page.emulate_media(media="screen")


async def test_the_report_pages_fit_a_phone_and_print_without_their_controls(
    browser: Any, live_server: str, world: World
) -> None:
    await club_year(world)
    secretariat = await _phone(browser, live_server, world.admin)
    await _fits_and_prints(secretariat, "/reports")
    await _fits(secretariat, "/")
    sponsor = await _phone(browser, live_server, world.samsung_coordinator)
    await _fits_and_prints(sponsor, "/reports/sponsor")
    for page in (secretariat, sponsor):
        await page.context.close()
