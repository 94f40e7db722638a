"""A map of events as PNG bytes: pure (a MapSpec in, bytes out), no database, no Telegram.

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot, whose global state is not
safe across threads), in the projection of bot/figures.py's Frame.
"""

from __future__ import annotations

import math

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from bot.boundaries import Area, boundaries
from bot.canvas import blank, titled_png
from bot.figures import AXES, Frame, MapSpec, Marker, frame

SEA = "#cfe3f3"
LAND_UA = "#fbfaf5"
TINT = "#f1e3bd"  # an oblast with events known only to be somewhere in it
LAND_ABROAD = "#d9d9d9"
BORDER = "#9a9a9a"
COAST = "#7da7c9"
SIZES = (10, 100)  # killed or injured shown in the legend's size key


def marker_points(casualties: int) -> float:
    """A marker's area in points²: grows with the square root of killed + injured, so that a
    hundred dead is a big dot and not a blot over the oblast."""
    diameter = 6 + 2.4 * math.sqrt(min(casualties, 600))
    return diameter * diameter


def render_map(spec: MapSpec) -> bytes:
    """The map as PNG bytes of exactly spec.width × spec.height pixels."""
    view = frame(spec.view, spec.width, spec.height)
    figure = blank(spec.width, spec.height)
    axes = figure.add_axes(AXES)
    axes.set_axis_off()  # which also hides the axes' background: the sea is a rectangle
    x0, x1, y0, y1 = view.limits
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    axes.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=SEA, edgecolor="none"))
    _land(axes, view, spec)
    _markers(axes, view, spec.markers)
    for lon, lat, text in _apart(view, spec.names):
        x, y = view.xy(lon, lat)
        axes.annotate(
            text,
            (x, y),
            xytext=(7, 5),
            textcoords="offset points",
            fontsize=10,
            fontweight="bold",
            color="#222222",
            zorder=6,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    _legend(axes, spec)
    return titled_png(figure, spec.title, spec.credit)


def _apart(
    view: Frame, names: tuple[tuple[float, float, str], ...]
) -> list[tuple[float, float, str]]:
    """The names, biggest first, less those that would overprint one already placed (a name
    is about 7 pixels a letter and 16 high, to the upper right of its point)."""
    placed: list[tuple[float, float, float]] = []
    kept = []
    for lon, lat, text in names:
        column, row = view.pixel(lon, lat)
        width = 7.5 * len(text) + 10
        if any(abs(row - r) < 18 and column < c + w and c < column + width for c, r, w in placed):
            continue
        placed.append((column, row, width))
        kept.append((lon, lat, text))
    return kept


def _polygons(view: Frame, areas: list[Area]) -> list[list[tuple[float, float]]]:
    return [[view.xy(lon, lat) for lon, lat in ring] for area in areas for ring in area.rings]


def _visible(area: Area, view: Frame) -> bool:
    west, south, east, north = area.bounds
    return east > view.west and west < view.east and north > view.south and south < view.north


def _land(axes: Axes, view: Frame, spec: MapSpec) -> None:
    shapes = boundaries()
    add = axes.add_collection
    abroad = [a for a in shapes.neighbours if _visible(a, view)]
    add(
        PolyCollection(
            _polygons(view, abroad),
            facecolors=LAND_ABROAD,
            edgecolors="white",
            linewidths=0.8,
            zorder=1,
        )
    )
    oblasts = [a for a in shapes.oblasts.values() if _visible(a, view)]
    faces = [TINT if a.code in spec.shaded else LAND_UA for a in oblasts for _ in a.rings]
    add(
        PolyCollection(
            _polygons(view, oblasts), facecolors=faces, edgecolors=BORDER, linewidths=0.6, zorder=2
        )
    )
    add(
        PolyCollection(
            _polygons(view, [shapes.country]),
            facecolors="none",
            edgecolors="#555555",
            linewidths=1.3,
            zorder=3,
        )
    )
    coast = [[view.xy(lon, lat) for lon, lat in ring] for ring in shapes.coast]
    add(LineCollection(coast, colors=COAST, linewidths=0.9, zorder=3))
    big = (view.east - view.west) > 8  # the whole country: short names, smaller type
    for area in oblasts:
        lon, lat = area.centre
        if not (view.west < lon < view.east and view.south < lat < view.north):
            continue
        name = area.name(spec.lang).replace(" Oblast", "").replace(" область", "")
        if name.startswith("Autonomous Republic of "):
            name = name.removeprefix("Autonomous Republic of ")
        axes.text(
            *view.xy(lon, lat),
            name,
            fontsize=8 if big else 10,
            color="#8a8a8a",
            ha="center",
            va="center",
            zorder=2.5,
            style="italic",
        )


def _markers(axes: Axes, view: Frame, markers: tuple[Marker, ...]) -> None:
    """Big markers first, so that small ones stay visible on top of them; hollow ones under the
    precise ones."""
    ordered = sorted(markers, key=lambda m: (not m.approximate, -m.casualties))
    if not ordered:
        return
    xs, ys = zip(*(view.xy(m.lon, m.lat) for m in ordered), strict=True)
    sizes = [marker_points(m.casualties) for m in ordered]
    faces = ["none" if m.approximate else m.colour for m in ordered]
    # No white rim on a filled marker: a stack of them at one town would read as hollow rings.
    edges = [m.colour for m in ordered]
    widths = [1.6 if m.approximate else 0.0 for m in ordered]
    axes.scatter(xs, ys, s=sizes, c=faces, edgecolors=edges, linewidths=widths, zorder=5)


def _legend(axes: Axes, spec: MapSpec) -> None:
    handles: list[Artist] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor=colour,
            markeredgecolor="white",
            label=label,
        )
        for label, colour in spec.legend
    ]
    if spec.approximate_note:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor="#444444",
                markeredgewidth=1.6,
                label=spec.approximate_note,
            )
        )
    if spec.shaded_note:
        handles.append(Patch(facecolor=TINT, edgecolor=BORDER, label=spec.shaded_note))
    if spec.sizes_note:
        for n in SIZES:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=math.sqrt(marker_points(n)),
                    markerfacecolor="#bbbbbb",
                    markeredgecolor="white",
                    label=spec.sizes_note.format(n=n),
                )
            )
    if handles:
        axes.legend(
            handles=handles,
            loc="lower left",
            fontsize=9.5,
            framealpha=0.9,
            borderpad=0.7,
            labelspacing=0.9,
        ).set_zorder(7)
