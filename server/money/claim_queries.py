"""Reading claims: one claim, the lists and the dashboard counts, each through the one visibility rule
(`policy.visible_claims`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.functions import Count, Sum

from server.models import OPEN_CLAIMS, SETTLED_CLAIMS, Claim, ClaimStatus
from server.platform import policy_sql
from server.platform.actor import Actor
from server.platform.errors import not_found
from server.platform.policy import require_actor, visible_claims
from server.platform.sql import fetch


async def get_claim(actor: Actor | None, claim_id: int) -> Claim:
    actor = require_actor(actor)
    claim = (
        await Claim.filter(visible_claims(actor), id=claim_id)
        .select_related("commitment__conglomerate", "sme", "service", "submitted_by", "decided_by")
        .first()
    )
    if claim is None:
        raise not_found("claim")
    return claim


_COUNTS = "SELECT c.status, COUNT(*) AS n FROM claim c{join} WHERE {where} GROUP BY c.status"


async def claim_counts(actor: Actor | None) -> dict[ClaimStatus, int]:
    """How many of the claims the actor sees are in each state (one statement written once, for the
    dashboards; `policy_sql.visible_claims` is `visible_claims` as SQL)."""
    actor = require_actor(actor)
    condition = policy_sql.visible_claims(actor)
    sql = _COUNTS.format(join=policy_sql.claims_joined(condition), where=condition)
    rows = await fetch(sql, actor_organization=actor.organization.id)
    return {ClaimStatus(row["status"]): int(row["n"]) for row in rows}


@dataclass(frozen=True)
class ClaimSummary:
    """A partner's claims under one conglomerate's commitments."""

    claims: int = 0
    open: int = 0  # submitted or approved
    sponsor_paid: int = 0  # captured sponsor shares of paid and fulfilled claims


async def claim_summaries(conglomerate_id: int, sme_ids: list[int]) -> dict[int, ClaimSummary]:
    """Per SME, in one grouped query (the partner list asks for a whole page at once)."""
    rows = await (
        Claim.filter(sme_id__in=sme_ids, commitment__conglomerate_id=conglomerate_id)
        .annotate(n=Count("id"), total=Sum("sponsor_share"))
        .group_by("sme_id", "status")
        .values_list("sme_id", "status", "n", "total")
    )
    counts: dict[int, dict[str, int]] = {}
    for sme_id, status, n, total in rows:
        summary = counts.setdefault(sme_id, {"claims": 0, "open": 0, "sponsor_paid": 0})
        summary["claims"] += n
        if status in OPEN_CLAIMS:
            summary["open"] += n
        if status in SETTLED_CLAIMS:
            summary["sponsor_paid"] += int(total or 0)
    return {sme_id: ClaimSummary(**values) for sme_id, values in counts.items()}


class ClaimOrder(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True)
class ClaimFilter:
    status: ClaimStatus | None = None
    commitment_id: int | None = None

    def filters(self) -> dict[str, object]:
        """The filter as the ORM's keyword arguments."""
        found: dict[str, object] = {"status": self.status, "commitment_id": self.commitment_id}
        return {name: value for name, value in found.items() if value is not None}
