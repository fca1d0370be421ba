"""In Chromium, under the pages' Content-Security-Policy: the main screens of every role and the card
payment with Stripe.js work, and the browser reports no violation of the policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from playwright.async_api import expect

from server.models import RoleKind
from server.money.claims import approve_claim
from server.seminars.registrations import register_for_seminar
from tests.support.costs import acting, claim, commitment
from tests.support.seminars import published
from tests.support.world import World

# Recorded by the page itself: every violation the browser reports, whatever the console shows.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

SCREENS = {
    "coordinator": ["/", "/partners", "/partners/invite", "/commitments", "/commitments/new", "/claims", "/statements"],
    "sme": ["/", "/partnerships", "/commitments", "/claims", "/diagnosis", "/diagnosis/history", "/my/registrations"],
    "secretariat": ["/", "/organizations", "/services", "/seminars", "/seminars/new", "/mail", "/diagnosis/statistics"],
}  # fmt: skip


@pytest_asyncio.fixture
async def watched(browser: Any, stripe_server: str) -> AsyncIterator[Any]:
    """A signed-in window per person that keeps what the browser said about the policy."""
    contexts, reports = [], []

    async def window(email: str, password: str) -> Any:
        context = await browser.new_context(
            base_url=stripe_server, locale="ko-KR", viewport={"width": 390, "height": 844}
        )
        contexts.append(context)
        await context.add_init_script(RECORD_VIOLATIONS)
        page = await context.new_page()
        page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
        await page.goto("/signin")
        await page.get_by_label("이메일").fill(email)
        await page.get_by_label("비밀번호").fill(password)
        await page.get_by_role("button", name="로그인").click()
        await expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
        return page

    window.reports = reports  # type: ignore[attr-defined]
    yield window
    for context in contexts:
        await context.close()


async def _visit(page: Any, path: str) -> list[str]:
    response = await page.goto(path)
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    return list(await page.evaluate("window.__violations"))


async def test_the_main_screens_and_the_card_payment_run_under_the_policy(watched: Any, world: World) -> None:
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    seminar = await published(world.admin)
    await register_for_seminar(
        actor=acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE), seminar_id=seminar.id
    )
    people = {"coordinator": world.samsung_coordinator, "sme": world.hanbit_rep, "secretariat": world.admin}
    violations: dict[str, list[str]] = {}
    windows = {}
    for role, paths in SCREENS.items():
        windows[role] = page = await watched(people[role].email, people[role].password)
        for path in paths:
            if found := await _visit(page, path):
                violations[f"{role} {path}"] = found

    # The policy is enforced, and the recording sees it: an injected inline script does not run.
    sme = windows["sme"]
    await sme.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.appendChild(s); }""")
    assert await sme.evaluate("window.__ran === undefined")
    assert await sme.evaluate("window.__violations.length") == 1

    # What was an inline handler still works from the static script.
    await _visit(sme, "/my/registrations")
    feed = sme.locator("#feed-url")
    await feed.click()
    assert await feed.evaluate("(e) => e.selectionStart === 0 && e.selectionEnd === e.value.length")

    await _visit(sme, f"/claims/{submitted.id}")
    await sme.get_by_role("link", name="카드로 90,000원 결제").click()
    await sme.get_by_placeholder("number").fill("4242424242424242")
    await sme.get_by_placeholder("exp_month").fill("12")
    await sme.get_by_placeholder("exp_year").fill("30")
    await sme.get_by_placeholder("cvc").fill("123")
    await sme.get_by_placeholder("postal_code").fill("06164")
    violations_on_card_page = list(await sme.evaluate("window.__violations"))
    await sme.get_by_role("button", name="90,000원 결제").click()
    await expect(sme.locator("#status")).to_have_text("결제 완료", timeout=20_000)

    assert violations == {} and violations_on_card_page == []
    injected = [r for r in watched.reports if "inline" in r]
    assert len(injected) == 1 and len(watched.reports) == 1, watched.reports
