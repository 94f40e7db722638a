"""The chart renderer on its own: ChartSpec in, PNG bytes out, read back with matplotlib's PNG
reader."""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from bot.chart_render import INJURED, KILLED, render_chart
from bot.figures import ChartSpec, Series

DAYS = tuple(date(2022, 3, 1) + timedelta(days=n) for n in range(10))
SHELLING = "#d62728"
CLASHES = "#1f77b4"


def pixels(png: bytes):
    return imread(io.BytesIO(png), format="png")[:, :, :3]


def share_of(image, colour: str) -> float:
    """The part of the picture painted in this colour."""
    return float(np.mean(np.all(np.abs(image - np.array(to_rgb(colour))) < 0.02, axis=2)))


def spec(shelling: tuple[int, ...], killed: tuple[int, ...] = (0,) * 10, **kwargs) -> ChartSpec:
    series = (Series("Shelling", SHELLING, shelling), Series("Clashes", CLASHES, (1,) * 10))
    return ChartSpec(DAYS, series, killed, (0,) * 10, "test", **kwargs)


@pytest.mark.parametrize("size", [(1200, 800), (800, 600)])
def test_the_png_decodes_and_has_the_size_asked(size):
    width, height = size
    image = pixels(render_chart(spec((3,) * 10, width=width, height=height)))
    assert (height, width) == image.shape[:2]


def test_each_kind_is_drawn_in_its_colour_in_proportion_to_its_events():
    image = pixels(render_chart(spec((4,) * 10)))
    # Four shelling events a day to one clash: about four times the paint (the legend's
    # swatches are the same size for both).
    assert share_of(image, SHELLING) == pytest.approx(4 * share_of(image, CLASHES), rel=0.25)


def test_killed_are_drawn_only_on_days_with_deaths():
    quiet = pixels(render_chart(spec((2,) * 10)))
    deadly = pixels(render_chart(spec((2,) * 10, killed=(0,) * 9 + (12,))))
    assert share_of(deadly, KILLED) > share_of(quiet, KILLED) + 0.002
    assert share_of(deadly, INJURED) == pytest.approx(share_of(quiet, INJURED), abs=0.0005)


def test_a_chart_of_one_day_is_drawn():
    one = ChartSpec(DAYS[:1], (Series("Shelling", SHELLING, (5,)),), (3,), (7,), "one day")
    assert pixels(render_chart(one)).shape[:2] == (800, 1200)
