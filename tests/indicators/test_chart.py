"""The indicator chart: geometry on plain data, and its accessible SVG on the page."""

from __future__ import annotations

import re
from datetime import date

from portal.indicators.chart import line_chart, nice_ticks
from tests.helpers import csrf_token


def test_nice_ticks_cover_the_range_with_round_steps():
    """Ticks are round numbers from below the lowest to above the highest value."""
    assert nice_ticks(0, 20) == [0, 5, 10, 15, 20]
    assert nice_ticks(-4.5, 0) == [-6, -4, -2, 0]
    assert nice_ticks(0, 1) == [0, 0.25, 0.5, 0.75, 1]
    assert nice_ticks(0, 0) == [-1, -0.5, 0, 0.5, 1]


def test_line_chart_places_points_in_time_and_the_target():
    """The first value is at the left, the last at the right, the target where it belongs."""
    chart = line_chart([(date(2026, 4, 30), 20), (date(2024, 1, 31), 10)], 20)
    first, last = chart.points
    assert (first.on, first.x, last.x) == (date(2024, 1, 31), chart.left, chart.right)
    assert last.y == chart.target_y == chart.top  # 20 is the highest tick
    assert first.y == (chart.top + chart.bottom) / 2  # 10 is half of 0..20
    assert line_chart([], None) is None
    single = line_chart([(date(2025, 12, 31), -4.5)], None)
    assert single.points[0].x == (single.left + single.right) / 2 and single.target_y is None


def test_indicator_page_has_an_accessible_chart_and_the_table(client, db, demo, signed_in):
    """The SVG is an image titled and described in words; the table is still there."""
    signed_in("viewer")
    client.post("/language",
                data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    response = client.get("/indikatorer/fast-lakarkontakt-andel")
    page = response.get_data(as_text=True)
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"', page)
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', page, re.S)[1]
    assert "From 10 % on 31 Jan 2024 to 20 % on 30 Apr 2026" in " ".join(desc.split())
    assert "Target" not in desc  # the documents give the named-GP share no target
    assert "<table>" in page and "<polyline" in page and 'class="chart-target"' not in page
    assert " style=" not in page and "<script>" not in page  # the CSP forbids both
