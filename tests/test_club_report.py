"""The club's report and a sponsor's evidence report agree with the ledger and the rows they count.

A report that disagrees with the books `club reconcile` checks is wrong: every money figure is checked
against the ledger entries themselves, every count against the rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from server.models import (
    Commitment,
    LedgerEntry,
    LedgerEntryKind,
    ProtectionLevel,
    RoleKind,
)
from server.money.ledger import figures_of
from server.money.reconcile import check_books
from server.platform.errors import DomainError, ErrorCode
from server.reports.club_report import club_report, level_change, sponsor_evidence_report
from server.reports.partner_lines import all_partner_lines, partner_page
from server.reports.period import Period, period_of, this_year
from tests.support.club_year import club_year
from tests.support.costs import acting, today
from tests.support.queries import QueryCounter
from tests.support.world import World

# The claims' payment deadlines read the settings.
pytestmark = pytest.mark.usefixtures("settings")

# The conglomerates; for each of the two periods 8 grouped figures (budgets, spending, claims by service,
# SMEs supported, co-hosted seminars, partners' and the club's seats in one, and the club's SMEs and
# seminars); partners' and the club's levels at three moments, in one statement; the catalogue.
CLUB_REPORT_STATEMENTS = 1 + 2 * 8 + 1 + 1


async def ledger_spent(conglomerate_id: int, period: Period) -> int:
    entries = await LedgerEntry.filter(
        commitment__conglomerate_id=conglomerate_id,
        kind__in=[LedgerEntryKind.CAPTURE, LedgerEntryKind.REFUND],
        created_at__gte=period.start,
        created_at__lt=period.end,
    ).values_list("kind", "amount")
    return sum(amount if kind == LedgerEntryKind.CAPTURE else -amount for kind, amount in entries)


async def ledger_figures(conglomerate_id: int) -> tuple[int, int]:
    """Budget and reservations of the conglomerate's commitments, from their entries alone."""
    ids = await Commitment.filter(conglomerate_id=conglomerate_id).values_list("id", flat=True)
    entries = await LedgerEntry.filter(commitment_id__in=ids).values_list("kind", "amount")
    figures = figures_of(entries)
    return figures.budget, figures.reserved


async def test_the_club_report_adds_up_to_the_ledger_and_the_rows_for_each_conglomerate(world: World) -> None:
    year = await club_year(world)
    report = await club_report(acting(world.admin, RoleKind.SECRETARIAT))

    assert await check_books() == []
    assert report.period == this_year() and report.previous_period.last == this_year().first - timedelta(
        days=1
    )
    lines = {line.conglomerate.name_ko: line.current for line in report.lines}
    assert set(lines) == {"삼성전자", "LG전자"}
    samsung, lg = lines["삼성전자"], lines["LG전자"]
    for figures, who in ((samsung, world.samsung), (lg, world.lg)):
        assert figures.spent == await ledger_spent(who.id, report.period)
        assert (figures.committed, figures.reserved) == await ledger_figures(who.id)
        assert figures.remaining == figures.committed - figures.reserved - figures.spent
    # Samsung paid 70 % of Hanbit's ₩300,000 contract and nothing of Sejin's free guard subscription;
    # Sejin's renewal was refunded, Hanbit's is only reserved.
    assert (samsung.committed, samsung.reserved, samsung.spent) == (3_000_000, 105_000, 210_000)
    assert samsung.smes_supported == 2 and samsung.claims == 2
    assert {code: (s.claims, s.list_price, s.sponsor_share) for code, s in samsung.services.items()} == {
        "escrow_new": (1, 300_000, 210_000),
        "guard_subscription": (1, 0, 0),
    }
    assert samsung.sponsor_share_percent == Decimal("70.0")
    assert (lg.spent, lg.smes_supported, lg.sponsor_share_percent) == (300_000, 1, Decimal("100.0"))
    # One seminar co-hosted by Samsung: Hanbit attended it, Donghae (LG's partner) registered.
    assert (samsung.seminars, samsung.registrations, samsung.attended) == (1, 1, 1)
    assert (lg.seminars, lg.registrations, lg.attended) == (0, 1, 0)
    # Both of Samsung's partners took the diagnosis this year; the secretariat sees them all.
    assert samsung.levels is not None and samsung.levels[ProtectionLevel.AT_RISK] == 2
    assert level_change(samsung)[ProtectionLevel.AT_RISK] == 2
    assert lg.diagnosed == 0

    total = report.total
    assert total.spent == 510_000 == samsung.spent + lg.spent
    assert (total.committed, total.smes_supported, total.claims) == (5_000_000, 3, 3)
    assert total.sponsor_share_percent == Decimal("85.0")  # ₩510,000 of ₩600,000
    assert (total.seminars, total.registrations, total.attended) == (1, 2, 1)
    assert total.levels is not None and total.levels[ProtectionLevel.AT_RISK] == 2
    supported = {year.paid.id, year.guard.id, year.free.id}
    assert year.refunded.id not in supported and year.approved.id not in supported
    # Nothing happened in the year before: its figures are all naught, its budgets did not overlap it.
    assert report.previous_total.spent == 0 and report.previous_total.claims == 0
    assert report.previous_total.sponsor_share_percent is None


