"""Diagnosis levels at the report's three moments, in one pass over the diagnoses.

Each SME's latest submitted result before each moment is found once, per SME (a conditional MAX of the
ids: an SME has one draft at a time, so its results' ids follow their submission); the partners' levels
(by sponsor) and the club's are then counted from that one table in the same statement. Tortoise cannot
join a grouped subquery, so this is written in SQL that PostgreSQL and SQLite both run (`server.platform.sql`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from server.models import DiagnosisStatus, PartnershipStatus, ProtectionLevel
from server.platform.sql import fetch


def no_levels() -> dict[ProtectionLevel, int]:
    return {level: 0 for level in ProtectionLevel}


@dataclass
class LevelsAt:
    """SMEs by level at one moment: each conglomerate's active partners, and the whole club's."""

    partners: dict[int, dict[ProtectionLevel, int]] = field(default_factory=lambda: defaultdict(no_levels))
    club: dict[ProtectionLevel, int] = field(default_factory=no_levels)


_LATEST = """WITH latest_result AS (
  SELECT sme_id,
    MAX(CASE WHEN submitted_at < :at0 THEN id END) AS at0,
    MAX(CASE WHEN submitted_at < :at1 THEN id END) AS at1,
    MAX(CASE WHEN submitted_at < :at2 THEN id END) AS at2
  FROM diagnosis WHERE status = :submitted AND submitted_at < :at0 GROUP BY sme_id
), levels_at AS (
  SELECT latest_result.sme_id AS sme_id, d0.level AS l0, d1.level AS l1, d2.level AS l2
  FROM latest_result
  LEFT JOIN diagnosis d0 ON d0.id = latest_result.at0
  LEFT JOIN diagnosis d1 ON d1.id = latest_result.at1
  LEFT JOIN diagnosis d2 ON d2.id = latest_result.at2
)
SELECT p.conglomerate_id AS owner, l0, l1, l2, COUNT(*) AS n FROM levels_at
JOIN partnership p ON p.sme_id = levels_at.sme_id"""
_SHARED = " JOIN organization o ON o.id = levels_at.sme_id"
_GROUP = " GROUP BY p.conglomerate_id, l0, l1, l2"
_CLUB = " UNION ALL SELECT NULL, l0, l1, l2, COUNT(*) FROM levels_at GROUP BY l0, l1, l2"


async def levels_at(
    moments: tuple[datetime, datetime, datetime],
    *,
    conglomerate_id: int | None = None,
    shared_only: bool = False,
    club: bool = True,
) -> list[LevelsAt]:
    """The levels at each of three moments, latest first. `conglomerate_id` keeps one sponsor's partners;
    `shared_only` the SMEs that share their results with their sponsors (`policy.sponsor_sees_results`,
    for a coordinator's own report); `club` adds the club's levels (the secretariat's statistics)."""
    assert list(moments) == sorted(moments, reverse=True)
    values: dict[str, object] = {
        "at0": moments[0],
        "at1": moments[1],
        "at2": moments[2],
        "submitted": DiagnosisStatus.SUBMITTED.value,
        "active": PartnershipStatus.ACTIVE.value,
    }
    sql = _LATEST + (_SHARED if shared_only else "") + " WHERE p.status = :active"
    if shared_only:
        sql += " AND o.shares_diagnosis = :shares"
        values["shares"] = True
    if conglomerate_id is not None:
        sql += " AND p.conglomerate_id = :conglomerate"
        values["conglomerate"] = conglomerate_id
    sql += _GROUP + (_CLUB if club else "")
    found = [LevelsAt() for _ in moments]
    for row in await fetch(sql, **values):
        owner, n = row["owner"], int(row["n"])
        for at, level in zip(found, (row["l0"], row["l1"], row["l2"]), strict=True):
            if level is None:
                continue  # no result yet at that moment
            counts = at.club if owner is None else at.partners[int(owner)]
            counts[ProtectionLevel(level)] += n
    return found
