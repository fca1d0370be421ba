"""Whether an SME may claim a service under a commitment, known before it fills in the claim form.

`submit_claim` refuses by these rules (`refusal`) once it holds the commitment's lock; the SME's pages ask
`claim_refusals` first, so a 신청 button it may not use is disabled and says why and where to fix it.
The facts for a whole page of commitments load in at most four queries (`claim_facts`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from server.models import (
    OPEN_CLAIMS,
    SETTLED_CLAIMS,
    Claim,
    Commitment,
    Diagnosis,
    DiagnosisStatus,
    Service,
    ServiceCode,
)
from server.money import escrow_contracts
from server.platform.errors import ErrorCode, FieldError
from server.platform.timeutil import in_seoul, months_before, now

COUNTED = (*OPEN_CLAIMS, *SETTLED_CLAIMS)


@dataclass(frozen=True)
class ClaimFacts:
    """What the rules need to know of one SME, read once for a page of commitments."""

    today: date
    diagnosed_at: datetime | None  # its latest submitted self-diagnosis
    open_claims: frozenset[tuple[int, int]]  # (commitment id, service id) with an open claim
    counted: Counter[int]  # claims that count against a commitment's limit, by commitment id
    has_original: bool  # an escrow contract of its own ending soon (a renewal needs one)


async def claim_facts(sme_id: int, commitment_ids: list[int], *, renewal: bool) -> ClaimFacts:
    latest = (
        await Diagnosis.filter(sme_id=sme_id, status=DiagnosisStatus.SUBMITTED)
        .order_by("-submitted_at")
        .first()
        .values_list("submitted_at", flat=True)
    )
    rows = await Claim.filter(
        sme_id=sme_id, commitment_id__in=commitment_ids, status__in=COUNTED
    ).values_list("commitment_id", "service_id", "status")
    today = in_seoul(now()).date()
    return ClaimFacts(
        today=today,
        diagnosed_at=latest,  # type: ignore[arg-type]
        open_claims=frozenset((c, s) for c, s, status in rows if status in OPEN_CLAIMS),
        counted=Counter(c for c, _, _ in rows),
        has_original=renewal and await escrow_contracts.has_ending_contract(sme_id, today),
    )


def refusal(facts: ClaimFacts, commitment: Commitment, service: Service) -> FieldError | None:
    """Why the SME may not claim `service` under `commitment` now, or None when it may."""
    if not commitment.period_start <= facts.today <= commitment.period_end:
        return FieldError(ErrorCode.NOT_ELIGIBLE, "This commitment is not open for claims today.")
    if service.code == ServiceCode.ESCROW_RENEWAL and not facts.has_original:
        return FieldError(ErrorCode.NOT_ELIGIBLE, escrow_contracts.NEEDS_ORIGINAL, "serviceId")
    if (commitment.id, service.id) in facts.open_claims:
        return FieldError(
            ErrorCode.DUPLICATE, "You already have an open claim for this service under this commitment."
        )
    limit = commitment.max_claims_per_sme
    if limit is not None and facts.counted[commitment.id] >= limit:
        return FieldError(ErrorCode.LIMIT_REACHED, "You have made as many claims as this commitment allows.")
    months = commitment.diagnosis_within_months
    if months is not None and (
        facts.diagnosed_at is None or facts.diagnosed_at < months_before(now(), months)
    ):
        return FieldError(
            ErrorCode.DIAGNOSIS_REQUIRED,
            "This commitment requires a recent self-diagnosis. Take the self-diagnosis first, then claim.",
        )
    return None


async def claim_refusals(
    sme_id: int, offers: list[tuple[Commitment, list[Service]]]
) -> dict[tuple[int, int], FieldError]:
    """For each (commitment id, service id) on offer that the SME may not claim now: why."""
    renewal = any(s.code == ServiceCode.ESCROW_RENEWAL for _, services in offers for s in services)
    facts = await claim_facts(sme_id, [c.id for c, _ in offers], renewal=renewal)
    refused = {}
    for commitment, services in offers:
        for service in services:
            if (why := refusal(facts, commitment, service)) is not None:
                refused[(commitment.id, service.id)] = why
    return refused
