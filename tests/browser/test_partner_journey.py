"""In Chromium: a coordinator invites a partner, the SME accepts from the mailed link,
the coordinator uploads its supplier list and later ends a partnership after confirming."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from server.models import OutgoingMail, Partnership, PartnershipStatus
from tests.support.menu import open_menu
from tests.support.spreadsheets import partner_rows, xlsx_bytes
from tests.support.world import World


async def _sign_in(page: Any, email: str, password: str) -> None:
    await page.goto("/signin")
    await page.get_by_label("이메일").fill(email)
    await page.get_by_label("비밀번호").fill(password)
    await page.get_by_role("button", name="로그인").click()


async def test_a_partner_is_invited_accepts_and_a_list_is_uploaded(
    page: Any, world: World, browser: Any, tmp_path: Path
) -> None:
    await _sign_in(page, world.samsung_coordinator.email, world.samsung_coordinator.password)
    await open_menu(page)
    await page.get_by_role("link", name="협력 중소기업").first.click()
    await page.get_by_role("link", name="협력사 초대").click()
    await page.get_by_label("사업자등록번호").fill("214-86-00016")
    await page.get_by_label("회사명").fill("세진테크")
    await page.get_by_label("협력 차수").select_option("2")
    await page.get_by_label("담당자 이메일").fill("ceo@sejin.test")
    await page.get_by_role("button", name="초대 메일 보내기").click()
    await expect(page.get_by_role("status")).to_contain_text("ceo@sejin.test")

    mail = await OutgoingMail.get(recipient="ceo@sejin.test")
    link = re.search(r"https?://\S+/invitations/\S+", mail.body)
    assert link
    sme = await (await browser.new_context(locale="ko-KR")).new_page()
    await sme.goto(link.group(0))
    await expect(sme.get_by_text("2차 협력사로 초대합니다")).to_be_visible()
    await sme.get_by_label("이름").fill("세진 대표")
    await sme.get_by_label("비밀번호 설정 (10자 이상)").fill("sejin-password")
    await sme.get_by_label("개인정보 수집·이용에 동의합니다").check()  # the notice, accepted on joining
    await sme.get_by_role("button", name="수락").click()
    # A newly accepted SME first sees what the club offers it, then its sponsors.
    await expect(
        sme.get_by_role("heading", name="중소기업 기술보호 클럽에 오신 것을 환영합니다")
    ).to_be_visible()
    await open_menu(sme)
    await sme.get_by_role("navigation").get_by_role("link", name="지원 대기업").click()
    await expect(sme.get_by_role("cell", name="삼성전자")).to_be_visible()
    await sme.context.close()

    upload = tmp_path / "협력사명단.xlsx"
    upload.write_bytes(xlsx_bytes(partner_rows(30)))
    await page.goto("/partners/import")
    await page.get_by_label("파일").set_input_files(str(upload))
    await page.get_by_role("button", name="파일 검사").click()
    await expect(page.get_by_role("button", name="초대 메일 30건 보내기")).to_be_visible()
    await page.get_by_role("button", name="초대 메일 30건 보내기").click()
    await expect(page.get_by_role("status")).to_contain_text("완료: 초대 메일 30건을 보냈습니다")

    await page.goto("/partners?q=한빛")
    await page.get_by_role("link", name="한빛정밀").click()
    await page.get_by_label("사유").fill("거래 종료")
    await page.get_by_role("button", name="협력 관계 종료…").click()
    await expect(
        page.get_by_role("heading", name="한빛정밀과의 협력 관계를 종료하시겠습니까?")
    ).to_be_visible()
    await page.get_by_role("button", name="종료합니다").click()
    await expect(page.get_by_text("거래 종료").first).to_be_visible()
    hanbit = await Partnership.get(sme_id=world.hanbit.id)
    assert hanbit.status == PartnershipStatus.ENDED
    assert await Partnership.filter(conglomerate_id=world.samsung.id).count() == 32
