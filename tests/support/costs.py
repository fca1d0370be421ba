"""Building commitments and claims the way their users do, through the domain services."""

from __future__ import annotations

from datetime import date, timedelta

from server.models import (
    Claim,
    Commitment,
    Organization,
    OrganizationKind,
    OutsideEscrowContract,
    Partnership,
    PartnershipStatus,
    RoleKind,
    Service,
    ServiceCode,
    SupplierTier,
)
from server.money.claims import submit_claim
from server.money.commitments import CommitmentInput, activate_commitment, create_commitment
from server.money.escrow_contracts import record_outside_escrow_contract
from server.money.transfers import TransferInput, record_bank_transfer
from server.platform.actor import Actor
from server.platform.timeutil import in_seoul, now
from tests.support.world import Person, organization, person

ESCROW_MATERIAL = "제어 펌웨어 소스코드 v3.2와 금형 설계도면"


def today() -> date:
    return in_seoul(now()).date()


def acting(person: Person, role: RoleKind) -> Actor:
    return Actor(person.user, person.organization, role)


async def service(code: ServiceCode) -> Service:
    """The install's own service of that kind (the secretariat may add more of a kind)."""
    found = await Service.filter(code=code).order_by("id").first()
    assert found is not None
    return found


async def commitment(
    coordinator: Person,
    *,
    budget: int = 3_000_000,
    share_percent: int = 70,
    cap_per_claim: int | None = None,
    codes: tuple[ServiceCode, ...] = tuple(ServiceCode),
    tiers: tuple[SupplierTier, ...] = (SupplierTier.FIRST,),
    active: bool = True,
    **extra: int,
) -> Commitment:
    actor = acting(coordinator, RoleKind.COORDINATOR)
    services = [await service(code) for code in codes]
    created = await create_commitment(
        actor=actor,
        data=CommitmentInput(
            name="2026 협력사 기술보호 지원",
            period_start=today() - timedelta(days=30),
            period_end=today() + timedelta(days=335),
            service_ids=[s.id for s in services],
            share_percent=share_percent,
            budget=budget,
            cap_per_claim=cap_per_claim,
            eligible_tiers=list(tiers),
            **extra,
        ),
    )
    if active:
        created = await activate_commitment(actor=actor, commitment_id=created.id)
    return created


async def claim(
    representative: Person, under: Commitment, code: ServiceCode = ServiceCode.ESCROW_NEW, quantity: int = 1
) -> Claim:
    if code == ServiceCode.ESCROW_RENEWAL:
        await original_contract(representative)
    return await submit_claim(
        actor=acting(representative, RoleKind.SME_REPRESENTATIVE),
        commitment_id=under.id,
        service_id=(await service(code)).id,
        details=ESCROW_MATERIAL,
        quantity=quantity,
    )


async def original_contract(representative: Person) -> None:
    """A renewal needs an escrow contract that is ending: one made outside the club, ending in 60 days."""
    if not await OutsideEscrowContract.exists(sme_id=representative.organization.id):
        await record_outside_escrow_contract(
            actor=acting(representative, RoleKind.SME_REPRESENTATIVE),
            contract_number="KEC-OUT-0001",
            ends_on=today() + timedelta(days=60),
        )


async def pay_by_transfer(secretariat: Actor, claim_id: int, idempotency_key: str | None = None) -> Claim:
    """The secretariat records a transfer of exactly the SME share, as an office does when it arrives."""
    share = (await Claim.get(id=claim_id)).sme_share or 0
    transfer = await record_bank_transfer(
        actor=secretariat,
        claim_id=claim_id,
        data=TransferInput(share, today(), "(주)한빛정밀"),
        idempotency_key=idempotency_key,
    )
    return await Claim.get(id=transfer.claim_id)


async def sme_partner(
    sponsor: Organization, name_ko: str, nine_digits: str, tier: SupplierTier = SupplierTier.FIRST
) -> Person:
    """Another SME in an active partnership with `sponsor`, and its representative."""
    sme = await organization(OrganizationKind.SME, name_ko, nine_digits)
    email = f"rep{nine_digits}@sme.test"
    await Partnership.create(
        conglomerate=sponsor, sme=sme, tier=tier, status=PartnershipStatus.ACTIVE, contact_email=email
    )
    return await person(email, sme, RoleKind.SME_REPRESENTATIVE)
