"""A year of the club, acted through the services: two sponsors, their partners' claims, a diagnosis each,
a co-hosted seminar. The reports' tests count it."""

from __future__ import annotations

from dataclasses import dataclass

from server.diagnosis import taking as diagnosis
from server.diagnosis.areas import VERSION_2, answers_by_area
from server.models import Claim, RoleKind, ServiceCode
from server.money.claims import approve_claim
from server.money.payments import refund_claim
from server.seminars.registrations import check_in
from tests.support.costs import acting, claim, commitment, pay_by_transfer, sme_partner
from tests.support.seminars import published, register
from tests.support.world import Person, World

AT_RISK = dict.fromkeys(("management", "people", "physical", "technical", "leak_response"), 0)


@dataclass
class ClubYear:
    sejin: Person  # Samsung's second partner: does not share its diagnosis
    donghae: Person  # LG's partner
    paid: Claim  # Hanbit's new escrow contract, paid by transfer (Samsung pays 70 %)
    refunded: Claim  # Sejin's renewal, paid then refunded
    approved: Claim  # Hanbit's renewal, approved and not yet paid (reserved)
    guard: Claim  # Sejin's guard subscription: free, so settled at approval with a ₩0 sponsor share
    free: Claim  # Donghae's new escrow contract, LG pays all of it (settled at approval)


async def _diagnosed(person: Person, *, shared: bool) -> None:
    rep = acting(person, RoleKind.SME_REPRESENTATIVE)
    await diagnosis.submit(actor=rep, answers=answers_by_area(VERSION_2, AT_RISK))
    await diagnosis.set_sharing(actor=rep, shared=shared)


async def club_year(world: World) -> ClubYear:
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    samsung = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    lg = acting(world.lg_coordinator, RoleKind.COORDINATOR)
    samsung_pledge = await commitment(world.samsung_coordinator, budget=3_000_000, share_percent=70)
    lg_pledge = await commitment(world.lg_coordinator, budget=2_000_000, share_percent=100)
    sejin = await sme_partner(world.samsung, "세진테크", "214860001")
    donghae = await sme_partner(world.lg, "동해소재", "215860001")

    paid = await claim(world.hanbit_rep, samsung_pledge, ServiceCode.ESCROW_NEW)
    await approve_claim(actor=samsung, claim_id=paid.id)
    await pay_by_transfer(secretariat, paid.id)
    refunded = await claim(sejin, samsung_pledge, ServiceCode.ESCROW_RENEWAL)
    await approve_claim(actor=samsung, claim_id=refunded.id)
    await pay_by_transfer(secretariat, refunded.id)
    await refund_claim(actor=secretariat, claim_id=refunded.id, reason="중복 신청")
    approved = await claim(world.hanbit_rep, samsung_pledge, ServiceCode.ESCROW_RENEWAL)
    await approve_claim(actor=samsung, claim_id=approved.id)
    guard = await claim(sejin, samsung_pledge, ServiceCode.GUARD_SUBSCRIPTION)
    await approve_claim(actor=samsung, claim_id=guard.id)
    free = await claim(donghae, lg_pledge, ServiceCode.ESCROW_NEW)
    await approve_claim(actor=lg, claim_id=free.id)

    await _diagnosed(world.hanbit_rep, shared=True)
    await _diagnosed(sejin, shared=False)

    seminar = await published(world.admin, co_host_ids=[world.samsung.id])
    attended = await register(world.hanbit_rep, seminar)
    await check_in(actor=secretariat, registration_id=attended.id)
    await register(donghae, seminar)
    return ClubYear(sejin, donghae, paid, refunded, approved, guard, free)
