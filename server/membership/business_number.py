"""Korean business registration numbers (사업자등록번호): 123-45-67890."""

from __future__ import annotations

import re

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_NON_DIGITS = re.compile(r"[\s-]")


def check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def normalize(raw: str) -> str | None:
    """The ten digits of a valid number, or None when it is not one."""
    digits = _NON_DIGITS.sub("", raw)
    if len(digits) != 10 or not digits.isdigit():
        return None
    if int(digits[:3]) < 101 or digits[3:5] == "00" or digits[5:9] == "0000":
        return None
    if check_digit(digits[:9]) != int(digits[9]):
        return None
    return digits


def format_number(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def complete(first_nine: str) -> str:
    """The valid ten-digit number that starts with these nine digits (demo and test data)."""
    return first_nine + str(check_digit(first_nine))


EXAMPLE = "124-81-00998"  # a valid number (its check digit holds), shown as the example


def problem(raw: str) -> str:
    """Why `raw` is not a valid business registration number: an English msgid for the person typing it."""
    digits = _NON_DIGITS.sub("", raw)
    if len(digits) != 10 or not digits.isdigit():
        return "This is not a valid business registration number: it has ten digits (e.g. 124-81-00998)."
    if int(digits[:3]) < 101 or digits[3:5] == "00" or digits[5:9] == "0000":
        return (
            "This is not a valid business registration number: its office code and serial cannot be zero "
            "(e.g. 124-81-00998)."
        )
    return (
        "This is not a valid business registration number: its last digit (the check digit) does not "
        "match the first nine. Check for a mistyped digit (e.g. 124-81-00998)."
    )
