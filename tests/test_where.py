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


@pytest.mark.parametrize(
    "text,expected",
    [
        # Oster is in Chernihiv Oblast and Syvaske in Kherson Oblast: the writer's oblast is
        # wrong, but it still only qualifies the town; it is no event at Kyiv or Luhansk.
        ("On 4 March, Russian forces attacked near Oster, Kyiv.", [("Oster", "city")]),
        ("On 8 March, locals protested in Syvaske, Luhansk.", [("Syvaske", "city")]),
        # The oblast named by its former capital's name, spelt with g.
        (
            "Russian forces fired missiles near Oleksandriia, Kirovograd.",
            [("Oleksandriia", "city")],
        ),
        # Malyn (25,000 people) is in Zhytomyr Oblast: a town of its size named with another
        # region is the town the writer means, and the region no second place.
        (
            "Three people died when bombs hit Malyn city, Sumy region, on Monday.",
            [("Malyn", "city")],
        ),
    ],
)
def test_a_town_put_in_the_wrong_oblast_is_still_only_the_town(text, expected, gazetteer):
    assert expected == places(text, gazetteer)


def test_a_list_of_a_town_and_cities_keeps_the_cities(gazetteer):
    found = places("Russian missiles hit Oster, Kyiv and Lviv.", gazetteer)
    assert {("Oster", "city"), ("Kyiv", "city"), ("Lviv", "city")} <= set(found)


