"""In Chromium: an SME answers half the self-diagnosis, comes back, finishes, reads its result and
advice, shares it, and its sponsor finds it on the partner list by level."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from server.diagnosis.areas import VERSION_2
from tests.support.menu import open_menu
from tests.support.world import World


async def _answer(page: Any, categories: list[dict[str, Any]], label: str) -> None:
    for category in categories:
        for item in category["items"]:
            await page.locator(f"#q-{item['code']}").get_by_label(label).check()


async def test_an_sme_takes_the_diagnosis_over_two_visits_and_shares_it(
    page: Any, browser: Any, live_server: str, world: World
) -> None:
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(world.hanbit_rep.email)
    await page.get_by_label("비밀번호").fill(world.hanbit_rep.password)
    await page.get_by_role("button", name="로그인").click()
    await open_menu(page)
    await page.get_by_role("link", name="자가진단").click()
    categories = VERSION_2["categories"]  # the five national areas
    await _answer(page, categories[:2], "매우 그렇다")
    await page.get_by_role("button", name="저장하고 나중에 계속").click()
    await expect(page.get_by_role("status")).to_contain_text("답변을 저장했습니다")

    await page.goto("/")
    await page.goto("/diagnosis")
    await expect(page.locator("#q-m1").get_by_label("매우 그렇다")).to_be_checked()
    await _answer(page, categories[2:], "그렇지 않은 편이다")
    await page.get_by_role("button", name="제출하고 점수 보기").click()
    # (100*20 + 100*20 + 25*15 + 25*25 + 25*20) / 100 = 55
    await expect(page.locator("#overall")).to_have_text("55.0")
    await expect(page.locator("#level")).to_have_text("보통")
    await expect(page.locator("svg.radar")).to_be_visible()
    await expect(page.locator("#advice-technical")).to_contain_text("온라인 기술지킴서비스")

    await page.goto("/diagnosis")
    await page.get_by_role("button", name="후원 기업과 결과 공유하기").click()
    await expect(page.get_by_text("후원 기업이 귀사의 결과를 볼 수 있습니다.")).to_be_visible()

    sponsor = await (await browser.new_context(base_url=live_server, locale="ko-KR")).new_page()
    await sponsor.goto("/signin")
    await sponsor.get_by_label("이메일").fill(world.samsung_coordinator.email)
    await sponsor.get_by_label("비밀번호").fill(world.samsung_coordinator.password)
    await sponsor.get_by_role("button", name="로그인").click()
    await sponsor.goto("/partners")
    await sponsor.get_by_label("자가진단 등급").select_option("fair")
    await sponsor.get_by_role("button", name="검색").click()
    await expect(sponsor.get_by_role("cell", name="보통 (55.0)")).to_be_visible()
    await sponsor.context.close()
