"""The claims list in one written-once statement returns what the ORM returns, for every role and filter."""

from __future__ import annotations

from bench.dataset import generate
from server.models import Claim, ClaimStatus, Commitment, OrganizationKind, RoleKind
from server.money.catalogue import ensure_catalogue
from server.money.claim_list import list_claims
from server.money.claim_queries import ClaimFilter, ClaimOrder
from server.platform.actor import Actor
from server.platform.pagination import cursor_of
from server.platform.policy import visible_claims
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import actor_of, columns_of


def _comparable(claim: Claim) -> tuple[object, ...]:
    """Every column of the claim, of its SME and of its service, read as a screen reads them."""
    return (columns_of(claim), columns_of(claim.sme), columns_of(claim.service))


async def _orm(actor: Actor, where: ClaimFilter, order: ClaimOrder) -> list[tuple[object, ...]]:
    query = Claim.filter(visible_claims(actor), **where.filters()).select_related("sme", "service")
    return [_comparable(c) for c in await query.order_by("id" if order == ClaimOrder.OLDEST else "-id")]


async def _paged(actor: Actor, where: ClaimFilter, order: ClaimOrder) -> list[tuple[object, ...]]:
    """Every page of the read path in turn, checking each page's total and cursors on the way."""
    found: list[tuple[object, ...]] = []
    after = None
    for _ in range(await Claim.all().count() // 7 + 2):  # a cursor that does not move fails, not hangs
        page = await list_claims(actor, where, order=order, first=7, after=after)
        found += [_comparable(c) for c in page.items]
        if page.items:
            assert page.end_cursor == cursor_of(page.items[-1], page.order)
        if not page.has_next_page:
            total = await page.total_count()
            assert total == len(found), (where, order)
            return found
        after = page.end_cursor
    raise AssertionError(f"the pages never end: {where}, {order}")


async def test_the_claims_list_is_the_orm_list_page_by_page_for_every_role_filter_and_order(
    db: Database,
) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    sponsor = await Commitment.all().order_by("id").first()
    claimant = await Claim.all().order_by("-id").first()
    assert sponsor is not None and claimant is not None
    actors = [
        actor_of(1, OrganizationKind.SECRETARIAT, RoleKind.SECRETARIAT),
        actor_of(sponsor.conglomerate_id, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR),
        actor_of(claimant.sme_id, OrganizationKind.SME, RoleKind.SME_REPRESENTATIVE),
        actor_of(claimant.sme_id, OrganizationKind.SME, RoleKind.STAFF),
        actor_of(sponsor.conglomerate_id, OrganizationKind.SME, RoleKind.COORDINATOR),  # a role out of place
    ]
    filters = [
        ClaimFilter(),
        *(ClaimFilter(status=status) for status in ClaimStatus),
        ClaimFilter(commitment_id=sponsor.id),
        ClaimFilter(status=ClaimStatus.SUBMITTED, commitment_id=sponsor.id),
    ]
    compared = 0
    for actor in actors:
        for where in filters:
            for order in ClaimOrder:
                expected = await _orm(actor, where, order)
                assert await _paged(actor, where, order) == expected, (actor.role, where, order)
                compared += len(expected)
    assert compared > 1000


async def test_a_page_of_claims_is_one_statement_with_its_total_or_without(
    db: Database, queries: QueryCounter
) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    sponsor = await Commitment.all().order_by("id").first()
    assert sponsor is not None
    actor = actor_of(sponsor.conglomerate_id, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    first = await list_claims(actor, ClaimFilter(), first=5)
    queries.reset()
    page = await list_claims(actor, ClaimFilter(), first=5, after=first.end_cursor)
    counted = await page.total_count()
    assert queries.count == 1 and page.items[0].sme.name_ko and page.items[0].service.code
    assert counted == await first.total_count() == await Claim.filter(visible_claims(actor)).count()
    queries.reset()
    untotalled = await list_claims(actor, ClaimFilter(), first=5, with_total=False)
    assert queries.count == 1 and [c.id for c in untotalled.items] == [c.id for c in first.items]
