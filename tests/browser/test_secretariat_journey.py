"""In Chromium, on a phone-sized screen: the secretariat signs in, registers a member, invites its coordinator,
and the coordinator joins from the link."""

from __future__ import annotations

import os
import re
from typing import Any

from playwright.async_api import expect

from server.models import Organization
from server.platform.outbox import MailWorker
from tests.support.menu import open_menu
from tests.support.smtp import SmtpServer
from tests.support.world import World

SCREENSHOTS = os.environ.get("CLUB_SCREENSHOTS")


async def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        await page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


async def test_the_secretariat_registers_a_member_and_its_coordinator_joins(
    page: Any, world: World, browser: Any, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/signin\?next=/$"))
    await page.get_by_label("이메일").fill(world.admin.email)
    await page.get_by_label("비밀번호").fill("wrong-password-1")
    await page.get_by_role("button", name="로그인").click()
    await expect(page.get_by_role("alert")).to_contain_text("이메일 또는 비밀번호가 올바르지 않습니다")
    await page.get_by_label("비밀번호").fill(world.admin.password)
    await page.get_by_role("button", name="로그인").click()
    await expect(page.get_by_role("heading", name="사무국 대시보드")).to_be_visible()
    await _shot(page, "dashboard")

    await page.get_by_role("link", name="기관 등록").click()
    await page.get_by_label("유형").select_option("conglomerate")
    await page.get_by_label("기관명(국문)").fill("현대자동차")
    await page.get_by_label("기관명(영문, 선택)").fill("Hyundai Motor")
    await page.get_by_label("사업자등록번호").fill("134-86-72684")
    await page.get_by_role("button", name="등록").click()
    await expect(page.locator("#businessNumber-error")).to_contain_text("올바른 사업자등록번호가 아닙니다")
    await _shot(page, "form-error")
    await page.get_by_label("사업자등록번호").fill("134-86-72683")
    await page.get_by_role("button", name="등록").click()
    await expect(page.get_by_role("heading", name="현대자동차")).to_be_visible()
    hyundai = await Organization.get(business_number="1348672683")

    await page.get_by_role("button", name="가입 승인").click()
    await expect(page.locator(".badge").first).to_have_text("활동 중")
    await page.get_by_label("이메일").fill("coordinator@hyundai.test")
    await page.get_by_role("button", name="초대 메일 보내기").click()
    await expect(page.get_by_role("status")).to_contain_text("초대 메일을 보냈습니다")
    await _shot(page, "organization")

    # The outbox shows the invitation, but not its link: only the invited person may use it.
    await open_menu(page)
    await page.get_by_role("link", name="발송 메일함").click()
    await page.locator("main summary").first.click()
    body = await page.locator("pre").first.inner_text()
    assert "/invitations/[hidden]" in body, body

    assert await mail_worker.run_once() == 1
    (invitation,) = smtp.inbox.to("coordinator@hyundai.test")
    joining = await (await browser.new_context(locale="ko-KR")).new_page()
    await joining.goto(smtp.inbox.link_in(invitation, "/invitations/"))
    await expect(joining.get_by_text("현대자동차에 초대되었습니다")).to_be_visible()
    await joining.get_by_label("이름").fill("정협력")
    await joining.get_by_label("비밀번호 설정 (10자 이상)").fill("hyundai-password")
    await joining.get_by_label("개인정보 수집·이용에 동의합니다").check()  # the notice, accepted on joining
    await joining.get_by_role("button", name="초대 수락").click()
    await expect(joining.get_by_role("heading", name="현대자동차")).to_be_visible()
    await expect(joining.get_by_text("아직 선언문에 서명하지 않았습니다")).to_be_visible()
    await _shot(joining, "coordinator-dashboard")
    await joining.context.close()
    assert hyundai.id


async def test_the_pages_switch_to_english(page: Any, world: World) -> None:
    await page.goto("/signin")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("E-mail").fill(world.hanbit_rep.email)
    await page.get_by_label("Password").fill(world.hanbit_rep.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Sponsoring conglomerates")).to_be_visible()
    await expect(page.get_by_role("cell", name="Samsung Electronics")).to_be_visible()
