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
