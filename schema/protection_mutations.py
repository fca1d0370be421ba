"""The protection desk's commands: open, write, add evidence, share; assign, refer, close."""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import cast

import strawberry

from schema.context import Info
from schema.errors import DomainErrors, Payload
from schema.protection import CaseEntryNode, ProtectionCaseNode
from server.models import CaseEntry, CaseKind, CaseOutcome, CaseUrgency, ProtectionCase, ReferralBody
from server.platform.errors import invalid
from server.protection import cases, handling
from server.protection.cases import CaseInput
from server.protection.evidence import EvidenceInput
from server.protection.handling import Referral


@strawberry.input(description="A file for a case. Leave `contentBase64` out to give only its fingerprint.")
class CaseEvidenceInput:
    name: str
    size: int
    content_type: str = ""
    sha256: str = strawberry.field(description="SHA-256 of the file, 64 hex digits.")
    content_base64: str | None = strawberry.field(
        default=None, description="The file itself (1 MB at most); its fingerprint is checked here."
    )


def _evidence(items: list[CaseEvidenceInput]) -> list[EvidenceInput]:
    kept = []
    for item in items:
        content = None
        if item.content_base64 is not None:
            try:
                content = base64.b64decode(item.content_base64, validate=True)
            except (binascii.Error, ValueError) as bad:
                raise invalid("evidence", "A file's content is not base64.") from bad
        kept.append(EvidenceInput(item.name, item.size, item.content_type, item.sha256, content))
    return kept


@strawberry.input
class OpenProtectionCaseInput:
    kind: CaseKind
    noticed_on: datetime.date
    technologies: str
    urgency: CaseUrgency
    description: str
    checklist: list[str] = strawberry.field(
        default_factory=list,
        description="Evidence-preservation steps taken: cut_access, kept_logs, wrote_timeline, "
        "kept_originals, no_confrontation.",
    )
    evidence: list[CaseEvidenceInput] = strawberry.field(default_factory=list)


@strawberry.type
class ProtectionCasePayload(Payload):
    protection_case: ProtectionCaseNode | None = None


@strawberry.type
class CaseEntryPayload(Payload):
    entry: CaseEntryNode | None = None


def _case(case: ProtectionCase) -> ProtectionCasePayload:
    return ProtectionCasePayload(protection_case=cast(ProtectionCaseNode, case))


@strawberry.type
class ProtectionMutations:
    @strawberry.mutation(extensions=[DomainErrors()], description="An SME asks the desk for help.")
    async def open_protection_case(self, info: Info, input: OpenProtectionCaseInput) -> ProtectionCasePayload:
        case = CaseInput(
            kind=input.kind,
            noticed_on=input.noticed_on,
            technologies=input.technologies,
            urgency=input.urgency,
            description=input.description,
            checklist=tuple(input.checklist),
        )
        return _case(
            await cases.open_protection_case(
                actor=info.context.actor, case=case, evidence=_evidence(input.evidence)
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="The SME adds files or fingerprints.")
    async def add_case_evidence(
        self, info: Info, case_id: int, evidence: list[CaseEvidenceInput]
    ) -> ProtectionCasePayload:
        return _case(
            await cases.add_case_evidence(
                actor=info.context.actor, case_id=case_id, evidence=_evidence(evidence)
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="A message between the SME and the secretariat; `internal` (secretariat only) is a note "
        "the SME never sees.",
    )
    async def add_case_message(
        self, info: Info, case_id: int, body: str, internal: bool = False
    ) -> CaseEntryPayload:
        entry: CaseEntry = await cases.add_case_message(
            actor=info.context.actor, case_id=case_id, body=body, internal=internal
        )
        return CaseEntryPayload(entry=cast(CaseEntryNode, entry))

    @strawberry.mutation(extensions=[DomainErrors()], description="The secretariat assigns a handler.")
    async def assign_protection_case(
        self, info: Info, case_id: int, handler_id: int
    ) -> ProtectionCasePayload:
        return _case(
            await handling.assign_protection_case(
                actor=info.context.actor, case_id=case_id, handler_id=handler_id
            )
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="The secretariat refers the case outside.")
    async def refer_protection_case(
        self, info: Info, case_id: int, body: ReferralBody, referred_on: datetime.date, reference: str = ""
    ) -> ProtectionCasePayload:
        referral = Referral(body=body, referred_on=referred_on, reference=reference)
        return _case(
            await handling.refer_protection_case(actor=info.context.actor, case_id=case_id, referral=referral)
        )

    @strawberry.mutation(extensions=[DomainErrors()], description="The secretariat closes the case.")
    async def close_protection_case(
        self, info: Info, case_id: int, outcome: CaseOutcome, reason: str
    ) -> ProtectionCasePayload:
        return _case(
            await handling.close_protection_case(
                actor=info.context.actor, case_id=case_id, outcome=outcome, reason=reason
            )
        )

    @strawberry.mutation(
        extensions=[DomainErrors()],
        description="The SME shows the case to one of its active sponsors, or (null) to none.",
    )
    async def share_protection_case(
        self, info: Info, case_id: int, conglomerate_id: int | None = None
    ) -> ProtectionCasePayload:
        return _case(
            await cases.share_protection_case(
                actor=info.context.actor, case_id=case_id, conglomerate_id=conglomerate_id
            )
        )
