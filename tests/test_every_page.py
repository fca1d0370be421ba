"""The phone walk (tests/browser/test_every_page.py) cannot miss a page: every page route of the app is in
its table or skipped with a reason."""

from __future__ import annotations

from starlette.routing import Route

from frontend import page_routes
from server.platform.settings import Settings
from tests.support.every_page import SKIPPED, seeded_club
from tests.support.world import World


def _get_routes(settings: Settings) -> list[Route]:
    return [r for r in page_routes(settings) if isinstance(r, Route) and "GET" in (r.methods or ())]


async def test_every_page_route_is_walked_or_skipped_with_a_reason(settings: Settings, world: World) -> None:
    club = await seeded_club(world)
    paths = {visit.path.split("?")[0] for visit in club.visits}
    routes = _get_routes(settings)
    missed = [
        r.path for r in routes if r.path not in SKIPPED and not any(r.path_regex.match(p) for p in paths)
    ]
    assert missed == [], f"add these pages to tests/support/every_page.py or to its SKIPPED: {missed}"
    stale = set(SKIPPED) - {r.path for r in routes}
    assert stale == set(), f"SKIPPED names routes the app no longer has: {stale}"
    assert all(reason for reason in SKIPPED.values())
