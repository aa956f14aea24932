"""The small SVG line chart behind the goal page (common/charts.py)."""

import datetime
import re

from common.charts import LineChart, Series, line_chart

START = datetime.date(2026, 1, 1)
DUE = datetime.date(2026, 12, 31)


def chart(**overrides):
    values = {
        "title": "Voortgang <script>",
        "description": "Waarden & verwachting",
        "series": [
            Series("verwacht", [(START, 0.0), (DUE, 100.0)], "chart-expected", markers=False),
            Series("ingevuld", [(START, 0.0), (datetime.date(2026, 7, 2), 25.0)], "chart-actual"),
        ],
        "value_unit": "aanvragen",
        "dom_id": "c1",
    }
    values.update(overrides)
    return line_chart(LineChart(**values))


def test_chart_is_an_accessible_image_with_escaped_text():
    svg = chart()
    assert 'role="img" aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">Voortgang &lt;script&gt;</title>' in svg
    assert "Waarden &amp; verwachting" in svg and "<script>" not in svg
    assert ">aanvragen</text>" in svg


def test_points_are_placed_on_the_date_and_value_axes():
    svg = chart()
    expected = re.search(r'<polyline points="([^"]+)" class="chart-expected"', svg).group(1)
    actual = re.search(r'<polyline points="([^"]+)" class="chart-actual"', svg).group(1)
    (x0, y0), (x1, y1) = [tuple(map(float, p.split(","))) for p in expected.split()]
    assert x0 < x1 and y0 > y1  # left to right, up towards the target
    _start, (xm, ym) = [tuple(map(float, p.split(","))) for p in actual.split()]
    assert abs((xm - x0) / (x1 - x0) - 0.5) < 0.01  # 2 July is half-way through the year
    assert abs((y0 - ym) / (y0 - y1) - 0.25) < 0.01  # 25 of 100
    assert svg.count("<circle") == 2  # markers for the recorded series only


def test_chart_without_points_or_with_one_value_still_renders():
    assert "<svg" in chart(series=[])
    flat = chart(series=[Series("x", [(START, 5.0)], "chart-actual")])
    assert "<polyline" in flat and "nan" not in flat.lower()
