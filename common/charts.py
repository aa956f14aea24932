"""A small server-rendered SVG line chart: no JavaScript, no external library.

Give it series of (date, number) points; it draws them on one date axis and one value axis.
Pages always show the same figures in a table next to it (the text alternative)."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 28, 36


@dataclass
class Series:
    label: str
    points: list[tuple[datetime.date, float]]
    css_class: str = "chart-line"  # styled in portal.css (stroke colour, dashes)
    markers: bool = True


@dataclass
class LineChart:
    title: str
    description: str
    series: list[Series] = field(default_factory=list)
    value_unit: str = ""
    dom_id: str = "chart"  # unique on the page: the title and description ids derive from it

    def render(self) -> SafeString:
        return line_chart(self)


def _bounds(chart: LineChart):
    points = [point for series in chart.series for point in series.points]
    if not points:
        today = datetime.date.today()
        return today, today + datetime.timedelta(days=1), 0.0, 1.0
    dates = [day for day, _value in points]
    values = [float(value) for _day, value in points]
    first, last = min(dates), max(dates)
    if first == last:  # one day: widen by a day, within what a date can hold
        if last == datetime.date.max:
            first = last - datetime.timedelta(days=1)
        else:
            last = first + datetime.timedelta(days=1)
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    return first, last, low, high


def _number(value: float) -> str:
    return number_format(f"{value:g}")


def line_chart(chart: LineChart) -> SafeString:
    """An accessible <svg role="img"> with a title and description; the caller shows the data
    as a table as well."""
    first, last, low, high = _bounds(chart)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    span_days = (last - first).days

    def x(day: datetime.date) -> float:
        return round(MARGIN_LEFT + plot_w * (day - first).days / span_days, 1)

    def y(value: float) -> float:
        return round(MARGIN_TOP + plot_h * (1 - (float(value) - low) / (high - low)), 1)

    lines = []
    for series in chart.series:
        if not series.points:
            continue
        coordinates = " ".join(f"{x(day)},{y(value)}" for day, value in series.points)
        markers = ""
        if series.markers:
            markers = format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3.5" class="{}"></circle>',
                (
                    (x(day), y(value), series.css_class + " chart-marker")
                    for day, value in series.points
                ),
            )
        lines.append(
            format_html(
                '<polyline points="{}" class="{}" fill="none"></polyline>{}',
                coordinates,
                series.css_class,
                markers,
            )
        )
    axis_labels = format_html(
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="start">{}</text>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        MARGIN_LEFT - 6,
        MARGIN_TOP + 4,
        _number(high),
        MARGIN_LEFT - 6,
        MARGIN_TOP + plot_h,
        _number(low),
        MARGIN_LEFT,
        HEIGHT - 10,
        date_format(first, "j N Y"),
        WIDTH - MARGIN_RIGHT,
        HEIGHT - 10,
        date_format(last, "j N Y"),
    )
    if chart.value_unit:  # the unit once, above the value axis: long units do not fit beside it
        axis_labels += format_html(
            '<text x="{}" y="{}" class="chart-axis chart-unit" text-anchor="start">{}</text>',
            4,
            MARGIN_TOP - 12,
            chart.value_unit,
        )
    legend = format_html_join(
        "",
        '<li><span class="chart-key {}" aria-hidden="true"></span> {}</li>',
        ((series.css_class, series.label) for series in chart.series),
    )
    svg = format_html(
        '<svg class="line-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d"'
        ' preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>'
        '<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" class="chart-area"></rect>'
        "{axes}{lines}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart.dom_id,
        title=chart.title,
        desc=chart.description,
        ml=MARGIN_LEFT,
        mt=MARGIN_TOP,
        pw=plot_w,
        ph=plot_h,
        axes=axis_labels,
        lines=SafeString("".join(lines)),
    )
    return format_html(
        '<figure class="chart">{}<ul class="chart-legend">{}</ul></figure>', svg, legend
    )
