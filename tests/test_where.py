"""Which named places are where it happened (store/extract/where.py)."""

from __future__ import annotations

from datetime import date

import pytest

from store.extract import extract_events
from store.models import Article

DAY = date(2022, 3, 12)


def places(text: str, gazetteer) -> list[tuple[str, str]]:
    found = extract_events(Article("w", text, DAY), gazetteer).candidates
    return sorted({(c.place.name, c.place.kind) for c in found})


@pytest.mark.parametrize(
    "text,expected",
    [
        # The name after "Town, " is the town's oblast, not a second place.
        ("On 11 March, Russian forces shelled Kreminna, Luhansk.", [("Kreminna", "city")]),
        ("Russian troops shelled Kakhovka, Kherson overnight.", [("Kakhovka", "city")]),
        ("Russian forces shelled Mariupol, Donetsk, from ships.", [("Mariupol", "city")]),
        ("Shelling hit Bucha, Kyiv on Friday.", [("Bucha", "city")]),
        ("Russian forces shelled Irpin (Kyiv) on Friday.", [("Irpin", "city")]),
    ],
)
def test_a_town_followed_by_its_oblast_is_one_place(text, expected, gazetteer):
    assert expected == places(text, gazetteer)


def test_an_unknown_town_followed_by_an_oblast_is_a_report_about_that_oblast(gazetteer):
    # "Qwertivka" is no settlement: the honest place is the oblast, never its capital city.
    assert [("Luhansk Oblast", "oblast")] == places(
        "Russian forces shelled Qwertivka, Luhansk.", gazetteer
    )


def test_a_list_of_cities_keeps_every_city(gazetteer):
    found = places("Russian missiles hit Kharkiv, Donetsk and Mariupol.", gazetteer)
    assert ("Kharkiv", "city") in found
    assert ("Mariupol", "city") in found
    assert ("Donetsk Oblast", "oblast") not in found


def test_a_weekday_before_the_comma_is_no_town(gazetteer):
    assert [("Donetsk", "city")] == places(
        "On Friday, Donetsk was shelled by Ukrainian forces.", gazetteer
    )


def test_an_armed_groups_name_is_no_location(gazetteer):
    assert [("Kalynove", "city")] == places(
        "On 11 March, Ukrainian forces shelled the positions of the Luhansk People's "
        "Militia near Kalynove, Luhansk.",
        gazetteer,
    )
    assert [("Shakhtarsk", "city")] == places(
        "On 8 March, Donetsk rebels shot down a missile over Shakhtarsk, Donetsk.", gazetteer
    )


def test_a_raion_before_the_oblast_name_still_qualifies_it(gazetteer):
    found = places("Russian forces shelled Qwertivskyi rayon, Kherson on Monday.", gazetteer)
    assert [("Kherson Oblast", "oblast")] == found


def test_where_evacuees_arrive_is_no_event_place(gazetteer):
    found = places(
        "On 11 March, Russian forces shelled Berdiansk as children were evacuated from "
        "Berdiansk to Zaporizhzhia.",
        gazetteer,
    )
    assert [("Berdiansk", "city")] == found


def test_a_village_word_between_a_town_and_its_oblast_still_qualifies_it(gazetteer):
    assert [("Borova", "city")] == places(
        "On 11 March, Russian forces shelled a bus near Borova village, Kharkiv.", gazetteer
    )
    found = extract_events(
        Article("b", "On 11 March, Russian forces shelled Borova village, Kharkiv.", DAY),
        gazetteer,
    ).candidates
    assert {"Kharkiv Oblast"} == {c.place.admin1_name for c in found}


def test_a_regions_roll_up_of_a_towns_event_is_not_another_event(gazetteer):
    text = (
        "On 11 March, Russian forces shelled Rubizhne, Luhansk. During the day, 5 civilians "
        "were killed in the Luhansk region."
    )
    assert [("Rubizhne", "city")] == places(text, gazetteer)


def test_a_sea_is_the_place_only_when_nothing_else_is_named(gazetteer):
    assert [("Kherson", "city")] == places(
        "On 11 March, Russian troops shelled Kherson, a port on the Black Sea.", gazetteer
    )
    assert [("Black Sea", "sea")] == places(
        "On 11 March, a missile struck a cargo ship in the Black Sea.", gazetteer
    )


@pytest.mark.parametrize(
    "text",
    [
        "On 11 March, Russian aircraft struck the Belarusian settlement of Kopani.",
        "On 11 March, shelling hit the Luch Design Bureau.",
        "On 11 March, Russia shelled Klimovo, a village in the Bryansk region.",
        "On 11 March, thousands protested in New York against the invasion.",
    ],
)
def test_names_abroad_and_organisations_are_no_ukrainian_places(text, gazetteer):
    assert [] == [p for p in places(text, gazetteer) if p[1] != "oblast"]


def test_a_village_takes_its_namesake_in_the_oblast_of_the_big_town_beside_it(gazetteer):
    found = extract_events(
        Article("s", "On 11 March, a missile hit Stepanivka in the suburbs of Kherson.", DAY),
        gazetteer,
    ).candidates
    assert {"Kherson Oblast"} == {c.place.admin1_name for c in found}


def test_a_capital_that_speaks_is_its_government_not_a_place(gazetteer):
    text = (
        "On 11 March, Kiev has accused Moscow of terrorism after Russian troops took over the "
        "nuclear plant in Enerhodar."
    )
    assert [("Enerhodar", "city")] == places(text, gazetteer)
