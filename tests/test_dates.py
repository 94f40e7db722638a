"""Dates in news text, resolved against the article's publication day (the weekday trap)."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

from datetime import date

import pytest

from store.extract import dates, extract_events
from store.extract.dates import (
    UNKNOWN,
    back_reference,
    date_of_sentence,
    find_date_phrases,
    latest_weekday,
    normalise_date_phrase,
    publication_in_text,
    publication_phrase_date,
    resolve_phrase,
)
from store.models import Article, ResolvedDate

THU = date(2022, 3, 3)  # Thursday, the eighth day of the invasion
WED = date(2022, 3, 2)


def when(sentence: str, published: date | None = THU) -> ResolvedDate:
    value, _, _ = date_of_sentence(sentence, published, publication_phrase_date(published))
    return value


# --- weekdays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        (date(2022, 2, 28), "Shelling hit the city on Monday."),
        (date(2022, 3, 1), "Shelling hit the city on Tuesday."),
        (date(2022, 3, 2), "Shelling hit the city on Wednesday."),
        (date(2022, 3, 3), "Shelling hit the city on Thursday."),
        (date(2022, 2, 25), "Shelling hit the city on Friday."),
        (date(2022, 2, 26), "Shelling hit the city on Saturday."),
        (date(2022, 2, 27), "Shelling hit the city on Sunday."),
    ],
)
def test_weekday_is_latest_such_day_on_or_before_publication(expected, sentence):
    assert expected == when(sentence, THU).value


def test_weekday_same_as_publication_day_is_publication_day():
    assert date(2022, 3, 3) == when("The offensive intensified on Thursday.", THU).value


def test_weekday_same_as_publication_day_is_never_a_week_earlier():
    assert date(2022, 2, 24) != when("The offensive intensified on Thursday.", THU).value


def test_tuesday_in_a_thursday_article_is_two_days_before():
    assert date(2022, 3, 1) == when("A missile struck the building on Tuesday.", THU).value


def test_weekday_has_day_precision():
    assert when("A missile struck the building on Tuesday.", THU).precision == "day"


@pytest.mark.parametrize(
    ("expected", "weekday", "published"),
    [
        (date(2022, 3, 3), "thursday", THU),
        (date(2022, 3, 1), "Tuesday", THU),
        (date(2022, 2, 25), "friday", THU),
        (date(2022, 3, 2), "wednesday", WED),
        (date(2022, 2, 24), "thursday", WED),
    ],
)
def test_latest_weekday(expected, weekday, published):
    assert expected == latest_weekday(weekday, published)


@pytest.mark.parametrize(
    ("expected", "sentence", "published"),
    [
        (date(2022, 3, 1), "On Tuesday night a missile struck near the family home.", THU),
        (date(2022, 3, 1), "On Tuesday night a missile struck near the family home.", WED),
        (date(2022, 3, 1), "The town was shelled Tuesday morning.", WED),
        (date(2022, 3, 1), "The town was shelled early Tuesday.", THU),
        (date(2022, 3, 2), "The town was shelled Wednesday evening.", THU),
    ],
)
def test_weekday_with_part_of_day(expected, sentence, published):
    assert expected == when(sentence, published).value


# --- relative words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        (date(2022, 3, 2), "Russian forces shelled the town yesterday."),
        (date(2022, 3, 2), "Explosions were heard last night."),
        (date(2022, 3, 2), "Rescuers have been working at the site since last evening."),
        (date(2022, 3, 3), "Explosions were heard overnight."),
        (date(2022, 3, 3), "21 people were killed in the last 24 hours."),
        (date(2022, 3, 3), "21 people were killed in the past 24 hours."),
        (date(2022, 3, 3), "The city was shelled today."),
        (date(2022, 3, 3), "The city was shelled this morning."),
        (date(2022, 3, 1), "The city was shelled two days ago."),
    ],
)
def test_relative_day_words(expected, sentence):
    assert expected == when(sentence, THU).value


@pytest.mark.parametrize(
    "sentence",
    [
        "Russian forces shelled the town yesterday.",
        "Explosions were heard overnight.",
        "21 people were killed in the last 24 hours.",
    ],
)
def test_relative_day_words_have_day_precision(sentence):
    assert when(sentence, THU).precision == "day"


@pytest.mark.parametrize(
    "sentence", ["Earlier, the town was shelled.", "Last week it was shelled."]
)
def test_vague_time_words_are_approximate(sentence):
    result = when(sentence, THU)
    assert result.precision == "approximate"
    assert result.value == THU


def test_a_day_before_a_dated_event_is_the_previous_day():
    in_force = ResolvedDate(date(2022, 3, 2), "day", "Wednesday")
    value, _, _ = date_of_sentence("This came a day after the strike.", THU, in_force)
    assert ResolvedDate(date(2022, 3, 1), "day", "a day after") == value


def test_a_day_before_the_publication_day_is_approximate():
    value, _, _ = date_of_sentence(
        "This came a day after the strike.", WED, publication_phrase_date(WED)
    )
    assert (date(2022, 3, 1), "approximate") == (value.value, value.precision)


def test_sentence_without_date_inherits_date_in_force():
    in_force = ResolvedDate(date(2022, 3, 1), "day", "Tuesday")
    value, report_only, sets_clock = date_of_sentence(
        "Another missile hit the city.", THU, in_force
    )
    assert in_force == value
    assert (report_only, sets_clock) == (False, False)


def test_article_start_date_in_force_is_publication_day_approximately():
    assert ResolvedDate(THU, "approximate", "published") == publication_phrase_date(THU)


def test_article_start_without_publication_is_unknown():
    assert publication_phrase_date(None).precision == "unknown"
    assert publication_phrase_date(None).value is None


# --- explicit dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        (date(2022, 3, 2), "The city was shelled on March 2."),
        (date(2022, 3, 2), "The city was shelled on Mar 2."),
        (date(2022, 3, 2), "The city was shelled on 2 March 2022."),
        (date(2022, 3, 2), "The city was shelled on March 2, 2022."),
        (date(2022, 3, 2), "The city was shelled on 2nd March."),
        (date(2022, 3, 2), "The city was shelled on the 2nd of March."),
        (date(2022, 3, 3), "The city was shelled on March 3rd."),
        (date(2022, 3, 2), "The city was shelled on 02.03.2022."),
        (date(2022, 3, 2), "The city was shelled on 2022-03-02."),
    ],
)
def test_explicit_dates(expected, sentence):
    assert expected == when(sentence, THU).value


def test_dotted_date_is_day_first():
    assert date(2022, 4, 3) == when("Shelled on 03.04.2022.", date(2022, 4, 10)).value


def test_dotted_date_with_two_digit_year():
    assert date(2022, 3, 2) == when("Shelled on 02.03.22.", THU).value


def test_a_wire_posting_stamp_is_not_the_day_of_the_event():
    # Censor.NET leads open with when the item was posted: "25.04.22 22:28 - ...".
    result = when("25.04.22 22:28 - Offensive from the Crimea.", date(2022, 4, 25))
    assert (date(2022, 4, 25), "approximate") == (result.value, result.precision)


@pytest.mark.parametrize(
    "sentence", ["On March 2 the city was shelled.", "Shelled on 2022-03-02.", "On 2 March 2022."]
)
def test_explicit_dates_have_day_precision(sentence):
    assert when(sentence, THU).precision == "day"


@pytest.mark.parametrize(
    ("expected", "sentence"),
    [
        # Within half a year ahead a date stays in the year: it is a plan ("concerts on May 9"),
        # which extraction then keeps out of events; further ahead it is last year's.
        (date(2022, 3, 10), "The city was shelled on March 10."),
        (date(2021, 12, 25), "The city was shelled on December 25."),
        (date(2022, 5, 2), "The city was shelled on May 2."),
        (date(2022, 3, 3), "The city was shelled on March 3."),
    ],
)
def test_month_day_after_publication_is_a_plan_unless_half_a_year_ahead(expected, sentence):
    assert expected == when(sentence, THU).value


def test_explicit_year_is_kept_even_after_publication():
    assert date(2022, 3, 10) == when("Talks are due on March 10, 2022.", THU).value


def test_impossible_dotted_date_is_unknown():
    assert UNKNOWN.precision == when("Shelled on 31.02.2022.", THU).precision
    assert when("Shelled on 31.02.2022.", THU).value is None


# --- which phrase names the event ----------------------------------------------------------


def test_said_on_wednesday_that_on_tuesday_takes_tuesday():
    sentence = "The governor said on Wednesday that a missile hit the city on Tuesday."
    value, report_only, _ = date_of_sentence(sentence, THU, publication_phrase_date(THU))
    assert date(2022, 3, 1) == value.value
    assert report_only is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia's Defense Ministry claimed Wednesday that its aviation disabled the TV tower.",
        "The governor said on Wednesday that five people died.",
        "Russian forces on Wednesday claimed, they had taken over Kherson.",
    ],
)
def test_report_only_date_is_flagged(sentence):
    _, report_only, sets_clock = date_of_sentence(sentence, THU, publication_phrase_date(THU))
    assert report_only is True
    assert sets_clock is False


def test_report_only_date_still_gives_the_reporting_day():
    sentence = "The governor said on Wednesday that five people died."
    value, _, _ = date_of_sentence(sentence, THU, publication_phrase_date(THU))
    assert date(2022, 3, 2) == value.value


def test_event_date_sets_the_clock():
    sentence = "A missile hit the city on Tuesday."
    _, report_only, sets_clock = date_of_sentence(sentence, THU, publication_phrase_date(THU))
    assert (report_only, sets_clock) == (False, True)


@pytest.mark.parametrize(
    ("expected", "sentence", "published"),
    [
        (date(2022, 3, 1), "He did not address deaths from Tuesday's strike.", WED),
        (date(2022, 3, 1), "He did not address deaths from Tuesday's missile strike.", THU),
        (date(2022, 3, 2), "Yesterday's attack destroyed the school.", THU),
    ],
)
def test_back_reference(expected, sentence, published):
    result = back_reference(sentence, published)
    assert result is not None
    assert expected == result.value


@pytest.mark.parametrize(
    ("sentence", "published"),
    [
        ("He did not address Tuesday's news.", WED),
        ("Nothing about a strike here.", WED),
        ("He did not address deaths from Tuesday's strike.", None),
    ],
)
def test_no_back_reference(sentence, published):
    assert back_reference(sentence, published) is None


# --- unknown publication date --------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A missile hit the city on Tuesday.",
        "The city was shelled yesterday.",
        "The city was shelled on March 2.",
        "21 people were killed in the last 24 hours.",
    ],
)
def test_unknown_publication_gives_unknown_relative_dates(sentence):
    result = when(sentence, None)
    assert (result.value, result.precision) == (None, "unknown")


def test_unknown_publication_keeps_full_explicit_date():
    assert ResolvedDate(date(2022, 3, 2), "day", "March 2, 2022") == resolve_phrase(
        "explicit", "March 2, 2022", None, UNKNOWN
    )


def test_unknown_publication_weekday_is_unknown_precision():
    assert resolve_phrase("weekday", "Tuesday", None, UNKNOWN).precision == "unknown"


# --- publication date written in the text --------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (date(2022, 3, 2), "date 2022-03-02 KYIV: The Ukraine military says ..."),
        (date(2022, 3, 2), " date 2022-03-02 KYIV: leading space"),
        (date(2022, 4, 24), "24.04.22 23:17 - Kyiv was shelled overnight."),
        (date(2022, 3, 2), "Kyiv was shelled on March 2, 2022, officials said."),
        (date(2022, 3, 2), "Kyiv was shelled on 2 March 2022, officials said."),
        (date(2022, 3, 5), "Published 2022-03-05. The city was shelled."),
    ],
)
def test_publication_in_text(expected, text):
    assert expected == publication_in_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv was shelled on Tuesday.",
        "Kyiv was shelled on March 2, officials said.",
        "No date here at all.",
        "",
    ],
)
def test_no_publication_in_text(text):
    assert publication_in_text(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "date 2022-02-30 KYIV: Shelling hit Kharkiv.",
        "date 2022-19-01 KYIV: Shelling hit Kharkiv.",
        "31.02.22 23:17 - Shelling hit Kharkiv.",
        "01.13.22 23:17 - Shelling hit Kharkiv.",
    ],
)
def test_impossible_publication_date_in_text_is_none_not_an_error(text):
    assert publication_in_text(text) is None


# --- finding phrases ourselves, dateparser only to normalise -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "A",
        "May",
        "Russia may strike Kyiv.",
        "The troops may advance on the capital.",
        "I saw a cat in the city.",
        "Russian forces march on the city.",
        "The second session of peace talks.",
        "Around 08.00 local time.",
        "A 40-mile convoy.",
    ],
)
def test_no_date_phrase_in_text_without_dates(text):
    assert find_date_phrases(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Russian columns march 20 kilometres a day towards Kyiv.",
        "Real losses may 10 times exceed the official figures.",
    ],
)
def test_lowercase_month_word_used_as_verb_is_not_a_date(text):
    # News capitalises month names; "march"/"may" before a number here are verbs.
    assert () == find_date_phrases(text)


@pytest.mark.parametrize(
    ("expected", "text"),
    [
        (["weekday"], "on Tuesday"),
        (["weekday"], "Tuesday night"),
        (["explicit"], "on 2 March"),
        (["iso"], "2022-03-02"),
        (["dotted"], "02.03.2022"),
        (["yesterday"], "yesterday"),
        (["today"], "in the last 24 hours"),
        (["weekday", "explicit"], "on Thursday, March 3"),
    ],
)
def test_find_date_phrase_kinds(expected, text):
    assert expected == [kind for kind, *_ in find_date_phrases(text)]


def test_find_date_phrases_gives_spans_into_text():
    text = "The governor said on Wednesday that a missile hit the city on Tuesday."
    for _, phrase, start, end in find_date_phrases(text):
        assert phrase == text[start:end]


class _Spy:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.real = dates._PARSER.get_date_data

    def __call__(self, text, *args, **kwargs):
        self.calls.append(text)
        return self.real(text, *args, **kwargs)


@pytest.fixture
def parse_spy(monkeypatch):
    spy = _Spy()
    dates._parse.cache_clear()
    monkeypatch.setattr(dates._PARSER, "get_date_data", spy)

    def no_search(*args, **kwargs):
        raise AssertionError("dateparser.search must never find dates")

    monkeypatch.setattr("dateparser.search.search_dates", no_search)
    yield spy
    dates._parse.cache_clear()


@pytest.mark.parametrize(
    "sentence",
    [
        "Shelling hit the city on Thursday.",
        "On Tuesday night a missile struck.",
        "The city was shelled yesterday.",
        "Explosions were heard overnight.",
        "21 people were killed in the last 24 hours.",
        "Earlier, the town was shelled.",
        "A cat sat on a mat.",
        "Russia may strike Kyiv.",
        "Shelled on 02.03.2022.",
    ],
)
def test_dateparser_is_not_called_for_relative_or_absent_phrases(parse_spy, sentence):
    when(sentence, THU)
    assert parse_spy.calls == []


@pytest.mark.parametrize("sentence", ["Shelled on March 2.", "Shelled on 2 March 2022."])
def test_dateparser_normalises_explicit_phrases(parse_spy, sentence):
    assert date(2022, 3, 2) == when(sentence, THU).value
    assert len(parse_spy.calls) == 1


@pytest.mark.parametrize(
    ("expected", "phrase"),
    [
        (date(2022, 3, 2), "2 March 2022"),
        (date(2022, 3, 2), "March 2"),
        (date(2022, 2, 24), "24 February"),
    ],
)
def test_normalise_date_phrase_a_user_typed(expected, phrase):
    assert expected == normalise_date_phrase(phrase, THU)


def test_a_strike_dated_only_by_its_report_day_is_approximate_on_that_day(gazetteer):
    # Friday 29 April 2022: the strike may be Thursday's, which the report does not say
    text = (
        "The attack hit a residential high-rise in Kyiv and killed one person,"
        " the mayor said Friday."
    )
    (found,) = extract_events(Article("said", text, date(2022, 4, 29)), gazetteer).candidates
    assert (date(2022, 4, 29), "approximate") == (found.date.value, found.date.precision)


def test_a_report_day_with_the_strikes_day_next_takes_that_day(gazetteer):
    text = (
        "Russia's Defense Ministry claimed Wednesday that its aviation disabled the TV tower in"
        " Kyiv. Tuesday's strike also hit a gym."
    )
    found = extract_events(Article("back", text, date(2022, 3, 3)), gazetteer).candidates
    assert (date(2022, 3, 1), "day") == (found[0].date.value, found[0].date.precision)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (date(2022, 3, 19), date(2022, 3, 20)),  # stamped in another time zone
        (date(2022, 3, 20), date(2022, 3, 20)),
        (date(2022, 3, 21), date(2022, 3, 20)),
    ],
)
def test_a_live_blog_s_digest_label_is_the_day_its_news_is_of(published, expected, gazetteer):
    text = "Ukraine latest updates\n\nUkraine news from March 20: Russian bombs hit Kyiv."
    (candidate,) = extract_events(Article("d", text, published), gazetteer).candidates
    assert expected == candidate.date.value
