"""Visibility rules of `policy` in SQL, for the read paths that select plain rows (server/platform/sql.py).

Each fragment is the rule of the same name in `policy`, over the tables its comment names;
tests/test_partner_rows.py, tests/test_claim_list.py and tests/test_commitment_list.py prove that each
agrees with the ORM rule for every role.
A rule changed there changes here in the same commit.
"""

from __future__ import annotations

from server.models import CommitmentStatus, PartnershipStatus, SeminarStatus, SupplierTier
from server.platform.actor import Actor
from server.platform.sql import listed
from server.platform.standing import IN_GOOD_STANDING

# Over "partnership" p joined to its SME "organization" o.
# `require_coordinator` then `Partnership.filter(conglomerate_id=...)`: a coordinator's own partnerships.
COORDINATOR_PARTNERSHIPS = "p.conglomerate_id = :actor_organization"
# `sponsor_sees_results()`: diagnosis_view == RESULTS on the acting coordinator's own partnerships.
SPONSOR_SEES_RESULTS = f"(p.status = '{PartnershipStatus.ACTIVE.value}' AND o.shares_diagnosis = TRUE)"


def visible_claims(actor: Actor) -> str:
    """`policy.visible_claims` over "claim" c and its "commitment" m, with :actor_organization."""
    if actor.is_secretariat:
        return "1 = 1"
    if actor.is_coordinator:
        return "m.conglomerate_id = :actor_organization"
    if actor.is_sme_representative:
        return "c.sme_id = :actor_organization"
    return "1 = 0"


def claims_joined(condition: str) -> str:
    """What to join to "claim" c for a condition built on `visible_claims`: its commitment m if it reads one."""
    return " JOIN commitment m ON m.id = c.commitment_id" if "m." in condition else ""


_GOOD_STANDING = listed(IN_GOOD_STANDING)
# `policy.eligible_commitments` over "commitment" m: active, of a sponsor in good standing that the SME
# is an active partner of, and open to the tier that partnership has.
_ELIGIBLE = f"""m.status = '{CommitmentStatus.ACTIVE.value}' AND EXISTS (
  SELECT 1 FROM partnership p JOIN club_membership b ON b.organization_id = p.conglomerate_id
  WHERE p.sme_id = :actor_organization AND p.conglomerate_id = m.conglomerate_id
    AND p.status = '{PartnershipStatus.ACTIVE.value}' AND b.status IN ({_GOOD_STANDING})
    AND ((p.tier = {int(SupplierTier.FIRST)} AND m.eligible_tier_1 = TRUE)
      OR (p.tier = {int(SupplierTier.SECOND)} AND m.eligible_tier_2 = TRUE)))"""  # noqa: S608 - enum values


def visible_commitments(actor: Actor) -> str:
    """`policy.visible_commitments` over "commitment" m, with :actor_organization."""
    if actor.is_secretariat:
        return "1 = 1"
    if actor.is_coordinator:
        return "m.conglomerate_id = :actor_organization"
    if actor.is_sme_representative:
        return _ELIGIBLE
    return "1 = 0"


def visible_seminars(actor: Actor) -> str:
    """`policy.visible_seminars` over "seminar" s."""
    return "1 = 1" if actor.is_secretariat else f"s.status <> '{SeminarStatus.DRAFT.value}'"
