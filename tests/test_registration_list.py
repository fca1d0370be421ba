"""One's registrations in one written-once statement are what the ORM returns, page by page."""

from __future__ import annotations

from tortoise.functions import Count

from bench.dataset import generate
from server.models import Organization, OrganizationKind, Registration, RoleKind, User
from server.money.catalogue import ensure_catalogue
from server.platform.actor import Actor
from server.platform.pagination import Page, paginate
from server.seminars.registration_list import my_registrations
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import columns_of


def _comparable(page: Page[Registration]) -> list[tuple[object, ...]]:
    return [(columns_of(r), columns_of(r.seminar)) for r in page.items]


async def test_ones_registrations_are_the_orm_list_page_by_page(db: Database, queries: QueryCounter) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    busiest = (
        await Registration.annotate(n=Count("id"))
        .group_by("user_id")
        .order_by("-n")
        .limit(1)
        .values_list("user_id", "n")
    )
    [(user_id, registered)] = busiest
    assert registered > 3
    compared = 0
    for user in (user_id, 0):  # someone with several registrations, and someone with none
        actor = Actor(User(id=user, email="x@example.test"), Organization(id=1, kind=OrganizationKind.SME),
                      RoleKind.SME_REPRESENTATIVE)  # fmt: skip
        after = None
        for _ in range(registered + 2):  # a stuck cursor fails, not hangs
            # As the ORM built it before the read path.
            mine = Registration.filter(user_id=actor.user.id).select_related("seminar")
            orm = await paginate(mine, first=2, after=after)
            queries.reset()
            read = await my_registrations(actor, first=2, after=after)
            assert queries.count == 1
            assert _comparable(read) == _comparable(orm)
            assert (read.has_next_page, read.end_cursor) == (orm.has_next_page, orm.end_cursor)
            assert await read.total_count() == await orm.total_count()
            compared += len(read.items)
            if not orm.has_next_page:
                break
            after = orm.end_cursor
    assert compared == registered
