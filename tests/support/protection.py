"""Protection cases for tests: opened by an SME representative as the desk's form would."""

from __future__ import annotations

import hashlib
from datetime import date

from server.models import CaseKind, CaseUrgency, OrganizationKind, ProtectionCase, RoleKind
from server.protection.cases import CaseInput, open_protection_case
from server.protection.evidence import EvidenceInput
from tests.support.costs import acting
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
