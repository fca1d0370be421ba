"""Partner lists as a conglomerate's office would send them."""

from __future__ import annotations

import io

from openpyxl import Workbook

from server.membership.business_number import complete, format_number

HEADER = ["사업자등록번호", "회사명", "협력차수", "담당자 이메일"]


def partner_rows(n: int, office: str = "312") -> list[list[str]]:
    """n distinct valid SMEs (at most 9,999 per office code), numbers written 123-45-67890."""
    rows = []
    for i in range(1, n + 1):
        number = format_number(complete(f"{office}86{i:04d}"))
        rows.append([number, f"협력사{office}-{i:05d}", f"{1 + i % 2}차", f"contact{i}@{office}.sme.test"])
    return rows


def csv_bytes(rows: list[list[str]], encoding: str = "cp949") -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return "\r\n".join(lines).encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
