"""Page handlers read the request, call a service and render: refusals go to the one registered handler and
the database is read only through the domain."""

from __future__ import annotations

import re
from pathlib import Path

PAGES = Path(__file__).parent.parent / "frontend" / "pages"

# A model class queried directly (`Payment.filter(`, `User.exists(`) or a relation read (`x.services.all(`).
DATABASE_READ = re.compile(r"\b[A-Z]\w*\.(filter|get|get_or_none|exists|all|first|create)\(|\.\w+\.all\(\)")
DATABASE_READS: dict[str, int] = {}


def _count(pattern: re.Pattern[str]) -> dict[str, int]:
    counts = {
        path.name: len(pattern.findall(path.read_text(encoding="utf-8"))) for path in PAGES.glob("*.py")
    }
    return {name: count for name, count in sorted(counts.items()) if count}


def test_pages_leave_refusals_to_the_registered_handler() -> None:
    assert _count(re.compile(r"except DomainError\b")) == {}


def test_pages_read_the_database_only_through_the_domain() -> None:
    assert _count(DATABASE_READ) == DATABASE_READS
