"""The dashboard's own reads, each one statement written once, return what the ORM returns: a person's
roles with their organisations, the claim counts by state each role sees, and an organisation's newest
partnerships with the other side."""

from __future__ import annotations

from tortoise.functions import Count

from bench.dataset import generate
from server.accounts.signin import roles_of
from server.dashboard import organization_overview
from server.models import (
    Claim,
    ClaimStatus,
    Organization,
    OrganizationKind,
    Partnership,
    Role,
    RoleKind,
    User,
)
from server.money.catalogue import ensure_catalogue
from server.money.claim_queries import claim_counts
from server.platform.policy import visible_claims
from tests.conftest import Database
from tests.support.read_paths import actor_of, columns_of


async def test_the_dashboards_reads_are_the_orm_reads_for_every_role(db: Database) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    # A person in two organisations: their roles come first joined first.
    person = await User.filter(roles__kind=RoleKind.SME_REPRESENTATIVE).order_by("id").first()
    assert person is not None
    other = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("-id").first()
    assert other is not None
    await Role.create(user=person, organization=other, kind=RoleKind.COORDINATOR)
    for user in await User.all().order_by("id").limit(60):
        orm = await Role.filter(user_id=user.id).select_related("organization").order_by("id")
        read = await roles_of(user.id)
        assert [(columns_of(r), columns_of(r.organization)) for r in read] == [
            (columns_of(r), columns_of(r.organization)) for r in orm
        ]
    assert len(await roles_of(person.id)) == 2

    conglomerates = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("id").limit(4)
    smes = (
        await Organization.filter(kind=OrganizationKind.SME, claims__id__isnull=False)
        .distinct()
        .order_by("id")
        .limit(8)
    )
    actors = [
        actor_of(1, OrganizationKind.SECRETARIAT, RoleKind.SECRETARIAT),
        *(actor_of(c.id, c.kind, RoleKind.COORDINATOR) for c in conglomerates),
        *(actor_of(s.id, s.kind, RoleKind.SME_REPRESENTATIVE) for s in smes),
        actor_of(smes[0].id, smes[0].kind, RoleKind.STAFF),
        actor_of(
            conglomerates[0].id, conglomerates[0].kind, RoleKind.SME_REPRESENTATIVE
        ),  # a role out of place
    ]
    counted = set()
    for actor in actors:
        rows = (
            await Claim.filter(visible_claims(actor))
            .annotate(n=Count("id"))
            .group_by("status")
            .values_list("status", "n")
        )
        assert await claim_counts(actor) == {ClaimStatus(status): n for status, n in rows}
        counted |= set((await claim_counts(actor)).values())
    assert len(counted) > 5  # the comparison saw real counts, not only empty ones

    for actor in actors[1:]:
        own, other_side = (
            ("conglomerate", "sme")
            if actor.organization.kind == OrganizationKind.CONGLOMERATE
            else ("sme", "conglomerate")
        )
        orm = (
            await Partnership.filter(**{f"{own}_id": actor.organization.id})
            .select_related(other_side)
            .order_by("-id")
            .limit(10)
        )
        overview = await organization_overview(actor)
        assert [(columns_of(o), columns_of(p)) for o, p in overview.partners] == [
            (columns_of(getattr(p, other_side)), columns_of(p)) for p in orm
        ]
        assert overview.partners or (
            actor.role == RoleKind.SME_REPRESENTATIVE
            and actor.organization.kind == OrganizationKind.CONGLOMERATE
        )
