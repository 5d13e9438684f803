"""The console's SVG charts, parsed as XML: one mark per data point with its label and value, sizes in
proportion, every text escaped, no inline style, and an honest empty chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.web.charts import CHAR, bar_chart, hbar_chart, line_chart, nice_max

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert "style" not in svg.lower()  # the console's CSP forbids inline style
    assert "<script" not in svg.lower()
    return root


def marks(root: ET.Element, kind: str) -> list[ET.Element]:
    return [e for e in root.iter() if kind in (e.get("class") or "").split()]


def test_stacked_bars_one_per_point_heights_in_proportion() -> None:
    days = ["2026-11-01", "2026-11-02", "2026-11-03"]
    series = {"direct": [3, 0, 5], "expert": [1, 2, 5]}
    root = parse(bar_chart(days, series, title="Vragen per dag", series_labels={"direct": "Direct"}))
    bars = marks(root, "bar")
    assert len(bars) == 6
    assert [b.get("data-value") for b in bars] == ["3", "1", "0", "2", "5", "5"]
    assert bars[0].get("data-label") == "2026-11-01: Direct" and bars[1].get("data-label") == "2026-11-01: expert"
    assert {b.get("class") for b in bars} == {"bar series-0", "bar series-1"}
    assert bars[0].find(f"{NS}title").text == "2026-11-01: Direct: 3"  # the tooltip
    heights = [float(b.get("height")) for b in bars]
    assert heights[4] == pytest.approx(heights[5]) and heights[0] == pytest.approx(3 * heights[1])
    assert heights[2] == 0
    # stacked: the second series sits on top of the first
    assert float(bars[5].get("y")) + heights[5] == pytest.approx(float(bars[4].get("y")))
    assert root.find(f"{NS}title").text == "Vragen per dag"
    legend = [e for e in root.iter(f"{NS}g") if e.get("class") == "legend"][0]
    assert [t.text for t in legend.iter(f"{NS}text")] == ["Direct", "expert"]
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "tick"]
    assert "10" in ticks and "0" in ticks and "2026-11-02" in ticks  # y axis to 10 (5 + 5), x labels


def test_grouped_bars_sit_side_by_side() -> None:
    root = parse(bar_chart(["a"], {"x": [2], "y": [4]}, title="t", stacked=False))
    first, second = marks(root, "bar")
    assert float(second.get("x")) > float(first.get("x"))
    assert float(second.get("height")) == pytest.approx(2 * float(first.get("height")))


def test_line_has_a_point_per_value_and_a_path_per_series() -> None:
    labels = [f"d{i}" for i in range(42)]
    root = parse(line_chart(labels, {"median": [float(i % 7) for i in range(42)], "p90": [2.5] * 42}, title="Minuten"))
    points = marks(root, "point")
    assert len(points) == 84 and points[3].get("data-value") == "3" and points[42].get("data-value") == "2.5"
    assert len(marks(root, "line")) == 2
    assert float(points[0].get("cy")) > float(points[3].get("cy"))  # a higher value is higher up
    shown = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "tick" and (t.text or "").startswith("d")]
    assert 1 < len(shown) <= 8  # 42 days: every n-th label, still readable


def test_hbar_keeps_the_order_and_long_labels_in_the_tooltip() -> None:
    long = "Parkeervergunning voor bewoners van de binnenstad aanvragen"
    root = parse(hbar_chart([long, "afval"], [12, 3], title="Onderwerpen"))
    bars = marks(root, "bar")
    assert [b.get("data-label") for b in bars] == [long, "afval"]
    assert float(bars[0].get("width")) == pytest.approx(4 * float(bars[1].get("width")), abs=0.5)  # 0.1 px
    assert any((t.text or "").endswith("…") for t in root.iter(f"{NS}text"))


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script>'
    for svg in (bar_chart([evil], {evil: [1]}, title=evil), line_chart([evil], {"s": [1]}, title=evil),
                hbar_chart([evil], [1], title=evil)):
        root = parse(svg)
        assert root.find(f"{NS}title").text == evil  # shown as text, not markup
        assert marks(root, "bar" if "rect" in svg and "circle" not in svg else "point")[0].get("data-label") \
            .startswith(evil)
        assert not list(root.iter("script")) and not list(root.iter(f"{NS}script"))


@pytest.mark.parametrize("svg", [
    bar_chart([], {}, title="leeg"), bar_chart(["a", "b"], {"x": [0, 0]}, title="nul"),
    line_chart(["a"], {"x": [0]}, title="nul"), hbar_chart([], [], title="leeg"),
    bar_chart(["a"], {"x": [float("nan")]}, title="nan", empty="geen gegevens"),
])
def test_no_data_is_an_honest_empty_chart(svg: str) -> None:
    root = parse(svg)
    assert not marks(root, "bar") and not marks(root, "point")
    assert [t for t in root.iter(f"{NS}text") if t.get("class") == "no-data"]


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart(["a", "b"], {"x": [1]}, title="t")


def test_nice_max() -> None:
    assert [nice_max(v) for v in (0, 0.3, 1, 7, 10, 11, 240, 2600)] == [1, 0.5, 1, 10, 10, 20, 250, 5000]


def test_a_legend_too_wide_for_one_row_wraps_and_the_chart_grows() -> None:
    """Issue 23: 'onbeantwoord' was cut off at the chart's right edge."""
    names = {"direct": "direct beantwoord", "suggestion": "via een suggestie", "expert": "door een expert",
             "open": "onbeantwoord"}
    one = parse(bar_chart(["a", "b"], {k: [1, 2] for k in list(names)[:1]}, title="t", series_labels=names))
    svg = bar_chart(["a", "b"], {k: [1, 2] for k in names}, title="t", series_labels=names)
    root = parse(svg)
    assert float(root.get("height")) > float(one.get("height"))
    legend = next(e for e in root.iter() if e.get("class") == "legend")
    texts = [t for t in legend if t.tag == f"{NS}text"]
    assert len({t.get("y") for t in texts}) == 2  # two rows
    width = float(root.get("width"))
    assert all(float(t.get("x")) + CHAR * len(t.text or "") <= width for t in texts)
