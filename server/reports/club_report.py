"""The club's report (secretariat) and a conglomerate's evidence report (its coordinator): the same figures
per conglomerate for a period and the one before it, with club totals.

Every figure comes from a fixed number of grouped statements (server/reports/figures.py), whatever the
club's size. A coordinator's report runs the same club-wide statements, because its club totals need them,
and keeps only its own conglomerate's line (`policy.report_conglomerates`).
"""

from __future__ import annotations

from asyncio import create_task, gather
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from server.models import Organization, ProtectionLevel, Service
from server.platform.actor import Actor
from server.platform.policy import report_conglomerates, require_coordinator, require_secretariat
from server.reports import figures as f
from server.reports.figures import Figures
from server.reports.levels import levels_at, no_levels
from server.reports.period import Period, period_of


@dataclass(frozen=True)
class ConglomerateLine:
    conglomerate: Organization
    current: Figures
    previous: Figures


@dataclass(frozen=True)
class Report:
    period: Period
    previous_period: Period
    lines: list[ConglomerateLine]
    total: Figures  # the whole club's
    previous_total: Figures
    services: list[Service]  # the catalogue, in its order: the columns of claims by service


async def club_report(actor: Actor | None, *, first: date | None = None, last: date | None = None) -> Report:
    actor = require_secretariat(actor)
    return await _report(actor, period_of(first, last), shared_only=False)


async def sponsor_evidence_report(
    actor: Actor | None, *, first: date | None = None, last: date | None = None
) -> Report:
    actor = require_coordinator(actor)
    return await _report(actor, period_of(first, last), shared_only=True)


async def _report(actor: Actor, period: Period, *, shared_only: bool) -> Report:
    previous = period.previous()
    own = actor.organization.id if shared_only else None
    moments = (period.end, period.start, previous.start)
    # The statements are independent: on PostgreSQL each takes its own pooled connection, so they run
    # side by side and the report costs about its slowest statement, not their sum.
    # The club's levels are the secretariat's only, as are its diagnosis statistics.
    levels = create_task(
        levels_at(moments, conglomerate_id=own, shared_only=shared_only, club=not shared_only)
    )
    conglomerates, (current_by, current_total), (previous_by, previous_total) = await gather(
        Organization.filter(report_conglomerates(actor)).order_by("name_ko", "id"),
        _period_figures(period),
        _period_figures(previous),
    )
    at_end, at_start, before = await levels
    for by, (at, before_it) in ((current_by, (at_end, at_start)), (previous_by, (at_start, before))):
        for conglomerate in conglomerates:
            by[conglomerate.id].levels = dict(at.partners.get(conglomerate.id) or no_levels())
            by[conglomerate.id].levels_before = dict(before_it.partners.get(conglomerate.id) or no_levels())
    if not shared_only:
        current_total.levels, current_total.levels_before = at_end.club, at_start.club
        previous_total.levels, previous_total.levels_before = dict(at_start.club), before.club
    lines = [ConglomerateLine(c, current_by[c.id], previous_by[c.id]) for c in conglomerates]
    services = await Service.all().order_by("id")
    return Report(period, previous, lines, current_total, previous_total, services)


async def _period_figures(period: Period) -> tuple[dict[int, Figures], Figures]:
    """Every conglomerate's figures (all of them: the club totals add them up) and the club's."""
    by: dict[int, Figures] = defaultdict(Figures)
    total = Figures()
    smes, seminars = create_task(f.club_smes_supported(period)), create_task(f.club_seminars(period))
    await gather(
        f.budgets(period, by),
        f.spending(period, by),
        f.supported_claims(period, by),
        f.smes_supported(period, by),
        f.cohosted(period, by),
        f.seats(period, by, total),
    )
    total.smes_supported, total.seminars = await smes, await seminars
    total.committed = sum(x.committed for x in by.values())
    total.reserved = sum(x.reserved for x in by.values())
    total.remaining = sum(x.remaining for x in by.values())
    total.spent = sum(x.spent for x in by.values())
    for figures in by.values():
        for code, service in figures.services.items():
            into = total.services.setdefault(code, f.ServiceFigures())
            into.claims += service.claims
            into.list_price += service.list_price
            into.sponsor_share += service.sponsor_share
    return by, total


def level_change(figures: Figures) -> dict[ProtectionLevel, int]:
    """How many more (or fewer) SMEs stand at each level at the period's end than the day before it began."""
    if figures.levels is None or figures.levels_before is None:
        return {}
    return {level: figures.levels[level] - figures.levels_before[level] for level in ProtectionLevel}
