"""Every settlement of Ukraine, and the named sites that are not settlements, as typed records.

`data/settlements.tsv.gz` is built by `python -m store.gazetteer.build_settlements` (see its
docstring and data/NOTICE: the file is ODbL 1.0); `data/landmarks.csv` is written by hand.
Both ship inside the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

Kind = Literal["city", "settlement", "village", "hromada", "raion"]
# Where a point comes from: the settlement's OSM node, its GeoNames point, or (for villages
# neither has, and for hromadas and raions) the hromada's centroid, a median 9 km off; one
# abandoned town (Pripyat) that no source places has a point written into the builder.
CoordSource = Literal["osm", "geonames", "hromada", "manual"]

COLUMNS = (
    "id",
    "katottg",
    "name",
    "name_uk",
    "kind",
    "place",
    "admin1",
    "raion",
    "hromada",
    "population",
    "lat",
    "lon",
    "coord_source",
    "alternates",
)
# Settlements GeoNames lacks get ID_BASE + the digits of their KATOTTG code: GeoNames ids are
# below 10**9, KATOTTG digits below 10**17, so the two never meet.
ID_BASE = 10**17


class GazetteerDataError(ValueError):
    """A shipped data file does not have the columns this module reads."""


@dataclass(frozen=True, slots=True)
class Settlement:
    """One settlement (or hromada, or raion) of Ukraine."""

    id: int  # the GeoNames id when GeoNames has the place, else ID_BASE + KATOTTG digits
    katottg: str
    name: str  # the official Ukrainian name by the 2010 transliteration rules
    name_uk: str
    kind: Kind
    place: str  # OSM's place kind: city, town, village, hamlet ("" when unknown)
    admin1: str  # GeoNames admin1 code of the oblast, as in ua_oblasts.csv
    raion: str
    hromada: str
    population: int  # 0 when unknown
    lat: float
    lon: float
    coord_source: CoordSource
    alternates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Landmark:
    """A named site that is not a settlement: an island, a plant, an airfield, a sea."""

    name: str
    alternates: tuple[str, ...]
    kind: str
    admin1: str  # "" for the seas
    lat: float
    lon: float
    # The settlement it lies in or serves, where its events are placed ("Azovstal": Mariupol);
    # "" for a site that is a place of its own (Snake Island, the seas).
    town: str = ""


def _data(name: str) -> bytes:
    return resources.files("store.gazetteer").joinpath("data", name).read_bytes()


def parse_settlements(text: str) -> tuple[Settlement, ...]:
    """Records from the text of a settlements TSV (header first, as the builder writes it)."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise GazetteerDataError(f"expected the columns {COLUMNS}")
    records = []
    for line in lines[1:]:
        f = line.split("\t")
        records.append(
            Settlement(
                int(f[0]), f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], int(f[9] or 0),  # type: ignore[arg-type]
                float(f[10]), float(f[11]), f[12], tuple(f[13].split(";")) if f[13] else (),  # type: ignore[arg-type]
            )
        )  # fmt: skip
    return tuple(records)


@lru_cache(maxsize=1)
def read_settlements() -> tuple[Settlement, ...]:
    """All settlements, hromadas and raions shipped with the package (read once)."""
    text = gzip.decompress(_data("settlements.tsv.gz")).decode("utf-8")
    # 31,000 new records, none of them garbage: collecting in the middle costs a fifth.
    paused = gc.isenabled()
    gc.disable()
    try:
        return parse_settlements(text)
    finally:
        if paused:
            gc.enable()


@lru_cache(maxsize=1)
def read_landmarks() -> tuple[Landmark, ...]:
    """The hand-written table of named sites that are not settlements."""
    rows = csv.DictReader(io.StringIO(_data("landmarks.csv").decode("utf-8")))
    return tuple(
        Landmark(
            name=row["name"],
            alternates=tuple(a for a in row["alternates"].split(";") if a),
            kind=row["kind"],
            admin1=row["admin1"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            town=row.get("town", ""),
        )
        for row in rows
    )
