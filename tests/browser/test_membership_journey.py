"""In Chromium, on a phone-sized screen: a conglomerate applies from the public site, the secretariat admits
it, its contact joins from the invitation, finds where to start, signs the declaration and gets it as PDF."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from server.membership.business_number import complete
from server.models import MembershipApplication
from server.platform.outbox import MailWorker
from tests.support.smtp import SmtpServer
from tests.support.world import World

NUMBER = complete("220810001")


async def test_a_company_applies_is_admitted_and_its_coordinator_signs_the_declaration(
    page: Any, world: World, browser: Any, smtp: SmtpServer, mail_worker: MailWorker
) -> None:
    await page.goto("/signin")
    await page.get_by_role("link", name="클럽 회원 가입 신청").click()
    for field, value in {
        "#name_ko": "현대자동차",
        "#business_number": f"{NUMBER[:3]}-{NUMBER[3:5]}-{NUMBER[5:]}",
        "#representative_name": "정의선",
        "#contact_name": "최담당",
        "#contact_email": "choi@hyundai.test",
        "#signer_name": "정의선",
        "#signer_title": "대표이사",
    }.items():
        await page.locator(field).fill(value)
    await page.get_by_role("button", name="가입 신청하기").click()
    await expect(page.get_by_role("status")).to_contain_text("사무국이 신청서를 검토한 뒤")
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow  # phone-first: no horizontal scroll

    await page.goto("/signin")
    await page.get_by_label("이메일").fill(world.admin.email)
    await page.get_by_label("비밀번호").fill(world.admin.password)
    await page.get_by_role("button", name="로그인").click()
    await page.locator("a[href='/applications?status=open']").click()
    await page.get_by_role("link", name="현대자동차").click()
    await page.get_by_role("button", name="승인…").click()
    await page.get_by_role("button", name="승인", exact=True).click()
    await expect(page.locator(".badge").first).to_have_text("승인")
    assert (await MembershipApplication.get(business_number=NUMBER)).organization_id is not None

    await mail_worker.run_once()
    invitation = next(m for m in smtp.inbox.to("choi@hyundai.test") if "/invitations/" in m.get_content())
    joining = await (
        await browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    ).new_page()
    await joining.goto(smtp.inbox.link_in(invitation, "/invitations/"))
    await joining.get_by_label("이름").fill("최담당")
    await joining.get_by_label("비밀번호 설정 (10자 이상)").fill("hyundai-password")
    await joining.get_by_label("개인정보 수집·이용에 동의합니다").check()  # the notice, accepted on joining
    await joining.get_by_role("button", name="초대 수락").click()
    await expect(joining.get_by_role("heading", name="시작하기")).to_be_visible()
    await expect(joining.get_by_role("link", name="협력 중소기업 초대하기")).to_be_visible()
    await expect(joining.get_by_role("link", name="비용 분담 약정 만들기")).to_be_visible()

    await joining.get_by_role("link", name="서명하기").click()
    await joining.locator("#signed_on").fill("2026-12-01")
    await joining.locator("#signer_name").fill("정의선")
    await joining.locator("#signer_title").fill("대표이사")
    for pledge in ("pledge_partnership", "pledge_infrastructure", "pledge_fair_dealing", "pledge_awareness"):
        await joining.locator(f"input[name={pledge}]").check()
    await joining.get_by_role("button", name="서명 기록").click()
    await joining.get_by_role("link", name="인쇄용 문서").click()
    await expect(joining.locator("article.document")).to_contain_text("현대자동차")
    async with joining.expect_download() as download:
        await joining.get_by_role("link", name="PDF 내려받기").click()
    assert (await download.value).suggested_filename.endswith(".pdf")
    await joining.goto(re.sub(r"/declaration/.*", "/declaration", joining.url))
    await expect(joining.locator("ol.signatories")).to_contain_text("현대자동차")
    await joining.context.close()
