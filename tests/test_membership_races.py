"""Membership changes and signings racing with the member's own actions, on concurrent PostgreSQL connections."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from server.membership import organizations
from server.models import (
    ClubMembership,
    Commitment,
    CommitmentStatus,
    DeclarationSigning,
    LedgerEntry,
    MembershipStatus,
    RoleKind,
)
from server.money.commitments import activate_commitment, top_up_commitment
from server.platform.errors import DomainError
from tests.support.costs import acting, commitment
from tests.support.world import World

pytestmark = pytest.mark.postgres_only

ALL = (True, True, True, True)


async def test_no_commitment_is_left_active_or_topped_up_after_its_member_withdraws(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    await organizations.admit_member(actor=admin, organization_id=world.samsung.id)
    drafts = [await commitment(world.samsung_coordinator, active=False) for _ in range(5)]
    actives = [await commitment(world.samsung_coordinator) for _ in range(5)]

    results = await asyncio.gather(
        *(activate_commitment(actor=coordinator, commitment_id=d.id) for d in drafts),
        *(top_up_commitment(actor=coordinator, commitment_id=c.id, amount=1_000) for c in actives),
        organizations.change_membership(
            actor=admin, organization_id=world.samsung.id, status=MembershipStatus.WITHDRAWN
        ),
        return_exceptions=True,
    )

    for result in results:
        assert not isinstance(result, Exception) or isinstance(result, DomainError), result
    assert (await ClubMembership.get(organization_id=world.samsung.id)).status == MembershipStatus.WITHDRAWN
    assert not await Commitment.filter(
        conglomerate_id=world.samsung.id, status=CommitmentStatus.ACTIVE
    ).exists()
    # A top-up either landed before the withdrawal or not at all: none after the close.
    for pledge in actives:
        closed = await Commitment.get(id=pledge.id)
        assert closed.closed_at is not None
        assert not await LedgerEntry.filter(commitment_id=pledge.id, created_at__gt=closed.closed_at).exists()


async def test_two_first_signings_at_once_keep_exactly_one_signing(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    coordinator = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    results = await asyncio.gather(
        *(
            organizations.sign_declaration(
                actor=who,
                organization_id=world.samsung.id,
                signed_on=date(2011, 11, 1 + i),
                signer_name=f"서명자{i}",
                signer_title="",
                pledges=ALL,
            )
            for i, who in enumerate([admin, coordinator] * 4)
        ),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 7 and all(r.errors[0].code == "invalid_state" for r in refused)
    [signing] = await DeclarationSigning.filter(organization_id=world.samsung.id)
    membership = await ClubMembership.get(organization_id=world.samsung.id)
    assert membership.declaration_signed_on == signing.signed_on
