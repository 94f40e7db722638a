"""The shipped gazetteer of settlements, its landmarks, and the builder on a hand-made input."""

from __future__ import annotations

import gzip
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from store.gazetteer import build_settlements
from store.gazetteer.build_settlements import build, rows_of, write_gzip_tsv
from store.gazetteer.folding import fold
from store.gazetteer.settlements import (
    COLUMNS,
    ID_BASE,
    GazetteerDataError,
    Settlement,
    parse_settlements,
    read_landmarks,
    read_settlements,
)

FIXTURE = Path(__file__).parent / "data" / "gazetteer"
OBLASTS_CSV = Path(build_settlements.__file__).parent / "data" / "ua_oblasts.csv"
PLACES = ("city", "settlement", "village")


def places_named(name: str) -> list[Settlement]:
    return [s for s in read_settlements() if s.name == name and s.kind in PLACES]


def test_the_shipped_file_holds_every_settlement_hromada_and_raion():
    kinds = Counter(s.kind for s in read_settlements())
    assert 29_000 < kinds["city"] + kinds["settlement"] + kinds["village"] < 31_000
    assert 1_700 < kinds["hromada"] < 1_800
    assert 130 < kinds["raion"] < 140


def test_loading_takes_well_under_a_second():
    read_settlements.cache_clear()
    start = time.process_time()  # the CPU it costs, whatever else the machine is doing
    read_settlements()
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(
    ("name", "admin1", "lat", "lon"),
    [
        ("Kyiv", "12", 50.45, 30.52),
        ("Kharkiv", "07", 49.99, 36.23),
        ("Izium", "07", 49.19, 37.28),
        ("Sievierodonetsk", "14", 48.95, 38.49),
        ("Mykolaiv", "16", 46.98, 31.99),
        ("Zaporizhzhia", "26", 47.85, 35.12),
        ("Vinnytsia", "23", 49.23, 28.47),
        ("Bakhmut", "05", 48.59, 38.00),
    ],
)
def test_big_cities_carry_the_spelling_people_write_their_oblast_and_a_point(
    name, admin1, lat, lon
):
    (city,) = [s for s in places_named(name) if s.kind == "city" and s.admin1 == admin1]
    assert city.coord_source in ("osm", "geonames")
    assert abs(city.lat - lat) < 0.1 and abs(city.lon - lon) < 0.1
    assert city.id < ID_BASE  # GeoNames knows them: the id is GeoNames'


@pytest.mark.parametrize(
    ("name", "admin1", "alternate"),
    [
        ("Mykolaiv", "16", "Nikolaev"),
        ("Kharkiv", "07", "Харьков"),
        ("Bakhmut", "05", "Artemivsk"),
        ("Toretsk", "05", "Dzerzhynsk"),
        ("Kropyvnytskyi", "10", "Kirovohrad"),
        ("Sievierodonetsk", "14", "Siverskodonetsk"),
    ],
)
def test_russian_old_and_new_names_are_alternates(name, admin1, alternate):
    (city,) = [s for s in places_named(name) if s.kind == "city" and s.admin1 == admin1]
    assert alternate in city.alternates


def test_ivanivka_is_many_villages_in_many_oblasts_each_with_its_raion_and_hromada():
    rows = places_named("Ivanivka")
    assert len(rows) > 100
    assert len({s.admin1 for s in rows}) > 15
    assert all(s.raion and s.hromada for s in rows)


def test_every_row_has_a_point_in_ukraine_and_says_where_it_comes_from():
    for s in read_settlements():
        assert 44.0 < s.lat < 52.5 and 22.0 < s.lon < 40.5, s
        assert s.coord_source in ("osm", "geonames", "hromada", "manual"), s


def test_ids_are_unique_and_katottg_ids_cannot_meet_geonames_ids():
    rows = read_settlements()
    assert len(rows) == len({s.id for s in rows})
    for s in rows:
        if s.id >= ID_BASE:
            assert ID_BASE + int(s.katottg[2:]) == s.id


def test_raions_and_hromadas_are_named_as_readers_name_them():
    names = {n for s in read_settlements() if s.kind == "raion" for n in (s.name, *s.alternates)}
    assert {"Buchanskyi raion", "Bucha district", "Kupiansk district"} <= names
    names = {n for s in read_settlements() if s.kind == "hromada" for n in (s.name, *s.alternates)}
    assert {"Sloviansk community", "Slovianska hromada"} <= names


def test_every_shipped_name_folds_to_a_key_that_folds_to_itself():
    for s in read_settlements():
        for name in (s.name, *s.alternates):
            assert fold(name) == fold(fold(name)), name


@pytest.mark.parametrize(
    "name",
    [
        "Snake Island",
        "Azovstal",
        "Zaporizhzhia Nuclear Power Plant",
        "Chornobyl Nuclear Power Plant",
        "Hostomel Airport",
        "Yavoriv range",
        "Black Sea",
        "Sea of Azov",
    ],
)
def test_the_landmarks_the_news_names_are_there_with_a_point(name):
    (landmark,) = [lm for lm in read_landmarks() if lm.name == name]
    assert 43.0 < landmark.lat < 52.5 and 22.0 < landmark.lon < 40.5


def test_landmark_alternates_find_them():
    keys = {fold(n): lm.name for lm in read_landmarks() for n in (lm.name, *lm.alternates)}
    assert "Snake Island" == keys[fold("Zmiinyi Island")]
    assert "Hostomel Airport" == keys[fold("Antonov airport")]


def test_a_file_with_other_columns_is_refused():
    with pytest.raises(GazetteerDataError):
        parse_settlements("id\tname\n1\tKyiv\n")