@pytest.mark.parametrize(
    "text,expected",
    [
        # An organisation or a body of water named after a place is not that place.
        (
            "The deputy commander of the Black Sea Fleet was killed in fighting in Mariupol.",
            [("Mariupol", "city")],
        ),
        (
            "Russian forces fired on a boat on the Kakhovka Reservoir near Marianske village.",
            [("Marianske", "city")],
        ),
        # Where people come from, where a missile was aimed, what a protest supports.
        (
            "Russian forces shelled a column evacuating from Mariupol near Stepnohirsk.",
            [("Stepnohirsk", "city")],
        ),
        (
            "A missile aimed at Kropyvnytskyi was shot down over the Mykolaiv region.",
            [("Mykolaiv Oblast", "oblast")],
        ),
        (
            "Hundreds of people rallied in Varash in support of the residents of Enerhodar.",
            [("Varash", "city")],
        ),
        (
            "Ukrainian forces repelled an attack near Bashtanka, pushing the enemy back to "
            "Novyi Buh.",
            [("Bashtanka", "city")],
        ),
        # Where troops head is no place of the event when another is named.
        (
            "Russian forces seized the Chernobyl plant and advanced on the capital Kyiv.",
            [("Chornobyl", "city")],
        ),
        (
            "Troops shelled Bucha as a convoy was closing in on Kyiv.",
            [("Bucha", "city")],
        ),
        # Where a railway line leads is no place of the fighting.
        (
            "Heavy battles are under way in Irpin, the railway connection with Kyiv is cut.",
            [("Irpin", "city")],
        ),
        # Where the bodies were taken is no place of the strike.
        (
            "The bodies from the bombed theatre in Mariupol were taken to the village Manhush.",
            [("Mariupol", "city")],
        ),
        # A unit named after its town is no place.
        (
            "Soldiers of the Vinnytsia Scythians Motorized Infantry Battalion destroyed a "
            "convoy near Polohy.",
            [("Polohy", "city")],
        ),
        # Where a corridor leads is no place of the fighting.
        (
            "Russian troops attacked in the Donetsk region to hold the land corridor between "
            "these territories and the occupied Crimea.",
            [("Donetsk Oblast", "oblast")],
        ),
        # A front's operational area is the oblast, not the city.
        (
            "Russian troops regroup to attack in the Donetsk operational area and near Izium.",
            [("Donetsk Oblast", "oblast"), ("Izium", "city")],
        ),
        # The administration signing off a report is its source.
        (
            "Occupiers fired at Vasylivka, five are wounded, - Zaporizhia regional military "
            "administration.",
            [("Vasylivka", "city")],
        ),
        # A town placed by a better-known one near it: the town.
        (
            "An enemy mortar strike on the village of Makariv near Kyiv killed seven civilians.",
            [("Makariv", "city")],
        ),
        # A headline in the present tense vouches for a small town as much as the past does.
        ("Russian invaders shell Makariv outside Kyiv, killing 7", [("Makariv", "city")]),
        # A village named with its country abroad is that country's, not our namesake.
        (
            "Russian aircraft launched an air strike on the village of Kopani in Belarus.",
            [("Belarus", "country")],
        ),
        # Where soldiers come from is no place of the event.
        ("Ukrainian troops destroyed a post of the Russian Guard officers from Dagestan.", []),
        # The taking of towers in a town is in that town.
        (
            "Russian troops have taken control of TV towers in the city of Melitopol,"
            " Zaporizhzhia Region.",
            [("Melitopol", "city")],
        ),
        # A regional administration speaking names no place.
        (
            "Luhansk Regional Military Administration: the Russians fired on an evacuation bus"
            " carrying people from Lysychansk",
            [("Lysychansk", "city")],
        ),
        # A unit named after its home town is no place.
        (
            "Lviv paratroopers shot down an enemy missile in the Mykolaiv area.",
            [("Mykolaiv", "city")],
        ),
        # What an operation is for is no place of it.
        (
            "The enemy continues offensive operations in order to establish full control over the"
            " Donetsk and Luhansk regions.",
            [],
        ),
        # A stretch between two towns is coded at the first.
        (
            "Ukrainian and Russian forces clashed between Vasylivka and Polohy on Friday.",
            [("Vasylivka", "city")],
        ),
        # Parts of a city named in a list before the city.
        (
            "Russian artillery hit the Oleksiivka, Pyatykhatky and Saltivka neighbourhoods "
            "in Kharkiv.",
            [("Kharkiv", "city")],
        ),
        # A town before ", X region" spelt its own way is matched within that region.
        (
            "A warehouse with ammunition was blown up in Novomayorsk, Donetsk region.",
            [("Novomaiorske", "city")],
        ),
        (
            "In the temporarily occupied Dniprorudny of the Zaporizhia region, troops seized"
            " the police station.",
            [("Dniprorudne", "city")],
        ),
        (
            "Two girls were killed in enemy shelling of the Ocheretyn community in Donetsk region.",
            [("Ocheretyne", "city")],
        ),
        # Where a side pledged to act is no place of what it did instead.
        ("Russia bombs Ukraine cities, despite pledge to pull back from Kyiv", []),
        # A city's own district, named with the city's possessive, is no raion elsewhere.
        (
            "Russian invaders shelled parking near a shopping mall in Kyiv's Podilskyi District.",
            [("Kyiv", "city")],
        ),
        # The victim's town is where an abduction happened only when nothing else is named.
        (
            "Russian forces abducted the deputy mayor of Tokmak at a checkpoint in Vasylivka.",
            [("Vasylivka", "city")],
        ),
        ("Russian soldiers abducted the mayor of Melitopol on Friday.", [("Melitopol", "city")]),
        # A place compared with is another place's story.
        (
            "Russian troops shelled Izium again, and the situation is worse than in Mariupol.",
            [("Izium", "city")],
        ),
        (
            "As in Bucha, Russian soldiers shot civilians in the streets of Borodianka.",
            [("Borodianka", "city")],
        ),
        # A site's topic line names the story, the rest where this happening was; alone, the
        # topic's place is the place.
        (
            "Offensive on Popasna: Russian shelling destroyed houses in Rubizhne overnight.",
            [("Rubizhne", "city")],
        ),
        ("Shelling of Kharkiv: Russian shells hit a school on Friday.", [("Kharkiv", "city")]),
        # a regional desk's topic line naming only the oblast's name, over unnamed settlements
        (
            "Donetsk: Russian troops fired at 11 settlements over the day.",
            [("Donetsk Oblast", "oblast")],
        ),
        ("Kharkiv: Russian shells hit a school on Friday.", [("Kharkiv", "city")]),
        # the raion after a village says where the village is; no second place
        (
            "Russian troops shelled the village of Yasnohorodka, Fastiv District, on Friday.",
            [("Yasnohorodka", "city")],
        ),
        (
            "Russian troops shelled the village of Sviatopetrivske, Buchanskyi district, Kyiv"
            " region, on Friday.",
            [("Sviatopetrivske", "city")],
        ),
        # who moved and where they went are not where they left from
        (
            "Almost 800 Mariupol residents have left Berdiansk for Zaporizhzhia.",
            [("Berdiansk", "city")],
        ),
        ("Russian troops shelled Mariupol residents in the city centre.", [("Mariupol", "city")]),
        (
            "About 500 Mariupol residents were evacuated to Zaporizhzhia on Saturday.",
            [("Mariupol", "city")],
        ),
        ("Zaporizhzhia welcomes 2,000 more people evacuated from Mariupol", [("Mariupol", "city")]),
        # a town placed by a bigger one beside it
        (
            "Russian soldiers withdrew from Bucha, a city on the outskirts of Kyiv, on Friday.",
            [("Bucha", "city")],
        ),
        (
            "Ukrainian forces liberated the village of Vilkhivka, a few kilometers from Kharkiv.",
            [("Vilkhivka", "city")],
        ),
        (
            "In the suburbs of Kherson, Russian troops shelled the village of Stepanivka.",
            [("Stepanivka", "city")],
        ),
    ],
)
def test_places_named_only_as_reference_are_not_where_it_happened(text, expected, gazetteer):
    assert expected == places(text, gazetteer)


