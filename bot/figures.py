"""What a picture shows, as plain data: what was asked (Order), a map's markers and view, a
chart's days and kinds, and the projection that puts a longitude and latitude on a map's
pixels. No matplotlib here: bot/map_render.py and bot/chart_render.py draw these wherever the
drawing runs (bot/drawing.py).

The projection is plain: longitude scaled by the cosine of the view's middle latitude, so that
a degree east and a degree north are as long on the map as on the ground there. The tests use
`Frame.pixel` to find an event's marker in the PNG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from store.db import EventKind
from store.models import Place

# Where the map sits in the picture, as fractions: the title above it, the credit below.
AXES = (0.0, 0.05, 1.0, 0.87)


@dataclass(frozen=True)
class Marker:
    """One event: where, its kind's colour, killed + injured (lower bounds), and whether its
    position is only an oblast's or a hromada's (drawn hollow, never as a precise point)."""

    lon: float
    lat: float
    colour: str
    casualties: int = 0
    approximate: bool = False


@dataclass(frozen=True)
class MapSpec:
    """Everything a map shows; `view` is (west, south, east, north), widened to the picture's
    shape. `shaded` are the oblasts (GeoNames admin1 codes) of events placed only in a whole
    oblast, tinted; `names` (longitude, latitude, text) label the biggest markers."""

    markers: tuple[Marker, ...]
    view: tuple[float, float, float, float]
    title: str
    legend: tuple[tuple[str, str], ...] = ()
    approximate_note: str = ""
    sizes_note: str = ""
    names: tuple[tuple[float, float, str], ...] = ()
    shaded: tuple[str, ...] = ()
    shaded_note: str = ""
    credit: str = ""
    lang: str = "en"
    width: int = 1200
    height: int = 1000


@dataclass(frozen=True)
class Frame:
    """The view in projected units and the picture's size in pixels."""

    west: float
    east: float
    south: float
    north: float
    scale: float  # cos(middle latitude): projected x = longitude * scale
    width: int
    height: int

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.scale, lat

    @property
    def limits(self) -> tuple[float, float, float, float]:
        return self.west * self.scale, self.east * self.scale, self.south, self.north

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """(column, row) of a point in the PNG, row 0 at the top."""
        left, bottom, w, h = AXES
        x0, x1, y0, y1 = self.limits
        x, y = self.xy(lon, lat)
        column = (left + w * (x - x0) / (x1 - x0)) * self.width
        row = (1 - bottom - h * (y - y0) / (y1 - y0)) * self.height
        return column, row


def frame(view: tuple[float, float, float, float], width: int, height: int) -> Frame:
    """The view widened (never cut) to the shape of the map's part of the picture."""
    west, south, east, north = view
    scale = math.cos(math.radians((south + north) / 2))
    box = (AXES[2] * width) / (AXES[3] * height)  # the map's width over its height, in pixels
    span_x, span_y = (east - west) * scale, north - south
    if span_x / span_y < box:
        grow = (span_y * box / scale - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (span_x / box - span_y) / 2
        south, north = south - grow, north + grow
    return Frame(west, east, south, north, scale, width, height)


@dataclass(frozen=True)
class Series:
    """One kind's events per day, in the order of ChartSpec.days."""

    label: str
    colour: str
    counts: tuple[int, ...]


@dataclass(frozen=True)
class ChartSpec:
    days: tuple[date, ...]
    series: tuple[Series, ...]
    killed: tuple[int, ...]
    injured: tuple[int, ...]
    title: str
    events_label: str = "events per day"
    casualties_label: str = "killed and injured per day (at least)"
    killed_label: str = "killed"
    injured_label: str = "injured"
    credit: str = ""
    width: int = 1200
    height: int = 800


@dataclass(frozen=True)
class Order:
    """What a picture is to show, as the worker that draws it reads it from the database file
    (bot/specs.py): a map or a chart of a place (None: the whole country), a range, a kind."""

    what: Literal["map", "chart"]
    db: str
    place: Place | None
    start: date | None
    end: date | None
    kind: EventKind
    title: str
    lang: str = "en"


@dataclass(frozen=True)
class Picture:
    """A picture to send: its order, its file name, and the key it is cached by: the
    question as asked and the database's revision when it was asked."""

    key: tuple[str, ...]
    name: str
    order: Order

    @property
    def lang(self) -> str:
        return self.order.lang
