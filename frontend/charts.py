"""Charts drawn on the server as inline SVG: no script, readable by a test, printable."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, BASELINE = 640, 220, 190


def bar_chart(
    bars: Sequence[tuple[str, int]], *, limit: int, label: Callable[[int], str], title: str
) -> Markup:
    """One bar per (label, value), scaled to `limit` (drawn as a dashed line when any bar is shown)."""
    top = max([limit, *(value for _, value in bars)], default=0) or 1
    slot = WIDTH / max(len(bars), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{BASELINE}" x2="{WIDTH}" y2="{BASELINE}" stroke="#888"/>',
    ]
    if limit:
        y = BASELINE - round(limit / top * (BASELINE - 10))
        parts.append(f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="#c0392b" stroke-dasharray="6 4"/>')
    for index, (name, value) in enumerate(bars):
        height = round(max(value, 0) / top * (BASELINE - 10))
        x = round(index * slot + slot * 0.15)
        width = round(slot * 0.7)
        parts.append(
            f'<rect x="{x}" y="{BASELINE - height}" width="{width}" height="{height}" fill="#2d6cdf" '
            f'data-label="{escape(name)}" data-value="{value}"><title>{escape(name)}: {escape(label(value))}</title></rect>'
            f'<text x="{x + width / 2:.0f}" y="{HEIGHT - 12}" font-size="12" text-anchor="middle">{escape(name)}</text>'
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
