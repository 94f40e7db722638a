"""A chart of events per day as PNG bytes: pure (a ChartSpec in, bytes out), no database, no
Telegram. Above, events per day stacked by kind; below, killed and injured per day as lower
bounds over distinct events. Matplotlib's Agg canvas on a Figure of its own, no pyplot."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.patches import Patch

from bot.canvas import blank, titled_png
from bot.figures import ChartSpec

KILLED = "#b2182b"
INJURED = "#ef8a62"


def render_chart(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes of exactly spec.width × spec.height pixels."""
    figure = blank(spec.width, spec.height)
    top, bottom = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    figure.subplots_adjust(left=0.07, right=0.78, top=0.9, bottom=0.09, hspace=0.12)
    x = [float(v) for v in date2num(spec.days)]
    base = [0] * len(spec.days)
    for series in spec.series:
        _bars(top, x, series.counts, base, 0.85, series.colour)
        base = [b + c for b, c in zip(base, series.counts, strict=True)]
    top.set_ylim(0, max(base, default=0) * 1.05 or 1)
    top.set_ylabel(spec.events_label)
    _legend(top, [(s.label, s.colour) for s in spec.series])
    # Side by side, not stacked: "at least 12 killed" and "at least 40 injured" are two bounds.
    zero = [0] * len(spec.days)
    _bars(bottom, [v - 0.21 for v in x], spec.killed, zero, 0.42, KILLED)
    _bars(bottom, [v + 0.21 for v in x], spec.injured, zero, 0.42, INJURED)
    bottom.set_ylim(0, max(*spec.killed, *spec.injured, 0) * 1.05 or 1)
    bottom.set_ylabel(spec.casualties_label, fontsize=9)
    _legend(bottom, [(spec.killed_label, KILLED), (spec.injured_label, INJURED)])
    locator = AutoDateLocator(minticks=3, maxticks=10)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    for axes in (top, bottom):
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        axes.yaxis.get_major_locator().set_params(integer=True)
    if spec.days:
        top.set_xlim(x[0] - 0.7, x[-1] + 0.7)
    return titled_png(figure, spec.title, spec.credit)


def _bars(
    axes: Axes,
    x: list[float],
    heights: tuple[int, ...],
    bottoms: list[int],
    width: float,
    colour: str,
) -> None:
    """One collection of rectangles per kind: Axes.bar makes an artist of each bar, which
    cost a 60-day chart of nine kinds about 0.3 s."""
    half = width / 2
    boxes = [
        [(c - half, b), (c - half, b + h), (c + half, b + h), (c + half, b)]
        for c, h, b in zip(x, heights, bottoms, strict=True)
        if h
    ]
    axes.add_collection(PolyCollection(boxes, facecolors=colour, edgecolors="none"))


def _legend(axes: Axes, entries: list[tuple[str, str]]) -> None:
    if entries:
        handles = [Patch(facecolor=colour, label=label) for label, colour in entries]
        axes.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=9,
            frameon=False,
        )
