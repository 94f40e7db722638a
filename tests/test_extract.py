"""Text and publication date in, candidate events out: the seed articles' acceptance list."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

from datetime import date

import pytest
from conftest import SEED_PUBLISHED, SEEDS

from store.extract import extract_events
from store.extract.rules import MIN_CONFIDENCE
from store.extract.taxonomy import family
from store.models import Article, Candidate

A000, A001, A002, A003 = sorted(SEED_PUBLISHED)
TUE, WED, THU = date(2022, 3, 1), date(2022, 3, 2), date(2022, 3, 3)


def seed_text(article_id: str) -> str:
    return (SEEDS / f"{article_id}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_candidates(gazetteer) -> dict[str, list[Candidate]]:
    """Each seed article's candidates, extracted once for this module."""
    found = {}
    for article_id, published in SEED_PUBLISHED.items():
        article = Article(id=article_id, text=seed_text(article_id), published=published)
        found[article_id] = extract_events(article, gazetteer).candidates
    return found


def matching(
    candidates: list[Candidate],
    place: str,
    day: date | None = None,
    sub_event_type: str | None = None,
    target: str | None = None,
) -> list[Candidate]:
    return [
        c
        for c in candidates
        if c.place.name == place
        and (day is None or c.date.value == day)
        and (
            sub_event_type is None
            or c.sub_event_type == sub_event_type
            or (sub_event_type == "strike" and family(c.sub_event_type) == "strike")
        )
        and (target is None or c.target == target)
    ]


def extract(text: str, gazetteer, published: date | None = THU, article_id: str = "t"):
    return extract_events(Article(id=article_id, text=text, published=published), gazetteer)


# --- acceptance ----------------------------------------------------------------------------


@pytest.mark.parametrize("article_id", [A002, A003])
def test_kharkiv_tuesday_missile_strike_on_administration_building(seed_candidates, article_id):
    found = matching(
        seed_candidates[article_id], "Kharkiv", TUE, "strike", "administration building"
    )
    assert found, [(c.date, c.sub_event_type, c.target) for c in seed_candidates[article_id]]


@pytest.mark.parametrize("article_id", [A002, A003])
def test_kharkiv_wednesday_paratroopers_landed(seed_candidates, article_id):
    found = matching(seed_candidates[article_id], "Kharkiv", WED, "Armed clash")
    assert [c for c in found if "landed" in c.sentence]


@pytest.mark.parametrize("article_id", [A002, A003])
def test_attack_on_a_hospital(seed_candidates, article_id):
    found = matching(seed_candidates[article_id], "Kharkiv", WED, target="hospital")
    assert found
    assert all(c.event_type in ("Battles", "Explosions/Remote violence") for c in found)


@pytest.mark.parametrize(
    ("article_id", "killed", "injured"),
    [
        (A002, (21, 21, "exact"), (100, 100, "exact")),
        (A003, (21, None, "at_least"), (112, 112, "exact")),
    ],
)
def test_kharkiv_shelling_toll(seed_candidates, article_id, killed, injured):
    tolls = [
        c
        for c in matching(seed_candidates[article_id], "Kharkiv", WED, "strike")
        if c.killed is not None
    ]
    assert 1 == len(tolls)
    toll = tolls[0]
    assert killed == (toll.killed.low, toll.killed.high, toll.killed.qualifier)
    assert injured == (toll.injured.low, toll.injured.high, toll.injured.qualifier)


def test_toll_from_misspelt_kharliv_is_kharkiv(seed_candidates):
    toll = [c for c in seed_candidates[A002] if c.killed is not None]
    assert ["Kharkiv"] == [c.place.name for c in toll]
    assert "Kharliv" in toll[0].sentence


def test_toll_in_003_is_sourced_to_the_governor(seed_candidates):
    toll = [c for c in seed_candidates[A003] if c.killed is not None and c.date.value == WED]
    assert "regional governor Oleg Synegubov" == toll[0].claimed_by


def test_kharkiv_thursday_administrative_building_taken(seed_candidates):
    found = matching(
        seed_candidates[A001],
        "Kharkiv",
        THU,
        "Non-state actor overtakes territory",
        "administration building",
    )
    assert found
    assert any("Laguta" in c.sentence for c in found)


