"""In Chromium on a 390 px phone: the secretariat publishes a new privacy notice after a confirmation, and a
member who accepted the old one is asked for the new one at their next page, with what changed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import expect

from server.models import PrivacyNotice, User
from server.privacy import notice
from tests.browser.test_report_pages import _fits, _phone
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")


@pytest.fixture(autouse=True)
async def _forget_the_version() -> AsyncIterator[None]:
    notice.forget_current_version()
    yield
    notice.forget_current_version()


async def test_the_secretariat_publishes_a_notice_and_a_member_accepts_it_at_the_next_page(
    browser: Any, live_server: str, world: World
) -> None:
    secretariat = await _phone(browser, live_server, world.admin)
    await _fits(secretariat, "/privacy/notice/publish")
    await secretariat.get_by_label("현재 판에서 바뀐 내용").fill("보유 기간을 1년으로 줄였습니다.")
    await secretariat.get_by_label("본문(국문)").fill("개인정보 처리방침 (제2판)\n보유 기간: 1년")
    await secretariat.get_by_role("button", name="게시…").click()
    await expect(secretariat.get_by_role("heading", name="제2판을 게시할까요?")).to_be_visible()
    assert await PrivacyNotice.all().count() == 1  # the confirmation publishes nothing yet
    assert (
        await secretariat.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        <= 0
    )
    await secretariat.get_by_role("button", name="예, 게시합니다").click()
    await expect(secretariat.get_by_text("제2판이 게시되었습니다")).to_be_visible()
    assert (await PrivacyNotice.get(version=2)).text_ko == "개인정보 처리방침 (제2판)\n보유 기간: 1년"
    assert await secretariat.evaluate("window.__violations") == []

    member = await _phone(browser, live_server, world.hanbit_rep)
    await member.goto("/claims")
    await expect(member).to_have_url(f"{live_server}/privacy/notice?next=/claims")
    await expect(member.get_by_text("보유 기간을 1년으로 줄였습니다.")).to_be_visible()
    await member.get_by_role("button", name="개인정보 처리방침에 동의합니다").click()
    await expect(member).to_have_url(f"{live_server}/claims")
    assert (await User.get(id=world.hanbit_rep.user.id)).privacy_notice_version == 2
    assert await member.evaluate("window.__violations") == []
    for page in (secretariat, member):
        await page.context.close()
