"""Reading partner lists as Korean offices keep them: CSV (UTF-8 or Excel's CP949) and .xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from server.platform.errors import DomainError, ErrorCode
from server.platform.text import has_odd_characters

MAX_ROWS = 10_000

# The columns a partner list needs, and the headings people give them.
COLUMNS = {
    "business_number": {
        "사업자등록번호",
        "사업자번호",
        "business number",
        "business registration number",
        "business_number",
        "brn",
    },
    "name": {"회사명", "업체명", "상호", "기업명", "협력사명", "company", "company name", "name"},
    "tier": {"협력차수", "차수", "협력 차수", "tier"},
    "email": {
        "담당자 이메일",
        "담당자이메일",
        "이메일",
        "e-mail",
        "email",
        "contact email",
        "contact e-mail",
    },
}


def _heading(cell: Any) -> str:
    return " ".join(str(cell or "").replace("\ufeff", "").split()).lower()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _table(lines: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    iterator = iter(lines)
    header = next(iterator, None)
    if header is None:
        raise DomainError.single(ErrorCode.INVALID, "The file is empty.", "file")
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        for column, names in COLUMNS.items():
            if _heading(cell) in names and column not in positions:
                positions[column] = index
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise DomainError.single(
            ErrorCode.INVALID,
            "The first row must name the columns: 사업자등록번호, 회사명, 협력차수, 담당자 이메일.",
            "file",
        )
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(iterator, start=2):
        cells = list(line)
        values = {column: _cell(cells[i]) if i < len(cells) else "" for column, i in positions.items()}
        if not any(values.values()):
            continue
        if any(has_odd_characters(value) for value in values.values()):
            # PostgreSQL stores no NUL in text: refused here, in words, rather than by the database.
            raise DomainError.single(
                ErrorCode.INVALID, "Row %(row)s holds a character that is not text (NUL).", "file", row=number
            )
        rows.append({"row": number, **values})
        if len(rows) > MAX_ROWS:
            raise DomainError.single(ErrorCode.INVALID, "A file may hold at most 10,000 partners.", "file")
    return rows


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError.single(
        ErrorCode.INVALID, "The file is not readable text (save it as CSV UTF-8 or .xlsx).", "file"
    )


def read_partner_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Each non-empty data row as {row, business_number, name, tier, email}, all text."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise DomainError.single(
                ErrorCode.INVALID, "This .xlsx file could not be opened.", "file"
            ) from exc
        try:
            return _table(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    if filename.lower().endswith((".csv", ".txt")):
        return _table(csv.reader(io.StringIO(_decode(content))))
    raise DomainError.single(ErrorCode.INVALID, "Upload a .csv or .xlsx file.", "file")
