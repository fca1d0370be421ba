"""In Chromium, on a phone-sized screen: an SME claims escrow for three technologies, its sponsor approves,
the SME reads how to pay by transfer, the secretariat records a short transfer (flagged) then the exact one,
and the SME prints its receipt."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import expect

from server.models import Claim, ClaimStatus, LedgerEntry
from server.platform.config import configure
from server.platform.settings import BankAccount, Settings
from tests.support.costs import commitment, today
from tests.support.menu import open_menu
from tests.support.world import World


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The club's account configured, as CLUB_BANK_NAME, CLUB_BANK_ACCOUNT and CLUB_BANK_HOLDER set it."""
    value = dataclasses.replace(
        settings, bank_account=BankAccount("IBK기업은행", "123-456789-01-012", "기술보호클럽")
    )
    configure(value)
    return value


@pytest_asyncio.fixture
async def people(browser: Any, live_server: str) -> AsyncIterator[Any]:
    contexts = []

    async def window(email: str, password: str) -> Any:
        context = await browser.new_context(
            base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
        )
        contexts.append(context)
        page = await context.new_page()
        await page.goto("/signin")
        await page.get_by_label("이메일").fill(email)
        await page.get_by_label("비밀번호").fill(password)
        await page.get_by_role("button", name="로그인").click()
        return page

    yield window
    for context in contexts:
        await context.close()


async def no_sideways_scroll(page: Any) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def test_an_sme_pays_its_share_by_transfer_and_prints_its_receipt(people: Any, world: World) -> None:
    await commitment(world.samsung_coordinator, budget=3_000_000, share_percent=70, cap_per_claim=300_000)

    sme = await people(world.hanbit_rep.email, world.hanbit_rep.password)
    await open_menu(sme)
    await sme.get_by_role("link", name="지원 서비스").first.click()
    await sme.get_by_role("link", name="신청", exact=True).first.click()
    await sme.get_by_label("기술자료 임치 신규 계약").check()
    await sme.get_by_label("건수(임치할 기술 수)").fill("3")
    await sme.get_by_label("신청 내용").fill("제어 펌웨어 소스코드, 금형 도면, 열처리 공정 레시피")
    await sme.get_by_role("button", name="신청하기").click()
    await expect(sme.locator("#list-price")).to_have_text("400,000원")  # 300,000 + 2 × 50,000

    coordinator = await people(world.samsung_coordinator.email, world.samsung_coordinator.password)
    claim = await Claim.get(sme_id=world.hanbit.id)
    await coordinator.goto(f"/claims/{claim.id}")
    await coordinator.get_by_role("button", name="승인").click()
    await expect(coordinator.locator("#sponsor-share")).to_have_text("280,000원")

    await sme.reload()
    claim = await Claim.get(id=claim.id)
    await expect(sme.locator("#transfer-amount")).to_have_text("120,000원")
    await expect(sme.locator("#account-number")).to_have_text("123-456789-01-012")
    await expect(sme.locator("#transfer-reference")).to_have_text(claim.transfer_reference or "")
    await no_sideways_scroll(sme)

    secretariat = await people(world.admin.email, world.admin.password)
    await secretariat.goto(f"/claims/{claim.id}")
    await secretariat.get_by_label("입금액(원)").fill("100,000")
    await secretariat.get_by_label("입금일").fill(str(today()))
    await secretariat.get_by_label("입금자명(통장에 찍힌 그대로)").fill(claim.transfer_reference or "")
    await secretariat.get_by_role("button", name="입금 기록하기").click()
    await expect(secretariat.locator("#bank-transfers")).to_contain_text("부족 입금: 확인 필요")
    await expect(secretariat.locator("#status")).to_have_text("승인 (결제 대기)")
    await secretariat.goto("/attention")
    await expect(secretariat.get_by_role("link", name=f"신청 {claim.id}번")).to_be_visible()

    await secretariat.goto(f"/claims/{claim.id}")
    await secretariat.get_by_label("입금액(원)").fill("120,000")
    await secretariat.get_by_label("입금자명(통장에 찍힌 그대로)").fill(claim.transfer_reference or "")
    await secretariat.get_by_role("button", name="입금 기록하기").click()
    await expect(secretariat.locator("#status")).to_have_text("결제 완료")

    await sme.reload()
    await sme.get_by_role("link", name="영수증 인쇄").click()
    await expect(sme.locator("#receipt-amount")).to_have_text("120,000원")
    await expect(sme.locator("#receipt")).to_contain_text("× 3")
    await no_sideways_scroll(sme)

    assert (await Claim.get(id=claim.id)).status == ClaimStatus.PAID
    kinds = await LedgerEntry.filter(claim_id=claim.id).order_by("id").values_list("kind", flat=True)
    assert kinds == ["reserve", "capture"]
