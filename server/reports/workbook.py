"""A report as an .xlsx workbook: one sheet per table, amounts and counts as numbers, days as dates.

Headings go through `translate` (the download asks for Korean ones); every value is a typed cell, so the
sheets add up in Excel as they do here. Text a member typed (a company's name) is written as text, never
as a formula: openpyxl stores a string starting with "=" as a formula, so such names are prefixed as the
CSV writer does (`server.platform.exports.safe_cell`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from server.models import ProtectionLevel
from server.platform.exports import safe_cell
from server.reports.club_report import Report, level_change
from server.reports.figures import Figures
from server.reports.partner_lines import PartnerLine

Translate = Callable[[str], str]
WON = "#,##0"
PERCENT = "0.0"
DAY = "yyyy-mm-dd"
BOLD = Font(bold=True)

# (heading, the figure, its cell format) for the summary and the per-conglomerate sheet.
FIGURES: list[tuple[str, Callable[[Figures], int | Decimal | None], str]] = [
    ("Budget committed", lambda f: f.committed, WON),
    ("Reserved", lambda f: f.reserved, WON),
    ("Spent", lambda f: f.spent, WON),
    ("Remaining", lambda f: f.remaining, WON),
    ("SMEs supported", lambda f: f.smes_supported, WON),
    ("Supported claims", lambda f: f.claims, WON),
    ("Average sponsor share (%)", lambda f: f.sponsor_share_percent, PERCENT),
    ("Seminars", lambda f: f.seminars, WON),
    ("Seminar registrations", lambda f: f.registrations, WON),
    ("Seminar attendance", lambda f: f.attended, WON),
    ("SMEs diagnosed", lambda f: f.diagnosed, WON),
]


def _cell(value: Any) -> Any:
    return safe_cell(value) if isinstance(value, str) else value


def _sheet(
    book: Workbook,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str] | Callable[[Sequence[Any]], Sequence[str]],
) -> None:
    """A sheet of a heading row and `rows`; `formats` are the columns' number formats (or a row's own).

    Written in openpyxl's write-only mode: each row streams out as it is added (several times faster than
    a sheet kept in memory for a report's thousands of partner rows).
    """
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "B2"
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) * 2)
    sheet.append([_styled(sheet, heading, "", bold=True) for heading in headings])
    for row in rows:
        row_formats = list(formats(row) if callable(formats) else formats)
        row_formats += [""] * (len(row) - len(row_formats))
        sheet.append([_styled(sheet, value, f) for value, f in zip(row, row_formats, strict=False)])


def _styled(sheet: Any, value: Any, number_format: str, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_cell(value))
    if bold:
        cell.font = BOLD
    if number_format and not isinstance(value, str) and value is not None:
        cell.number_format = number_format
    return cell


def workbook(report: Report, translate: Translate, partners: list[PartnerLine] | None = None) -> bytes:
    """The club's report (every conglomerate) or a sponsor's (its line, the club totals, its partners)."""
    _ = translate
    book = Workbook(write_only=True)
    period, previous = report.period, report.previous_period
    summary: list[Sequence[Any]] = [
        (_("First day"), period.first, previous.first),
        (_("Last day"), period.last, previous.last),
    ]
    row_formats = {_(heading): number_format for heading, _f, number_format in FIGURES}
    for heading, figure, _format in FIGURES:
        now, before = figure(report.total), figure(report.previous_total)
        change = now - before if now is not None and before is not None else None
        summary.append((_(heading), now, before, change))
    _sheet(
        book,
        _("Club totals"),
        [_("Figure"), _("This period"), _("Previous period"), _("Change")],
        summary,
        lambda row: ["", *[row_formats.get(row[0], DAY)] * 3],
    )
    names = [_(h) for h, _f, _n in FIGURES]
    _sheet(
        book,
        _("By conglomerate"),
        [
            _("Conglomerate"),
            _("Business number"),
            *names,
            _("Spent, previous period"),
            _("Supported claims, previous period"),
        ],
        (
            [
                line.conglomerate.name_ko,
                line.conglomerate.business_number or "",
                *(f(line.current) for _h, f, _n in FIGURES),
                line.previous.spent,
                line.previous.claims,
            ]
            for line in report.lines
        ),
        ["", "", *(n for _h, _f, n in FIGURES), WON, WON],
    )
    services = {str(s.code): s.name_ko for s in report.services}
    who = [(line.conglomerate.name_ko, line.current) for line in report.lines] + [
        (_("Club total"), report.total)
    ]
    _sheet(
        book,
        _("Claims by service"),
        [_("Conglomerate"), _("Service"), _("Supported claims"), _("List price"), _("Sponsor share")],
        (
            [name, services.get(code, code), s.claims, s.list_price, s.sponsor_share]
            for name, figures in who
            for code, s in sorted(figures.services.items())
        ),
        ["", "", WON, WON, WON],
    )
    _sheet(
        book,
        _("Diagnosis levels"),
        [_("Conglomerate"), _("Level"), _("At the period's end"), _("The day before it began"), _("Change")],
        (
            [
                name,
                _(f"level_{level.value}"),
                figures.levels[level],
                (figures.levels_before or {}).get(level, 0),
                level_change(figures).get(level, 0),
            ]
            for name, figures in who
            if figures.levels is not None
            for level in ProtectionLevel
        ),
        ["", "", WON, WON, WON],
    )
    if partners is not None:
        _partner_sheet(book, _, report, partners)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _partner_sheet(book: Workbook, _: Translate, report: Report, partners: list[PartnerLine]) -> None:
    codes = [s.code for s in report.services]
    _sheet(
        book,
        _("Partner SMEs"),
        [
            _("SME"),
            _("Business number"),
            _("Tier"),
            *(s.name_ko for s in report.services),
            _("Supported claims"),
            _("Sponsor share"),
            _("Seminar registrations"),
            _("Seminar attendance"),
            _("Diagnosis level"),
        ],
        (
            [
                line.name_ko,
                line.business_number or "",
                int(line.tier),
                *(line.services[code].claims if code in line.services else 0 for code in codes),
                line.claims,
                line.sponsor_share,
                line.registrations,
                line.attended,
                _(f"level_{line.level.value}") if line.level else "",
            ]
            for line in partners
        ),
        ["", "", "0", *(WON for _c in codes), WON, WON, WON, WON, ""],
    )
