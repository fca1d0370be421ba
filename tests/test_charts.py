"""Charts carry their numbers and their axis, and are scaled to the data: a small spend against a large
budget is a visible bar, the budget a named line (or named as lying above the chart)."""

from __future__ import annotations

import re

from frontend.charts import bar_chart
from frontend.pages.reports import short_won


def _bar_heights(svg: str) -> list[int]:
    return [int(h) for h in re.findall(r'<rect [^>]*height="(\d+)" fill="#2d6cdf" data-label', svg)]


def test_a_small_spend_against_a_large_budget_is_a_visible_bar_with_its_value_and_the_budget_named() -> None:
    svg = str(
        bar_chart(
            [("2026-11", 210_000)],
            limit=30_000_000,
            label=short_won,
            title="t",
            series="누적 집행액",
            limit_name="예산",
        )
    )
    assert _bar_heights(svg) == [164]  # the whole plot: the scale's top is the largest bar
    assert ">21만원<" in svg  # its value, printed above it
    assert "예산 3,000만원 (그래프 위쪽 밖)" in svg  # in the legend, since the line is off the scale
    assert 'stroke-dasharray="6 4"' not in svg


def test_a_limit_near_the_bars_is_a_dashed_line_explained_in_the_legend_with_an_axis_from_zero() -> None:
    svg = str(
        bar_chart(
            [("a", 25), ("b", 75)], limit=75, label=str, title="t", series="점수", limit_name="우수 기준"
        )
    )
    assert 'stroke-dasharray="6 4"' in svg and "우수 기준 75<" in svg
    assert _bar_heights(svg) == [55, 164]
    assert ">25<" in svg and ">75<" in svg  # values, and the axis's top written out
