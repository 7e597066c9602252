"""The server-rendered SVG charts: proportions, accessibility, escaping, empty series."""

import re

from calls.charts import Bar, bar_chart, share_bar


def rects(svg: str) -> list[dict[str, float]]:
    return [{name: float(value) for name, value in re.findall(r'(\w+)="([\d.]+)"', match)}
            for match in re.findall(r"<rect ([^>]*)>", svg)]


def test_bar_heights_are_proportional_to_the_values():
    svg = bar_chart([Bar("Mon", 10), Bar("Tue", 5), Bar("Wed", 0)], title="Calls per day", width=300, height=220)
    heights = [rect["height"] for rect in rects(svg)]
    assert heights[0] == 174.0  # the tallest fills the plot (220 - 18 above - 28 below)
    assert heights[1] == 87.0 and heights[2] == 0.0
    assert [rect["x"] < other["x"] for rect, other in zip(rects(svg), rects(svg)[1:])] == [True, True]


def test_the_chart_says_what_it_shows_to_screen_readers_and_in_tooltips():
    svg = bar_chart([Bar("Mon", 3, description="Monday: 3 calls")], title="Calls per day")
    assert svg.startswith('<svg class="chart" role="img" aria-label="Calls per day"')
    assert "<title>Calls per day</title>" in svg and "<title>Monday: 3 calls</title>" in svg
    assert ">Mon</text>" in svg and ">3</text>" in svg


def test_labels_can_be_thinned_out_for_long_ranges():
    svg = bar_chart([Bar(f"d{index}", index) for index in range(30)], title="t", label_every=7)
    labels = re.findall(r'class="label"[^>]*>([^<]+)<', svg)
    assert labels == ["d0", "d7", "d14", "d21", "d28"]


def test_an_empty_or_all_zero_series_draws_without_dividing_by_zero():
    assert "<title>Nothing</title>" in bar_chart([], title="Nothing")
    assert all(rect["height"] == 0 for rect in rects(bar_chart([Bar("a", 0), Bar("b", 0)], title="zero")))
    empty = share_bar([Bar("Hot", 0)], title="Qualification mix")
    assert 'class="empty"' in empty


def test_share_bar_segments_split_the_width_by_share_and_name_their_percentage():
    svg = share_bar([Bar("Hot", 1, "hot"), Bar("Warm", 3, "warm"), Bar("Cold", 0, "cold")], title="Mix", width=400)
    widths = [rect["width"] for rect in rects(svg)]
    assert widths == [100.0, 300.0]  # a zero share draws nothing
    assert '<g class="segment hot"><title>Hot: 1 (25%)</title>' in svg
    assert "Warm: 3 (75%)" in svg and "Cold" not in svg


def test_labels_and_titles_are_escaped():
    svg = bar_chart([Bar("<b>x</b>", 1)], title='"><script>alert(1)</script>')
    assert "<script>" not in svg and "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
