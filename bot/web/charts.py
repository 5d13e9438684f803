"""Server-side SVG charts for the owners' console: bars (stacked or grouped), lines and horizontal bars.

No script and no inline style (the console's CSP allows neither): colours come from presentation attributes
as a default and from CSS classes the stylesheet may override:

- ``chart`` on the ``<svg>``; ``axis`` (axis lines), ``grid`` (tick lines), ``tick`` (tick labels),
  ``chart-title``, ``legend`` (the legend group), ``no-data`` (the text of an empty chart);
- ``series-0``, ``series-1``, ... on every mark and legend swatch of the n-th series (in the order given);
- ``bar`` on every bar, ``point`` on every point of a line, ``line`` on a line's path.

Each bar or point carries ``data-label`` (its x label; with several series "label: series") and
``data-value``, and a ``<title>`` child the browser shows as a tooltip. Every text is escaped: a label
``<script>`` comes out as text. An empty or all-zero chart says "no data" (``empty`` text) instead of
dividing by zero. The default size, 540 x 240, fits half the console's page at 1280 px; the page draws a chart at
that size (not scaled), so its text, FONT px, is the size of the page's small text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 540, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 44  # plot margins: y ticks left, title top, x labels and legend below
PALETTE = ("#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#6b46c1", "#718096")
FONT = 14  # px, as drawn: the console's table text (.92rem of 15 px)
CHAR = 7.7  # px: the width of an average character at FONT (for the legend's spacing and the labels' room)
LEGEND_ROW = 18  # px between rows of a legend that wraps
LABEL = 24  # characters of a horizontal bar's label shown on the axis
MAX_X_LABELS = 8  # x labels shown at most (every n-th, so 42 days stay readable)


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float) -> str:
    """A value as people read it: 3 not 3.0, 2.5 as 2.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (the top of the y axis)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _open(title: str, width: int, height: int) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}"'
            f' viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT}">',
            f"<title>{_a(title)}</title>",
            f'<text class="chart-title" x="{LEFT}" y="16" font-size="15" font-weight="bold" fill="#1a202c">'
            f"{_a(title)}</text>"]


def _empty(title: str, width: int = WIDTH, height: int = HEIGHT, empty: str = "no data") -> str:
    return "".join([*_open(title, width, height),
                    f'<text class="no-data" x="{width // 2}" y="{height // 2}" text-anchor="middle"'
                    f' fill="#718096">{_a(empty)}</text>', "</svg>"])


def _y_axis(top: float, width: int, height: int) -> list[str]:
    """Four horizontal grid lines with their values, and the axes."""
    base = height - BOTTOM
    out = []
    for i in range(5):
        value = top * i / 4
        y = base - (base - TOP) * i / 4
        out.append(f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"'
                   ' stroke="#e2e8f0"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4a5568">'
                   f"{_a(_num(round(value, 2)))}</text>")
    out.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{base}" stroke="#4a5568"/>')
    out.append(f'<line class="axis" x1="{LEFT}" x2="{width - RIGHT}" y1="{base}" y2="{base}" stroke="#4a5568"/>')
    return out


def _x_labels(labels: Sequence[str], centres: Sequence[float], height: int) -> list[str]:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return [f'<text class="tick" x="{x:.1f}" y="{height - BOTTOM + 14}" text-anchor="middle" fill="#4a5568">'
            f"{_a(label)}</text>" for i, (label, x) in enumerate(zip(labels, centres, strict=True)) if i % every == 0]


def _legend(names: Sequence[str], height: int, width: int) -> tuple[list[str], int]:
    """The legend below the plot, wrapped onto more rows when the names do not fit one; the extra height the
    rows take (the chart grows by it)."""
    spots, x, row = [], LEFT, 0
    for name in names:
        room = 24 + round(CHAR * len(name))
        if x > LEFT and x + room - 10 > width - RIGHT:
            x, row = LEFT, row + 1
        spots.append((x, row))
        x += room
    extra = LEGEND_ROW * row
    out = ['<g class="legend">']
    for i, (name, (x, r)) in enumerate(zip(names, spots, strict=True)):
        y = height + LEGEND_ROW * r
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect class="series-{i}" x="{x}" y="{y - 15}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14}" y="{y - 6}" fill="#1a202c">{_a(name)}</text>')
    out.append("</g>")
    return out, extra


def _mark(kind: str, series: int, label: str, value: float, shape: str) -> str:
    """One data point: ``shape`` is the element's name and geometry; ``label`` and ``value`` go in data
    attributes and the tooltip."""
    colour = PALETTE[series % len(PALETTE)]
    return (f'<{shape} class="{kind} series-{series}" fill="{colour}" data-label="{_a(label)}"'
            f' data-value="{_a(_num(value))}"><title>{_a(label)}: {_a(_num(value))}</title></{shape.split()[0]}>')


def _checked(labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> list[tuple[str, list[float]]]:
    out = []
    for key, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"series {key!r} has {len(values)} values for {len(labels)} labels")
        out.append((key, [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in values]))
    return out


