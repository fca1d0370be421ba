"""A sponsor's evidence, SME by SME: what each active partner received from it in a period, the seminars
its people attended, and its diagnosis level where `policy.diagnosis_view` lets the sponsor see it.

A page of partners costs three statements (the page, its claims, its seats) whatever their number; the
whole list (for the .xlsx download) the same three.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from server.models import (
    SETTLED_CLAIMS,
    Claim,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    Registration,
    RegistrationStatus,
)
from server.platform.actor import Actor
from server.platform.pagination import Page, paginate
from server.platform.policy import DiagnosisView, diagnosis_view, require_coordinator
from server.reports import figures as f
from server.reports.figures import ServiceFigures
from server.reports.period import Period, period_of

BY_NAME = ("sme__name_ko", "id")


@dataclass(frozen=True)
class PartnerLine:
    partnership: Partnership  # with its SME
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


def _partners(actor: Actor) -> QuerySet[Partnership]:
    return Partnership.filter(
        conglomerate_id=actor.organization.id, status=PartnershipStatus.ACTIVE
    ).select_related("sme")


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
    page = await paginate(_partners(actor), first=first, after=after, order=BY_NAME)
    return period, page, await _lines(actor, period, page.items)


async def all_partner_lines(actor: Actor | None, period: Period) -> list[PartnerLine]:
    """Every active partner's line, for the download."""
    actor = require_coordinator(actor)
    return await _lines(actor, period, await _partners(actor).order_by(*BY_NAME))


async def _lines(actor: Actor, period: Period, partnerships: Sequence[Partnership]) -> list[PartnerLine]:
    if not partnerships:
        return []
    sme_ids = [p.sme_id for p in partnerships]
    services: dict[int, dict[str, ServiceFigures]] = defaultdict(dict)
    for sme_id, code, n, prices, shares in await (
        Claim.filter(
            status__in=list(SETTLED_CLAIMS),
            paid_at__gte=period.start,
            paid_at__lt=period.end,
            commitment__conglomerate_id=actor.organization.id,
            sme_id__in=sme_ids,
        )
        .annotate(n=Count("id"), prices=Sum("list_price"), shares=Sum("sponsor_share"))
        .group_by("sme_id", "service__code")
        .values_list("sme_id", "service__code", "n", "prices", "shares")
    ):
        services[sme_id][str(code)] = ServiceFigures(n, int(prices or 0), int(shares or 0))
    seats: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sme_id, status, n in await (
        Registration.filter(
            status__in=list(f.COUNTED_REGISTRATIONS),
            seminar__status__in=list(f.HELD),
            seminar__starts_at__gte=period.start,
            seminar__starts_at__lt=period.end,
            organization_id__in=sme_ids,
        )
        .annotate(n=Count("id"))
        .group_by("organization_id", "status")
        .values_list("organization_id", "status", "n")
    ):
        seats[sme_id][0] += n
        if status == RegistrationStatus.ATTENDED:
            seats[sme_id][1] += n
    return [
        PartnerLine(
            partnership=p,
            services=services.get(p.sme_id, {}),
            registrations=seats[p.sme_id][0],
            attended=seats[p.sme_id][1],
            level=p.sme.shared_diagnosis_level
            if diagnosis_view(actor, p.sme, p.status) == DiagnosisView.RESULTS
            else None,
        )
        for p in partnerships
    ]
