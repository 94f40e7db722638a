"""Places in text and in what users type: spellings, inflections, misspellings, oblasts, abroad."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import pytest

import store.db as db_module
from store.db import Store
from store.gazetteer import GAZETTEER_VERSION, Gazetteer, normalise_name
from store.models import Place


def first(gazetteer: Gazetteer, text: str):
    mentions = gazetteer.find(text)
    assert mentions, f"no place found in {text!r}"
    return mentions[0]


def found_names(gazetteer: Gazetteer, text: str) -> list[str]:
    return [m.place.name for m in gazetteer.find(text)]


# --- spellings and inflections -------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("Kharkiv", "Russian shelling hit Kharkiv."),
        ("Kharkiv", "Russian shelling hit Kharkov."),
        ("Kharkiv", "Russian shelling hit Kharkiv's centre."),
        ("Kharkiv", "Russian shelling hit Kharkiv’s centre."),
        ("Kharkiv", "Russian shelling hit Kharkiv`s centre."),
        ("Kharkiv", "Обстріл Харків."),
        ("Kyiv", "Explosions in Kyiv."),
        ("Kyiv", "Explosions in Kiev."),
        ("Kyiv", "Explosions in Kiev's suburbs."),
        ("Odesa", "Explosions in Odessa."),
        ("Odesa", "Explosions in Odesa."),
        ("Odesa", "Вибухи в Одеса."),
        ("Mariupol", "Explosions in Mariupol."),
        ("Lviv", "Explosions in Lvov."),
        ("Luhansk", "Explosions in Lugansk."),
        ("Kherson", "Explosions in Kherson."),
        ("Sumy", "Explosions in Sumy."),
        ("Chernihiv", "Explosions in Chernihiv."),
    ],
)
def test_spellings_and_inflections(gazetteer, expected, text):
    assert expected == first(gazetteer, text).place.name


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Kharkov", "Kharkiv"),
        ("Kiev", "Kyiv"),
        ("Київ", "Kyiv"),
        ("Odessa", "Odesa"),
        ("Zaporozhye", "Zaporizhzhia"),
        ("Харків", "Kharkiv"),
    ],
)
def test_spellings_resolve_to_the_same_place(gazetteer, spelling, other):
    assert gazetteer.lookup(other) is not None
    assert gazetteer.lookup(other) == gazetteer.lookup(spelling)


def test_mention_span_is_the_surface_in_text(gazetteer):
    text = "Russian shelling hit Kharkiv's centre and Kiev."
    for m in gazetteer.find(text):
        assert m.surface == text[m.start : m.end]


def test_kharkiv_is_a_ukrainian_city(gazetteer):
    place = gazetteer.lookup("Kharkiv")
    assert ("city", "UA", "Kharkiv Oblast") == (place.kind, place.country, place.admin1_name)
    assert place.population > 1_000_000


# --- misspellings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("Kharkiv", "The Russian shelling of Kharliv killed 21 people."),
        ("Mariupol", "In the southern port city Mairupol, airstrikes continued."),
    ],
)
def test_misspellings_resolve_by_fuzzy_matching(gazetteer, expected, text):
    mention = first(gazetteer, text)
    assert (expected, "fuzzy") == (mention.place.name, mention.how)


@pytest.mark.parametrize(
    ("expected", "typed"),
    [("Kharkiv", "Kharliv"), ("Mariupol", "Mairupol"), ("Kharkiv", "Kharkof"), ("Kyiv", "kiev")],
)
def test_resolve_what_a_user_typed(gazetteer, expected, typed):
    place = gazetteer.resolve(typed)
    assert place is not None
    assert expected == place.name


@pytest.mark.parametrize("typed", ["Kharkof", "Kharkv"])
def test_suggest_offers_kharkiv(gazetteer, typed):
    assert "Kharkiv" in [p.name for p in gazetteer.suggest(typed)]


def test_suggest_best_first(gazetteer):
    assert "Kharkiv" == gazetteer.suggest("Kharkof")[0].name


@pytest.mark.parametrize("typed", ["", "   ", "Zzzzzzzz"])
def test_suggest_nothing_for_nonsense(gazetteer, typed):
    assert [] == gazetteer.suggest(typed)


@pytest.mark.parametrize("typed", ["Zzzzzzzz", "", "Qwertyuiop"])
def test_resolve_nonsense_is_none(gazetteer, typed):
    assert gazetteer.resolve(typed) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian President Volodymyr Zelenskyy said.",
        "Regional governor Oleg Synegubov said.",
        "Ministry spokesman Igor Konashenkov said.",
        "The Kremlin said, according to Reuters.",
        "Anton Gerashchenko shared a footage.",
        "Russians and Ukrainians on Tuesday and March.",
    ],
)
def test_names_and_words_are_not_places(gazetteer, text):
    ua = [m.place.name for m in gazetteer.find(text) if m.place.country == "UA"]
    assert [] == ua


def test_a_named_site_is_the_site_not_a_village_of_a_like_name(gazetteer):
    # Babyn Yar is a memorial in Kyiv: its events are Kyiv's, the memorial their target.
    (found,) = gazetteer.find("The damage to the Babi Yar memorial.")
    assert ("Kyiv", "city", "12") == (found.place.name, found.place.kind, found.place.admin1)


# --- qualifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["A Kyiv-based analyst said.", "A Kharkiv-based volunteer said."])
def test_based_is_flagged_with_suffix(gazetteer, text):
    mention = first(gazetteer, text)
    assert "-based" == mention.suffix
    assert mention.surface in ("Kyiv", "Kharkiv")


def test_suffix_keeps_the_following_words(gazetteer):
    assert first(gazetteer, "The Kherson governor said.").suffix.startswith(" governor")


# --- oblasts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("Kharkiv Oblast", "Shelling in the Kharkiv region."),
        ("Kharkiv Oblast", "Shelling in Kharkiv Oblast."),
        ("Kharkiv Oblast", "Shelling in Kharkiv oblast."),
        ("Donetsk Oblast", "Shelling in Donetsk Oblast."),
        ("Kyiv Oblast", "Shelling in the Kiev region."),
        ("Kyiv Oblast", "Shelling in the Kyiv region."),
        ("Kherson Oblast", "Shelling in Kherson Oblast."),
    ],
)
def test_oblasts(gazetteer, expected, text):
    mention = first(gazetteer, text)
    assert (expected, "oblast") == (mention.place.name, mention.place.kind)


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (["Donetsk Oblast", "Luhansk Oblast"], "Fighting in the Donetsk and Luhansk regions."),
        (["Luhansk Oblast", "Donetsk Oblast"], "Six attacks repelled in Luhansk, Donetsk regions."),
        (
            ["Kyiv Oblast", "Chernihiv Oblast", "Sumy Oblast"],
            "Troops withdrew from Kyiv, Chernihiv, and Sumy oblasts.",
        ),
        (["Kharkiv", "Kyiv"], "Explosions in Kharkiv and Kyiv."),
    ],
)
def test_every_name_in_a_list_of_regions_is_an_oblast(gazetteer, expected, text):
    assert expected == found_names(gazetteer, text)


def test_oblast_shares_admin1_with_its_seat(gazetteer):
    assert gazetteer.lookup("Kharkiv").admin1 == gazetteer.lookup("Kharkiv region").admin1


# --- aliases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        ("Kyiv", "Russian aviation disabled the main TV tower in Ukraine's capital."),
        ("Kyiv", "People have been fleeing the capital city."),
        ("Kharkiv", "One of the residents of Ukraine's second-largest city, Kharkiv."),
        ("Kharkiv", "The shelling of Ukraine's second largest city."),
        ("Kharkiv", "An administrative building in the country's second-largest city."),
    ],
)
def test_aliases(gazetteer, expected, text):
    mention = first(gazetteer, text)
    assert (expected, "alias") == (mention.place.name, mention.how)


def test_capital_of_ukraine_is_kyiv(gazetteer):
    assert "Kyiv" in found_names(gazetteer, "Missiles hit the capital of Ukraine.")


# --- abroad --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (("Belarus", "country", "BY"), "Talks will be held in Belarus."),
        (("Moscow", "city", "RU"), "The Kremlin in Moscow said."),
        (("Belgorod", "city", "RU"), "Explosions in Belgorod."),
        (("Russia", "country", "RU"), "Russia launched the invasion."),
        (("Poland", "country", "PL"), "Refugees crossed into Poland."),
    ],
)
def test_abroad(gazetteer, expected, text):
    place = first(gazetteer, text).place
    assert expected == (place.name, place.kind, place.country)


# --- small villages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Fighting in the village of Moshchun.",
        "Fighting near Moshchun.",
        "Fighting in Moshchun.",
    ],
)
def test_small_village_after_a_locative(gazetteer, text):
    assert ["Moshchun"] == found_names(gazetteer, text)


@pytest.mark.parametrize("text", ["Moshchun was hit.", "Moshchun residents fled."])
def test_small_village_without_locative_is_ignored(gazetteer, text):
    assert "Moshchun" not in found_names(gazetteer, text)


# --- names normalised ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "name"),
    [
        ("kharkiv", "Kharkiv"),
        ("kharkiv", "KHARKIV"),
        ("kharkiv", "Kharkiv's"),
        ("kharkiv", "Kharkiv’s"),
        ("kharkiv", "Kharkiv`s"),
        ("kharkiv", "  Kharkiv  "),
        ("kharkiv", "'Kharkiv'"),
        ("kyiv", "Kyïv"),
        ("kryvyi rih", "Kryvyi  Rih"),
        ("kryvyi rih", "Kryvyi-Rih"),
        ("bila tserkva", "Bila-Tserkva"),
        ("dnipro city", "Dnipro—city"),
        ("київ", "Київ"),
        ("її", "Її"),
        ("kharkiv oblast", "Kharkiv Oblast"),
        ("", ""),
    ],
)
def test_normalise_name(expected, name):
    assert expected == normalise_name(name)


# --- the gazetteer as a structure ----------------------------------------------------------


def test_lookup_unknown_is_none(gazetteer):
    assert gazetteer.lookup("Atlantis") is None


def test_stop_names_are_not_places(gazetteer):
    for word in ("Tuesday", "March", "May", "Russian", "President"):
        assert gazetteer.lookup(word) is None


def test_a_country_beats_a_village_of_the_same_name():
    village = Place(1, "Ukraine", population=600)
    country = Place(2, "Ukraine", country="UA", kind="country", population=40_000_000)
    small = Gazetteer([village, country], [("ukraine", 1), ("ukraine", 2)])
    assert country == small.lookup("Ukraine")


def test_a_bigger_town_wins_a_shared_name():
    small_town = Place(1, "Pervomaisk", population=20_000)
    big_town = Place(2, "Pervomaisk", population=60_000)
    small = Gazetteer([small_town, big_town], [("pervomaisk", 1), ("pervomaisk", 2)])
    assert big_town == small.lookup("Pervomaisk")


def test_a_villages_own_name_beats_a_small_towns_former_name():
    # A town of 56,000 once called Oleksiivka; a village of 3,600 called so today.
    town = Place(1, "Chystiakove", population=56_000)
    village = Place(2, "Oleksiivka", population=3_600)
    small = Gazetteer([town, village], [("oleksiivka", 1), ("oleksiivka", 2)])
    assert village == small.lookup("Oleksiivka")


def test_a_citys_former_name_still_means_the_city():
    city = Place(1, "Kropyvnytskyi", population=230_000)
    village = Place(2, "Kirovohrad", population=3_000)
    small = Gazetteer([city, village], [("kirovohrad", 1), ("kirovohrad", 2)])
    assert city == small.lookup("Kirovohrad")


def test_gazetteer_version_recorded(store):
    assert GAZETTEER_VERSION == store.meta("gazetteer_version")


def test_a_surname_is_not_a_misspelt_city(gazetteer):
    # "Lavrov" is close to a spelling of Lviv; a misspelling counts only after "in", "of" ...
    assert [] == found_names(gazetteer, "Sergei Lavrov offered an opposite version.")


def test_regions_abroad_are_abroad(gazetteer):
    mention = first(gazetteer, "A fuel depot in the Belgorod region was hit.")
    assert ("Belgorod Oblast", "RU") == (mention.place.name, mention.place.country)
    assert not mention.place.is_ua_oblast


@pytest.mark.parametrize(
    "typed,shown",
    [
        ("Mykolayiv", "Mykolaiv"),
        ("Nikolaev", "Mykolaiv"),
        ("Severodonetsk", "Sievierodonetsk"),
        ("Siverskodonetsk", "Sievierodonetsk"),
        ("Izyum", "Izium"),
        ("Zaporozhye", "Zaporizhzhia"),
        ("Harkiv", "Kharkiv"),
        ("Миколаїв", "Mykolaiv"),
    ],
)
def test_every_older_spelling_finds_the_place_and_answers_show_the_official_one(
    gazetteer, typed, shown
):
    place = gazetteer.resolve(typed)
    assert place is not None and shown == place.name


def test_every_settlement_is_known_down_to_villages_with_their_raion_and_where_the_point_is_from(
    gazetteer,
):
    village = gazetteer.lookup("Ruska Lozova")
    assert village is not None
    assert ("Kharkiv Oblast", "Kharkivskyi") == (village.admin1_name, village.raion)
    assert village.coord_source in ("osm", "geonames", "hromada")


@pytest.mark.parametrize(
    "text,name",
    [
        ("Fighting continued at Azovstal on Monday.", "Mariupol"),
        ("Russian troops seized the Zaporizhzhia nuclear power plant.", "Enerhodar"),
        ("Paratroopers landed at Hostomel airport.", "Hostomel"),
        ("Ukraine said its forces struck Snake Island.", "Snake Island"),
    ],
)
def test_a_site_in_a_town_names_the_town_and_an_island_is_a_place_of_its_own(gazetteer, text, name):
    assert [name] == [m.place.name for m in gazetteer.find(text) if m.place.kind != "country"]


def test_a_small_place_listed_after_a_known_one_is_a_place(gazetteer):
    names = [m.place.name for m in gazetteer.find("Heavy fighting in Irpin and Hostomel.")]
    assert ["Irpin", "Hostomel"] == names


def test_the_stored_choice_of_each_names_place_is_the_ranking_made_at_load(store, gazetteer):
    names = store.db.execute("select name, place_id from place_names order by rowid").fetchall()
    ranked_now = Gazetteer(gazetteer.places.values(), names)
    assert list(ranked_now.by_name.items()) == list(gazetteer.by_name.items())
    assert list(ranked_now.by_fold.items()) == list(gazetteer.by_fold.items())


def test_other_ranking_rules_rank_the_stored_names_again(db_path, monkeypatch):
    monkeypatch.setattr(db_module, "NAME_RANKING", "rules of another version")
    again = Store(db_path)
    try:
        assert "Kharkiv" == again.gazetteer().lookup("Kharkov").name
        assert "rules of another version" == again.meta("gazetteer_ranking")
    finally:
        again.close()


def test_an_unvouched_village_of_two_words_is_not_the_town_in_its_name(gazetteer):
    # "Ruska Lozova" (a village) named with nothing that vouches for it is not Lozova
    assert [] == [m.place.name for m in gazetteer.find("Ruska Lozova residents fled the village.")]


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces abducted the Beryslav mayor on Tuesday.",
        "Residents of the Beryslav community gathered at a rally.",
    ],
)
def test_a_small_town_s_mayor_or_community_vouches_for_the_town(text, gazetteer):
    assert ["Beryslav"] == [m.place.name for m in gazetteer.find(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # hromadas named by their adjective, feminine as in Ukrainian or masculine as in Russian
        ("An air raid hit the Hirska community at dawn.", ("Hirske", "14")),
        ("An air raid hit the Hirsky community at dawn.", ("Hirske", "14")),
        ("Shelling hit the Borodianska territorial community overnight.", ("Borodianka", "13")),
        ("Occupiers entered the Bashtanska hromada.", ("Bashtanka", "16")),
    ],
)
def test_a_hromada_named_by_its_adjective_is_the_town_it_is_named_for(text, expected, gazetteer):
    assert [expected] == [(m.place.name, m.place.admin1) for m in gazetteer.find(text)]


def test_a_small_town_with_no_word_that_vouches_for_it_is_no_place(gazetteer):
    assert [] == [m.place.name for m in gazetteer.find("Beryslav said nothing.")]


def test_a_verb_of_attack_in_any_form_vouches_for_the_small_town_after_it(gazetteer):
    text = "Russian troops tried to attack Marinka in the Donetsk region."
    assert "Marinka" in [m.place.name for m in gazetteer.find(text)]
