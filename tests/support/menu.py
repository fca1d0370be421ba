"""On a phone the navigation is folded into a menu button (a <details>): open it before following a link."""

from __future__ import annotations

from typing import Any


async def open_menu(page: Any) -> None:
    menu = page.locator("details.menu")
    if await menu.get_attribute("open") is None and await page.locator("details.menu > summary").is_visible():
        await page.locator("details.menu > summary").click()
