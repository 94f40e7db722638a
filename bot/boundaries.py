"""The shapes a map is drawn on: Ukraine's oblasts, its neighbours and the coast, read once from
the GeoJSON vendored in bot/data/boundaries (Natural Earth, public domain: see its NOTICE).

Rings are lists of (longitude, latitude); an oblast is found by the GeoNames admin1 code the
gazetteer gives its places ("07" is Kharkiv Oblast).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).with_name("data") / "boundaries"

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Area:
    """One oblast or country: its outer rings (holes are not worth drawing at this scale)."""

    code: str  # GeoNames admin1 for an oblast ("07"), ISO 3166 alpha-2 for a country ("PL")
    name_en: str
    name_uk: str
    rings: tuple[Ring, ...]

    def name(self, lang: str) -> str:
        return self.name_uk if lang == "uk" and self.name_uk else self.name_en

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return min(lons), min(lats), max(lons), max(lats)

    @cached_property
    def centre(self) -> tuple[float, float]:
        """The centroid of the largest ring: where an oblast's name and its oblast-wide events
        go (the mean of the corners would put Odesa Oblast's in Moldova)."""
        ring = max(self.rings, key=lambda r: abs(_area(r)))
        area = _area(ring)
        if not area:
            return ring[0]
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        return cx / (6 * area), cy / (6 * area)


@dataclass(frozen=True)
class Boundaries:
    oblasts: dict[str, Area]
    neighbours: tuple[Area, ...]
    country: Area
    coast: tuple[Ring, ...]


def _area(ring: Ring) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs) / 2


def _rings(geometry: dict[str, Any]) -> tuple[Ring, ...]:
    kind, coords = geometry["type"], geometry["coordinates"]
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    lines = coords if kind == "MultiLineString" else [coords] if kind == "LineString" else []
    outers = [polygon[0] for polygon in polygons] + lines
    return tuple(tuple((float(x), float(y)) for x, y in ring) for ring in outers)


def _features(name: str) -> list[dict[str, Any]]:
    data = json.loads((FOLDER / f"{name}.geojson").read_text(encoding="utf-8"))
    return list(data["features"])


@cache
def boundaries() -> Boundaries:
    """The shapes, read once per process."""
    oblasts = {}
    for feature in _features("ua_oblasts"):
        p = feature["properties"]
        code = str(p["geonames_admin1"]).removeprefix("UA.")
        oblasts[code] = Area(code, p["name_en"], p["name_uk"], _rings(feature["geometry"]))
    neighbours = tuple(
        Area(f["properties"]["iso_a2"], f["properties"]["name_en"], "", _rings(f["geometry"]))
        for f in _features("neighbours")
    )
    (whole,) = _features("ua_country")
    country = Area("UA", "Ukraine", "Україна", _rings(whole["geometry"]))
    coast = tuple(ring for f in _features("coastline") for ring in _rings(f["geometry"]))
    return Boundaries(oblasts, neighbours, country, coast)
