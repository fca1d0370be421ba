"""The club's report (secretariat) and a sponsor's evidence report (its coordinator)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import strawberry

from schema.connection import Connection
from schema.context import Info
from schema.diagnosis import LevelCount
from schema.organizations import OrganizationNode, node
from schema.scalars import Won
from server.models import ProtectionLevel, SupplierTier
from server.reports import club_report as reports
from server.reports import partner_lines
from server.reports.figures import Figures, ServiceFigures
from server.reports.partner_lines import PartnerLine
from server.reports.period import Period


@strawberry.type
class ReportPeriod:
    first_day: datetime.date = strawberry.field(description="The first day, Asia/Seoul.")
    last_day: datetime.date = strawberry.field(description="The last day, Asia/Seoul, included.")


def _period(period: Period) -> ReportPeriod:
    return ReportPeriod(first_day=period.first, last_day=period.last)


@strawberry.type(description="Claims paid in the period (and still paid or fulfilled) for one service.")
class ServiceClaims:
    service_code: str
    claims: int
    list_price: Won
    sponsor_share: Won


def _services(services: dict[str, ServiceFigures]) -> list[ServiceClaims]:
    return [
        ServiceClaims(
            service_code=code,
            claims=s.claims,
            list_price=Won(s.list_price),
            sponsor_share=Won(s.sponsor_share),
        )
        for code, s in sorted(services.items())
    ]


def _levels(levels: dict[ProtectionLevel, int] | None) -> list[LevelCount] | None:
    return None if levels is None else [LevelCount(level=level, smes=n) for level, n in levels.items()]


@strawberry.type(
    description="A conglomerate's (or the club's) figures for one period (docs/reports.md says what each counts)."
)
class ReportFigures:
    committed: Won = strawberry.field(
        description="Budgets of the commitments whose period overlaps this one."
    )
    reserved: Won = strawberry.field(description="Of those budgets, reserved now for approved claims.")
    remaining: Won
    spent: Won = strawberry.field(description="Ledger captures less refunds dated in the period.")
    smes_supported: int
    claims: int
    claims_by_service: list[ServiceClaims]
    sponsor_share_percent: Decimal | None = strawberry.field(
        description="The sponsors' part of the supported claims' list prices, percent to one decimal."
    )
    seminars: int = strawberry.field(description="Co-hosted by the conglomerate; for the club, all held.")
    registrations: int
    attended: int
    levels: list[LevelCount] | None = strawberry.field(
        description="SMEs by their latest diagnosis level at the period's end; null where not yours to see."
    )
    levels_before: list[LevelCount] | None = strawberry.field(description="... the day before it began.")


def _figures(figures: Figures) -> ReportFigures:
    return ReportFigures(
        committed=Won(figures.committed),
        reserved=Won(figures.reserved),
        remaining=Won(figures.remaining),
        spent=Won(figures.spent),
        smes_supported=figures.smes_supported,
        claims=figures.claims,
        claims_by_service=_services(figures.services),
        sponsor_share_percent=figures.sponsor_share_percent,
        seminars=figures.seminars,
        registrations=figures.registrations,
        attended=figures.attended,
        levels=_levels(figures.levels),
        levels_before=_levels(figures.levels_before),
    )


@strawberry.type
class ConglomerateReportLine:
    conglomerate: OrganizationNode
    current: ReportFigures
    previous: ReportFigures


@strawberry.type
class ClubReport:
    period: ReportPeriod
    previous_period: ReportPeriod = strawberry.field(description="The same number of days just before.")
    # One line per conglomerate of the club (a few dozen at most): a table, not a list to page through.
    conglomerates: list[ConglomerateReportLine]
    total: ReportFigures
    previous_total: ReportFigures


@strawberry.type(description="One active partner's support from the sponsor in the period.")
class PartnerEvidence:
    sme_id: int
    name_ko: str
    name_en: str | None
    business_number: str | None
    tier: SupplierTier
    claims: int
    claims_by_service: list[ServiceClaims]
    sponsor_share: Won
    registrations: int
    attended: int
    diagnosis_level: ProtectionLevel | None = strawberry.field(
        description="Its latest level now, only while it shares its results with you."
    )


@strawberry.type
class PartnerEvidenceConnection(Connection[PartnerEvidence]):
    pass


def _evidence(line: PartnerLine) -> PartnerEvidence:
    return PartnerEvidence(
        sme_id=line.sme_id,
        name_ko=line.name_ko,
        name_en=line.name_en,
        business_number=line.business_number,
        tier=line.tier,
        claims=line.claims,
        claims_by_service=_services(line.services),
        sponsor_share=Won(line.sponsor_share),
        registrations=line.registrations,
        attended=line.attended,
        diagnosis_level=line.level,
    )


@strawberry.type
class SponsorEvidenceReport:
    period: ReportPeriod
    previous_period: ReportPeriod
    conglomerate: OrganizationNode
    current: ReportFigures
    previous: ReportFigures
    club_total: ReportFigures = strawberry.field(
        description="The whole club's, without its diagnosis levels."
    )
    previous_club_total: ReportFigures

    @strawberry.field(description="Your active partners by name, with what each received in the period.")
    async def partners(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> PartnerEvidenceConnection:
        _, page, lines = await partner_lines.partner_page(
            info.context.actor,
            first_day=self.period.first_day,
            last_day=self.period.last_day,
            first=first,
            after=after,
        )
        return PartnerEvidenceConnection.of(page, after, nodes=[_evidence(line) for line in lines])


@strawberry.type
class ReportQueries:
    @strawberry.field(description="The club's report for a period (this year by default): secretariat only.")
    async def club_report(
        self, info: Info, first_day: datetime.date | None = None, last_day: datetime.date | None = None
    ) -> ClubReport:
        report = await reports.club_report(info.context.actor, first=first_day, last=last_day)
        return ClubReport(
            period=_period(report.period),
            previous_period=_period(report.previous_period),
            conglomerates=[
                ConglomerateReportLine(
                    conglomerate=node(line.conglomerate),
                    current=_figures(line.current),
                    previous=_figures(line.previous),
                )
                for line in report.lines
            ],
            total=_figures(report.total),
            previous_total=_figures(report.previous_total),
        )

    @strawberry.field(description="Your conglomerate's evidence of support for a period: coordinators only.")
    async def sponsor_evidence_report(
        self, info: Info, first_day: datetime.date | None = None, last_day: datetime.date | None = None
    ) -> SponsorEvidenceReport:
        report = await reports.sponsor_evidence_report(info.context.actor, first=first_day, last=last_day)
        [own] = report.lines
        return SponsorEvidenceReport(
            period=_period(report.period),
            previous_period=_period(report.previous_period),
            conglomerate=node(own.conglomerate),
            current=_figures(own.current),
            previous=_figures(own.previous),
            club_total=_figures(report.total),
            previous_club_total=_figures(report.previous_total),
        )
