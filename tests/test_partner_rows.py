"""The partner list's read path (plain SQL rows) returns what the ORM version returns, for every role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from bench.dataset import generate
from server.membership.partner_queries import PartnerFilter, PartnerOrder, list_partners
from server.membership.partner_rows import partner_rows
from server.models import (
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    RoleKind,
    SupplierTier,
)
from server.money.catalogue import ensure_catalogue
from server.money.claim_queries import ClaimSummary, claim_summaries
from server.platform.actor import Actor
from server.platform.errors import DomainError
from server.platform.policy import diagnosis_view
from server.platform.timeutil import now
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import actor_of

LEVELS = list(ProtectionLevel)


async def _varied_club(db: Database) -> None:
    """The benchmark's club, small, with every partnership status, both tiers and every sharing state."""
    await ensure_catalogue()
    await generate(db.url, 0.004)
    at = now()
    for sme in await Organization.filter(kind=OrganizationKind.SME).order_by("id"):
        if sme.id % 4 == 0:
            sme.diagnosed_at = at - timedelta(days=sme.id)
        if sme.id % 3 == 0:
            sme.diagnosed_at = at - timedelta(days=sme.id)
            sme.shares_diagnosis = True
            sme.shared_diagnosis_score = Decimal(sme.id % 97) + Decimal("0.5")
            sme.shared_diagnosis_level = LEVELS[sme.id % len(LEVELS)]
        if sme.id % 11 == 0:
            sme.name_en = f"Partner_{sme.id} 100%"
        await sme.save()
    for partnership in await Partnership.all().order_by("id"):
        if partnership.id % 5 == 0:
            partnership.status = PartnershipStatus.INVITED
        elif partnership.id % 7 == 0:
            partnership.status = PartnershipStatus.ENDED
        partnership.tier = SupplierTier(1 + partnership.id % 2)
        await partnership.save()


def _comparable(p: Any, claims: ClaimSummary, view: object) -> tuple[object, ...]:
    """A partnership (a model or a read-path row, which name their fields alike) with its figures."""
    sme = p.sme
    return (
        p.id, p.tier, p.status, p.contact_email, p.invited_at, p.accepted_at, p.ended_at,
        sme.id, sme.name_ko, sme.name_en, sme.business_number, sme.shares_diagnosis, sme.diagnosed_at,
        sme.shared_diagnosis_score, sme.shared_diagnosis_level, claims, view,
    )  # fmt: skip


async def _orm_pages(actor: Actor, where: PartnerFilter, order: PartnerOrder) -> list[Any]:
    """Every page of the ORM version, with the screens' figures and views, in comparable form."""
    pages, after = [], None
    while True:
        page = await list_partners(actor, where, order=order, first=7, after=after)
        summaries = await claim_summaries(actor.organization.id, [p.sme.id for p in page.items])
        rows = [
            _comparable(p, summaries.get(p.sme.id, ClaimSummary()), diagnosis_view(actor, p.sme, p.status))
            for p in page.items
        ]
        pages.append((rows, page.has_next_page, page.end_cursor, await page.total_count()))
        if not page.has_next_page:
            return pages
        after = page.end_cursor


async def _row_pages(actor: Actor, where: PartnerFilter, order: PartnerOrder) -> list[Any]:
    pages, after = [], None
    while True:
        page = await partner_rows(actor, where, order=order, first=7, after=after)
        rows = [_comparable(p, p.claims, p.view) for p in page.items]
        pages.append((rows, page.has_next_page, page.end_cursor, page.total))
        if not page.has_next_page:
            return pages
        after = page.end_cursor


FILTERS = [
    PartnerFilter(),
    PartnerFilter(status=PartnershipStatus.INVITED),
    PartnerFilter(tier=SupplierTier(2), status=PartnershipStatus.ACTIVE),
    PartnerFilter(level=ProtectionLevel.GOOD),
    PartnerFilter(search="협력사0001"),
    PartnerFilter(search="  partner_  "),
    PartnerFilter(search="100%"),
    PartnerFilter(search="300-86"),
    PartnerFilter(search="nothing like this"),
]


async def test_the_partner_rows_are_the_orm_partner_list_page_by_page_in_every_order_and_filter(
    db: Database,
) -> None:
    await _varied_club(db)
    actor = actor_of(1, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    compared = 0
    for order in PartnerOrder:
        for where in FILTERS:
            expected = await _orm_pages(actor, where, order)
            assert await _row_pages(actor, where, order) == expected, (order, where)
            compared += sum(len(rows) for rows, *_ in expected)
    assert compared > 500


async def test_a_page_of_partner_rows_is_one_statement_whatever_its_filters(
    db: Database, queries: QueryCounter
) -> None:
    await _varied_club(db)
    actor = actor_of(1, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    first = await partner_rows(actor, PartnerFilter(search="협력사"), order=PartnerOrder.NAME, first=5)
    queries.reset()
    page = await partner_rows(
        actor, PartnerFilter(search="협력사"), order=PartnerOrder.NAME, after=first.end_cursor
    )
    assert queries.count == 1 and page.items and page.total == first.total


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrganizationKind.CONGLOMERATE, RoleKind.STAFF),
        (OrganizationKind.SME, RoleKind.SME_REPRESENTATIVE),
        (OrganizationKind.SME, RoleKind.STAFF),
        (OrganizationKind.SECRETARIAT, RoleKind.SECRETARIAT),
    ],
)
async def test_the_partner_rows_refuse_whoever_the_orm_partner_list_refuses(
    db: Database, kind: OrganizationKind, role: RoleKind
) -> None:
    await _varied_club(db)
    actor = actor_of(1 if kind == OrganizationKind.CONGLOMERATE else 50, kind, role)
    with pytest.raises(DomainError) as orm:
        await list_partners(actor, PartnerFilter())
    with pytest.raises(DomainError) as rows:
        await partner_rows(actor, PartnerFilter())
    assert rows.value.errors[0].code == orm.value.errors[0].code
    with pytest.raises(DomainError):
        await partner_rows(None, PartnerFilter())


async def test_another_conglomerates_coordinator_sees_only_its_own_partners_in_the_rows_as_in_the_orm(
    db: Database,
) -> None:
    await _varied_club(db)
    mine = actor_of(1, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    other = actor_of(2, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    mine_ids = {
        row[0] for rows, *_ in await _row_pages(mine, PartnerFilter(), PartnerOrder.NEWEST) for row in rows
    }
    for order in (PartnerOrder.NEWEST, PartnerOrder.WEAKEST_FIRST):
        expected = await _orm_pages(other, PartnerFilter(), order)
        seen = await _row_pages(other, PartnerFilter(), order)
        assert seen == expected
        assert mine_ids and not mine_ids & {row[0] for rows, *_ in seen for row in rows}
    nobody = actor_of(9_999, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR)
    empty = await partner_rows(nobody, PartnerFilter())
    assert (empty.items, empty.total, empty.has_next_page) == ([], 0, False)
