"""The club's report (secretariat) and a sponsor's evidence report (coordinator): a printable page with its
charts, an .xlsx workbook and a CSV of the main table."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from frontend.charts import hbar_chart
from frontend.i18n import current_language, gettext, language_of, use_language
from frontend.render import csv_download, form_date, render, require_page_actor, shows_refusals
from server.models import ProtectionLevel
from server.reports import club_report as reports
from server.reports import partner_lines
from server.reports.club_report import Report
from server.reports.figures import Figures
from server.reports.workbook import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHARTED = 12  # conglomerates drawn in the money chart (the largest budgets); the table lists them all


def _dates(request: Request) -> tuple[date | None, date | None]:
    return form_date(request.query_params.get("from")), form_date(request.query_params.get("to"))


def short_won(amount: int) -> str:
    """An amount in a chart, short enough to sit after its bar: 1.2억원 / 3,500만원; ₩120M in English."""
    if current_language() != "ko":
        for size, unit in ((1_000_000_000, "bn"), (1_000_000, "M"), (1_000, "k")):
            if abs(amount) >= size:
                return f"₩{amount / size:,.1f}{unit}"
        return f"₩{amount:,}"
    if abs(amount) >= 100_000_000:
        return f"{amount / 100_000_000:,.1f}억원"
    if abs(amount) >= 10_000:
        return f"{amount // 10_000:,}만원"
    return f"{amount:,}원"


def _count(value: int) -> str:
    return f"{value:,}"


def _charts(report: Report, figures: Figures, previous: Figures) -> dict[str, object]:
    names = {s.code: s.name_ko if current_language() == "ko" else s.name_en for s in report.services}
    charts: dict[str, object] = {
        "services_chart": hbar_chart(
            [
                (
                    names.get(code, code),
                    [
                        figures.services[code].claims if code in figures.services else 0,
                        previous.services[code].claims if code in previous.services else 0,
                    ],
                )
                for code in names
            ],
            series=[gettext("This period"), gettext("Previous period")],
            label=_count,
            title=gettext("Supported claims by service"),
        )
    }
    if figures.levels is not None and figures.levels_before is not None:
        charts["levels_chart"] = hbar_chart(
            [
                (gettext(f"level_{level.value}"), [figures.levels[level], figures.levels_before[level]])
                for level in ProtectionLevel
            ],
            series=[gettext("At the period's end"), gettext("The day before it began")],
            label=_count,
            title=gettext("Partner SMEs by diagnosis level"),
        )
    return charts


def _money_chart(report: Report) -> object:
    largest = sorted(report.lines, key=lambda line: -line.current.committed)[:CHARTED]
    return hbar_chart(
        [
            (
                line.conglomerate.name_ko
                if current_language() == "ko"
                else line.conglomerate.name_en or line.conglomerate.name_ko,
                [line.current.committed, line.current.spent],
            )
            for line in largest
        ],
        series=[gettext("Budget committed"), gettext("Spent")],
        label=short_won,
        title=gettext("Budget committed and spent by conglomerate"),
    )


async def _club_page(request: Request, report: Report, errors: dict[str, str]) -> Response:
    use_language(language_of(request))  # the charts' words are written here, before the page renders
    context = {
        "report": report,
        "errors": errors,
        "money_chart": _money_chart(report),
        **_charts(report, report.total, report.previous_total),
    }
    return await render(request, "reports/club.html", context)


async def _rerender_club(request: Request, errors: dict[str, str]) -> Response:
    """A period refused (it ends before it begins, or runs too long): this year's report, with why."""
    actor = await require_page_actor(request)
    return await _club_page(request, await reports.club_report(actor), errors)


@shows_refusals(_rerender_club)
async def club_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    return await _club_page(request, await reports.club_report(actor, first=first, last=last), {})


async def _sponsor_page(request: Request, report: Report, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    _, page, partners = await partner_lines.partner_page(
        actor,
        first_day=report.period.first,
        last_day=report.period.last,
        after=request.query_params.get("after") or None,
    )
    own = report.lines[0]
    use_language(language_of(request))
    context = {"report": report, "own": own, "page": page, "partners": partners, "errors": errors}
    return await render(
        request, "reports/sponsor.html", {**context, **_charts(report, own.current, own.previous)}
    )


async def _rerender_sponsor(request: Request, errors: dict[str, str]) -> Response:
    actor = await require_page_actor(request)
    return await _sponsor_page(request, await reports.sponsor_evidence_report(actor), errors)


@shows_refusals(_rerender_sponsor)
async def sponsor_page(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    report = await reports.sponsor_evidence_report(actor, first=first, last=last)
    return await _sponsor_page(request, report, {})


def _filename(kind: str, report: Report, extension: str) -> str:
    return f"{kind}-{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}.{extension}"


async def club_xlsx(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    report = await reports.club_report(actor, first=first, last=last)
    use_language("ko")  # the workbook's headings are Korean, whatever the page's language
    return _xlsx(workbook(report, gettext), _filename("club-report", report, "xlsx"))


async def sponsor_xlsx(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    report = await reports.sponsor_evidence_report(actor, first=first, last=last)
    partners = await partner_lines.all_partner_lines(actor, report.period)
    use_language("ko")
    return _xlsx(workbook(report, gettext, partners), _filename("evidence-report", report, "xlsx"))


def _xlsx(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


CSV_HEADINGS = (
    "Conglomerate",
    "Business number",
    "Budget committed",
    "Reserved",
    "Spent",
    "Remaining",
    "SMEs supported",
    "Supported claims",
    "Average sponsor share (%)",
    "Seminars",
    "Seminar registrations",
    "Seminar attendance",
    "Spent, previous period",
)


def _csv_row(name: str, number: str, now: Figures, before: Figures) -> list[object]:
    share = now.sponsor_share_percent
    return [
        name,
        number,
        now.committed,
        now.reserved,
        now.spent,
        now.remaining,
        now.smes_supported,
        now.claims,
        "" if share is None else str(share),
        now.seminars,
        now.registrations,
        now.attended,
        before.spent,
    ]


async def club_csv(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    report = await reports.club_report(actor, first=first, last=last)
    rows = [
        _csv_row(
            line.conglomerate.name_ko, line.conglomerate.business_number or "", line.current, line.previous
        )
        for line in report.lines
    ]
    rows.append(_csv_row(gettext("Club total"), "", report.total, report.previous_total))
    return csv_download(_filename("club-report", report, "csv"), CSV_HEADINGS, rows)


async def sponsor_csv(request: Request) -> Response:
    actor = await require_page_actor(request)
    first, last = _dates(request)
    report = await reports.sponsor_evidence_report(actor, first=first, last=last)
    partners = await partner_lines.all_partner_lines(actor, report.period)
    headings = (
        "SME",
        "Business number",
        "Tier",
        "Supported claims",
        "Sponsor share",
        "Seminar registrations",
        "Seminar attendance",
        "Diagnosis level",
    )
    rows = [
        [
            line.name_ko,
            line.business_number or "",
            int(line.tier),
            line.claims,
            line.sponsor_share,
            line.registrations,
            line.attended,
            gettext(f"level_{line.level.value}") if line.level else "",
        ]
        for line in partners
    ]
    return csv_download(_filename("evidence-report", report, "csv"), headings, rows)


def routes() -> list[Route]:
    return [
        Route("/reports", club_page),
        Route("/reports.xlsx", club_xlsx),
        Route("/reports.csv", club_csv),
        Route("/reports/sponsor", sponsor_page),
        Route("/reports/sponsor.xlsx", sponsor_xlsx),
        Route("/reports/sponsor.csv", sponsor_csv),
    ]
