"""Why a clause that reads like an event is none: the named checks and their data."""

from __future__ import annotations

from datetime import date

import pytest

from store.extract import extract_events
from store.extract.not_events import BACKGROUND, CHECKS, NAMED
from store.models import Article

BACKGROUND_EXAMPLES = [(b.why, s) for b in BACKGROUND for s in b.examples]
NAMED_EXAMPLES = [s for n in NAMED for s in n.examples]


def test_every_background_rule_carries_an_example_sentence():
    assert [] == [b.why for b in BACKGROUND if not b.examples]


@pytest.mark.parametrize("why,sentence", BACKGROUND_EXAMPLES)
def test_a_background_rule_matches_its_own_example_sentences(why, sentence):
    (rule,) = [b for b in BACKGROUND if b.why == why]
    assert rule.pattern.search(sentence.replace("’", "'")), sentence


@pytest.mark.parametrize("why,sentence", BACKGROUND_EXAMPLES)
def test_a_background_example_yields_no_event(why, sentence, gazetteer):
    article = Article("bg", sentence, date(2022, 4, 10))
    assert [] == extract_events(article, gazetteer).candidates


def test_checks_have_names_a_reader_can_report():
    named = [c.__name__ for c in CHECKS]
    assert ["no_kind", "no_place", "background", "named_happening", "history", "after_publication",
            "national_tally", "running_total", "front_wide"] == named  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Since February 24, Russian troops have shelled 40 schools in the Kharkiv region.",
        "Since the war began, 300 civilians have been killed in Chernihiv.",
        "Russian military killed about 900 civilians in Kyiv region - police",
        "About 200 residents of Hostomel were killed during the occupation and the fighting.",
    ],
)
def test_a_count_since_the_war_began_is_no_event(text, gazetteer):
    assert [] == extract_events(Article("r", text, date(2022, 4, 10)), gazetteer).candidates


def test_a_toll_of_one_fight_is_an_event_though_told_during_the_fighting(gazetteer):
    text = "Two soldiers were killed during fighting near Izium."
    (found,) = extract_events(Article("f", text, date(2022, 4, 10)), gazetteer).candidates
    assert found.killed is not None and found.killed.low == 2


def test_a_fronts_summary_names_no_place_where_it_happened(gazetteer):
    text = "Ukrainian forces continue to repel attacks in the Donetsk and Luhansk directions."
    assert [] == extract_events(Article("f", text, date(2022, 4, 10)), gazetteer).candidates


@pytest.mark.parametrize(
    "text",
    [
        "The Russian army conducts ground attacks in the Kharkiv, Kherson, Sumy and Luhansk areas.",
        "Russian army goes on the offensive in the Kharkiv, Luhansk and Donetsk regions.",
        "Russia continues offensive in Donetsk and Luhansk regions",
    ],
)
def test_a_summary_told_region_by_region_is_no_event_in_any_of_them(text, gazetteer):
    assert [] == extract_events(Article("f", text, date(2022, 4, 10)), gazetteer).candidates


def test_two_regions_shelled_are_still_events_in_each(gazetteer):
    text = "Russian troops shelled the Sumy and Chernihiv regions overnight."
    found = extract_events(Article("f", text, date(2022, 4, 10)), gazetteer).candidates
    assert ["Chernihiv Oblast", "Sumy Oblast"] == sorted(c.place.name for c in found)


def test_history_and_a_date_after_publication_are_no_events(gazetteer):
    published = date(2022, 3, 10)
    history = Article("h", "Russian troops captured Sloviansk in 2014.", published)
    plan = Article("p", "Russian forces will shell Kharkiv on 20 March.", published)
    event = Article("e", "Russian troops shelled Kharkiv on 9 March.", published)
    assert [] == extract_events(history, gazetteer).candidates
    assert [] == extract_events(plan, gazetteer).candidates
    assert ["Kharkiv"] == [c.place.name for c in extract_events(event, gazetteer).candidates]


@pytest.mark.parametrize("sentence", NAMED_EXAMPLES)
def test_a_reaction_to_a_happening_named_as_a_known_story_is_no_event(sentence, gazetteer):
    article = Article("named", sentence, date(2022, 4, 10))
    assert [] == extract_events(article, gazetteer).candidates


def test_a_toll_update_naming_the_known_story_is_still_a_report_of_it(gazetteer):
    text = "The death toll rose to 57 after the Kramatorsk attack, the governor said."
    found = extract_events(Article("toll", text, date(2022, 4, 10)), gazetteer).candidates
    assert [("Kramatorsk", 57)] == [(c.place.name, c.killed and c.killed.low) for c in found]


def test_a_first_since_the_war_began_is_a_happening_not_a_count(gazetteer):
    text = (
        "For the first time since the start of the invasion, Russian troops have shelled Uzhhorod."
    )
    found = extract_events(Article("first", text, date(2022, 4, 10)), gazetteer).candidates
    assert ["Uzhhorod"] == [c.place.name for c in found]


def test_a_headline_over_a_story_that_only_counts_since_the_war_is_no_event(gazetteer):
    text = (
        "Russian troops abduct village heads in Kherson region\n"
        "Since the beginning of the invasion, Russian forces have abducted more than 40 village"
        " heads in the Kherson region. Most of them were released."
    )
    assert [] == extract_events(Article("count", text, date(2022, 4, 10)), gazetteer).candidates


def test_a_headline_with_its_own_figures_over_a_count_is_kept(gazetteer):
    text = (
        "Two civilians killed in Russian shelling of Kherson region\n"
        "Since the start of the invasion, 200 civilians have been killed in the Kherson region."
    )
    found = extract_events(Article("toll", text, date(2022, 4, 10)), gazetteer).candidates
    assert [("Kherson Oblast", 2)] == [(c.place.name, c.killed and c.killed.low) for c in found]


def test_a_headline_over_a_count_elsewhere_is_kept(gazetteer):
    text = (
        "Russian troops abduct village heads in Kherson region\n"
        "Since the beginning of the invasion, Russian forces have abducted more than 40 people"
        " in the Zaporizhzhia region."
    )
    found = extract_events(Article("other", text, date(2022, 4, 10)), gazetteer).candidates
    assert ["Kherson Oblast"] == [c.place.name for c in found]


def test_an_evacuation_convoy_that_comes_under_fire_is_an_event(gazetteer):
    text = "Evacuation buses heading towards Mariupol came under fire near Vasylivka on Tuesday."
    article = Article("bus", text, date(2022, 4, 10))
    assert [] != extract_events(article, gazetteer).candidates
