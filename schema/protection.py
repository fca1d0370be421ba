"""The protection desk: cases, their timeline and evidence, the secretariat's work and its statistics."""

from __future__ import annotations

import datetime
from typing import cast

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.errors import found_or_none
from schema.organizations import OrganizationNode, related_organization
from server.models import (
    AuditEntry,
    CaseEntry,
    CaseEvidence,
    CaseKind,
    CaseOutcome,
    CaseStatus,
    CaseUrgency,
    EntryKind,
    ProtectionCase,
    ReferralBody,
)
from server.platform.timeutil import in_seoul, in_seoul_or_none
from server.protection import case_queries, statistics

strawberry.enum(CaseKind, name="ProtectionCaseKind")
strawberry.enum(CaseUrgency, name="ProtectionCaseUrgency")
strawberry.enum(CaseStatus, name="ProtectionCaseStatus")
strawberry.enum(CaseOutcome, name="ProtectionCaseOutcome")
strawberry.enum(ReferralBody)
strawberry.enum(EntryKind, name="CaseEntryKind")


@strawberry.type(name="CaseEntry", description="One step of a case; internal notes only for the secretariat.")
class CaseEntryNode:
    id: int
    kind: EntryKind
    internal: bool
    body: str
    referral_body: ReferralBody | None
    referred_on: datetime.date | None
    reference: str
    deposit_id: int | None

    @strawberry.field
    async def author_name(self, info: Info) -> str | None:
        entry = cast(CaseEntry, self)
        if entry.author_id is None:
            return None
        author = await info.context.loaders.user.load(entry.author_id)
        return author.name if author else None

    @strawberry.field
    def created_at(self) -> datetime.datetime:
        return in_seoul(cast(CaseEntry, self).created_at)


@strawberry.type(name="CaseEvidence")
class CaseEvidenceNode:
    id: int
    name: str
    size: int
    content_type: str
    sha256: str

    @strawberry.field(description="False when the SME gave only the fingerprint: the file stayed with it.")
    def uploaded(self) -> bool:
        return cast(CaseEvidence, self).uploaded

    @strawberry.field(description="Where those who may see the case download it (an attachment).")
    def download_path(self) -> str | None:
        item = cast(CaseEvidence, self)
        return f"/protection/{item.case_id}/evidence/{item.id}" if item.uploaded else None

    @strawberry.field
    def added_at(self) -> datetime.datetime:
        return in_seoul(cast(CaseEvidence, self).added_at)


@strawberry.type(name="CaseRead", description="Someone outside the SME read the case (or downloaded a file).")
class CaseReadNode:
    id: int
    action: str

    @strawberry.field
    def reader_name(self) -> str | None:
        entry = cast(AuditEntry, self)
        return entry.actor.name if entry.actor else None

    @strawberry.field
    def organization_name(self) -> str | None:
        entry = cast(AuditEntry, self)
        return entry.organization.name_ko if entry.organization else None

    @strawberry.field
    def at(self) -> datetime.datetime:
        return in_seoul(cast(AuditEntry, self).created_at)


