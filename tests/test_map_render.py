"""The map renderer on its own: MapSpec in, PNG bytes out, read back with matplotlib's own PNG
reader to find the markers where the events are."""

from __future__ import annotations

import io

import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from bot.boundaries import boundaries
from bot.figures import MapSpec, Marker, frame
from bot.map_render import LAND_UA, TINT, render_map

KHARKIV = (36.231, 49.992)
LVIV = (24.03, 49.84)
RED = "#d62728"
BLUE = "#1f77b4"


def pixels(png: bytes):
    return imread(io.BytesIO(png), format="png")


def colour_at(image, column: float, row: float) -> tuple[float, float, float]:
    return tuple(float(v) for v in image[int(round(row)), int(round(column)), :3])


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.04) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def country(markers: tuple[Marker, ...] = (), **kwargs) -> MapSpec:
    return MapSpec(markers, boundaries().country.bounds, "Ukraine · test", **kwargs)


@pytest.mark.parametrize("size", [(1200, 1000), (640, 480), (500, 900)])
def test_the_png_decodes_and_has_the_size_asked(size):
    width, height = size
    image = pixels(render_map(country((Marker(*KHARKIV, RED),), width=width, height=height)))
    assert (height, width) == image.shape[:2]


def test_a_markers_colour_is_at_its_events_projected_position():
    spec = country((Marker(*KHARKIV, RED, casualties=4), Marker(*LVIV, BLUE)))
    image = pixels(render_map(spec))
    view = frame(spec.view, spec.width, spec.height)
    assert close(to_rgb(RED), colour_at(image, *view.pixel(*KHARKIV)))
    assert close(to_rgb(BLUE), colour_at(image, *view.pixel(*LVIV)))
    # Where no event is, the land of Ukraine: the colours above are the markers'.
    assert close(to_rgb(LAND_UA), colour_at(image, *view.pixel(31.0, 48.6)))


def test_an_event_known_only_to_its_area_is_hollow_not_a_point():
    spec = country((Marker(*KHARKIV, RED, casualties=50, approximate=True),))
    image = pixels(render_map(spec))
    view = frame(spec.view, spec.width, spec.height)
    column, row = view.pixel(*KHARKIV)
    assert not close(to_rgb(RED), colour_at(image, column, row), 0.2)
    across = [colour_at(image, column + dx, row) for dx in range(-40, 41)]
    assert any(close(to_rgb(RED), c, 0.12) for c in across)  # its ring


def test_an_oblast_with_events_known_only_to_the_oblast_is_tinted():
    spec = country(shaded=("07",), shaded_note="tinted")
    image = pixels(render_map(spec))
    view = frame(spec.view, spec.width, spec.height)
    assert close(to_rgb(TINT), colour_at(image, *view.pixel(36.3, 48.95)))  # near Lozova
    assert close(to_rgb(LAND_UA), colour_at(image, *view.pixel(*LVIV)))


@pytest.mark.parametrize(
    "view", [(35.0, 49.0, 37.5, 50.9), (22.0, 44.3, 40.2, 52.4), (37.0, 47.0, 37.2, 47.5)]
)
def test_the_frame_widens_the_view_to_the_pictures_shape_and_never_cuts_it(view):
    shown = frame(view, 1200, 1000)
    west, south, east, north = view
    assert shown.west <= west and shown.east >= east
    assert shown.south <= south and shown.north >= north
    corners = [shown.pixel(shown.west, shown.south), shown.pixel(shown.east, shown.north)]
    assert corners[0][0] == pytest.approx(0.0, abs=0.5)
    assert corners[1][0] == pytest.approx(1200.0, abs=0.5)


def test_a_map_without_markers_is_still_a_map():
    image = pixels(render_map(country()))
    assert (1000, 1200) == image.shape[:2]
