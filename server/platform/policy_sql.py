"""Visibility rules of `policy` in SQL, for the read paths that select plain rows (server/platform/sql.py).

Each fragment is the rule of the same name in `policy`, over the tables its comment names;
tests/test_partner_rows.py and tests/test_claim_list.py prove that each agrees with the ORM rule for every
role.
A rule changed there changes here in the same commit.
"""

from __future__ import annotations

from server.models import PartnershipStatus
from server.platform.actor import Actor

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
