"""The report pages: printable, with charts that carry their numbers, and downloads that open in Excel with
typed cells (openpyxl reads them back) and as CSV; a sponsor sees only its own figures, whatever it asks."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import httpx
import pytest
from openpyxl import load_workbook

from server.models import Organization
from tests.support.club_year import club_year
from tests.support.costs import today
from tests.support.pages import sign_in_as
from tests.support.world import World

pytestmark = pytest.mark.usefixtures("settings")


async def test_the_club_report_page_prints_its_figures_and_draws_charts_that_carry_them(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await sign_in_as(client, world.admin.email, world.admin.password)
    page = await client.get("/reports")
    assert page.status_code == 200
    assert "삼성전자" in page.text and "LG전자" in page.text
    assert 'id="total-spent">510,000원<' in page.text
    # The money chart writes each bar's value beside it (₩210,000 is 21만원) and its axis runs to the largest.
    assert 'data-value="210000"' in page.text and ">21만원<" in page.text and ">300만원<" in page.text
    assert page.text.count('<svg class="chart hbar"') == 3
    assert 'data-action="print"' in page.text and "/reports.xlsx?from=" in page.text
    client.cookies.set("lang", "en")
    english = await client.get("/reports")
    assert "₩210.0k" in english.text and "Budget committed and spent by conglomerate" in english.text


async def test_a_period_that_ends_before_it_begins_is_shown_with_why_and_this_years_report(
    client: httpx.AsyncClient, world: World
) -> None:
    await sign_in_as(client, world.admin.email, world.admin.password)
    page = await client.get("/reports?from=2026-03-01&to=2026-02-01")
    assert page.status_code == 200
    assert 'id="to-error"' in page.text
    assert f'value="{today().year}-01-01"' in page.text


async def test_the_club_report_downloads_as_a_workbook_of_typed_cells_with_korean_headings(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await sign_in_as(client, world.admin.email, world.admin.password)
    year = today().year
    client.cookies.set("lang", "en")  # the workbook is in Korean whatever the page's language
    download = await client.get(f"/reports.xlsx?from={year}-01-01&to={year}-12-31")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["클럽 합계", "대기업별", "서비스별 지원", "진단 등급"]
    summary = book["클럽 합계"]
    assert [c.value for c in summary[1]] == ["항목", "이번 기간", "이전 기간", "증감"]
    assert summary["B2"].value == datetime(year, 1, 1) and summary["B2"].is_date
    assert summary["C3"].value == datetime(year - 1, 12, 31)
    spent = next(row for row in summary.iter_rows(min_row=4) if row[0].value == "집행액")
    assert [c.value for c in spent[1:]] == [510_000, 0, 510_000]
    assert spent[1].data_type == "n" and spent[1].number_format == "#,##0"
    by_conglomerate = book["대기업별"]
    headings = [c.value for c in by_conglomerate[1]]
    rows = {
        row[0]: dict(zip(headings, row, strict=True))
        for row in by_conglomerate.iter_rows(min_row=2, values_only=True)
    }
    assert rows["삼성전자"]["집행액"] == 210_000 and rows["LG전자"]["집행액"] == 300_000
    assert float(rows["삼성전자"]["평균 후원 분담률(%)"]) == 70.0
    services = [row for row in book["서비스별 지원"].iter_rows(min_row=2, values_only=True)]
    assert ("삼성전자", "기술자료 임치 신규 계약", 1, 300_000, 210_000) in services


async def test_the_club_report_downloads_as_csv_through_the_safe_writer(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await Organization.filter(id=world.lg.id).update(name_ko='=HYPERLINK("http://evil")')
    await sign_in_as(client, world.admin.email, world.admin.password)
    download = await client.get("/reports.csv")
    rows = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["대기업", "사업자등록번호", "약정 예산", "승인 확보액", "집행액"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["삼성전자"][4] == "210000" and by_name["클럽 전체 합계"][4] == "510000"
    assert '\'=HYPERLINK("http://evil")' in by_name


async def test_a_sponsor_s_evidence_page_and_downloads_hold_its_own_figures_only(
    client: httpx.AsyncClient, world: World
) -> None:
    await club_year(world)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    # The club's report is the secretariat's; naming LG changes nothing on the evidence page.
    assert (await client.get("/reports")).status_code == 404
    assert (await client.get("/reports.xlsx")).status_code == 404
    page = await client.get(f"/reports/sponsor?conglomerate={world.lg.id}")
    assert page.status_code == 200
    assert "삼성전자" in page.text and "LG전자" not in page.text and "동해소재" not in page.text
    assert "한빛정밀" in page.text and "세진테크" in page.text
    book = load_workbook(io.BytesIO((await client.get("/reports/sponsor.xlsx")).content))
    assert book.sheetnames == ["클럽 합계", "대기업별", "서비스별 지원", "진단 등급", "협력 중소기업"]
    assert [row[0] for row in book["대기업별"].iter_rows(min_row=2, values_only=True)] == ["삼성전자"]
    partners = {row[0]: row for row in book["협력 중소기업"].iter_rows(min_row=2, values_only=True)}
    assert set(partners) == {"한빛정밀", "세진테크"}
    assert partners["한빛정밀"][-1] == "위험" and partners["세진테크"][-1] is None
    rows = list(csv.reader(io.StringIO((await client.get("/reports/sponsor.csv")).text.lstrip("\ufeff"))))
    assert sorted(row[0] for row in rows[1:]) == ["세진테크", "한빛정밀"]
    assert {row[0]: row[4] for row in rows[1:]} == {"한빛정밀": "210000", "세진테크": "0"}