async def test_the_previous_period_is_the_same_report_for_the_days_just_before(world: World) -> None:
    await club_year(world)
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    week = await club_report(secretariat, first=today() - timedelta(days=3), last=today() + timedelta(days=3))
    before = week.previous_period
    assert before == Period(today() - timedelta(days=10), today() - timedelta(days=4))
    earlier = await club_report(secretariat, first=before.first, last=before.last)
    assert [line.previous for line in week.lines] == [line.current for line in earlier.lines]
    assert week.previous_total == earlier.total
    # The week holds all the year's money; the week before holds none of it.
    assert week.total.spent == 510_000 and earlier.total.spent == 0


async def test_a_sponsor_sees_its_own_line_and_the_club_totals_only(world: World) -> None:
    await club_year(world)
    samsung = await sponsor_evidence_report(acting(world.samsung_coordinator, RoleKind.COORDINATOR))
    assert [line.conglomerate.id for line in samsung.lines] == [world.samsung.id]
    own = samsung.lines[0].current
    assert own.spent == 210_000 and samsung.total.spent == 510_000
    # Of its two partners only Hanbit shares its results: Sejin's level is not counted for Samsung.
    assert own.levels is not None and own.levels[ProtectionLevel.AT_RISK] == 1
    # The club's diagnosis levels are the secretariat's statistics, not a sponsor's.
    assert samsung.total.levels is None and samsung.previous_total.levels is None
    lg = await sponsor_evidence_report(acting(world.lg_coordinator, RoleKind.COORDINATOR))
    assert [line.conglomerate.id for line in lg.lines] == [world.lg.id]
    assert lg.lines[0].current.spent == 300_000


async def test_only_the_secretariat_gets_the_club_report_and_only_coordinators_an_evidence_report(
    world: World,
) -> None:
    for actor in (
        acting(world.samsung_coordinator, RoleKind.COORDINATOR),
        acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE),
    ):
        with pytest.raises(DomainError) as refused:
            await club_report(actor)
        assert refused.value.errors[0].code == ErrorCode.FORBIDDEN
    for actor in (
        acting(world.admin, RoleKind.SECRETARIAT),
        acting(world.hanbit_rep, RoleKind.SME_REPRESENTATIVE),
    ):
        with pytest.raises(DomainError):
            await sponsor_evidence_report(actor)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), "to"),
        (date(2000, 1, 1), date(2026, 1, 1), "to"),
        (date(1899, 1, 1), date(1900, 1, 1), "from"),
    ],
)
def test_a_period_that_ends_before_it_begins_or_runs_past_ten_years_is_refused(
    first: date, last: date, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        period_of(first, last)
    assert refused.value.errors[0].field == field


def test_one_date_alone_makes_a_year_and_none_the_current_year() -> None:
    assert period_of(date(2024, 2, 29), None) == Period(date(2024, 2, 29), date(2025, 2, 27))
    assert period_of(None, date(2026, 6, 30)) == Period(date(2025, 7, 1), date(2026, 6, 30))
    assert period_of(None, None) == this_year()
    assert Period(date(2026, 1, 1), date(2026, 12, 31)).previous() == Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )


async def test_the_club_report_runs_a_fixed_number_of_statements_whatever_the_clubs_size(
    world: World, queries: QueryCounter
) -> None:
    secretariat = acting(world.admin, RoleKind.SECRETARIAT)
    queries.reset()
    await club_report(secretariat)
    empty = queries.count
    await club_year(world)
    queries.reset()
    await club_report(secretariat)
    assert queries.count == empty == CLUB_REPORT_STATEMENTS


async def test_a_sponsor_sees_each_partner_s_support_and_only_the_levels_shared_with_it(world: World) -> None:
    year = await club_year(world)
    samsung = acting(world.samsung_coordinator, RoleKind.COORDINATOR)
    period, page, lines = await partner_page(samsung)
    assert period == this_year()
    by_name = {line.name_ko: line for line in lines}
    assert list(by_name) == ["세진테크", "한빛정밀"]  # its active partners by name; LG's Donghae is not one
    hanbit, sejin = by_name["한빛정밀"], by_name["세진테크"]
    assert (hanbit.claims, hanbit.sponsor_share, hanbit.registrations, hanbit.attended) == (1, 210_000, 1, 1)
    assert (sejin.claims, sejin.sponsor_share) == (
        1,
        0,
    )  # the free guard subscription; the renewal was refunded
    # Both are at risk; only Hanbit shares its results with Samsung (policy.diagnosis_view).
    assert (hanbit.level, sejin.level) == (ProtectionLevel.AT_RISK, None)
    assert await page.total_count() == 2
    everyone = await all_partner_lines(samsung, period)
    assert everyone == lines
    assert sum(line.sponsor_share for line in everyone) == 210_000
    lg = await all_partner_lines(acting(world.lg_coordinator, RoleKind.COORDINATOR), period)
    assert [line.sme_id for line in lg] == [year.donghae.organization.id]
