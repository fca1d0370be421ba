"""An SME's protection at a glance reads its claims in one written-once statement and gets what the ORM
reads: its escrow contracts with their renewals, and its open claims with service, commitment and sponsor."""

from __future__ import annotations

from datetime import date, timedelta

from bench.dataset import generate
from server.models import (
    OPEN_CLAIMS,
    Claim,
    ClaimStatus,
    Organization,
    OrganizationKind,
    RoleKind,
    ServiceCode,
    User,
)
from server.money.catalogue import ensure_catalogue
from server.platform.actor import Actor
from server.reports.dashboards import ESCROW, LIVE, sme_protection
from tests.conftest import Database
from tests.support.queries import QueryCounter
from tests.support.read_paths import columns_of


def _open(claim: Claim) -> tuple[object, ...]:
    return (
        columns_of(claim),
        columns_of(claim.service),
        columns_of(claim.commitment),
        columns_of(claim.commitment.conglomerate),
    )


async def _orm(sme_id: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The two ORM queries the read path replaced, and the contracts made from the first as the dashboard makes them."""
    escrow = (
        await Claim.filter(sme_id=sme_id, service__code__in=list(ESCROW), status__in=list(LIVE))
        .select_related("service")
        .order_by("-id")
        .limit(50)
    )
    contracts = []
    for claim in escrow:
        if claim.status == ClaimStatus.FULFILLED and claim.escrow_contract_ends_on is not None:
            renewal = next(
                (
                    c
                    for c in reversed(escrow)
                    if c.id > claim.id and c.service.code == ServiceCode.ESCROW_RENEWAL
                ),
                None,
            )
            contracts.append(
                (columns_of(claim), claim.escrow_contract_ends_on, renewal and columns_of(renewal))
            )
    opened = (
        await Claim.filter(sme_id=sme_id, status__in=list(OPEN_CLAIMS))
        .select_related("service", "commitment__conglomerate")
        .order_by("-id")
        .limit(10)
    )
    return contracts, [_open(c) for c in opened]


async def test_an_smes_protection_is_what_the_orm_reads_for_every_sme(
    db: Database, queries: QueryCounter
) -> None:
    await ensure_catalogue()
    await generate(db.url, 0.004)
    # The dataset fulfils escrow claims without a contract's end; give most of them one.
    fulfilled = await Claim.filter(status=ClaimStatus.FULFILLED, service__code__in=list(ESCROW)).values_list(
        "id", flat=True
    )
    for n, claim_id in enumerate(fulfilled):
        if n % 4:
            await Claim.filter(id=claim_id).update(
                escrow_contract_ends_on=date(2027, 1, 1) + timedelta(days=n)
            )
    smes = (
        await Organization.filter(kind=OrganizationKind.SME, claims__id__isnull=False)
        .distinct()
        .order_by("id")
    )
    assert len(smes) > 20
    seen_contracts = seen_renewals = seen_open = 0
    for sme in smes:
        actor = Actor(User(id=1, email="x@example.test"), sme, RoleKind.SME_REPRESENTATIVE)
        queries.reset()
        protection = await sme_protection(actor)
        assert queries.count == 2  # its latest diagnosis; its claims
        contracts = [
            (columns_of(c.claim), c.ends_on, c.renewal and columns_of(c.renewal))
            for c in protection.contracts
        ]
        assert (contracts, [_open(c) for c in protection.open_claims]) == await _orm(sme.id)
        seen_contracts += len(contracts)
        seen_renewals += sum(1 for c in protection.contracts if c.renewal is not None)
        seen_open += len(protection.open_claims)
    assert seen_contracts and seen_renewals and seen_open  # the comparison saw each kind
