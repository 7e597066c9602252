"""Server-rendered SVG charts for the manager pages: no JavaScript, no CDN, readable without colour.

Each chart is one <svg role="img"> with a <title> and an aria-label that say what it shows;
every bar carries its own <title> (a tooltip, and what a screen reader reads). The page puts
the same numbers in a table beside the chart. No inline style attributes: the pages' Content
Security Policy forbids them, so colours come from CSS classes (static/css/app.css)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str  # shown under the bar (or beside a share)
    value: float
    css_class: str = ""  # e.g. "hot", "warm": colours live in the stylesheet
    description: str = ""  # the bar's tooltip; defaults to "label: value"

    @property
    def tooltip(self) -> str:
        return self.description or f"{self.label}: {_number(self.value)}"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 720, height: int = 220,
              label_every: int = 1) -> SafeString:
    """Vertical bars scaled to the largest value; an empty or all-zero series draws a flat baseline.

    label_every=n writes every n-th label under the axis, so thirty days stay legible."""
    top, bottom = 18, 28  # room for the value above a bar and the label below the axis
    plot_height = height - top - bottom
    peak = max((bar.value for bar in bars), default=0) or 1
    slot = width / max(len(bars), 1)
    bar_width = max(slot * 0.7, 1)
    parts = []
    for index, bar in enumerate(bars):
        bar_height = round(plot_height * max(bar.value, 0) / peak, 1)
        x = round(index * slot + (slot - bar_width) / 2, 1)
        y = round(top + plot_height - bar_height, 1)
        centre = round(index * slot + slot / 2, 1)
        parts.append(format_html(
            '<g class="bar {}"><title>{}</title>'
            '<rect x="{}" y="{}" width="{}" height="{}"></rect>'
            '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>{}</g>',
            bar.css_class, bar.tooltip, x, y, round(bar_width, 1), bar_height,
            centre, round(y - 4, 1), _number(bar.value) if bar.value else "",
            format_html('<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>',
                        centre, height - 8, bar.label) if index % max(label_every, 1) == 0 else "",
        ))
    axis = format_html('<line class="axis" x1="0" y1="{}" x2="{}" y2="{}"></line>',
                       top + plot_height, width, top + plot_height)
    return _svg(title, width, height, format_html_join("", "{}", ((part,) for part in parts)), axis)


def share_bar(parts: Sequence[Bar], *, title: str, width: int = 720, height: int = 28) -> SafeString:
    """One horizontal bar split into segments proportional to each part (a mix at a glance)."""
    total = sum(max(part.value, 0) for part in parts)
    segments = []
    x = 0.0
    for part in parts:
        if part.value <= 0 or not total:
            continue
        segment_width = width * part.value / total
        share = round(100 * part.value / total)
        segments.append(format_html(
            '<g class="segment {}"><title>{}</title><rect x="{}" y="0" width="{}" height="{}"></rect></g>',
            part.css_class, f"{part.tooltip} ({share}%)", round(x, 1), round(segment_width, 1), height))
        x += segment_width
    if not segments:
        segments.append(format_html('<rect class="empty" x="0" y="0" width="{}" height="{}"></rect>', width, height))
    return _svg(title, width, height, format_html_join("", "{}", ((segment,) for segment in segments)), "")


def _svg(title: str, width: int, height: int, body: SafeString, extra: SafeString | str) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}</svg>',
        title, width, height, title, body, extra)