def bar_chart(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str, stacked: bool = True,
              series_labels: Mapping[str, str] | None = None, width: int = WIDTH, height: int = HEIGHT,
              empty: str = "no data") -> str:
    """Vertical bars, one group per label: stacked (totals per label) or side by side."""
    data = _checked(labels, series)
    if not labels or not data:
        return _empty(title, width, height, empty)
    totals = [sum(v[i] for _, v in data) for i in range(len(labels))] if stacked else \
        [max(v[i] for _, v in data) for i in range(len(labels))]
    if max(totals, default=0) <= 0:
        return _empty(title, width, height, empty)
    top = nice_max(max(totals))
    base = height - BOTTOM
    scale = (base - TOP) / top
    slot = (width - LEFT - RIGHT) / len(labels)
    bar = max(1.0, slot * 0.7 / (1 if stacked else len(data)))
    names = [(series_labels or {}).get(k, k) for k, _ in data]
    legend, extra = _legend(names, height, width)
    out = [*_open(title, width, height + extra), *_y_axis(top, width, height)]
    for i, label in enumerate(labels):
        x0 = LEFT + slot * i + slot * 0.15
        floor = 0.0
        for s, (_, values) in enumerate(data):
            h = max(0.0, values[i]) * scale
            x = x0 if stacked else x0 + bar * s
            y = base - floor - h
            point = f"{label}: {names[s]}" if len(data) > 1 else label
            out.append(_mark("bar", s, point, values[i],
                             f'rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"'))
            if stacked:
                floor += h
    out += _x_labels(labels, [LEFT + slot * (i + 0.5) for i in range(len(labels))], height)
    out += legend
    out.append("</svg>")
    return "".join(out)


def line_chart(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
               series_labels: Mapping[str, str] | None = None, width: int = WIDTH, height: int = HEIGHT,
               empty: str = "no data") -> str:
    """One line per series over the labels, with a circle per point."""
    data = _checked(labels, series)
    highest = max((max(v) for _, v in data if v), default=0.0)
    if not labels or not data or highest <= 0:
        return _empty(title, width, height, empty)
    top = nice_max(highest)
    base = height - BOTTOM
    scale = (base - TOP) / top
    step = (width - LEFT - RIGHT) / len(labels)
    xs = [LEFT + step * (i + 0.5) for i in range(len(labels))]
    names = [(series_labels or {}).get(k, k) for k, _ in data]
    legend, extra = _legend(names, height, width)
    out = [*_open(title, width, height + extra), *_y_axis(top, width, height)]
    for s, (_, values) in enumerate(data):
        colour = PALETTE[s % len(PALETTE)]
        ys = [base - max(0.0, v) * scale for v in values]
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(zip(xs, ys, strict=True)))
        out.append(f'<path class="line series-{s}" d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for label, x, y, v in zip(labels, xs, ys, values, strict=True):
            point = f"{label}: {names[s]}" if len(data) > 1 else label
            out.append(_mark("point", s, point, v, f'circle cx="{x:.1f}" cy="{y:.1f}" r="3"'))
    out += _x_labels(labels, xs, height)
    out += legend
    out.append("</svg>")
    return "".join(out)


def hbar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, width: int = WIDTH,
               height: int | None = None, empty: str = "no data", label_chars: int = LABEL) -> str:
    """Horizontal bars, one per label, in the order given (top topics, top articles); long labels are cut to
    ``label_chars`` characters on the axis (the tooltip and ``data-label`` keep them whole). The height grows with
    the rows."""
    data = _checked(labels, {"": values})[0][1]
    rows = len(labels)
    height = height or max(HEIGHT, TOP + 24 * rows + 24)
    if not rows or max(data, default=0) <= 0:
        return _empty(title, width, height, empty)
    label_width = round(CHAR * label_chars) + 12
    top = nice_max(max(data))
    plot = width - label_width - RIGHT - 40
    row = (height - TOP - 24) / rows
    out = [*_open(title, width, height)]
    out.append(f'<line class="axis" x1="{label_width}" x2="{label_width}" y1="{TOP}" y2="{height - 24}"'
               ' stroke="#4a5568"/>')
    for i, (label, v) in enumerate(zip(labels, data, strict=True)):
        y = TOP + row * i + row * 0.15
        w = max(0.0, v) / top * plot
        shown = label if len(label) <= label_chars else label[:label_chars - 1] + "…"
        out.append(f'<text class="tick" x="{label_width - 6}" y="{y + row * 0.45:.1f}" text-anchor="end"'
                   f' fill="#4a5568">{_a(shown)}</text>')
        out.append(_mark("bar", 0, label, v,
                         f'rect x="{label_width}" y="{y:.1f}" width="{w:.1f}" height="{row * 0.7:.1f}"'))
        out.append(f'<text class="tick" x="{label_width + w + 4:.1f}" y="{y + row * 0.45:.1f}" fill="#1a202c">'
                   f"{_a(_num(v))}</text>")
    out.append(f'<text class="tick" x="{label_width}" y="{height - 8}" fill="#4a5568">0</text>')
    out.append(f'<text class="tick" x="{label_width + plot}" y="{height - 8}" text-anchor="end" fill="#4a5568">'
               f"{_a(_num(top))}</text>")
    out.append("</svg>")
    return "".join(out)
