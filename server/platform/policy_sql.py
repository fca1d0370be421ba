"""Visibility rules of `policy` in SQL, for the read paths that select plain rows (server/platform/sql.py).

Each fragment is the rule of the same name in `policy`, over "partnership" p joined to its SME
"organization" o; tests/test_partner_rows.py proves that each agrees with the ORM rule for every role.
A rule changed there changes here in the same commit.
"""

from __future__ import annotations

from server.models import PartnershipStatus

# `require_coordinator` then `Partnership.filter(conglomerate_id=...)`: a coordinator's own partnerships.
COORDINATOR_PARTNERSHIPS = "p.conglomerate_id = :actor_organization"
# `sponsor_sees_results()`: diagnosis_view == RESULTS on the acting coordinator's own partnerships.
SPONSOR_SEES_RESULTS = f"(p.status = '{PartnershipStatus.ACTIVE.value}' AND o.shares_diagnosis = TRUE)"
