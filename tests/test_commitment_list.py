"""The commitments list in one written-once statement returns what the ORM returns, for every role."""

from __future__ import annotations

from datetime import date

from bench.dataset import generate
from server.models import (
    ClubMembership,
    Commitment,
    CommitmentStatus,
    MembershipStatus,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    RoleKind,
    Service,
    SupplierTier,
)
from server.money.catalogue import ensure_catalogue
from server.money.commitment_list import list_commitments, read_commitment
from server.platform.actor import Actor
from server.platform.pagination import Page, paginate
from server.platform.policy import visible_commitments
from server.platform.timeutil import in_seoul, now
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import actor_of, columns_of


def _comparable(page: Page[Commitment]) -> list[tuple[object, ...]]:
    """Every column of each commitment and of its sponsor, and its services, as the screens read them."""
    return [(columns_of(c), columns_of(c.conglomerate), sorted(s.id for s in c.services)) for c in page.items]


async def _orm(actor: Actor, status: CommitmentStatus | None, after: str | None) -> Page[Commitment]:
    """The list as the ORM built it before the read path: the rule of `policy`, then paginate."""
    query = await visible_commitments(actor)
    if actor.is_sme_representative:
        query = query.filter(period_end__gte=in_seoul(now()).date())
    if status is not None:
        query = query.filter(status=status)
    return await paginate(
        query.select_related("conglomerate").prefetch_related("services"), first=3, after=after
    )


async def _both(actor: Actor, status: CommitmentStatus | None) -> int:
    """Every page of both paths in turn, compared page by page with their totals and cursors."""
    after = None
    for pages in range(1, await Commitment.all().count() // 3 + 3):  # a stuck cursor fails, not hangs
        orm = await _orm(actor, status, after)
        read = await list_commitments(actor, status=status, first=3, after=after)
        assert _comparable(read) == _comparable(orm), (actor.role, status, after)
        assert (read.has_next_page, read.end_cursor) == (orm.has_next_page, orm.end_cursor)
        assert await read.total_count() == await orm.total_count()
        if not orm.has_next_page:
            return pages
        after = orm.end_cursor
    raise AssertionError("the pages never end")


async def _club(db: Database) -> list[Actor]:
    """A generated club where eligibility varies: a suspended sponsor, a tier-2 partner, an ended partnership,
    commitments past, draft and tier-1 only; and an actor of every role (one out of place)."""
    await ensure_catalogue()
    await generate(db.url, 0.004)
    sponsors = await Commitment.all().order_by("id").values_list("conglomerate_id", flat=True)
    first, second = sorted(set(sponsors))[:2]
    # What an SME may claim under turns on its sponsor's standing and its own tier there.
    await ClubMembership.filter(organization_id=second).update(status=MembershipStatus.SUSPENDED)
    pledge = await Commitment.get(conglomerate_id=first)
    await Commitment.filter(id=pledge.id).update(eligible_tier_2=True)
    for name, status, period_end, tier_2 in (
        ("1차 협력사만", CommitmentStatus.ACTIVE, pledge.period_end, False),
        ("지난 약정", CommitmentStatus.ACTIVE, date(2020, 12, 31), True),
        ("초안", CommitmentStatus.DRAFT, pledge.period_end, True),
    ):
        other = await Commitment.create(
            conglomerate_id=first, name=name, period_start=date(2020, 1, 1), period_end=period_end,
            share_percent=50, budget=0, status=status, eligible_tier_2=tier_2,
        )  # fmt: skip
        await other.services.add(*await Service.all().order_by("id").limit(2))
    partnerships = await Partnership.filter(conglomerate_id__in=[first, second]).order_by("id").limit(6)
    await Partnership.filter(id=partnerships[0].id).update(tier=SupplierTier.SECOND)
    await Partnership.filter(id=partnerships[1].id).update(status=PartnershipStatus.ENDED)
    smes = [p.sme_id for p in partnerships]
    return [
        actor_of(1, OrganizationKind.SECRETARIAT, RoleKind.SECRETARIAT),
        actor_of(first, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR),
        actor_of(second, OrganizationKind.CONGLOMERATE, RoleKind.COORDINATOR),
        *(actor_of(sme, OrganizationKind.SME, RoleKind.SME_REPRESENTATIVE) for sme in smes),
        actor_of(smes[2], OrganizationKind.SME, RoleKind.STAFF),
        actor_of(first, OrganizationKind.SME, RoleKind.COORDINATOR),  # a role out of place
    ]


async def test_the_commitments_list_is_the_orm_list_for_every_role_and_status(db: Database) -> None:
    actors = await _club(db)
    shown = 0
    for actor in actors:
        for status in (None, *CommitmentStatus):
            await _both(actor, status)
        shown += (await list_commitments(actor)).total or 0
    assert shown > 0


async def test_a_page_of_commitments_is_one_statement(db: Database, queries: QueryCounter) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    partnership = await Partnership.filter(status=PartnershipStatus.ACTIVE).order_by("id").first()
    assert partnership is not None
    sme = actor_of(partnership.sme_id, OrganizationKind.SME, RoleKind.SME_REPRESENTATIVE)

    queries.reset()
    page = await list_commitments(sme, first=5)
    assert [len(list(c.services)) for c in page.items] and page.items[0].conglomerate.name_ko
    assert await page.total_count() >= len(page.items) > 0
    assert queries.count == 1


def _one(commitment: Commitment | None) -> tuple[object, ...] | None:
    if commitment is None:
        return None
    sponsor = commitment.conglomerate
    membership = sponsor.membership
    return (
        columns_of(commitment),
        columns_of(sponsor),
        None if membership is None else columns_of(membership),
        [s.id for s in commitment.services],
    )


async def test_one_commitment_is_the_orm_commitment_for_every_role(
    db: Database, queries: QueryCounter
) -> None:
    actors = await _club(db)
    ids = [*await Commitment.all().order_by("id").values_list("id", flat=True), 10**6]
    # A sponsor without a membership row (one made before memberships were kept) still shows its commitment;
    # the other keeps its own, which each of its commitments must find by sponsor, not by commitment id.
    sponsors = sorted(set(await Commitment.all().values_list("conglomerate_id", flat=True)))
    await ClubMembership.filter(organization_id=sponsors[1]).delete()
    seen = 0
    for actor in actors:
        for commitment_id in ids:
            orm = await (
                (await visible_commitments(actor))
                .filter(id=commitment_id)
                .select_related("conglomerate__membership")
                .prefetch_related("services")
                .first()
            )
            queries.reset()
            read = await read_commitment(actor, commitment_id)
            assert queries.count == 1
            assert _one(read) == _one(orm), (actor.role, actor.organization.id, commitment_id)
            seen += read is not None
    assert 0 < seen < len(actors) * (len(ids) - 1)  # some commitments shown, some refused
