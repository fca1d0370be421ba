"""The programme in one written-once statement returns what the ORM returns, for every role and filter."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from bench.dataset import generate
from server.models import Organization, OrganizationKind, RoleKind, Seminar, SeminarStatus
from server.money.catalogue import ensure_catalogue
from server.platform.actor import Actor
from server.platform.pagination import Page, paginate
from server.platform.policy import visible_seminars
from server.platform.timeutil import SEOUL, entered, in_seoul
from server.seminars.queries import SeminarFilter
from server.seminars.seminar_list import list_seminars
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import actor_of, columns_of


def _comparable(page: Page[Seminar]) -> list[tuple[object, ...]]:
    return [
        (columns_of(s), [columns_of(h) for h in sorted(s.co_hosts, key=lambda h: h.id)]) for s in page.items
    ]


async def _orm(actor: Actor, where: SeminarFilter, after: str | None) -> Page[Seminar]:
    """The programme as the ORM built it before the read path: the rule of `policy`, then paginate."""
    query = Seminar.filter(visible_seminars(actor))
    if where.starts_from is not None:
        query = query.filter(starts_at__gte=entered(where.starts_from))
    if where.starts_before is not None:
        query = query.filter(starts_at__lt=entered(where.starts_before))
    if where.topic:
        query = query.filter(topic=where.topic)
    if where.co_host_id is not None:
        query = query.filter(id__in=Subquery(Seminar.filter(co_hosts__id=where.co_host_id).values("id")))
    return await paginate(query.prefetch_related("co_hosts"), first=4, after=after, order=("starts_at", "id"))


async def _both(actor: Actor, where: SeminarFilter) -> None:
    """Every page of both paths in turn, compared page by page with their totals and cursors."""
    after = None
    for _ in range(await Seminar.all().count() // 4 + 3):  # a stuck cursor fails, not hangs
        orm = await _orm(actor, where, after)
        read = await list_seminars(actor, where, first=4, after=after)
        assert _comparable(read) == _comparable(orm), (actor.role, where, after)
        assert (read.has_next_page, read.end_cursor) == (orm.has_next_page, orm.end_cursor)
        assert await read.total_count() == await orm.total_count()
        if not orm.has_next_page:
            return
        after = orm.end_cursor
    raise AssertionError("the pages never end")


async def test_the_programme_is_the_orm_list_for_every_role_and_filter(db: Database) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    seminars = await Seminar.all().order_by("starts_at", "id")
    middle = seminars[len(seminars) // 2]
    conglomerates = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("id").limit(2)
    for seminar in seminars[::3]:
        await seminar.co_hosts.add(*conglomerates)
    await middle.co_hosts.add(conglomerates[0])
    # Two seminars at the same moment: the cursor must tell them apart by id.
    await Seminar.filter(id=seminars[len(seminars) // 2 + 1].id).update(starts_at=middle.starts_at)
    await Seminar.filter(id=seminars[1].id).update(status=SeminarStatus.DRAFT)
    host = conglomerates[0].id
    month = in_seoul(middle.starts_at).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    actors = [
        actor_of(1, OrganizationKind.SECRETARIAT, RoleKind.SECRETARIAT),
        actor_of(host, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR),
        actor_of(host, OrganizationKind.SME, RoleKind.SME_REPRESENTATIVE),
    ]
    filters = [
        SeminarFilter(),
        SeminarFilter(month, (month + timedelta(days=32)).replace(day=1)),
        SeminarFilter(month.replace(tzinfo=None)),  # a naive time is Seoul's wall clock
        SeminarFilter(None, month, middle.topic),
        SeminarFilter(co_host_id=host),
        SeminarFilter(datetime(2100, 1, 1, tzinfo=SEOUL)),
    ]
    for actor in actors:
        for where in filters:
            await _both(actor, where)


async def test_a_page_of_the_programme_is_one_statement(db: Database, queries: QueryCounter) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    conglomerate = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("id").first()
    assert conglomerate is not None
    for seminar in await Seminar.all().order_by("starts_at", "id").limit(5):
        await seminar.co_hosts.add(conglomerate)
    coordinator = actor_of(conglomerate.id, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)

    queries.reset()
    page = await list_seminars(coordinator, SeminarFilter(), first=30)
    assert any(list(s.co_hosts) for s in page.items) and await page.total_count() >= len(page.items) > 0
    assert queries.count == 1
