"""A commitment's remaining budget and a seminar's free seats are worked out in one place, next to the model."""

from __future__ import annotations

import re
from pathlib import Path

from server.models import Commitment, LedgerEntryKind, Seminar
from server.money.ledger import figures_of

ROOT = Path(__file__).parent.parent
DOORS_AND_DOMAIN = [ROOT / "server", ROOT / "schema", ROOT / "frontend"]
# The formulas the model now owns, spelled out anywhere else.
RESTATED = re.compile(
    r"budget\s*-\s*\S*reserved|capacity\s*-\s*\S*registered_count|registered_count\s*<\s*\S*capacity"
)


def test_remaining_budget_is_the_budget_less_what_is_set_aside_and_spent() -> None:
    commitment = Commitment(budget=5_000_000, reserved=1_200_000, captured=800_000)
    assert commitment.remaining == 3_000_000
    entries = [
        (LedgerEntryKind.BUDGET, 5_000_000),
        (LedgerEntryKind.RESERVE, 2_000_000),
        (LedgerEntryKind.CAPTURE, 800_000),
    ]
    assert figures_of(entries).remaining == 3_000_000


def test_seats_left_are_the_capacity_less_the_registered() -> None:
    assert Seminar(capacity=30, registered_count=28).seats_left == 2
    assert Seminar(capacity=30, registered_count=30).seats_left == 0


def test_no_service_schema_or_template_restates_the_formulas() -> None:
    restated = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in DOORS_AND_DOMAIN
        for path in sorted(folder.rglob("*"))
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts and path.parent.name != "models"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RESTATED.search(line)
    ]
    assert restated == []
