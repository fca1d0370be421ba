"""Charts drawn on the server as inline SVG: no script, readable by a test, printable."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from frontend.i18n import gettext

# Sized for a phone: drawn 360 units wide, a 390 px screen shows its text at about its own size.
WIDTH, HEIGHT, TOP, BASELINE = 360, 250, 48, 212
BAR_FILL, LINE_STROKE = "#2d6cdf", "#b42318"


def bar_chart(
    bars: Sequence[tuple[str, int]],
    *,
    limit: int,
    label: Callable[[int], str],
    title: str,
    series: str = "",
    limit_name: str = "",
) -> Markup:
    """One bar per (label, value), each with its value printed above it, scaled to the largest value (not to
    `limit`, which would flatten small bars): `limit` (a budget, a target score) is a dashed line named in the
    legend, or, when it is far above the bars, named in the legend as lying above the chart.
    """
    largest = max((value for _, value in bars), default=0)
    top = largest or limit or 1
    line_inside = bool(limit) and limit <= max(largest, 1) * 1.25
    if line_inside:
        top = max(top, limit)
    height_of = (BASELINE - TOP) / top
    slot = (WIDTH - 16) / max(len(bars), 1)
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<rect x="8" y="6" width="12" height="12" fill="{BAR_FILL}"/>'
        f'<text x="24" y="16" font-size="11" fill="currentColor">{escape(series or title)}</text>',
    ]
    if limit:
        where = "" if line_inside else " " + gettext("(above the chart)")
        parts.append(
            f'<line x1="8" y1="29" x2="20" y2="29" stroke="{LINE_STROKE}" stroke-width="2" stroke-dasharray="4 2"/>'
            f'<text x="24" y="33" font-size="11" fill="currentColor">'
            f"{escape(limit_name or gettext('Limit'))} {escape(label(limit))}{escape(where)}</text>"
        )
    # The axis: zero at the baseline, the scale's top on a light grid line, each written out.
    parts.append(
        f'<line x1="8" y1="{BASELINE}" x2="{WIDTH - 8}" y2="{BASELINE}" stroke="#5b6775"/>'
        f'<line x1="8" y1="{TOP}" x2="{WIDTH - 8}" y2="{TOP}" stroke="#d9dee4"/>'
        f'<text x="{WIDTH - 8}" y="{TOP - 3}" font-size="10" text-anchor="end" fill="currentColor">'
        f"{escape(label(top))}</text>"
    )
    if line_inside:
        y = BASELINE - round(limit * height_of)
        parts.append(
            f'<line x1="8" y1="{y}" x2="{WIDTH - 8}" y2="{y}" stroke="{LINE_STROKE}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
    for index, (name, value) in enumerate(bars):
        height = round(max(value, 0) * height_of)
        x = round(8 + index * slot + slot * 0.15)
        width = round(slot * 0.7)
        middle = f"{x + width / 2:.0f}"
        shown = name if len(bars) <= 6 else name[-5:]
        parts.append(
            f'<rect x="{x}" y="{BASELINE - height}" width="{width}" height="{height}" fill="{BAR_FILL}" '
            f'data-label="{escape(name)}" data-value="{value}"><title>{escape(name)}: {escape(label(value))}</title></rect>'
            f'<text x="{middle}" y="{BASELINE - height - 4}" font-size="10" text-anchor="middle" '
            f'fill="currentColor">{escape(label(value))}</text>'
            f'<text x="{middle}" y="{BASELINE + 16}" font-size="10" text-anchor="middle" '
            f'fill="currentColor">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()


def radar_chart(axes: Sequence[tuple[str, float]], *, title: str, top: float = 100) -> Markup:
    """A polygon over one spoke per (label, value), values from 0 to `top` (a score out of 100)."""
    size, centre, radius = 320, 160, 110
    count = max(len(axes), 1)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return centre + radius * fraction * math.cos(angle), centre + radius * fraction * math.sin(angle)

    parts = [
        f'<svg class="chart radar" viewBox="0 0 {size} {size}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#ddd"/>')
    shape = " ".join(
        f"{x:.1f},{y:.1f}" for x, y in (point(i, max(v, 0) / top) for i, (_, v) in enumerate(axes))
    )
    parts.append(f'<polygon points="{shape}" fill="rgba(45,108,223,.25)" stroke="#2d6cdf" stroke-width="2"/>')
    for index, (name, value) in enumerate(axes):
        x, y = point(index, 1.18)
        parts.append(
            f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" text-anchor="middle" data-label="{escape(name)}" '
            f'data-value="{value}">{escape(name)} {value:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()


# Sized for a phone: drawn 350 units wide, a 390 px screen shows it at about its own scale.
ROW, GAP, NAME_WIDTH, BARS_WIDTH, VALUE_WIDTH = 14, 10, 96, 170, 84
SERIES_FILL = ("#2d6cdf", "#9bb8ec", "#6b7a8c")


def hbar_chart(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[str],
    label: Callable[[int], str],
    title: str,
) -> Markup:
    """Horizontal bars, one group per row (a bar per series), each bar followed by its value in words and a
    legend on top: the numbers are printed in the picture, so it reads on a phone and on paper alike.

    Names sit left of the bars (cut to fit, the full name in the row's <title>); a baseline at zero and the
    largest value at the axis's end.
    """
    width = NAME_WIDTH + BARS_WIDTH + VALUE_WIDTH  # room for the value after the longest bar
    group = ROW * len(series) + GAP
    top = max([value for _, values in rows for value in values], default=0)
    scale = BARS_WIDTH / top if top > 0 else 0
    legend_height = 22
    height = legend_height + group * max(len(rows), 1) + 24
    parts = [
        f'<svg class="chart hbar" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    x = NAME_WIDTH
    for index, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_FILL[index % 3]}"/>'
            f'<text x="{x + 16}" y="14" font-size="12">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name) + 10 * sum(1 for c in name if ord(c) > 0x2000)
    for row, (name, values) in enumerate(rows):
        y = legend_height + row * group
        short = name if len(name) <= 7 else name[:6] + "…"
        parts.append(
            f'<g data-label="{escape(name)}"><title>{escape(name)}</title>'
            f'<text x="{NAME_WIDTH - 6}" y="{y + ROW * len(series) / 2 + 4:.0f}" font-size="12" '
            f'text-anchor="end">{escape(short)}</text>'
        )
        for index, value in enumerate(values):
            bar = round(max(value, 0) * scale)
            bar_y = y + index * ROW
            parts.append(
                f'<rect x="{NAME_WIDTH}" y="{bar_y}" width="{bar}" height="{ROW - 2}" '
                f'fill="{SERIES_FILL[index % 3]}" data-value="{value}"/>'
                f'<text x="{NAME_WIDTH + bar + 4}" y="{bar_y + ROW - 4}" font-size="11">{escape(label(value))}</text>'
            )
        parts.append("</g>")
    axis_y = height - 20
    parts.append(
        f'<line x1="{NAME_WIDTH}" y1="{legend_height - 2}" x2="{NAME_WIDTH}" y2="{axis_y}" stroke="#888"/>'
        f'<line x1="{NAME_WIDTH}" y1="{axis_y}" x2="{NAME_WIDTH + BARS_WIDTH}" y2="{axis_y}" stroke="#888"/>'
        f'<text x="{NAME_WIDTH}" y="{axis_y + 14}" font-size="11" text-anchor="middle">{escape(label(0))}</text>'
        f'<text x="{NAME_WIDTH + BARS_WIDTH}" y="{axis_y + 14}" font-size="11" text-anchor="end">'
        f"{escape(label(top))}</text></svg>"
    )
    return Markup("".join(parts))  # noqa: S704 - every text above went through escape()
