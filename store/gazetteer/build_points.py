"""Where each place of the gazetteer is: OSM points, GeoNames points (with GeoNames ids and
alternate names), hromada centroids. Used by `build_settlements` only."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from rapidfuzz import fuzz

from store.gazetteer.build_units import UNIT_KINDS, Unit, uk_name
from store.gazetteer.folding import fold
from store.gazetteer.translit import has_cyrillic, translit_ru, translit_uk

# How far a GeoNames point may lie from the settlement's known point to be the same place:
# an OSM point is the place; a hromada centroid is a median 9 km and 98 % within 25 km off.
GEONAMES_MAX_KM = {"osm": 10.0, "hromada": 30.0}
# How alike (rapidfuzz ratio of the folded names) a GeoNames alternate must be to a name we
# know from another source or to the Russian form to be kept.
NEAR_NAME_RATIO = 70
POINT_MAX_KM = 30.0  # an OSM point joined by name, from the settlement's hromada centroid
# Settlements no source places: Pripyat, abandoned in 1986, lies outside any hromada and
# GeoNames lists no one living there. Its point read off the OSM map, marked "manual", with
# the spelling the news of 1986 taught English.
MANUAL_POINTS = {"UA32000000010085013": ((51.40556, 30.05694), ("Pripyat", "Припять"))}
_CYRILLIC_LETTERS = set(
    "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюяАБВГҐДЕЄЁЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
)


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
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _mean(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


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
        for unit in by_name[(admin1, uk_name(row["name_uk"]))]:
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


def attach_geonames(units: dict[str, Unit], cities: Iterable[dict[str, Any]]) -> None:
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
        russian = [translit_ru(n) for n in names if has_cyrillic(n) and uk_name(n) != unit.name_uk]
        known = {fold(n) for n in [unit.name, *unit.alternates, *russian]}
        unit.alternates.extend(n for n in names + russian if _near(fold(n), known))


def _near(key: str, known: set[str]) -> bool:
    """Whether a GeoNames alternate reads as a spelling of a name we know. Kyiv's run from
    Kiev and Kyjiv to Civ, Keju and Kaenugardur; Olenivka's Yelenovka is its Russian name
    (Оленовка) spelt another way, and Nikolaev is a spelling of Николаев."""
    return key in known or any(fuzz.ratio(key, other) >= NEAR_NAME_RATIO for other in known)


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
            unit.point, alternates = MANUAL_POINTS[unit.code]
            unit.coord_source = "manual"
            unit.alternates.extend(alternates)