@pytest.mark.parametrize("article_id", [A001, A002, A003])
def test_kherson_captured_on_wednesday(seed_candidates, article_id):
    assert matching(
        seed_candidates[article_id], "Kherson", WED, "Non-state actor overtakes territory"
    )


@pytest.mark.parametrize("article_id", [A001, A002])
def test_kherson_capture_is_a_russian_claim(seed_candidates, article_id):
    found = matching(
        seed_candidates[article_id], "Kherson", WED, "Non-state actor overtakes territory"
    )
    assert all(c.is_claim for c in found)
    assert all(c.claimed_by for c in found)


def test_mariupol_airstrikes_on_civilian_infrastructure(seed_candidates):
    found = matching(
        seed_candidates[A001], "Mariupol", THU, "Air/drone strike", "civilian infrastructure"
    )
    assert found
    assert "Mairupol" in found[0].sentence


def test_kyiv_tv_tower_strike_claimed_by_russia(seed_candidates):
    found = matching(seed_candidates[A002], "Kyiv", TUE, "strike", "TV tower")
    assert found
    assert all(c.is_claim for c in found)
    assert all("Defense Ministry" in c.claimed_by for c in found)


def test_kyiv_tv_tower_is_not_dated_by_the_claim(seed_candidates):
    assert [] == matching(seed_candidates[A002], "Kyiv", WED, target="TV tower")


# --- the traps -----------------------------------------------------------------------------


@pytest.mark.parametrize("article_id", [A000, A001])
def test_on_thursday_in_a_thursday_article_is_never_february_24(seed_candidates, article_id):
    assert [] == [c for c in seed_candidates[article_id] if c.date.value == date(2022, 2, 24)]


@pytest.mark.parametrize("article_id", list(SEED_PUBLISHED))
def test_no_event_after_publication(seed_candidates, article_id):
    published = SEED_PUBLISHED[article_id]
    assert [] == [
        c for c in seed_candidates[article_id] if c.date.value and c.date.value > published
    ]


def test_kharkiv_thursday_offensive_in_000(seed_candidates):
    first_sentence = [c for c in seed_candidates[A000] if c.start == 0]
    assert first_sentence
    assert {("Kharkiv", THU)} == {(c.place.name, c.date.value) for c in first_sentence}


def test_kherson_in_the_title_only_creates_no_kherson_event(seed_candidates):
    first_line_end = seed_text(A001).index("\n")
    first_line = [c for c in seed_candidates[A001] if c.start < first_line_end]
    assert first_line
    assert ["Kharkiv"] == sorted({c.place.name for c in first_line})


def test_kherson_governor_names_no_kherson_event_in_laguta_sentence(seed_candidates):
    laguta = [c for c in seed_candidates[A001] if "Laguta said" in c.sentence]
    assert laguta
    assert {"Kharkiv"} == {c.place.name for c in laguta}


def test_related_story_block_produces_nothing(seed_candidates):
    related_start = seed_text(A001).index("\n-\n")
    assert [] == [c for c in seed_candidates[A001] if c.start > related_start]


def test_no_event_from_related_teasers_of_001(seed_candidates):
    # The teasers speak of Kyiv and Kharkiv; nothing in them may become an event.
    sentences = {c.sentence for c in seed_candidates[A001]}
    assert not any("wives, daughters" in s or "2,870" in s for s in sentences)


def test_military_tally_creates_no_event(seed_candidates):
    assert [] == [c for c in seed_candidates[A000] if "498" in c.sentence]


def test_background_sentence_creates_no_event(seed_candidates):
    assert [] == [c for c in seed_candidates[A000] if "not the first time" in c.sentence]


@pytest.mark.parametrize("article_id", [A002, A003])
def test_war_crime_remarks_are_no_event(seed_candidates, article_id):
    # Zelenskyy calling the shelling "a war crime" comments on events told elsewhere.
    shown = [c for c in seed_candidates[article_id] if c.confidence >= MIN_CONFIDENCE]
    assert [] == [c.sentence for c in shown if "war crime" in c.sentence]


