"""ACLED event and sub-event types, and the target, from the words a sentence uses."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import pytest

from store.extract.taxonomy import (
    BATTLES,
    CIVILIANS,
    PROTESTS,
    REMOTE,
    STRATEGIC,
    classify,
    family,
    find_target,
)


def kind(sentence: str):
    c = classify(sentence)
    return None if c is None else (c.event_type, c.sub_event_type)


def target(sentence: str) -> str:
    c = classify(sentence)
    return find_target(sentence, c.start if c else 0)


SHELLING = (REMOTE, "Shelling/artillery/missile attack")
AIR = (REMOTE, "Air/drone strike")
IED = (REMOTE, "Remote explosive/landmine/IED")
CLASH = (BATTLES, "Armed clash")
TAKEN = (BATTLES, "Non-state actor overtakes territory")
REGAINED = (BATTLES, "Government regains territory")


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        (SHELLING, "Russian forces shelled the city."),
        (SHELLING, "A missile struck the building."),
        (SHELLING, "Grad rockets hit the town."),
        (SHELLING, "Artillery pounded the suburbs."),
        (SHELLING, "A cluster munition hit the square."),
        (SHELLING, "Explosions were heard in Kyiv."),
        (AIR, "Russian aviation disabled the main TV tower in an airstrike."),
        (AIR, "Russian jets bombed the town."),
        (AIR, "A drone strike hit a fuel depot."),
        (SHELLING, "Kyiv was bombarded overnight."),
        (AIR, "An air raid on the town killed five people."),
        (AIR, "Russian troops were launching airstrikes in civilian infrastructure."),
        (IED, "A car hit a landmine near the village."),
        (IED, "An IED exploded by the road."),
        (CLASH, "Heavy fighting continued in the suburbs."),
        (CLASH, "Russian paratroopers have landed in Kharkiv."),
        (CLASH, "The Russian troops have parachuted into Kharkiv."),
        (CLASH, "More Russian air forces landed in the eastern Ukrainian city of Kharkiv."),
        (CLASH, "The Russian troops entered the city and attacked a local hospital."),
        (CLASH, "Ukrainian troops clashed with Russian forces."),
        (TAKEN, "Russian forces captured Kherson."),
        (TAKEN, "Russian troops have occupied govt building in Kharkiv."),
        (TAKEN, "Russian forces have taken control of an administrative building."),
        (TAKEN, "The smaller southern city of Kherson has also fallen to Russian forces."),
        (TAKEN, "Russian forces on Wednesday claimed, they had taken over Ukraine's Kherson."),
        (CLASH, "Russian troops encircled the town."),
        (REGAINED, "Ukrainian forces recaptured the town."),
        (REGAINED, "Ukrainian troops liberated the village."),
        (SHELLING, "Ukrainian air defence shot down a Russian jet."),  # a manned aircraft
        ((STRATEGIC, "Looting/property destruction"), "Soldiers looted shops."),
        ((STRATEGIC, "Looting/property destruction"), "A building was destroyed."),
        ((STRATEGIC, "Agreement"), "The sides agreed to open humanitarian corridors."),
        ((CIVILIANS, "Attack"), "Civilians were shot dead by soldiers."),
        ((CIVILIANS, "Abduction/forced disappearance"), "The mayor was abducted."),
        ((PROTESTS, "Peaceful protest"), "Hundreds protested against the occupation."),
    ],
)
def test_sub_event_types_from_trigger_words(expected, sentence):
    assert expected == kind(sentence)


def test_shot_down_beats_shot():
    assert "Disrupted weapons use" == classify("Air defence shot down a missile.").sub_event_type


def test_airstrike_beats_strike():
    assert AIR == kind("A Russian air strike destroyed a maternity hospital.")


def test_trigger_and_its_offset():
    sentence = "Yesterday Russian forces shelled the city."
    c = classify(sentence)
    assert "shelled" == c.trigger
    assert "shelled" == sentence[c.start : c.start + len(c.trigger)]


# --- what is not an event ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian forces did not hit any residential buildings.",
        "Russia denied that it shelled the hospital.",
        "Officials said there was no shelling overnight.",
        "The city has never been bombed.",
    ],
)
def test_negated_triggers_are_not_events(sentence):
    assert kind(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia may strike Kyiv.",
        "Russia could attack Odesa.",
        "Russian forces will shell the port.",
        "Russia threatened to bomb the city.",
        "Russia is preparing to storm the capital.",
    ],
)
def test_future_and_possible_triggers_are_not_events(sentence):
    assert kind(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Air raid sirens sounded in Kyiv.",
        "The assault began just as air raid sirens were starting to sound.",
        "An air raid alert was declared in Lviv.",
    ],
)
def test_air_raid_sirens_are_not_an_air_strike(sentence):
    assert AIR != kind(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Citizens have been hiding in bomb shelters.",
        "People hid in a bomb shelter overnight.",
    ],
)
def test_bomb_shelters_are_not_a_bombing(sentence):
    assert kind(sentence) is None


def test_back_reference_is_not_a_new_event():
    assert kind("He did not comment on Tuesday's strike.") is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Numerous videos where explosions and bomb blasts are captured by eyewitnesses.",
        "The moment was captured by CCTV cameras.",
        "The blast was captured on video.",
    ],
)
def test_captured_on_camera_is_not_territory_taken(sentence):
    assert TAKEN != kind(sentence)


# --- targets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ("hospital", "A missile hit the hospital."),
        ("hospital", "The Russian troops attacked a regional military hospital."),
        ("hospital", "Shelling hit the maternity hospital."),
        ("administration building", "Russian troops have occupied govt building in Kharkiv."),
        ("administration building", "A missile struck the local government headquarters."),
        ("administration building", "A missile hit the regional administration building."),
        ("administration building", "Forces took control of an administrative building."),
        ("administration building", "Shelling hit the regional state administration."),
        ("administration building", "The city hall was struck."),
        ("TV tower", "Russian aviation disabled the main TV tower in an airstrike."),
        ("TV tower", "The television tower was hit."),
        ("police department", "Shelling destroyed the regional Police Department."),
        ("police department", "A missile hit the police station."),
        ("residential building", "A missile hit a residential building."),
        ("residential building", "The missile strikes a multi-storeyed residential building."),
        ("residential building", "An apartment block was hit."),
        ("school", "A school was shelled."),
        ("school", "A kindergarten was hit."),
        ("civilian infrastructure", "Airstrikes in civilian infrastructure left it without water."),
        ("railway station", "The railway station was shelled."),
        ("", "Russian shelling hit the centre."),
    ],
)
def test_targets(expected, sentence):
    assert expected == target(sentence)


def test_target_after_the_trigger_wins():
    sentence = "Near the school, a missile hit the hospital."
    assert "hospital" == target(sentence)


def test_negated_target_is_skipped():
    sentence = (
        "Russian aviation disabled the main TV tower in an airstrike, but said the attack did"
        " not hit any residential buildings."
    )
    assert "TV tower" == target(sentence)


def test_only_negated_target_gives_none():
    assert "" == find_target("The attack did not hit any residential buildings.")


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        # the airport's area says where, not what was hit
        ("", "Russian missiles hit the city's airport area, the mayor said."),
        ("factory", "Missiles destroyed an aircraft repair facility near the airport."),
        # a residential area is homes
        ("residential building", "Russian troops shelled a residential area of the city."),
        ("airport", "Russian missiles hit the airport of the city."),
    ],
)
def test_a_facility_s_area_is_where_a_strike_hit_not_its_target(expected, sentence):
    assert expected == target(sentence)


# --- families for merging ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sub_event_type"),
    [
        ("strike", "Shelling/artillery/missile attack"),
        ("strike", "Air/drone strike"),
        ("strike", "Looting/property destruction"),
        ("Armed clash", "Armed clash"),
        ("Non-state actor overtakes territory", "Non-state actor overtakes territory"),
    ],
)
def test_family(expected, sub_event_type):
    assert expected == family(sub_event_type)


# --- real leads that broke the rules ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Invaders realize they can't grab Kyiv, intercepts prove.",
        "Soldiers found a Russian ammunition warehouse with almost 100 boxes of shells.",
        "The presidents visited Borodyanka, which has been hit hard by the Russian invasion.",
        "Historians compared Putin to Hitler.",
    ],
)
def test_words_that_only_look_like_triggers_are_no_event(sentence):
    assert None is kind(sentence)


def test_a_trigger_is_a_whole_word():
    # "Fighters" of Azov helped the crew: the shelling, not a fight, is the event.
    sentence = "Fighters of Azov helped the crew after Russian occupiers shelled the port."
    assert (REMOTE, "Shelling/artillery/missile attack") == kind(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukraine's Armed Forces destroyed a Russian missile over the town of Radomyshl.",
        "Air defence intercepted two cruise missiles over Lviv.",
        "The air force intercepts three drones a night.",
    ],
)
def test_missiles_destroyed_or_intercepted_in_the_air_are_disrupted_weapons_use(sentence):
    assert (STRATEGIC, "Disrupted weapons use") == kind(sentence)


def test_a_building_destroyed_by_a_missile_attack_is_the_attack():
    sentence = "The airport in Dnipro was completely destroyed by another Russian missile attack."
    assert (REMOTE, "Shelling/artillery/missile attack") == kind(sentence)


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ("TV tower", "Russian troops have taken control of TV and radio towers in Melitopol."),
        ("fuel depot", "The oil depots in Zhytomyr caught fire after enemy air strikes."),
    ],
)
def test_plural_and_paired_targets(expected, sentence):
    assert expected == target(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Zelenskyy vowed his forces would “fight absolutely to the end” in Mariupol.",
        "The focus of a new offensive by Russian forces will be Rubizhne and Popasna.",
        "Any attempts by Russian forces to seize Kharkiv city will only lead to greater losses.",
    ],
)
def test_vows_plans_and_attempts_from_real_leads_are_not_events(sentence):
    assert None is kind(sentence)


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        (SHELLING, "Ukrainian troops shoot down a Su-34 near Izium."),  # as ACLED codes it
        (
            (CIVILIANS, "Abduction/forced disappearance"),
            "30 thousand residents were forcibly removed by occupants to the territory of"
            " occupied Donbass.",
        ),
    ],
)
def test_more_trigger_forms_from_real_leads(expected, sentence):
    assert expected == kind(sentence)


def test_a_risk_of_strikes_is_not_a_strike():
    assert None is kind("Russia may try to avenge Moskva: high risk of missile strikes on Odesa.")


def test_cannot_is_a_negation():
    assert None is kind("The Russian invaders understand that they cannot seize Kyiv.")


def test_fired_at_a_town_is_shelling():
    sentence = "Russian troops again fired at the town of Rubizhne, killing at least one person."
    assert (REMOTE, "Shelling/artillery/missile attack") == kind(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukraine says Russia is preparing eastern assault, attack on Kharkiv.",
        "Putin orders to prepare terrorist attack at Chornobyl NPP.",
    ],
)
def test_preparations_are_not_events(sentence):
    assert None is kind(sentence)


def test_the_occupied_crimea_is_where_missiles_came_from_not_a_capture():
    sentence = "Russia has launched three missile strikes from the occupied Crimea on Odesa region."
    assert (REMOTE, "Shelling/artillery/missile attack") == kind(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The National Police seized more than 3,000 explosive objects in Irpin.",
        "Russia claims its forces seize “OSCE archive” in Mariupol.",
        "The occupiers are placing Grad launchers at recreation centers in Kyrylivka.",
        "Putin has ordered the preparation of a terrorist attack at Chornobyl NPP.",
    ],
)
def test_seizing_things_placing_weapons_and_preparing_attacks_are_not_events(sentence):
    assert None is kind(sentence)


def test_seizing_a_town_is_still_taking_territory():
    assert (BATTLES, "Non-state actor overtakes territory") == kind(
        "Russian forces seized the town of Bucha on Tuesday."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The Russian army failed to capture the towns of Luhansk region.",
        "Lithuanian MPs arrived in Kyiv to demonstrate their support for Ukraine.",
        "Russia plans terrorist attacks in its own territory.",
    ],
)
def test_failures_shows_of_support_and_plans_are_not_events(sentence):
    assert None is kind(sentence)


# --- the rule tables (store/extract/data/taxonomy.toml) classify their own examples ----------

from store.extract.taxonomy import KINDS, TARGETS, taxonomy  # noqa: E402

KIND_EXAMPLES = [(k.name, s) for k in KINDS for s in k.examples]
KIND_COUNTER_EXAMPLES = [(k.name, s) for k in KINDS for s in k.not_examples]
TARGET_EXAMPLES = [(t.name, s) for t in TARGETS for s in t.examples]
TARGET_COUNTER_EXAMPLES = [(t.name, s) for t in TARGETS for s in t.not_examples]


def test_every_kind_and_target_rule_carries_an_example_sentence():
    assert [] == [k.name for k in KINDS if not k.examples]
    assert [] == [t.name for t in TARGETS if not t.examples]


@pytest.mark.parametrize("sub_type,sentence", KIND_EXAMPLES)
def test_a_kind_rule_reads_its_own_example_sentences_as_its_kind(sub_type, sentence):
    found = classify(sentence)
    assert found is not None, sentence
    assert sub_type == found.sub_event_type


@pytest.mark.parametrize("sub_type,sentence", KIND_COUNTER_EXAMPLES)
def test_a_kind_rule_does_not_read_its_counter_examples_as_its_kind(sub_type, sentence):
    found = classify(sentence)
    assert found is None or sub_type != found.sub_event_type, sentence


@pytest.mark.parametrize("name,sentence", TARGET_EXAMPLES)
def test_a_target_rule_finds_its_target_in_its_example_sentences(name, sentence):
    assert name == target(sentence)


@pytest.mark.parametrize("name,sentence", TARGET_COUNTER_EXAMPLES)
def test_a_target_rule_does_not_find_its_target_in_its_counter_examples(name, sentence):
    assert name != target(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        *taxonomy()["cues"]["negation"]["examples"],
        *taxonomy()["cues"]["irrealis"]["examples"],
        *taxonomy()["cues"]["cause"]["examples"],
        *taxonomy()["cues"]["concession"]["examples"],
    ],
)
def test_a_negated_planned_or_answered_trigger_is_no_event(sentence):
    assert None is classify(sentence)


def test_plain_words_match_word_forms_the_star_allows_and_no_others():
    # "recaptur*" in the data: recaptured and recapturing, but not the word "capture".
    assert REGAINED == kind("Ukrainian forces recaptured the village.")
    assert REGAINED == kind("Ukrainian forces are recapturing villages.")
    assert REGAINED != kind("Russian troops attempted a capture of the town.")


def test_a_story_that_says_there_was_no_fighting_makes_a_capture_a_non_violent_transfer(
    gazetteer,
):
    from datetime import date

    from store.extract import extract_events
    from store.extract.taxonomy import taxonomy as tables
    from store.models import Article

    (said,) = tables()["cues"]["no_fighting"]["examples"]
    found = extract_events(Article("t", said, date(2022, 3, 31)), gazetteer).candidates
    assert {"Non-violent transfer of territory"} == {c.sub_event_type for c in found}
    (withdrew,) = tables()["cues"]["no_fighting"]["not_examples"]
    found = extract_events(Article("w", withdrew, date(2022, 4, 2)), gazetteer).candidates
    assert {"Government regains territory"} == {c.sub_event_type for c in found}


def test_a_protest_and_the_shots_fired_at_it_are_one_protest_with_intervention(gazetteer):
    from datetime import date

    from store.extract import extract_events
    from store.models import Article

    text = "Hundreds protested in Kherson on Sunday. Russian soldiers fired shots in the air."
    found = extract_events(Article("p", text, date(2022, 3, 6)), gazetteer).candidates
    assert {"Protest with intervention"} == {c.sub_event_type for c in found}


def test_an_attack_told_beside_a_strike_on_the_same_place_and_day_is_that_strike(gazetteer):
    from datetime import date

    from store.extract import extract_events
    from store.models import Article

    text = (
        "Russian troops attack Pyriatyn\n\n"
        "Russian troops fired three missiles at a fuel depot in Pyriatyn last night."
    )
    found = extract_events(Article("p", text, date(2022, 4, 9)), gazetteer).candidates
    assert {"Shelling/artillery/missile attack"} == {c.sub_event_type for c in found}


def test_an_unfought_attack_that_hit_houses_is_shelling_and_a_fought_one_a_clash(gazetteer):
    from datetime import date

    from store.extract import extract_events
    from store.models import Article

    houses = "On Saturday Russian forces launched attacks on Pyriatyn, damaging 25 houses."
    positions = "On Saturday Russian forces attacked Ukrainian positions near Pyriatyn."
    kinds = [
        {
            c.sub_event_type
            for c in extract_events(Article("p", t, date(2022, 4, 24)), gazetteer).candidates
        }
        for t in (houses, positions)
    ]
    assert [{"Shelling/artillery/missile attack"}, {"Armed clash"}] == kinds


def test_a_helicopter_destroyed_is_the_shoot_down_told_beside_it():
    shelling = "Shelling/artillery/missile attack"
    destroyed = "The air defense unit destroyed an enemy helicopter K-52 from a portable system."
    assert family(shelling, destroyed) == family(
        shelling, "The Guard shot down an enemy helicopter"
    )
    assert family(shelling, "Shells destroyed two houses.") == "strike"


def test_a_trigger_made_an_adjective_of_the_place_is_no_event_of_the_day():
    assert classify("Mayor of Russian-bombed Okhtyrka saves city during day") is None
    assert classify("Russia-backed separatists shelled Avdiivka") is not None


def test_an_attack_aircraft_destroyed_is_a_shoot_down_and_not_the_days_strike():
    sentence = "Another enemy attack aircraft destroyed over Kharkiv"
    assert SHELLING[1] == classify(sentence).sub_event_type
    assert family(SHELLING[1], sentence) == "aircraft down"
    unmanned = classify("An enemy unmanned aircraft destroyed over Odesa")
    assert "Disrupted weapons use" == unmanned.sub_event_type


def test_a_person_killed_by_the_invaders_is_an_attack_on_civilians():
    killed = classify("The filmmaker Mantas Kvedaravicius was killed by Russian invaders.")
    assert (CIVILIANS, "Attack") == (killed.event_type, killed.sub_event_type)
    taken = classify("Abducted and executed: a film director dies at the hands of the occupiers")
    assert "Attack" == taken.sub_event_type


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("Over 1000 civilians were evacuated from the town.", "Other"),
        (
            "A civilian car exploded after running over a mine near the village.",
            "Remote explosive/landmine/IED",
        ),
    ],
)
def test_over_a_number_or_over_a_mine_is_no_cause_of_a_statement(sentence, expected):
    assert expected == kind(sentence)[1]


@pytest.mark.parametrize("sentence", taxonomy()["cues"]["equipment_lost"]["examples"])
def test_weapons_told_as_the_enemy_s_losses_are_no_shelling(sentence):
    assert "Shelling/artillery/missile attack" not in (kind(sentence) or ())


def test_mortars_fired_are_still_shelling():
    assert "Shelling/artillery/missile attack" == kind("Russian forces fired mortars at Zolote.")[1]
