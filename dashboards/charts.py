"""Charts for the dashboards, drawn on the server as SVG (no CDN, no JavaScript).

Each chart is an image with a short text description (role="img", <title>, <desc>); the
templates put a table with the same figures next to it for screen readers and for anyone
who prefers numbers. Colours reach 3:1 against white (WCAG 1.4.11); numbers are always
written out, so colour is never the only cue.
"""

import datetime
import textwrap
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BRAND = "#0b5563"
MUTED = "#5a6268"
GRID = "#d0d5d9"
TEXT = "#212529"
# Heat map: no holder, one holder, enough holders (text colour, fill).
HEAT = {0: ("#ffffff", "#a4262c"), 1: ("#ffffff", "#8a5300"), 2: (TEXT, "#cfe8d8")}
HEAT_MANY = ("#ffffff", "#1e6b34")


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    description: str


def _svg(
    chart_id: str,
    width: int,
    height: int,
    title: str,
    desc: str,
    body: list[str],
    *,
    fluid: bool = True,
    font_size: int = 12,
) -> SafeString:
    """The chart as an image: scaled to its container (fluid) or at its own size."""
    size = 'width="100%"' if fluid else f'width="{width}" height="{height}"'
    return mark_safe(  # noqa: S308 - every text below went through escape()
        f'<svg class="dash-chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" '
        f'{size} role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg" font-size="{font_size}" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def progress_bar(progress: float | None, expected: float | None) -> SafeString:
    """A small bar: progress filled, expected progress as a dark tick. Decorative: the
    figures are written next to it."""
    if progress is None:
        return mark_safe("")
    width = 200
    filled = round(progress * width, 1)
    parts = [
        f'<svg class="mini-bar" viewBox="0 0 {width} 14" width="100%" aria-hidden="true" '
        'focusable="false" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none">',
        f'<rect x="0" y="2" width="{width}" height="10" fill="#e9ecef" stroke="{MUTED}" '
        'stroke-width="0.5"/>',
        f'<rect x="0" y="2" width="{filled}" height="10" fill="{BRAND}"/>',
    ]
    if expected is not None:
        x = round(expected * width, 1)
        parts.append(f'<rect x="{max(0, x - 1.5)}" y="0" width="3" height="14" fill="{TEXT}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers only


def progress_chart(
    *,
    chart_id: str,
    title: str,
    start: datetime.date,
    end: datetime.date,
    points: list[tuple[datetime.datetime, float]],
    value_before: float | None,
    expected: list[tuple[datetime.date, float]],
) -> Chart:
    """Progress (0–1) over the period as a line, with the expected straight line dashed."""
    # Narrow and with large type: on a phone the chart is scaled down to ~350 pixels.
    width, height = 480, 200
    left, right, top, bottom = 52, 14, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max((end - start).days + 1, 1)

    def x_of(day: datetime.date | datetime.datetime) -> float:
        if isinstance(day, datetime.datetime):
            offset = day - datetime.datetime.combine(start, datetime.time.min, day.tzinfo)
            days = offset.total_seconds() / 86400
        else:
            days = (day - start).days
        return round(left + plot_w * min(max(days / span, 0), 1), 1)

    def y_of(progress: float) -> float:
        return round(top + plot_h * (1 - progress), 1)

    body = []
    for level in (0, 0.5, 1):
        y = y_of(level)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" fill="{TEXT}">{_pct(level)}</text>'
        )
    body.append(
        f'<text x="{left}" y="{height - 8}" fill="{TEXT}">'
        f"{escape(date_format(start, 'j N Y'))}</text>"
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="{TEXT}">'
        f"{escape(date_format(end, 'j N Y'))}</text>"
    )
    if len(expected) == 2:
        (d1, e1), (d2, e2) = expected
        body.append(
            f'<line x1="{x_of(d1)}" y1="{y_of(e1)}" x2="{x_of(d2)}" y2="{y_of(e2)}" '
            f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    coords = []
    if value_before is not None:
        coords.append((float(left), y_of(value_before)))
    coords.extend((x_of(when), y_of(progress)) for when, progress in points)
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>')
    for x, y in coords[1 if value_before is not None else 0 :]:
        body.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{BRAND}"/>')

    if points:
        first = value_before if value_before is not None else points[0][1]
        desc = ngettext(
            "Progress went from %(first)s to %(last)s in this period, in %(count)d update.",
            "Progress went from %(first)s to %(last)s in this period, in %(count)d updates.",
            len(points),
        ) % {"first": _pct(first), "last": _pct(points[-1][1]), "count": len(points)}
    elif value_before is not None:
        desc = _("No updates in this period; progress stayed at %(value)s.") % {
            "value": _pct(value_before)
        }
    else:
        desc = _("No updates in this period.")
    if len(expected) == 2:
        desc += " " + _("Expected at the end: %(expected)s (dashed line).") % {
            "expected": _pct(expected[1][1])
        }
    return Chart(
        svg=_svg(chart_id, width, height, title, desc, body, font_size=15), description=desc
    )


def weekly_bars(*, chart_id: str, title: str, weeks: list[tuple[datetime.date, int]]) -> Chart:
    """Check-ins per week as bars; the count is written above each bar when there is room."""
    width, height = 560, 190
    left, right, top, bottom = 40, 8, 20, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max([count for _monday, count in weeks] + [1])
    slot = plot_w / max(len(weeks), 1)
    bar = max(slot * 0.7, 1)
    body = [
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{MUTED}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="{TEXT}">{most}</text>',
        f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end" fill="{TEXT}">0</text>',
    ]
    label_every = max(1, round(len(weeks) / 6))
    for index, (monday, count) in enumerate(weeks):
        h = round(plot_h * count / most, 1)
        x = round(left + index * slot + (slot - bar) / 2, 1)
        body.append(
            f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(bar, 1)}" '
            f'height="{h}" fill="{BRAND}"/>'
        )
        if len(weeks) <= 14 and count:
            body.append(
                f'<text x="{round(x + bar / 2, 1)}" y="{round(top + plot_h - h - 4, 1)}" '
                f'text-anchor="middle" fill="{TEXT}">{count}</text>'
            )
        if index % label_every == 0:
            body.append(
                f'<text x="{round(x + bar / 2, 1)}" y="{height - 8}" text-anchor="middle" '
                f'fill="{TEXT}">{escape(date_format(monday, "j N"))}</text>'
            )
    total = sum(count for _monday, count in weeks)
    busiest = max(weeks, key=lambda w: w[1]) if weeks else None
    desc = ngettext(
        "%(count)d update in the weeks shown.", "%(count)d updates in the weeks shown.", total
    ) % {"count": total}
    if busiest and busiest[1]:
        desc += " " + _("Busiest week: the week of %(week)s, with %(count)d.") % {
            "week": date_format(busiest[0], "j F Y"),
            "count": busiest[1],
        }
    return Chart(
        svg=_svg(chart_id, width, height, title, desc, body, font_size=15), description=desc
    )


def coverage_heatmap(
    *, chart_id: str, title: str, roles: list[str], rows: list[tuple[str, list[int]]]
) -> Chart:
    """Teams × roles, each cell the number of role holders: red none, amber one, green
    enough (dark green three or more)."""
    label_w, cell_w, cell_h, line_h = 240, 160, 22, 16
    # Role names wrap to fit their column ("verbindende samenwerkingspartner" is 32 letters).
    heads = [
        [line.replace("/ ", "/") for line in textwrap.wrap(role.replace("/", "/ "), width=20)][:3]
        for role in roles
    ]
    head = line_h * max((len(lines) for lines in heads), default=1) + 10
    width = label_w + cell_w * len(roles)
    height = head + cell_h * len(rows) + 2
    body = []
    for index, lines in enumerate(heads):
        x = label_w + index * cell_w + cell_w / 2
        for line_index, line in enumerate(lines):
            body.append(
                f'<text x="{x}" y="{16 + line_index * line_h}" text-anchor="middle" '
                f'fill="{TEXT}" font-weight="600">{escape(line)}</text>'
            )
    for row_index, (label, counts) in enumerate(rows):
        y = head + row_index * cell_h
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" fill="{TEXT}">'
            f"{escape(short)}</text>"
        )
        for col, holders in enumerate(counts):
            ink, fill = HEAT.get(holders, HEAT_MANY)
            x = label_w + col * cell_w
            body.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"/>'
                f'<text x="{x + cell_w / 2}" y="{y + 14}" text-anchor="middle" '
                f'fill="{ink}">{holders}</text>'
            )
    uncovered = sum(1 for _label, counts in rows for holders in counts if holders == 0)
    single = sum(1 for _label, counts in rows for holders in counts if holders == 1)
    desc = ngettext("%(count)d team.", "%(count)d teams.", len(rows)) % {"count": len(rows)}
    desc += " " + _("Roles without a holder: %(none)d; roles with one holder: %(one)d.") % {
        "none": uncovered,
        "one": single,
    }
    return Chart(
        svg=_svg(chart_id, width, height, title, desc, body, fluid=False), description=desc
    )