# The builder, on a hand-made input: tests/data/gazetteer holds the five files as plain TSV
# (invented places with codes in KATOTTG's format), gzipped here as the sources are.

CITIES = [
    {
        "geonameid": 900001,
        "name": "Verbovka",
        "latitude": 48.212,
        "longitude": 37.231,
        "countrycode": "UA",
        "population": 11500,
        "admin1code": "05",
        "alternatenames": ["Verbivka", "Вербовка", "HRK", "verbovka"],
    },
    {
        "geonameid": 900002,
        "name": "Kyiv",
        "latitude": 50.45466,
        "longitude": 30.5238,
        "countrycode": "UA",
        "population": 2952301,
        "admin1code": "12",
        "alternatenames": ["Kiev", "Киев", "Kyjiv", "Civ"],
    },
    # A namesake in another oblast must not take Zelene's id.
    {
        "geonameid": 900003,
        "name": "Zelene",
        "latitude": 46.0,
        "longitude": 33.0,
        "countrycode": "UA",
        "population": 900,
        "admin1code": "08",
        "alternatenames": [],
    },
]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for tsv in FIXTURE.glob("*.tsv"):
        with open(tsv, "rb") as f, gzip.open(folder / f"{tsv.name}.gz", "wb") as out:
            shutil.copyfileobj(f, out)
    return folder


@pytest.fixture
def built(sources: Path, tmp_path: Path) -> dict[str, Settlement]:
    output = tmp_path / "settlements.tsv.gz"
    write_gzip_tsv(output, COLUMNS, rows_of(build(sources, OBLASTS_CSV, CITIES)))
    rows = parse_settlements(gzip.decompress(output.read_bytes()).decode("utf-8"))
    return {s.katottg: s for s in rows}


def test_the_builder_keeps_settlements_hromadas_and_raions_and_drops_the_oblast(built):
    assert 10 == len(built)
    assert "UA14000000000000011" not in built


def test_a_town_takes_its_osm_point_geonames_id_and_old_names(built):
    town = built["UA14020010010000044"]
    assert (900001, "Verbivka", "Вербівка", "city", "town") == (
        town.id,
        town.name,
        town.name_uk,
        town.kind,
        town.place,
    )
    assert ("05", "Verbivskyi", "Verbivska", 12000) == (
        town.admin1,
        town.raion,
        town.hromada,
        town.population,
    )
    assert ("osm", 48.21, 37.23) == (town.coord_source, town.lat, town.lon)
    assert {"Chervonoarmiiske", "Червоноармійське", "Verbovka", "Вербовка"} <= set(town.alternates)
    assert "HRK" not in town.alternates and "verbovka" not in town.alternates


def test_a_point_joined_by_name_goes_to_the_namesake_whose_hromada_is_near(built):
    near, far = built["UA14020030020000099"], built["UA14020010020000055"]
    assert ("osm", 48.63, 37.77) == (near.coord_source, near.lat, near.lon)
    assert ("hromada", 48.2, 37.2) == (far.coord_source, far.lat, far.lon)
    assert ID_BASE + 14020010020000055 == far.id
    assert 310 == far.population


def test_a_place_renamed_since_2022_keeps_its_2022_name_and_gains_the_new_one(built):
    village = built["UA14020010030000066"]
    assert ("Kirove", "Кірове") == (village.name, village.name_uk)
    assert {"Nove", "Нове"} <= set(village.alternates)


def test_a_russian_osm_name_becomes_a_russian_form(built):
    village = built["UA14020030030000101"]
    assert ("Zarichne", "hamlet", 12) == (village.name, village.place, village.population)
    assert ("Заречное", "Zarechnoye") == village.alternates[:2]


def test_a_geonames_namesake_in_another_oblast_is_left_alone(built):
    zelene = built["UA14020030010000088"]
    assert ID_BASE + 14020030010000088 == zelene.id
    assert ("osm", 0) == (zelene.coord_source, zelene.population)


def test_kyiv_without_a_hromada_takes_the_geonames_point(built):
    kyiv = built["UA80000000000000112"]
    assert (900002, "12", "geonames") == (kyiv.id, kyiv.admin1, kyiv.coord_source)
    assert ("Kiev", "Киев", "Kyjiv", "Kiyev") == kyiv.alternates


def test_raions_and_hromadas_are_rows_with_their_centroid(built):
    raion = built["UA14020000000000022"]
    assert ("Verbivskyi raion", "raion", "hromada") == (raion.name, raion.kind, raion.coord_source)
    assert (48.4, 37.5) == (raion.lat, raion.lon)
    assert ("Verbivskyi district", "Verbivka raion", "Verbivka district") == raion.alternates
    hromada = built["UA14020030000000077"]
    assert ("Zelenivska hromada", 48.6, 37.8) == (hromada.name, hromada.lat, hromada.lon)
    assert "Zelene community" in hromada.alternates


def test_the_same_input_gives_the_same_bytes(sources, tmp_path):
    paths = [tmp_path / "one.tsv.gz", tmp_path / "two.tsv.gz"]
    for path in paths:
        write_gzip_tsv(path, COLUMNS, rows_of(build(sources, OBLASTS_CSV, CITIES)))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_the_command_line_writes_where_it_is_told(sources, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build_settlements, "geonames_ukraine", lambda: CITIES)
    output = tmp_path / "out.tsv.gz"
    build_settlements.main([str(sources), str(OBLASTS_CSV), str(output)])
    assert "10 rows" in capsys.readouterr().out
    assert 11 == len(gzip.decompress(output.read_bytes()).decode("utf-8").splitlines())
