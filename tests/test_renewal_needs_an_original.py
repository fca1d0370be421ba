"""Issue 19, step 5: an escrow renewal is claimed only for an escrow contract of that SME that is ending
(a fulfilled escrow claim, or an outside contract it records); guard subscriptions get an expiry reminder."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from server.models import Claim, ClaimStatus, OutgoingMail, RoleKind, ServiceCode
from server.money import claim_jobs
from server.money.claim_fulfilment import Fulfilment, fulfill_claim
from server.money.claims import approve_claim, submit_claim
from server.platform.errors import DomainError, ErrorCode
from tests.support.costs import acting, claim, commitment, pay_by_transfer, service, today
from tests.support.graphql import gql, sign_in
from tests.support.protection import fulfilled_escrow
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")


async def _renewal(world: World) -> Claim:
    pledge = await commitment(world.samsung_coordinator)
    return await submit_claim(
        actor=acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE),
        commitment_id=pledge.id,
        service_id=(await service(ServiceCode.ESCROW_RENEWAL)).id,
        details="2025년 임치 계약 갱신",
    )


async def test_a_renewal_with_no_escrow_contract_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        await _renewal(world)
    assert refused.value.errors[0].code == ErrorCode.NOT_ELIGIBLE
    assert await Claim.filter(sme=world.hanbit).count() == 0


async def test_a_fulfilled_escrow_contract_ending_soon_allows_its_renewal_and_a_distant_one_does_not(
    world: World,
) -> None:
    await fulfilled_escrow(world, ends_on=today() + timedelta(days=200))
    with pytest.raises(DomainError):
        await _renewal(world)
    await Claim.filter(sme=world.hanbit).update(escrow_contract_ends_on=today() + timedelta(days=45))
    assert (await _renewal(world)).status == ClaimStatus.SUBMITTED


async def test_an_outside_contract_recorded_by_the_sme_allows_the_renewal(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in(client, world.hanbit_rep.email, world.hanbit_rep.password)
    recorded = await gql(
        client,
        """mutation($ends: Date!) { recordOutsideEscrowContract(contractNumber: "KEC-2024-77", endsOn: $ends) {
          contract { contractNumber endsOn } errors { code } } }""",
        {"ends": (today() + timedelta(days=20)).isoformat()},
    )
    assert recorded["recordOutsideEscrowContract"]["errors"] == []
    assert (await _renewal(world)).status == ClaimStatus.SUBMITTED


async def test_a_guard_subscription_ending_within_30_days_is_reminded_once(world: World) -> None:
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    pledge = await commitment(world.samsung_coordinator)
    guard = await claim(world.hanbit_rep, pledge, ServiceCode.GUARD_SUBSCRIPTION)
    approved = await approve_claim(
        actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=guard.id
    )
    if approved.status == ClaimStatus.APPROVED:  # a free subscription is settled at approval
        await pay_by_transfer(admin, guard.id)
    period = Fulfilment(
        guard_starts_on=today() - timedelta(days=340), guard_ends_on=today() + timedelta(days=40)
    )
    await fulfill_claim(actor=admin, claim_id=guard.id, fulfilment=period)
    assert await claim_jobs.remind_guard_expiries() == 0
    await Claim.filter(id=guard.id).update(guard_ends_on=today() + timedelta(days=25))
    assert await claim_jobs.remind_guard_expiries() == 1
    assert await claim_jobs.remind_guard_expiries() == 0
    reminded = await OutgoingMail.filter(subject__contains="기술지킴서비스 만료").values_list(
        "recipient", flat=True
    )
    assert sorted(reminded) == sorted([world.hanbit_rep.email, world.samsung_coordinator.email])
