"""A sponsor's evidence, SME by SME: what each active partner received from it in a period, the seminars
its people attended, and its diagnosis level where `policy.diagnosis_view` lets the sponsor see it.

A page of partners costs three statements (the page, its claims, its seats) whatever their number; the
whole list (for the downloads) the same three, grouped over the sponsor's partners in the database
rather than over a list of ids sent to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.functions import Count, Sum

from server.models import (
    SETTLED_CLAIMS,
    Claim,
    Organization,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    Registration,
    RegistrationStatus,
    SupplierTier,
)
from server.platform.actor import Actor
from server.platform.pagination import Page, paginate
from server.platform.policy import DiagnosisView, diagnosis_view, require_coordinator
from server.reports import figures as f
from server.reports.figures import ServiceFigures
from server.reports.period import Period, period_of

BY_NAME = ("sme__name_ko", "id")
_SME = ("sme_id", "sme__name_ko", "sme__name_en", "sme__business_number", "tier", "sme__shares_diagnosis")


@dataclass(frozen=True)
class PartnerLine:
    sme_id: int
    name_ko: str
    name_en: str | None
    business_number: str | None
    tier: SupplierTier
    services: dict[str, ServiceFigures] = field(default_factory=dict)  # supported claims by service code
    registrations: int = 0
    attended: int = 0
    level: ProtectionLevel | None = (
        None  # its latest level now; None: not taken, or not shared with the sponsor
    )

    @property
    def claims(self) -> int:
        return sum(s.claims for s in self.services.values())

    @property
    def sponsor_share(self) -> int:
        return sum(s.sponsor_share for s in self.services.values())


def _partners(actor: Actor) -> Any:
    return Partnership.filter(conglomerate_id=actor.organization.id, status=PartnershipStatus.ACTIVE)


async def partner_page(
    actor: Actor | None,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    first: int | None = None,
    after: str | None = None,
) -> tuple[Period, Page[Partnership], list[PartnerLine]]:
    """One page of the coordinator's active partners, by name, with their lines for the period."""
    actor = require_coordinator(actor)
    period = period_of(first_day, last_day)
    page = await paginate(_partners(actor).select_related("sme"), first=first, after=after, order=BY_NAME)
    rows = [
        (p.sme_id, p.sme.name_ko, p.sme.name_en, p.sme.business_number, p.tier, p.sme.shares_diagnosis)
        for p in page.items
    ]
    levels = {p.sme_id: p.sme.shared_diagnosis_level for p in page.items}
    sme_ids = [p.sme_id for p in page.items]
    return period, page, await _lines(actor, period, rows, levels, sme_ids)


async def all_partner_lines(actor: Actor | None, period: Period) -> list[PartnerLine]:
    """Every active partner's line, by name, for the downloads."""
    actor = require_coordinator(actor)
    found = await _partners(actor).order_by(*BY_NAME).values_list(*_SME, "sme__shared_diagnosis_level")
    rows = [row[:6] for row in found]
    levels = {row[0]: row[6] for row in found}
    return await _lines(actor, period, rows, levels, None)


async def _lines(
    actor: Actor,
    period: Period,
    rows: list[tuple[Any, ...]],
    levels: dict[int, Any],
    sme_ids: list[int] | None,
) -> list[PartnerLine]:
    """Lines for `rows` (the SME's id, names, number, tier, sharing); `sme_ids` narrows the grouped
    statements to a page, None groups over all the sponsor's active partners."""
    if not rows:
        return []
    own = actor.organization.id
    claims = Claim.filter(
        status__in=list(SETTLED_CLAIMS),
        paid_at__gte=period.start,
        paid_at__lt=period.end,
        commitment__conglomerate_id=own,
    )
    seats = Registration.filter(
        status__in=list(f.COUNTED_REGISTRATIONS),
        seminar__status__in=list(f.HELD),
        seminar__starts_at__gte=period.start,
        seminar__starts_at__lt=period.end,
    )
    if sme_ids is not None:
        claims, seats = claims.filter(sme_id__in=sme_ids), seats.filter(organization_id__in=sme_ids)
    else:
        seats = seats.filter(
            organization__sponsor_partnerships__conglomerate_id=own,
            organization__sponsor_partnerships__status=PartnershipStatus.ACTIVE,
        )
    services: dict[int, dict[str, ServiceFigures]] = defaultdict(dict)
    for sme_id, code, n, prices, shares in await (
        claims.annotate(n=Count("id"), prices=Sum("list_price"), shares=Sum("sponsor_share"))
        .group_by("sme_id", "service__code")
        .values_list("sme_id", "service__code", "n", "prices", "shares")
    ):
        services[sme_id][str(code)] = ServiceFigures(n, int(prices or 0), int(shares or 0))
    taken: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sme_id, status, n in await (
        seats.annotate(n=Count("id"))
        .group_by("organization_id", "status")
        .values_list("organization_id", "status", "n")
    ):
        taken[sme_id][0] += n
        if status == RegistrationStatus.ATTENDED:
            taken[sme_id][1] += n
    # The one rule decides whether this sponsor sees a partner's level: through these active partnerships
    # it turns on the SME's sharing alone, so it is asked once for each answer (a model per row is slow).
    visible = {
        shares: diagnosis_view(actor, Organization(id=0, shares_diagnosis=shares), PartnershipStatus.ACTIVE)
        == DiagnosisView.RESULTS
        for shares in (True, False)
    }
    lines = []
    for sme_id, name_ko, name_en, number, tier, shares in rows:
        level = levels.get(sme_id) if visible[bool(shares)] else None
        seats_of = taken.get(sme_id, [0, 0])
        lines.append(
            PartnerLine(
                sme_id=sme_id,
                name_ko=name_ko,
                name_en=name_en,
                business_number=number,
                tier=SupplierTier(tier),
                services=services.get(sme_id, {}),
                registrations=seats_of[0],
                attended=seats_of[1],
                level=ProtectionLevel(level) if level else None,
            )
        )
    return lines