def test_pundits_speculation_is_not_shown(seed_candidates):
    shown = [c for c in seed_candidates[A003] if c.confidence >= MIN_CONFIDENCE]
    assert [] == [c.sentence for c in shown if "speculated" in c.sentence]


def test_no_event_from_bomb_shelters(seed_candidates):
    assert [] == [c for c in seed_candidates[A002] if "bomb shelters" in c.sentence]


def test_no_event_in_russia_or_belarus_from_the_seeds(seed_candidates):
    for candidates in seed_candidates.values():
        assert [] == [c for c in candidates if c.place.country in ("RU", "BY")]


@pytest.mark.parametrize("article_id", list(SEED_PUBLISHED))
def test_candidate_offsets_point_at_the_sentence(seed_candidates, article_id):
    text = seed_text(article_id)
    for c in seed_candidates[article_id]:
        assert c.sentence == text[c.start : c.end]
        assert c.article_id == article_id


@pytest.mark.parametrize("article_id", list(SEED_PUBLISHED))
def test_confidence_in_range(seed_candidates, article_id):
    assert all(0.0 <= c.confidence <= 1.0 for c in seed_candidates[article_id])


# --- small articles ------------------------------------------------------------------------


def test_unknown_publication_warns(gazetteer):
    result = extract(
        "Russian missiles struck Kharkiv on Tuesday, killing 5 people.", gazetteer, None
    )
    assert 1 == len(result.warnings)
    assert "t" in result.warnings[0]


def test_unknown_publication_gives_unknown_weekday_dates(gazetteer):
    result = extract(
        "Russian missiles struck Kharkiv on Tuesday, killing 5 people.", gazetteer, None
    )
    assert result.candidates
    for c in result.candidates:
        assert (None, "unknown") == (c.date.value, c.date.precision)


def test_unknown_publication_seed_has_no_invented_dates(gazetteer):
    result = extract(seed_text(A000), gazetteer, None, A000)
    assert result.warnings
    assert result.candidates
    assert all(c.date.value is None for c in result.candidates)


def test_known_publication_gives_no_warning(gazetteer):
    assert [] == extract("Russian missiles struck Kharkiv on Tuesday.", gazetteer).warnings


