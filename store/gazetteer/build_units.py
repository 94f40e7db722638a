"""The places of the gazetteer while it is built: KATOTTG's settlements, hromadas and raions,
with the names COD-AB and OpenStreetMap give them. Used by `build_settlements` only."""

from __future__ import annotations

import csv
import gzip
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.gazetteer.translit import has_cyrillic, translit_ru, translit_uk

SETTLEMENT_KINDS = {"M": "city", "X": "settlement", "C": "village", "K": "city"}
UNIT_KINDS = {"raion", "hromada"}
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
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


def uk_name(name: str) -> str:
    """One apostrophe and no stray spaces in a Ukrainian name (KATOTTG writes ’, COD-AB ')."""
    return " ".join(name.translate(_APOSTROPHE).split())


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


def units_from_katottg(rows: list[dict[str, str]], oblasts: dict[str, str]) -> list[Unit]:
    """Settlements (M, X, C, K), hromadas (H) and raions (P), each with its oblast's admin1.
    KATOTTG's columns: five level codes, the category, the Ukrainian name."""
    units = []
    for row in rows:
        *levels, category, name = row.values()
        name = uk_name(name)
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
        if row["ua"] and uk_name(row["ua"]) != unit.name_uk:
            # Renamed since 2022 (Sievierodonetsk, now Siverskodonetsk): the news uses the
            # COD-AB name, and the new one is an alternate.
            unit.name_now_uk, unit.name_uk = unit.name_uk, uk_name(row["ua"])
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
        if uk_name(row["name"]) != uk_name(row["name:uk"]):
            unit.alternates.extend(_other_name(row["name"]))
        for old in dict.fromkeys([*row["old_name"].split(";"), *row["old_name:uk"].split(";")]):
            unit.alternates.extend(_old_name(old.strip()))
    return osm_codes


def _other_name(name: str) -> Iterator[str]:
    """OSM's `name` where it is not the Ukrainian one: Russian in Crimea (Заречное), now and
    then a Ukrainian variant (Ясенове for Ясинове)."""
    if not name:
        return
    yield name
    if has_cyrillic(name):
        yield translit_uk(name) if _UKRAINIAN_ONLY.search(name) else translit_ru(name)


def _old_name(name: str) -> Iterator[str]:
    if not name:
        return
    yield name
    if has_cyrillic(name):
        yield translit_uk(name)
        yield translit_ru(name)


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