def test_evacuations_from_several_towns_keep_each_town(gazetteer):
    found = places("Civilians were evacuated from Polohy and Vasylivka to Zaporizhzhia.", gazetteer)
    assert [("Polohy", "city"), ("Vasylivka", "city")] == found


def test_the_victims_town_with_its_oblast_is_where_an_abduction_happened(gazetteer):
    text = "On 11 March, Russian servicemen kidnapped the mayor of Balakliia, Kharkiv."
    assert [("Balakliia", "city")] == places(text, gazetteer)


def test_a_port_named_by_its_sea_is_no_place_at_sea(gazetteer):
    assert [] == places("Missiles hit the strategic Black Sea port overnight.", gazetteer)
    assert [("Black Sea", "sea")] == places("A tanker was hit in the Black Sea.", gazetteer)


def test_ukraine_itself_is_no_place_of_an_event(gazetteer):
    assert [] == places("More than 18,000 buildings were destroyed in Ukraine.", gazetteer)


def test_a_list_of_names_followed_by_areas_is_a_list_of_oblasts(gazetteer):
    # (three regions and no town would be a front's summary: not_events.front_wide)
    text = "Russian army conducts ground attack in Kharkiv and Sumy areas"
    expected = [("Kharkiv Oblast", "oblast"), ("Sumy Oblast", "oblast")]
    assert expected == places(text, gazetteer)


def test_a_front_direction_named_for_a_land_is_no_village_of_that_name(gazetteer):
    # "Polissia" is a land (and a few villages): the direction names no settlement, the towns
    # near which the fighting was are the places
    assert [] == places("Ukraine Army repels attack in Polissia direction", gazetteer)
    near = "Russian troops attacked in the Polissia direction, near Liutizh, and were repelled."
    assert [("Liutizh", "city")] == places(near, gazetteer)
    # a direction named for a town is fighting near that town
    assert [("Izium", "city")] == places("Fighting continues in the Izium direction.", gazetteer)


@pytest.mark.parametrize(
    "text",
    [
        "Nine people were killed in an attack on the peacekeeping centre"
        " (Yavoriv military training area) in Lviv region.",
        "Russia launched an air strike on the International Center for Peacekeeping and Security"
        " in Lviv Region.",
        "Missiles hit the Yavoriv military training ground on Sunday.",
    ],
)
def test_the_yavoriv_range_by_any_of_its_names_is_at_yavoriv_not_the_oblast(text, gazetteer):
    assert [("Yavoriv", "city")] == places(text, gazetteer)


def test_a_hromada_named_after_its_village_only_says_where_the_village_is(gazetteer):
    text = (
        "Shells landed on the village of Yavkyne of the Bashtansky community in Mykolaiv region"
        " overnight."
    )
    assert [("Yavkyne", "city")] == places(text, gazetteer)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "In Donetsk and Luhansk, our troops held off assaults near Avdiivka.",
            [("Avdiivka", "city"), ("Luhansk Oblast", "oblast")],
        ),
        (
            "In Luhansk and Donetsk, the enemy shelled Ukrainian positions on Tuesday.",
            [("Donetsk Oblast", "oblast"), ("Luhansk Oblast", "oblast")],
        ),
        (
            "Ukrainian forces shelled the cities of Donetsk and Luhansk on Tuesday.",
            [("Donetsk", "city"), ("Luhansk", "city")],
        ),
    ],
)
def test_the_donbas_pair_named_bare_is_its_two_regions(text, expected, gazetteer):
    assert expected == places(text, gazetteer)
