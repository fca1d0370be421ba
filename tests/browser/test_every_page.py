"""Every page of every role on a 390 × 844 phone and a 1280 × 800 laptop, in Chromium: nothing scrolls
sideways, no control is clipped or smaller than a 44 px tap target, axe-core finds no serious or critical
accessibility violation. Screenshots of the main pages go to var/screenshots/ (not committed) for a reviewer.

Which links count as controls: buttons, inputs, selects, textareas, menu summaries, links styled as buttons
and the links of the header and its menu. A text link inside a sentence, a list or a table cell is exempt, as
WCAG 2.5.8 exempts inline targets: its size is the text's.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import expect

from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.support.every_page import ANONYMOUS, SeededClub, Visit, seeded_club
from tests.support.world import Person, World

pytestmark = pytest.mark.usefixtures("settings")

SIZES = [(390, 844), (1280, 800)]
SCREENSHOTS = Path(__file__).parents[2] / "var" / "screenshots"
MIN_TARGET = 44

# What the page measures of itself: sideways overflow, and each visible control that is clipped or small.
MEASURE = """() => {
  const root = document.documentElement;
  const found = [];
  const name = (e) => (e.tagName.toLowerCase() + (e.type ? "[" + e.type + "]" : "") + " "
    + (e.getAttribute("aria-label") || e.innerText || e.name || e.value || "").trim().slice(0, 30));
  const controls = document.querySelectorAll(
    "button, input:not([type=hidden]), select, textarea, summary, a.button, header a, header nav a");
  for (const e of controls) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (getComputedStyle(e).visibility === "hidden") continue;
    let target = box;
    if (e.type === "checkbox" || e.type === "radio") {
      const label = e.closest("label") || (e.id && document.querySelector("label[for='" + e.id + "']"));
      if (!label) { found.push("unlabelled " + name(e)); continue; }
      target = label.getBoundingClientRect();
    }
    if (target.height < MIN - 0.5 || target.width < MIN - 0.5)
      found.push("small " + Math.round(target.width) + "x" + Math.round(target.height) + " " + name(e));
    if (box.right > root.clientWidth + 1 || box.left < -1) found.push("off-screen " + name(e));
    else if (e.scrollWidth > e.clientWidth + 1 && e.tagName !== "SELECT" && e.tagName !== "INPUT"
             && e.tagName !== "TEXTAREA") found.push("text clipped " + name(e));
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const outer = p.getBoundingClientRect();
      if (box.right > outer.right + 1 || box.left < outer.left - 1) { found.push("clipped " + name(e)); break; }
    }
  }
  return {overflow: root.scrollWidth - root.clientWidth, controls: found};
}""".replace("MIN", str(MIN_TARGET))


async def _window(browser: Any, live_server: str, person: Person | None) -> Any:
    context = await browser.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 390, "height": 844}
    )
    await context.add_init_script(RECORD_VIOLATIONS)
    page = await context.new_page()
    if person is not None:
        await page.goto("/signin")
        await page.get_by_label("이메일").fill(person.email)
        await page.get_by_label("비밀번호").fill(person.password)
        await page.get_by_role("button", name="로그인").click()
        await expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    return page


def _slug(visit: Visit, width: int) -> str:
    return f"{visit.role}{re.sub(r'[^a-z0-9]+', '-', visit.path.lower()).rstrip('-') or '-home'}-{width}.png"


async def _check(page: Any, axe: Axe, visit: Visit, width: int) -> list[str]:
    response = await page.goto(visit.path)
    if response.status != 200:
        return [f"answered {response.status}"]
    problems = [f"CSP {v}" for v in await page.evaluate("window.__violations")]
    measured = await page.evaluate(MEASURE)
    if measured["overflow"] > 0:
        problems.append(f"scrolls sideways by {measured['overflow']}px")
    problems += measured["controls"]
    results = await axe.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
            problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    if visit.main:
        await page.screenshot(path=SCREENSHOTS / _slug(visit, width), full_page=True)
    return problems


async def test_every_page_fits_a_phone_and_a_laptop_with_large_controls_and_no_serious_axe_violation(
    browser: Any, live_server: str, world: World
) -> None:
    club: SeededClub = await seeded_club(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    found: dict[str, list[str]] = {}
    started, checked = time.monotonic(), 0
    for role in [ANONYMOUS, *club.people]:
        page = await _window(browser, live_server, club.people.get(role))
        for width, height in SIZES:
            await page.set_viewport_size({"width": width, "height": height})
            for visit in (v for v in club.visits if v.role == role):
                checked += 1
                if problems := await _check(page, axe, visit, width):
                    found[f"{width} {role} {visit.path}"] = problems
        await page.context.close()
    print(
        f"\n{checked} page views ({len(club.visits)} pages × {len(SIZES)} sizes) in {time.monotonic() - started:.0f}s"
    )
    report = "\n".join(f"{where}: {problems}" for where, problems in found.items())
    (SCREENSHOTS / "problems.txt").write_text(report)
    assert found == {}, report
