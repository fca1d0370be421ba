"""Reading partnerships: the partner list with its filters and orders, its CSV export, and totals per
sponsor. A coordinator sees its own partners; an SME its own partnerships; the secretariat the totals.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from server.models import (
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipStatus,
    ProtectionLevel,
    SupplierTier,
)
from server.platform.actor import Actor
from server.platform.errors import forbidden
from server.platform.pagination import Page, paginate
from server.platform.policy import (
    require_actor,
    require_coordinator,
    require_secretariat,
    sponsor_sees_results,
)


class PartnerOrder(StrEnum):
    NEWEST = "newest"
    NAME = "name"
    BUSINESS_NUMBER = "business_number"
    WEAKEST_FIRST = "weakest_first"  # by shared self-diagnosis score; lists only partners that share


_ORDERS = {
    PartnerOrder.NEWEST: ("-id",),
    PartnerOrder.NAME: ("sme__name_ko", "id"),
    PartnerOrder.BUSINESS_NUMBER: ("sme__business_number", "id"),
    PartnerOrder.WEAKEST_FIRST: ("sme__shared_diagnosis_score", "id"),
}


@dataclass(frozen=True)
class PartnerFilter:
    search: str | None = None
    tier: SupplierTier | None = None
    status: PartnershipStatus | None = None
    level: ProtectionLevel | None = None  # of the partner's shared self-diagnosis


def _partners_query(
    actor: Actor, where: PartnerFilter, order: PartnerOrder = PartnerOrder.NEWEST
) -> QuerySet[Partnership]:
    query = Partnership.filter(conglomerate_id=actor.organization.id).select_related("sme")
    if where.level is not None:
        query = query.filter(sponsor_sees_results(), sme__shared_diagnosis_level=where.level)
    if order == PartnerOrder.WEAKEST_FIRST:
        # Keyset pages need a value in every row: partners whose results are hidden have none.
        query = query.filter(sponsor_sees_results(), sme__shared_diagnosis_score__isnull=False)
    if where.tier is not None:
        query = query.filter(tier=where.tier)
    if where.status is not None:
        query = query.filter(status=where.status)
    if where.search and where.search.strip():
        term = where.search.strip()
        digits = term.replace("-", "")
        match = Q(sme__name_ko__icontains=term) | Q(sme__name_en__icontains=term)
        if digits.isdigit():
            match |= Q(sme__business_number__startswith=digits)
        query = query.filter(match)
    return query


async def list_partners(
    actor: Actor | None,
    where: PartnerFilter,
    *,
    order: PartnerOrder = PartnerOrder.NEWEST,
    first: int | None = None,
    after: str | None = None,
) -> Page[Partnership]:
    actor = require_coordinator(actor)
    return await paginate(
        _partners_query(actor, where, order), first=first, after=after, order=_ORDERS[order]
    )


async def export_partners(actor: Actor | None, where: PartnerFilter) -> AsyncIterator[list[Partnership]]:
    """Every matching partnership, a page at a time, for the CSV download."""
    actor = require_coordinator(actor)
    after = None
    while True:
        page = await paginate(
            _partners_query(actor, where), first=100, after=after, order=_ORDERS[PartnerOrder.NAME]
        )
        yield page.items
        if not page.has_next_page:
            return
        after = page.end_cursor


async def partnerships_of_sme(actor: Actor | None) -> list[Partnership]:
    """An SME's sponsors and pending invitations, newest first."""
    actor = require_actor(actor)
    if not actor.is_sme_representative:
        raise forbidden()
    return (
        await Partnership.filter(sme_id=actor.organization.id)
        .select_related("conglomerate")
        .order_by("-id")
        .limit(200)
    )


@dataclass(frozen=True)
class PartnershipTotals:
    conglomerate: Organization
    invited: int
    active: int
    ended: int


async def partnership_totals(actor: Actor | None) -> list[PartnershipTotals]:
    """Per conglomerate, how many partners are invited, active and ended (secretariat)."""
    require_secretariat(actor)
    counts = await (
        Partnership.annotate(n=Count("id"))
        .group_by("conglomerate_id", "status")
        .values("conglomerate_id", "status", "n")
    )
    conglomerates = await Organization.filter(kind=OrganizationKind.CONGLOMERATE).order_by("name_ko")
    by_org: dict[int, dict[str, int]] = {}
    for row in counts:
        by_org.setdefault(row["conglomerate_id"], {})[str(row["status"])] = row["n"]
    return [
        PartnershipTotals(
            org,
            by_org.get(org.id, {}).get("invited", 0),
            by_org.get(org.id, {}).get("active", 0),
            by_org.get(org.id, {}).get("ended", 0),
        )
        for org in conglomerates
    ]


async def partnerships_of(
    actor: Actor | None,
    organization: Organization,
    *,
    status: PartnershipStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Partnership] | None:
    """An organisation's partnerships, from its own side; None for anyone but itself and the secretariat."""
    actor = require_actor(actor)
    if not (actor.is_secretariat or actor.organization.id == organization.id):
        return None
    side = "conglomerate_id" if organization.kind == OrganizationKind.CONGLOMERATE else "sme_id"
    query = Partnership.filter(**{side: organization.id})
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query, first=first, after=after)
