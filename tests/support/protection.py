"""Protection cases for tests: opened by an SME representative as the desk's form would."""

from __future__ import annotations

import hashlib
from datetime import date

from server.models import (
    CaseKind,
    CaseUrgency,
    Claim,
    OrganizationKind,
    ProtectionCase,
    RoleKind,
    ServiceCode,
)
from server.money.claim_fulfilment import Fulfilment, fulfill_claim
from server.money.claims import approve_claim
from server.protection.cases import CaseInput, open_protection_case
from server.protection.evidence import EvidenceInput
from tests.support.costs import acting, claim, commitment, pay_by_transfer
from tests.support.world import Person, World, organization, person

PDF = b"%PDF-1.4\n% drawings of the gearbox housing\n"


def fingerprint_only(name: str, content: bytes) -> EvidenceInput:
    return EvidenceInput(name, len(content), "application/octet-stream", hashlib.sha256(content).hexdigest())


def upload(name: str, content: bytes) -> EvidenceInput:
    return EvidenceInput(name, len(content), "", hashlib.sha256(content).hexdigest(), content)


def leak(**changes: object) -> CaseInput:
    values: dict[str, object] = {
        "kind": CaseKind.SUSPECTED_LEAK,
        "noticed_on": date(2026, 11, 20),
        "technologies": "감속기 하우징 도면",
        "urgency": CaseUrgency.URGENT,
        "description": "퇴사한 설계 직원이 도면을 외부 메일로 보낸 기록이 있습니다.",
        "checklist": ("cut_access", "kept_logs"),
    }
    values.update(changes)
    return CaseInput(**values)  # type: ignore[arg-type]


async def open_case(rep: Person, *evidence: EvidenceInput, **changes: object) -> ProtectionCase:
    return await open_protection_case(
        actor=acting(rep, RoleKind.SME_REPRESENTATIVE), case=leak(**changes), evidence=list(evidence)
    )


async def another_sme(world: World) -> Person:
    """An SME with no tie to Hanbit: its representative must learn nothing of Hanbit's cases."""
    sme = await organization(OrganizationKind.SME, "대성기공", "134860002", "Daesung")
    return await person("rep@daesung.test", sme, RoleKind.SME_REPRESENTATIVE, "최대표")


async def fulfilled_escrow(
    world: World, code: ServiceCode = ServiceCode.ESCROW_NEW, ends_on: date | None = None
) -> Claim:
    """Hanbit's escrow claim under Samsung's commitment, approved, paid by transfer and fulfilled."""
    admin = acting(world.admin, RoleKind.SECRETARIAT)
    pledge = await commitment(world.samsung_coordinator)
    submitted = await claim(world.hanbit_rep, pledge, code)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    await pay_by_transfer(admin, submitted.id)
    fulfilment = Fulfilment(contract_number="KEC-2026-0042", contract_ends_on=ends_on or date(2027, 12, 31))
    return await fulfill_claim(actor=admin, claim_id=submitted.id, fulfilment=fulfilment)