def test_related_block_in_a_small_article_produces_nothing(gazetteer):
    text = (
        "Russian missiles struck Kharkiv on Tuesday.\n"
        "-\n"
        "Russian missiles struck Odesa on Monday\n"
        "A missile hit Lviv on Monday.\n"
    )
    assert ["Kharkiv"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_boilerplate_produces_nothing(gazetteer):
    text = "Russian missiles struck Kharkiv on Tuesday.\nAlso Read | Missiles hit Odesa on Monday\n"
    assert ["Kharkiv"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_date_carries_to_the_next_sentence(gazetteer):
    text = "On Tuesday, a missile struck Kharkiv. Another strike hit Kharkiv's centre later."
    days = [c.date.value for c in extract(text, gazetteer).candidates]
    assert [TUE, TUE] == days


def test_based_place_is_not_where_it_happened(gazetteer):
    text = "A Kyiv-based analyst said Russian forces shelled Kharkiv on Tuesday."
    assert ["Kharkiv"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_small_village_after_locative_is_an_event_place(gazetteer):
    text = "Russian forces shelled the village of Moshchun on Tuesday."
    assert ["Moshchun"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_cyrillic_and_latin_names_give_the_same_place(gazetteer):
    latin = extract("Russian shelling hit Kyiv on Tuesday.", gazetteer).candidates
    cyrillic = extract("Russian shelling hit Київ on Tuesday.", gazetteer).candidates
    assert [c.place.id for c in latin] == [c.place.id for c in cyrillic]


def test_negated_strike_is_no_event(gazetteer):
    assert [] == extract("Russian forces did not hit Kharkiv on Tuesday.", gazetteer).candidates


def test_future_strike_is_no_event(gazetteer):
    assert [] == extract("Russia may strike Odesa on Friday.", gazetteer).candidates


def test_air_raid_sirens_are_no_event(gazetteer):
    assert [] == extract("Air raid sirens sounded in Lviv on Tuesday.", gazetteer).candidates


def test_extract_is_pure(gazetteer):
    text = seed_text(A003)
    first = extract(text, gazetteer, WED, A003).candidates
    second = extract(text, gazetteer, WED, A003).candidates
    assert first == second


def test_each_place_takes_the_kind_of_event_told_in_its_own_part_of_the_clause(gazetteer):
    text = "Russian troops shelled Chernihiv overnight, air strikes hit Nizhyn, officials said."
    kinds = {c.place.name: c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {
        "Chernihiv": "Shelling/artillery/missile attack",
        "Nizhyn": "Air/drone strike",
    } == kinds


def _killed(candidates: list[Candidate]) -> dict[str, int | None]:
    return {c.place.name: c.killed.low if c.killed else None for c in candidates}


def test_a_toll_given_for_two_places_together_is_given_to_neither(gazetteer):
    # Real Ukrinform lead: two killed across both oblasts, not two in each.
    text = (
        "The Russian military shelled 21 settlements in Donetsk and Luhansk regions over the"
        " past 24 hours, killing two people and injuring three more, including a child."
    )
    candidates = extract(text, gazetteer).candidates
    assert {"Donetsk Oblast": None, "Luhansk Oblast": None} == _killed(candidates)
    assert [None, None] == [c.injured for c in candidates]


def test_each_place_keeps_the_toll_of_its_own_part_of_the_clause(gazetteer):
    text = (
        "Russian air strikes on Wednesday killed two people in Sumy,"
        " and shelling killed four in Okhtyrka."
    )
    assert {"Sumy": 2, "Okhtyrka": 4} == _killed(extract(text, gazetteer).candidates)


def test_a_toll_of_a_list_of_towns_is_no_town_s_own(gazetteer):
    text = "Last night, Russian forces killed two civilians in Rubizhne and Sievierodonetsk."
    assert {"Rubizhne": None, "Sievierodonetsk": None} == _killed(
        extract(text, gazetteer).candidates
    )


def test_districts_named_in_a_pair_are_parts_of_the_city(gazetteer):
    text = (
        "Russian troops damaged a shopping center, private homes and a high-rise building in the"
        " Sviatoshynsky and Shevchenkivsky districts in Kyiv, injuring four people."
    )
    candidates = extract(text, gazetteer).candidates
    assert ["Kyiv"] == [c.place.name for c in candidates]
    assert 4 == candidates[0].injured.low


@pytest.mark.parametrize(
    ("oblast", "text"),
    [
        # The best-known Zolochiv is in Lviv Oblast; this one is where the headline says.
        (
            "Kharkiv Oblast",
            "Russian helicopters fire on Zolochiv community in Kharkiv Region\n\n"
            "Russian troops have fired on the Zolochiv community from helicopters, leaving two"
            " children wounded.",
        ),
        (
            "Donetsk Oblast",
            "Seven people were injured in a rocket attack on the village of Cherkaske in the"
            " Donetsk region.",
        ),
    ],
)
def test_a_town_is_its_namesake_in_the_oblast_the_text_names(gazetteer, oblast, text):
    candidates = extract(text, gazetteer).candidates
    assert candidates
    assert {oblast} == {c.place.admin1_name for c in candidates}


def test_a_place_in_the_name_of_a_source_is_not_where_it_happened(gazetteer):
    text = "Mariupol besieged but Ukrainians fighting for it – Donetsk Regional Administration"
    assert ["Mariupol"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_a_funeral_is_not_an_event(gazetteer):
    text = "In Brody in Lviv region they buried three pilots who died in Kyiv region."
    assert [] == extract(text, gazetteer).candidates


def test_a_village_in_a_region_abroad_is_not_its_ukrainian_namesake(gazetteer):
    text = "Russia opened fire on the village of Klimovo, Bryansk Region, on Friday."
    assert "UA" not in {c.place.country for c in extract(text, gazetteer).candidates}


def test_a_region_abroad_beats_a_ukrainian_village_of_the_same_name(gazetteer):
    text = "Russian forces tortured civilians in camps in Chechnya, the report said."
    assert [("Chechnya", "RU")] == [
        (c.place.name, c.place.country) for c in extract(text, gazetteer).candidates
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The speaker will visit the Kyiv region that was liberated from the Russian occupiers.",
        "Over three weeks since the Kharkiv administration was shelled, rescuers found 24 bodies.",
    ],
)
def test_background_from_real_leads_is_no_event(gazetteer, text):
    assert [] == [c for c in extract(text, gazetteer).candidates if c.confidence >= MIN_CONFIDENCE]


def test_a_toll_since_the_invasion_began_is_background(gazetteer):
    text = (
        "Since the beginning of Russia's large-scale invasion of Ukraine, 65 civilians have been"
        " killed in the aggressor's attacks on Kyiv."
    )
    assert [] == extract(text, gazetteer).candidates


def test_missiles_fired_from_the_occupied_crimea_hit_where_they_land(gazetteer):
    text = "Russia has launched three missile strikes from the occupied Crimea in the Odesa region."
    assert ["Odesa Oblast"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_the_city_an_army_advanced_on_is_not_where_it_was_defeated(gazetteer):
    text = (
        "In Chernihiv region, the Ukrainian military defeated the enemy forces that were"
        " advancing on Kyiv city."
    )
    assert ["Chernihiv Oblast"] == [c.place.name for c in extract(text, gazetteer).candidates]


def test_a_toll_later_in_the_paragraph_joins_the_event_it_follows(gazetteer):
    text = (
        "On 5 March, Russian forces clashed with Ukrainian forces outside Mykolaiv. "
        "The regional governor reported that the enemy lost a lot of equipment. "
        "Ukrainian units also destroyed several trucks. "
        "About 70 Russian soldiers were killed and 300 wounded."
    )
    found = extract_events(Article("t", text, date(2022, 3, 6)), gazetteer).candidates
    tolls = [(c.place.name, c.killed.low) for c in found if c.killed is not None]
    assert [("Mykolaiv", 70)] == tolls


def test_a_but_clause_about_other_towns_does_not_take_the_first_clauses_kind(gazetteer):
    text = (
        "Ukrainian troops recaptured Irpin, but neighbouring towns - Vorzel, Bucha, "
        "Hostomel - are now under enemy control."
    )
    found = extract_events(Article("t", text, date(2022, 3, 31)), gazetteer).candidates
    regained = {c.place.name for c in found if c.sub_event_type == "Government regains territory"}
    assert {"Irpin"} == regained


def test_but_with_the_same_subject_stays_one_clause(gazetteer):
    text = (
        "On 26 February, Russian marines attempted a landing near Kobleve, Mykolaiv, "
        "but were repelled by Ukrainian forces."
    )
    found = extract_events(Article("t", text, date(2022, 2, 27)), gazetteer).candidates
    assert {"Kobleve"} == {c.place.name for c in found}


def test_a_relative_clause_on_what_a_place_went_through_leaves_the_main_event_its_kind(gazetteer):
    text = (
        "Civilians leave the steel plant\n\n"
        "Twenty civilians have been evacuated from the steel plant in Mariupol, which has been "
        "destroyed by Russian shelling."
    )
    kinds = {c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {"Other"} == kinds


def test_a_sentence_that_argues_about_an_event_is_a_weaker_summary_of_it(gazetteer):
    told = extract("Russian troops shelled Kharkiv on Tuesday.", gazetteer).candidates
    argued = extract(
        "The mayor says the world must punish those who shelled Kharkiv on Tuesday.", gazetteer
    ).candidates
    assert told and argued
    assert argued[0].confidence < told[0].confidence


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Russia's airstrike on Malyn kills five people\n"
            "Five people were killed in Russian bombardment of Malyn on Tuesday.\n",
            "Air/drone strike",
        ),
        (
            "Russian military disperse rally in Berdiansk\n"
            "Hundreds of locals went to a pro-Ukrainian rally in Berdiansk on Tuesday.\n",
            "Protest with intervention",
        ),
    ],
)
def test_a_headline_keeps_its_kind_when_it_says_more_than_its_lead(text, kind, gazetteer):
    headline = extract(text, gazetteer).candidates[0]
    assert (0, kind) == (headline.start, headline.sub_event_type)


@pytest.mark.parametrize(
    ("side", "kind"),
    [
        ("Ukrainian", "Government regains territory"),
        ("Russian", "Non-state actor overtakes territory"),
    ],
)
def test_who_takes_control_of_a_town_decides_whose_gain_it_is(side, kind, gazetteer):
    text = f"{side} troops took control of Enerhodar on Tuesday, the mayor said.\n"
    (candidate,) = extract(text, gazetteer).candidates
    assert kind == candidate.sub_event_type


def test_a_headline_town_that_only_places_the_leads_village_is_the_leads_event(gazetteer):
    text = (
        "Russian invaders shell airport near Vinnytsia\n"
        "Enemy missiles hit a military facility near the village of Havryshivka, not far from"
        " Vinnytsia, on Tuesday.\n"
    )
    assert ["Havryshivka"] == [c.place.name for c in extract(text, gazetteer).candidates]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "In the Mykolaiv region, 25 people were wounded as a result of Russian attacks on"
            " Tuesday.\n",
            "Shelling/artillery/missile attack",
        ),
        (
            "Russian soldiers opened fire on two civilians near Ivankiv on Tuesday. One of the"
            " civilians was killed in the attack.\n",
            "Attack",
        ),
    ],
)
def test_an_attack_no_one_fought_is_the_strike_or_shooting_it_did(text, kind, gazetteer):
    assert {kind} == {c.sub_event_type for c in extract(text, gazetteer).candidates}


def test_a_town_regained_told_by_the_side_that_regained_it_is_its_claim(gazetteer):
    told = extract("Bucha liberated from Russian invaders, - mayor.", gazetteer).candidates
    assert [("Government regains territory", True)] == [
        (c.sub_event_type, c.is_claim) for c in told
    ]
    plain = extract("Ukrainian forces liberated Bucha from Russian invaders.", gazetteer).candidates
    assert ["Government regains territory"] == [c.sub_event_type for c in plain]


def test_a_figure_told_as_more_of_an_earlier_one_is_no_figure_of_its_own(gazetteer):
    text = (
        "Eleven civilians sustained injuries as Russian forces shelled Kramatorsk on Tuesday."
        " Another two injured were reported on Wednesday morning."
    )
    injured = [c.injured.low for c in extract(text, gazetteer).candidates if c.injured]
    assert [11] == injured


def test_more_after_a_figure_of_the_other_kind_is_the_rest_of_this_toll_not_an_addition(
    gazetteer,
):
    text = (
        "At least 1 killed, 14 injured in shelling of Okhtyrka\n"
        "As a result of the shelling of Okhtyrka, 1 person was killed and 14 more were injured.\n"
    )
    injured = {c.injured.low for c in extract(text, gazetteer).candidates if c.injured}
    assert {14} == injured
    assert 2 == len(extract(text, gazetteer).candidates)


def test_a_trailing_which_clause_gives_the_toll_of_the_clause_before(gazetteer):
    text = (
        "A Tochka-U missile attack against the railway station in Kramatorsk on Friday, which"
        " killed more than 50 people, was carried out by the Russian military."
    )
    told = {
        (c.sub_event_type, c.killed.low if c.killed else None)
        for c in extract(text, gazetteer).candidates
    }
    assert ("Shelling/artillery/missile attack", 50) in told
    assert all(kind == "Shelling/artillery/missile attack" for kind, _ in told)


def test_an_event_told_in_part_of_a_digest_sentence_keeps_only_that_part(gazetteer):
    text = (
        "Russian missiles hit an aircraft repair plant near Lviv airport on Friday;"
        " the two presidents discuss the war."
    )
    told = [c.sentence for c in extract(text, gazetteer).candidates]
    assert ["Russian missiles hit an aircraft repair plant near Lviv airport on Friday"] == told


def test_a_missile_the_headline_says_was_shot_down_is_the_lead_s_missile_fired(gazetteer):
    text = (
        "Ukrainian forces shoot down Iskander missile near Kramatorsk\n\n"
        "Russian troops this morning fired a missile from the Iskander system towards"
        " Kramatorsk, the interior ministry said."
    )
    kinds = {c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {"Disrupted weapons use"} == kinds


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a rubric naming the war at a place, and a headline that tells nothing
        ("Battle for Donbas: War in Donetsk region (29.03.22 21:48)\n", []),
        ("Fight for Mariupol: Wounded defenders are being operated on in a basement.\n", []),
        # the headline after the rubric tells its own happening
        ("Battle for Kyiv: Russian troops shelled Irpin overnight.\n", ["Irpin"]),
        # a rubric naming the war's crimes, and a threat or a visit after it
        (
            "Murders in Bucha: A Russian soldier promises to continue killing Ukrainians"
            " (05.04.22 17:30)\n",
            [],
        ),
        ("Crimes of the occupiers in Irpin: The prosecutor visited Irpin.\n", []),
        ("Russian war crimes: In Mariupol, a soldier shot a girl in the face.\n", ["Mariupol"]),
    ],
)
def test_a_site_s_rubric_naming_the_war_at_a_place_is_no_battle_told(text, places, gazetteer):
    assert places == [c.place.name for c in extract(text, gazetteer).candidates]


