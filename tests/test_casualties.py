"""Killed and injured figures exactly as a sentence gives them, never more."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from store.extract import casualties
from store.extract.casualties import find_casualties


def killed(sentence: str):
    count = find_casualties(sentence).killed
    return None if count is None else (count.low, count.high, count.qualifier)


def injured(sentence: str):
    count = find_casualties(sentence).injured
    return None if count is None else (count.low, count.high, count.qualifier)


# --- numbers as digits and words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((21, 21, "exact"), "21 people were killed."),
        ((2, 2, "exact"), "2 people killed in the strike."),
        ((1597, 1597, "exact"), "1,597 people were killed."),
        ((3, 3, "exact"), "Three people were killed."),
        ((5, 5, "exact"), "Five soldiers died."),
        ((12, 12, "exact"), "Twelve civilians were killed."),
        ((21, 21, "exact"), "twenty one civilians were killed."),
        ((21, 21, "exact"), "twenty-one people were killed."),
        ((33, 33, "exact"), "Thirty-three people were killed."),
        ((1, 1, "exact"), "One person was killed."),
        ((9, 9, "exact"), "The death toll rose to 9."),
        ((2, 2, "exact"), "Two people burned to death in their car after the shelling."),
        ((3, 3, "exact"), "Three residents were burnt alive in the basement."),
        (
            (1, 1, "exact"),
            "One of the pregnant women injured in the air strike on the hospital died.",
        ),
        ((8, 8, "exact"), "The number of killed people in the Podilskyi district grew to eight."),
        ((1, 1, "exact"), "Rescuers found the body of a victim in a residential building."),
    ],
)
def test_killed_numbers(expected, sentence):
    assert expected == killed(sentence)


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((1597, 1597, "exact"), "1,597 injured"),
        ((112, 112, "exact"), "112 people were wounded."),
        ((12, 12, "exact"), "A dozen people were injured."),
        ((16, 16, "exact"), "The missile killed two people, injuring 16."),
        ((12, 12, "exact"), "The number of injured rose to 12 by the evening."),
        ((4, 4, "exact"), "A shell hit the house, leaving four family members wounded."),
        ((11, 11, "exact"), "Eleven civilians, including four children, sustained injuries."),
        ((2, 2, "exact"), "Two soldiers received shrapnel wounds."),
    ],
)
def test_injured_numbers(expected, sentence):
    assert expected == injured(sentence)


# --- qualifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((21, None, "at_least"), "At least 21 people have been killed."),
        ((30, None, "at_least"), "More than 30 civilians were killed."),
        ((40, None, "at_least"), "Over 40 people were killed."),
        ((33, None, "at_least"), "Air strikes hit the town, killing at least 33 people."),
        ((10, 10, "approximate"), "About 10 people were killed."),
        ((10, 10, "approximate"), "Around 10 people were killed."),
        ((20, 20, "approximate"), "Nearly 20 people were killed."),
        ((None, 50, "up_to"), "Up to 50 people were killed."),
    ],
)
def test_qualifiers(expected, sentence):
    assert expected == killed(sentence)


def test_nearly_injured_is_approximate():
    assert (3700, 3700, "approximate") == injured("Nearly 3,700 were injured.")


# --- ranges and vague amounts --------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "10-15 people were killed.",
        "10–15 people were killed.",
        "10 to 15 people were killed.",
        "Between 10 and 15 people were killed.",
    ],
)
def test_ranges(sentence):
    assert (10, 15) == killed(sentence)[:2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Dozens were wounded.",
        "At least 17 people were killed in Kharkiv on Tuesday, and dozens were wounded.",
        "At least 9 were killed and dozens wounded.",
    ],
)
def test_dozens_is_vague_with_no_number(sentence):
    assert (None, None, "vague") == injured(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["Dozens of people were killed.", "Hundreds of civilians were killed."],
)
def test_vague_of_people_killed_is_vague(sentence):
    assert (None, None, "vague") == killed(sentence)


def test_dozens_of_civilian_killings_is_vague():
    sentence = "The city saw dozens of civilian killings in bombings on Tuesday."
    assert (None, None, "vague") == killed(sentence)


# --- killed and injured together -----------------------------------------------------------


@pytest.mark.parametrize(
    ("expected_killed", "expected_injured", "sentence"),
    [
        (
            (21, 21, "exact"),
            (100, 100, "exact"),
            "The Russian shelling of Kharliv killed 21 people and left 100 injured so far.",
        ),
        (
            (21, None, "at_least"),
            (112, 112, "exact"),
            "At least 21 people have been killed and 112 wounded in shelling in the eastern"
            " Ukrainian city of Kharkiv in the last 24 hours.",
        ),
        (
            (33, None, "at_least"),
            (18, 18, "exact"),
            "Air strikes hit Chernihiv, killing at least 33 people and injuring 18.",
        ),
        ((2, 2, "exact"), (3, 3, "exact"), "2 killed and 3 wounded."),
        ((10, None, "at_least"), (20, 20, "exact"), "At least 10 killed, 20 injured."),
    ],
)
def test_killed_and_injured(expected_killed, expected_injured, sentence):
    assert expected_killed == killed(sentence)
    assert expected_injured == injured(sentence)


def test_left_injured_is_not_killed():
    assert (21, 21, "exact") == killed("The shelling killed 21 people and left 100 injured.")


def test_words_keep_the_phrase():
    count = find_casualties("At least 21 people have been killed.").killed
    assert "At least 21 people have been killed" == count.words


# --- never invented ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The attack did not kill anyone.",
        "None were killed.",
        "A missile hit the building.",
        "A 40-mile convoy is advancing.",
        "The video was shot from over 100 metres.",
        "Russia has lost around 9,000 of its personnel.",
    ],
)
def test_no_invented_number(sentence):
    result = find_casualties(sentence)
    assert (None, None) == (result.killed, result.injured)


@pytest.mark.parametrize(
    "sentence",
    [
        # Real RUWA lead: the "9" of "March 9" read as nine dead.
        "A woman injured in the airstrike in Mariupol on March 9 died along with her child.",
        "The hospital hit on 9 March was destroyed; the strike killed 9 March residents' hopes.",
    ],
)
def test_the_day_of_a_date_is_never_a_death_toll(sentence):
    assert None is killed(sentence)


def test_a_figure_right_after_a_date_still_counts_when_it_names_who():
    assert (5, 5, "exact") == killed("On 9 March 5 people died in Kharkiv.")


@pytest.mark.parametrize(
    "sentence",
    [
        "no one was killed.",
        "No one was killed in the attack.",
        "Nobody was killed.",
        "No civilians were killed.",
        "No casualties were reported.",
        "There were no casualties.",
        "The missile hit the plant, with no casualties.",
    ],
)
def test_explicit_no_deaths_is_zero_killed_not_one(sentence):
    # "No one" is a figure the text gives; "one" inside it must never become a death.
    assert (0, 0) == (find_casualties(sentence).killed.low, find_casualties(sentence).killed.high)


# --- victims and tallies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ("civilians", "More than 30 civilians were killed."),
        ("soldiers", "Five soldiers died."),
        ("", "21 people were killed."),
    ],
)
def test_victims(expected, sentence):
    assert expected == find_casualties(sentence).victims


TALLY = (
    "The Russian Defence Ministry said that 498 of its servicemen have been killed and 1,597"
    " injured so far amid the ongoing war."
)


def test_running_tally_is_flagged():
    assert find_casualties(TALLY).tally is True


def test_running_tally_keeps_its_figures():
    result = find_casualties(TALLY)
    assert (498, 498, "exact") == killed(TALLY)
    assert (1597, 1597, "exact") == injured(TALLY)
    assert "servicemen" == result.victims


@pytest.mark.parametrize(
    "sentence",
    [
        "Over 2,870 Ukrainian troops were killed since the start of its military campaign.",
        "A total of 450 soldiers have been killed.",
    ],
)
def test_other_military_tallies_are_flagged(sentence):
    assert find_casualties(sentence).tally is True


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 21 people have been killed and 112 wounded in the last 24 hours.",
        "The shelling of Kharkiv killed 21 people and left 100 injured so far.",
    ],
)
def test_a_city_toll_is_not_a_military_tally(sentence):
    assert find_casualties(sentence).tally is False


def test_an_age_aside_does_not_hide_the_toll():
    assert (2, 2, "exact") == killed("Two girls, aged 5 and 14, were killed in enemy shelling.")


def test_victims_are_who_the_figure_is_about_not_who_attacked():
    sentence = "Russian troops damaged a shopping center in Kyiv, injuring four people."
    assert "troops" != find_casualties(sentence).victims
    assert "servicemen" == find_casualties("A bomb hit Kharkiv, killing four servicemen.").victims


@pytest.mark.parametrize(
    "sentence,killed,injured",
    [
        ("The aircraft crashed and the pilot died.", 1, None),
        ("A civilian woman died and two children were wounded.", 1, 2),
        ("One person was killed, another was injured.", 1, 1),
        ("At least 3 civilians including a small child died.", 3, None),
        ("Seven civilians, including three children, were injured.", None, 7),
        ("Shelling killed four Ukrainian soldiers and one civilian.", 5, None),
        ("Russian soldiers executed a civilian man in the village.", 1, None),
        ("Three Ukrainian border guards were killed.", 3, None),
        ("One mine employee died and 2 were wounded.", 1, 2),
        ("Ukrainian forces eliminated 50 soldiers of the attacking unit.", 50, None),
        ("Azov fighters eliminated six units of enemy equipment in the city.", None, None),
        ("Ivan Petrenko, a local police officer, was shot dead by a sniper in the town.", 1, None),
        ("The Mariupol Drama Theatre was destroyed by a Russian bomb.", None, None),
        ("An airstrike on a dormitory killed three children and their parents.", 5, None),
        ("A family of five people were killed when a shell hit their house.", 5, None),
        (
            "A family, both parents and their 3-year-old child, has been killed in shelling.",
            3,
            None,
        ),
        ("In the battle, film and dubbing actor Pavlo Lee (Pasha Lee) was killed.", 1, None),
        # civilians and soldiers of one toll, joined by "and" or by a headline's comma
        ("Russians shelled the town, killing 14 civilians and 9 Ukrainian defenders.", 23, None),
        ("14 civilians, 9 troops killed by shelling in the town", 23, None),
        ("Five civilians, three of them children, were killed in the town.", 5, None),
        ("Seven people, two children among them, were killed.", 7, None),
        # "murdered", and the town's name before its residents
        ("Over 300 Hostomel residents murdered by Russian troops", 300, None),
        ("Russian soldiers murdered 20 civilians in the village.", 20, None),
        # a side's losses listed, the soldiers first
        ("41 Russian servicemen, 3 tanks, 2 Grad launchers eliminated in the region", 41, None),
        # one victim after a headline's comma
        ("Houses damaged, woman injured in Russian airstrikes on the town", None, 1),
        ("As a result of the shelling, 1 person was killed and 14 more were injured.", 1, 14),
    ],
)
def test_the_whole_toll_of_a_sentence_as_acled_counts_it(sentence, killed, injured):
    found = find_casualties(sentence)
    assert killed == (found.killed.low if found.killed else None)
    assert injured == (found.injured.low if found.injured else None)


def test_a_soldier_who_killed_three_is_no_toll_of_one():
    found = find_casualties("A Russian soldier killed three civilians.")
    assert found.killed is not None and 3 == found.killed.low


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        # Any plural noun before a passive "were killed" or "died" counts: only people die.
        ((3, 3, "exact"), "Three educators died, two people were wounded."),
        ((5, 5, "exact"), "As a result, all five family members were killed."),
        ((2, 2, "exact"), "Two employees of the postal service were killed."),
        ((4, 4, "exact"), "4 civilians were reported killed and 15 injured."),
        # "the" + one victim after the verb
        ((1, 1, "exact"), "Ukrainian air defence shot down a jet, killing the pilot."),
        ((1, 1, "exact"), "The passenger was killed, the driver wounded."),
    ],
)
def test_victims_of_any_name_are_counted(expected, sentence):
    assert expected == killed(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Two missiles killed civilians in the city.",  # active: the missiles are no victims
        "Since 2014 separatists were killed in the fighting, officials said.",  # a year
        "Two Russian tanks were destroyed.",
    ],
)
def test_things_and_years_are_no_victims(sentence):
    assert None is killed(sentence)


def test_more_victims_of_a_toll_told_elsewhere_are_no_toll():
    assert None is killed("The toll has risen - two more children have died in hospital.")
    # the object of a second verb still counts
    assert (3, 3, "exact") == injured("The strike killed two people and injured three more.")


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((4, 4, "exact"), "Two people were killed and four more were injured in the shelling."),
        ((1, 1, "exact"), "The convoy was hit, leaving one woman killed and one more wounded."),
        ((8, 8, "exact"), "Six people died and eight more, including a child, were injured."),
    ],
)
def test_more_after_a_figure_of_the_other_kind_is_the_rest_of_the_toll(expected, sentence):
    assert expected == injured(sentence)


def test_more_of_the_same_kind_is_still_a_rise_not_the_toll():
    assert None is killed("Two people were injured; the toll has risen as two more died.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Troops fired on homes in the town, injuring a 12-year-old child.",
        "The shell hit the yard, wounding a local resident.",
    ],
)
def test_injuring_one_person_is_one_injured(sentence):
    assert (1, 1, "exact") == injured(sentence)


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((12, 12, "exact"), "Investigators documented the killing of 12 civilians in the village."),
        ((5, None, "at_least"), "Police confirmed the deaths of at least five people."),
    ],
)
def test_killing_of_a_number_of_people_is_a_toll(expected, sentence):
    assert expected == killed(sentence)


def test_a_second_group_named_with_a_is_one_more_victim():
    assert (3, 3, "exact") == killed("A tank crushed a civilian car, killing two men and a boy.")
    assert (2, 2, "exact") == killed("The strike killed two people and a dog.")


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        ((4, 4, "exact"), "Three Ukrainian soldiers and one civilian were killed in the strike."),
        ((11, 11, "exact"), "Ten adults and one child were killed in the strike."),
        ((1, 1, "exact"), "The navigator of the downed aircraft died, the pilot was captured."),
        ((1, 1, "exact"), "A chaplain of the village church was killed."),
        ((3, None, "at_least"), "There were at least three fatalities, including two children."),
    ],
)
def test_groups_a_victim_of_something_and_fatalities_are_tolls(expected, sentence):
    assert expected == killed(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Veteran Fox News cameraman Pierre Zakrzewski has died after his vehicle came under fire.",
        "Major Yuri Timus died, evacuating wounded soldiers from the city.",
        "Volunteer Maksym Levin was killed near the village.",
        "Army veteran Petro Savchuk from Kozachi Laheri died from torture by Russian forces.",
        "A veteran of the war in Donbas from the village of Pravdyne, Kherson region, Ivan"
        " Moroz, died from the torture of Russian invaders.",
    ],
)
def test_a_person_named_after_what_they_were_is_one_killed(sentence):
    killed = find_casualties(sentence).killed
    assert killed is not None and (killed.low, killed.high) == (1, 1)


def test_a_name_with_no_death_is_no_toll():
    assert find_casualties("Mayor Ivan Fedorov was abducted by Russian soldiers.").killed is None


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        # people in a list of what was destroyed: a claim of enemy dead
        (
            (40, 40, "approximate"),
            "The defenders destroyed an entire company of tanks, six armored fighting vehicles"
            " and about 40 invaders.",
        ),
        ((150, 150, "exact"), "Defenders destroyed 150 occupiers near the town."),
    ],
)
def test_invaders_destroyed_are_killed(expected, sentence):
    assert expected == killed(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ukrainian forces destroyed 12 tanks and 3 helicopters.",
        "The strike destroyed two buildings.",
    ],
)
def test_things_destroyed_are_no_toll(sentence):
    assert find_casualties(sentence).killed is None


@pytest.mark.parametrize(
    "sentence",
    [
        "NYT journalist shot dead by Russian military in Irpin",
        "Pregnant woman, injured in airstrike on maternity hospital in Mariupol, dies",
        "Woman dies in shelling of Kharkiv",
        "In Irpin, the Russian occupiers shot dead a New York Times correspondent.",
    ],
)
def test_a_headlines_one_victim_with_no_article_is_one_killed(sentence):
    assert (1, 1, "exact") == killed(sentence)


def test_a_town_that_dies_slowly_is_no_victim():
    assert find_casualties("Chernihiv mayor says city dies slowly").killed is None


def _texts_with_figures() -> list[str]:
    """Sentences of the gold file, the seeds and this file's own cases: real text with tolls."""
    root = Path(__file__).parent
    gold = [json.loads(line)["text"] for line in (root / "gold" / "sentences.jsonl").open()]
    seeds = [p.read_text(encoding="utf-8") for p in sorted((root.parent / "seeds").glob("*.txt"))]
    own = re.findall(r'"([^"\n]{12,})"', Path(__file__).read_text(encoding="utf-8"))
    return [line for text in gold + seeds + own for line in text.splitlines() if line.strip()]


def test_every_figure_pattern_is_run_on_each_text_it_matches():
    # Each pattern runs only where one of its words is (casualties._PATTERNS): a word list that
    # missed a way the pattern matches would drop that toll without a trace.
    texts = _texts_with_figures()
    matched = 0
    for pattern, words in casualties._PATTERNS:
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert casualties.may_contain(casualties.ascii_lower(text), words), (
                    pattern.pattern[:60],
                    text,
                )
    assert matched > 100  # the texts exercise the patterns
