"""The canvas every picture is drawn on: a figure of exactly the pixels asked, and its PNG
with the title above and the credit line below, as maps and charts both show them."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 100


def blank(width: int, height: int) -> Figure:
    """A figure of width × height pixels on the Agg canvas (no pyplot: thread-safe)."""
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def titled_png(figure: Figure, title: str, credit: str) -> bytes:
    """The figure as PNG bytes, with its title top left and the credit line bottom left."""
    figure.text(0.012, 0.975, title, fontsize=15, fontweight="bold", va="top")
    figure.text(0.012, 0.012, credit, fontsize=8.5, color="#555555", va="bottom")
    stream = io.BytesIO()
    figure.savefig(stream, format="png", dpi=DPI, facecolor="white")
    return stream.getvalue()