def test_a_thing_hit_in_a_region_is_in_the_headline_s_town_of_that_region(gazetteer):
    text = (
        "World reacts to deadly Kramatorsk attack\n"
        "Ukraine says the bombing of the train station in the eastern Donetsk region killed at"
        " least 52 people.\n"
    )
    assert {("Kramatorsk", "railway station")} == {
        (c.place.name, c.target) for c in extract(text, gazetteer).candidates
    }


def test_a_headline_s_abduction_is_the_happening_its_lead_s_torture_tells(gazetteer):
    text = (
        "Invaders abduct secretary of Nova Kakhovka Town Council\n"
        "For two days the troops have been holding the secretary of the Nova Kakhovka Town"
        " Council in a basement. He is being subjected to torture.\n"
    )
    kinds = {c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {"Abduction/forced disappearance"} == kinds


def test_a_second_place_s_own_happening_after_and_in_the_village_of_keeps_its_own_toll(gazetteer):
    text = (
        "In the village of Velyka Dymerka, Kyiv Region, Russian soldiers used artillery to kill"
        " 11 civilians, and in the village of Bohdanivka, a local resident died of shrapnel"
        " wounds."
    )
    tolls = {
        (c.place.name, c.killed.low if c.killed else None)
        for c in extract(text, gazetteer).candidates
    }
    assert {("Velyka Dymerka", 11), ("Bohdanivka", 1)} == tolls


def test_fire_on_a_rally_in_the_headline_is_what_the_lead_s_explosions_were(gazetteer):
    text = (
        "Soldiers fire on anti-war rally participants in Enerhodar\n"
        "Loud blasts rang out across Enerhodar on Tuesday.\n"
    )
    kinds = {c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {"Excessive force against protesters"} == kinds


def test_a_toll_told_after_a_targeted_strike_and_its_attack_shares_the_strike_s_target(gazetteer):
    text = (
        "On Tuesday night the occupiers fired at an infrastructure facility in Myrhorod, in the"
        " Poltava region. Officials said two people were injured in the attack.\n"
    )
    found = extract(text, gazetteer).candidates
    assert {("civilian infrastructure", "Shelling/artillery/missile attack")} == {
        (c.target, c.sub_event_type) for c in found
    }
    assert [2] == [c.injured.low for c in found if c.injured]


def test_a_headline_s_missile_shot_down_is_not_the_lead_s_shells_that_fell_into_the_sea(gazetteer):
    text = (
        "Air defence shoots down a cruise missile over Odesa\n"
        "On Tuesday, warships fired artillery shells at Odesa, but the shells fell short into"
        " the water. Air defence units also shot down a missile over the city.\n"
    )
    kinds = {(c.sentence[:8], c.sub_event_type) for c in extract(text, gazetteer).candidates}
    assert ("On Tuesd", "Shelling/artillery/missile attack") in kinds
    assert ("Air defe", "Disrupted weapons use") in kinds


def test_what_an_evacuated_town_is_going_through_is_its_state_not_the_event(gazetteer):
    text = "On Tuesday, 150 people were evacuated from Avdiivka, which is still being shelled."
    kinds = {c.sub_event_type for c in extract(text, gazetteer).candidates}
    assert {"Other"} == kinds
