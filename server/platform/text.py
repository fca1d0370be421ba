"""Text no one types: refused where a request's input is decoded, in one definition for both doors.

A NUL character is refused by PostgreSQL in text and has no meaning in a name, a search or a token; an
unpaired surrogate (which JSON can spell as \\ud800) cannot even be encoded as UTF-8 for the database.
Either would otherwise travel into a query and come back as an internal error.
"""

from __future__ import annotations

import re
from typing import Any

ODD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")

# Bounds of numbers anyone may enter: past them a number names no row and no amount.
MAX_ID = 2**31 - 1  # ids are PostgreSQL integers
MAX_WON = 10**15  # a quadrillion won is past any budget, and a share of it still fits a bigint


def has_odd_characters(text: str) -> bool:
    return ODD_CHARACTERS.search(text) is not None


def carries_odd_characters(value: Any) -> bool:
    """Whether decoded JSON holds such text anywhere (keys included)."""
    if isinstance(value, str):
        return has_odd_characters(value)
    if isinstance(value, dict):
        return any(carries_odd_characters(k) or carries_odd_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(carries_odd_characters(v) for v in value)
    return False
