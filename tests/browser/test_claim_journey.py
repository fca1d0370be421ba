"""In Chromium: a coordinator opens a commitment, an SME claims and pays its share by card on
the Stripe.js page, Stripe's webhook marks it paid, and the secretariat fulfils and refunds it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest_asyncio
from playwright.async_api import expect

from server.models import Claim, ClaimStatus, Commitment, LedgerEntry
from tests.support.costs import today
from tests.support.menu import open_menu
from tests.support.world import World


@pytest_asyncio.fixture
async def people(browser: Any, stripe_server: str) -> AsyncIterator[Any]:
    """A fresh browser window per person, on the app with Stripe switched on."""
    contexts = []

    async def window(email: str, password: str) -> Any:
        context = await browser.new_context(
            base_url=stripe_server, locale="ko-KR", viewport={"width": 390, "height": 844}
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


async def test_a_claim_goes_from_commitment_to_card_payment_fulfilment_and_refund(
    people: Any, world: World
) -> None:
    coordinator = await people(world.samsung_coordinator.email, world.samsung_coordinator.password)
    await open_menu(coordinator)
    await coordinator.get_by_role("link", name="지원 약정").click()
    await coordinator.get_by_role("link", name="새 약정").click()
    await coordinator.get_by_label("이름").fill("2027 협력사 임치 지원")
    await coordinator.get_by_label("종료일").fill(str(today() + timedelta(days=300)))
    await coordinator.get_by_label("기술자료 임치 신규 계약").check()
    await coordinator.get_by_label("후원 기업 부담 비율 (%)").fill("70")
    await coordinator.get_by_label("총 예산 (원)").fill("3,000,000")
    await coordinator.get_by_role("button", name="초안 저장").click()
    await coordinator.get_by_role("button", name="시행").click()
    await expect(coordinator.locator("#remaining")).to_have_text("3,000,000원")

    sme = await people(world.hanbit_rep.email, world.hanbit_rep.password)
    await open_menu(sme)
    await sme.get_by_role("link", name="지원 서비스").click()
    await expect(sme.get_by_role("cell", name="90,000원")).to_be_visible()
    await sme.get_by_role("link", name="신청", exact=True).first.click()
    await sme.get_by_label("신청 내용").fill("제어 펌웨어 소스코드 v3.2")
    await sme.get_by_role("button", name="신청하기").click()
    await expect(sme.get_by_role("status")).to_contain_text("후원 기업에 전달")

    await open_menu(coordinator)
    await coordinator.get_by_role("link", name="지원 신청 검토").click()
    await coordinator.get_by_role("link", name="한빛정밀").click()
    await coordinator.get_by_role("button", name="승인").click()
    await expect(coordinator.locator("#sponsor-share")).to_have_text("210,000원")

    await sme.reload()
    await sme.get_by_role("link", name="카드로 90,000원 결제").click()
    # localstripe's Stripe.js stands in for Stripe's card field.
    await sme.get_by_placeholder("number").fill("4242424242424242")
    await sme.get_by_placeholder("exp_month").fill("12")
    await sme.get_by_placeholder("exp_year").fill("30")
    await sme.get_by_placeholder("cvc").fill("123")
    await sme.get_by_placeholder("postal_code").fill("06164")
    await sme.get_by_role("button", name="90,000원 결제").click()
    # The page refreshes itself until Stripe's webhook has marked the claim paid.
    await expect(sme.locator("#status")).to_have_text("결제 완료", timeout=20_000)

    secretariat = await people(world.admin.email, world.admin.password)
    claim = await Claim.get(sme_id=world.hanbit.id)
    await secretariat.goto(f"/claims/{claim.id}")
    await secretariat.get_by_label("임치 계약번호").fill("KEC-2026-0042")
    await secretariat.get_by_label("계약 만료일").fill(str(today() + timedelta(days=365)))
    await secretariat.get_by_role("button", name="서비스 제공 기록").click()
    await expect(secretariat.locator("#status")).to_have_text("서비스 제공 완료")
    await secretariat.get_by_label("환불 사유").fill("임치 계약 해지")
    await secretariat.get_by_role("button", name="환불…").click()
    await secretariat.get_by_role("button", name="예, 진행합니다").click()
    await expect(secretariat.locator("#status")).to_have_text("환불")

    claim = await Claim.get(id=claim.id)
    assert claim.status == ClaimStatus.REFUNDED
    commitment = await Commitment.get(id=claim.commitment_id)  # type: ignore[attr-defined]
    assert (commitment.reserved, commitment.captured) == (0, 0)
    kinds = await LedgerEntry.filter(claim_id=claim.id).order_by("id").values_list("kind", flat=True)
    assert kinds == ["reserve", "capture", "refund"]