@strawberry.type(name="ProtectionCase")
class ProtectionCaseNode:
    id: int
    kind: CaseKind
    noticed_on: datetime.date
    technologies: str
    urgency: CaseUrgency
    description: str
    checklist: list[str]
    status: CaseStatus
    outcome: CaseOutcome | None
    close_reason: str

    @strawberry.field
    def sme(self, info: Info) -> OrganizationNode:
        return related_organization(info, self, "sme")

    @strawberry.field(description="The one sponsor the SME shows the case to, if any.")
    def shared_with(self, info: Info) -> OrganizationNode | None:
        case = cast(ProtectionCase, self)
        return related_organization(info, self, "shared_with") if case.shared_with_id else None

    @strawberry.field
    async def handler_name(self, info: Info) -> str | None:
        case = cast(ProtectionCase, self)
        if case.handler_id is None:
            return None
        handler = await info.context.loaders.user.load(case.handler_id)
        return handler.name if handler else None

    @strawberry.field
    def opened_at(self) -> datetime.datetime:
        return in_seoul(cast(ProtectionCase, self).opened_at)

    @strawberry.field(description="Two working days (Mon–Fri, Asia/Seoul) after opening.")
    def respond_by(self) -> datetime.datetime:
        return in_seoul(cast(ProtectionCase, self).respond_by)

    @strawberry.field
    def first_response_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(ProtectionCase, self).first_response_at)

    @strawberry.field
    def closed_at(self) -> datetime.datetime | None:
        return in_seoul_or_none(cast(ProtectionCase, self).closed_at)

    @strawberry.field(description="Unanswered past its first-response target.")
    def overdue(self) -> bool:
        return case_queries.is_overdue(cast(ProtectionCase, self))

    @strawberry.field(description="Oldest first. Ask for it on one case, not on a list.")
    async def timeline(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CaseEntryNode]:
        actor = info.context.actor
        assert actor is not None  # the case was found for this actor
        page = await case_queries.timeline(actor, cast(ProtectionCase, self), first=first, after=after)
        return cast(Connection[CaseEntryNode], Connection.of(page, after))

    @strawberry.field
    async def evidence(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[CaseEvidenceNode]:
        page = await case_queries.evidence_of(cast(ProtectionCase, self), first=first, after=after)
        return cast(Connection[CaseEvidenceNode], Connection.of(page, after))

    @strawberry.field(description="Who outside the SME read it: for the SME and the secretariat (else null).")
    async def readers(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CaseReadNode] | None:
        actor = info.context.actor
        assert actor is not None
        found = await found_or_none(
            case_queries.readers(actor, cast(ProtectionCase, self), first=first, after=after)
        )
        return cast(Connection[CaseReadNode], Connection.of(found, after)) if found else None


@strawberry.type
class ProtectionQueries:
    @strawberry.field(
        description="SMEs: their own cases. Secretariat: the queue, unanswered first by deadline (overdue "
        "lead). Coordinators: only cases an SME shared with them."
    )
    async def protection_cases(
        self,
        info: Info,
        status: CaseStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ProtectionCaseNode]:
        page = await case_queries.list_cases(
            info.context.actor, statuses=(status,) if status else None, first=first, after=after
        )
        return cast(Connection[ProtectionCaseNode], Connection.of(page, after))

    @strawberry.field(
        description="Null when it does not exist or is not yours to see. Staff reads are recorded."
    )
    async def protection_case(self, info: Info, id: int) -> ProtectionCaseNode | None:
        found = await found_or_none(case_queries.get_case(info.context.actor, id))
        return cast(ProtectionCaseNode | None, found)


@strawberry.type
class KindCount:
    kind: CaseKind
    count: int


@strawberry.type
class MonthCount:
    month: str = strawberry.field(description="YYYY-MM, Asia/Seoul, when cases were opened.")
    count: int


@strawberry.type
class OutcomeCount:
    outcome: CaseOutcome
    count: int


@strawberry.type(description="Club-wide desk figures; nothing identifies an SME.")
class ProtectionCaseStatistics:
    total: int
    by_kind: list[KindCount]
    by_month: list[MonthCount]
    by_outcome: list[OutcomeCount]
    still_open: int
    overdue: int
    answered: int
    answered_in_time: int = strawberry.field(description="First answered within two working days.")
    median_hours_to_first_response: float | None


@strawberry.type
class ProtectionStatisticsQueries:
    @strawberry.field(description="The secretariat's club-wide figures of the desk.")
    async def protection_case_statistics(self, info: Info) -> ProtectionCaseStatistics:
        found = await statistics.protection_case_statistics(info.context.actor)
        return ProtectionCaseStatistics(
            total=found.total,
            by_kind=[KindCount(kind=k, count=c) for k, c in found.by_kind.items()],
            by_month=[MonthCount(month=m, count=c) for m, c in found.by_month],
            by_outcome=[OutcomeCount(outcome=o, count=c) for o, c in found.by_outcome.items()],
            still_open=found.still_open,
            overdue=found.overdue,
            answered=found.answered,
            answered_in_time=found.answered_in_time,
            median_hours_to_first_response=found.median_hours_to_first_response,
        )
