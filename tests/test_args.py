"""bot.args and parse_command: what people type, read or refused with an ArgumentError."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.args import (
    MAX_ARGUMENT,
    AmbiguousDate,
    ArgumentError,
    DateRange,
    parse_channel,
    parse_date,
    parse_date_range,
    parse_digest,
    parse_subscription,
)
from bot.commands import parse_command
from bot.query import read_query
from store.subscriptions import Threshold

TODAY = date(2022, 3, 3)
YEAR = 2022
FUZZ = settings(
    database=None,  # no .hypothesis/ directory in the repo
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)


def day(d: int, month: int = 3, year: int = 2022) -> date:
    return date(year, month, d)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-03-02", day(2)),
        ("2 March 2022", day(2)),
        ("2 march 2022", day(2)),
        ("2 Mar 2022", day(2)),
        ("2 Mar. 2022", day(2)),
        ("March 2", day(2)),
        ("March 2, 2022", day(2)),
        ("Mar 2", day(2)),
        ("2 March", day(2)),
        ("2.03.2022", day(2)),  # day first
        ("02.03.2022", day(2)),
        ("2.03.22", day(2)),
        ("3.2.2022", date(2022, 2, 3)),  # day first, never month first
        ("today", TODAY),
        ("Today", TODAY),
        ("yesterday", day(2)),
        ("  2022-03-02  ", day(2)),
        ("2 March 2021", date(2021, 3, 2)),
    ],
)
def test_parse_date_reads_what_people_type(text, expected):
    assert parse_date(text, TODAY, YEAR) == expected


def test_a_date_without_year_takes_the_default_year():
    assert parse_date("March 2", date(2030, 1, 1), 2022) == day(2)
    assert parse_date("2 March", date(2030, 1, 1), 2023) == date(2023, 3, 2)


@pytest.mark.parametrize(
    "text",
    [
        "2022-02-30",
        "31.02.2022",
        "2022-13-01",
        "32 March 2022",
        "",
        "tomorrowish",
        "'; drop table events; --",
        "🚀💥",
        "March",
        "2022",
        "<b>x</b>",
    ],
)
def test_parse_date_refuses_what_is_no_date(text):
    with pytest.raises(ArgumentError) as excinfo:
        parse_date(text, TODAY, YEAR)
    assert "2022-03-02" in str(excinfo.value)  # the message shows the accepted forms


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2022-03-02", day(2), day(2)),
        ("2022-03-01..2022-03-03", day(1), day(3)),
        ("2022-03-01 .. 2022-03-03", day(1), day(3)),
        ("2022-03-03..2022-03-01", day(1), day(3)),  # reversed: swapped, not refused
        ("1-3 March 2022", day(1), day(3)),
        ("1 - 3 March 2022", day(1), day(3)),
        ("1–3 March 2022", day(1), day(3)),
        ("1-3 March", day(1), day(3)),
        ("1-3 mar 2022", day(1), day(3)),
        ("yesterday..today", day(2), day(3)),
        ("1.03.2022..3.03.2022", day(1), day(3)),
        ("March 1..March 3", day(1), day(3)),
        ("2022-01-01..2022-12-31", date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_parse_date_range(text, start, end):
    assert parse_date_range(text, TODAY, YEAR) == DateRange(start, end)


@pytest.mark.parametrize(
    "text", ["2021-01-01..2022-12-31", "2022-03-01..", "..2022-03-01", "30-31 February 2022"]
)
def test_parse_date_range_refuses(text):
    with pytest.raises(ArgumentError):
        parse_date_range(text, TODAY, YEAR)


def test_date_range_labels():
    assert DateRange(day(2), day(2)).label() == "Wed 2 Mar 2022"
    assert DateRange(day(1), day(3)).label() == "1 Mar 2022 – 3 Mar 2022"


@pytest.mark.parametrize(
    ("text", "place", "days"),
    [
        ("Kharkiv", "Kharkiv", None),
        ("Kharkiv 2022-03-02", "Kharkiv", DateRange(day(2), day(2))),
        ("Kharkiv oblast 1-3 March 2022", "Kharkiv oblast", DateRange(day(1), day(3))),
        ("Kharkiv March 2", "Kharkiv", DateRange(day(2), day(2))),
        ("Kharkiv 2 March", "Kharkiv", DateRange(day(2), day(2))),
        ("Kharkiv today", "Kharkiv", DateRange(TODAY, TODAY)),
        ("Kryvyi Rih 2022-03-01..2022-03-03", "Kryvyi Rih", DateRange(day(1), day(3))),
        ("  Kharkiv  ", "Kharkiv", None),
    ],
)
def test_a_query_finds_the_longest_date_run(text, place, days):
    query = read_query(text, TODAY, YEAR)
    assert (place, days) == (query.place, query.days)


@pytest.mark.parametrize(
    ("text", "place", "days"),
    [
        ("2022-03-02", "", DateRange(day(2), day(2))),
        ("2022-03-02 Kharkiv", "Kharkiv", DateRange(day(2), day(2))),
        ("1-3 March 2022 Kharkiv oblast", "Kharkiv oblast", DateRange(day(1), day(3))),
        ("2 March 2022 Kharkiv", "Kharkiv", DateRange(day(2), day(2))),
        ("yesterday Kyiv", "Kyiv", DateRange(day(2), day(2))),
    ],
)
def test_a_query_with_dates_first(text, place, days):
    query = read_query(text, TODAY, YEAR)
    assert (place, days) == (query.place, query.days)


# --- subscriptions and digests ---------------------------------------------------------------


def test_parse_subscription_to_a_city(gazetteer):
    request = parse_subscription("Kharkiv", gazetteer)
    assert (request.scope, request.label, request.event_type) == ("place", "Kharkiv", "")
    assert request.place_id == gazetteer.lookup("Kharkiv").id
    assert request.include == request.exclude == ()


@pytest.mark.parametrize("spelling", ["kharkiv", "KHARKIV", "Kharkov", "Харків"])
def test_parse_subscription_accepts_any_spelling(gazetteer, spelling):
    assert parse_subscription(spelling, gazetteer).label == "Kharkiv"


def test_parse_subscription_to_an_oblast_with_a_type(gazetteer):
    request = parse_subscription("Kharkiv oblast shelling", gazetteer)
    assert request.scope == "oblast"
    assert request.label == "Kharkiv Oblast"
    assert request.event_type == "Shelling/artillery/missile attack"


@pytest.mark.parametrize("name", ["all", "ALL", "everything", "Ukraine"])
def test_parse_subscription_to_everything(gazetteer, name):
    request = parse_subscription(f"{name} +Hospital -sanctions +school", gazetteer)
    assert (request.scope, request.place_id, request.label) == ("all", None, "all")
    assert request.include == ("hospital", "school")
    assert request.exclude == ("sanctions",)


def test_a_lone_sign_is_no_keyword(gazetteer):
    request = parse_subscription("all + -", gazetteer)
    assert request.include == request.exclude == ()


def test_a_type_word_alone_is_a_place_name_not_a_type(gazetteer):
    with pytest.raises(ArgumentError):
        parse_subscription("shelling", gazetteer)


@pytest.mark.parametrize("text", ["", "   ", "+hospital -school"])
def test_parse_subscription_without_a_place_shows_the_usage(gazetteer, text):
    with pytest.raises(ArgumentError) as excinfo:
        parse_subscription(text, gazetteer)
    assert "/subscribe" in str(excinfo.value)


def test_parse_subscription_to_an_unknown_place(gazetteer):
    with pytest.raises(ArgumentError) as excinfo:
        parse_subscription("Atlantis", gazetteer)
    assert "No place called 'Atlantis'" in str(excinfo.value)


def test_parse_subscription_suggests_a_spelling(gazetteer):
    with pytest.raises(ArgumentError) as excinfo:
        parse_subscription("Kharkof", gazetteer)
    assert "Did you mean Kharkiv" in str(excinfo.value)


def test_parse_subscription_cuts_a_long_name_in_its_message(gazetteer):
    with pytest.raises(ArgumentError) as excinfo:
        parse_subscription("x" * 10_000, gazetteer)
    assert len(str(excinfo.value)) < 1000


@pytest.mark.parametrize(
    ("text", "label", "threshold"),
    [
        ("Kramatorsk min 2 sources", "Kramatorsk", Threshold(2, "sources")),
        ("all min 5 killed", "all", Threshold(5, "killed")),
        ("all MIN. 5 dead", "all", Threshold(5, "killed")),
        ("all at least 10 casualties", "all", Threshold(10, "casualties")),
        ("all minimum 3 wounded +hospital", "all", Threshold(3, "injured")),
        ("Kramatorsk", "Kramatorsk", None),
    ],
)
def test_parse_subscription_reads_a_threshold(gazetteer, text, label, threshold):
    request = parse_subscription(text, gazetteer)
    assert (label, threshold) == (request.label, request.threshold)


def test_a_threshold_leaves_the_kind_and_keywords_alone(gazetteer):
    request = parse_subscription("Kharkiv oblast shelling min 3 injured -sanctions", gazetteer)
    assert request.scope == "oblast" and request.event_type == "Shelling/artillery/missile attack"
    assert (request.threshold, request.exclude) == (Threshold(3, "injured"), ("sanctions",))


@pytest.mark.parametrize("text", ["all min 2 bananas", "all min 0 killed"])
def test_a_threshold_of_what_we_do_not_count_shows_the_usage(gazetteer, text):
    with pytest.raises(ArgumentError) as excinfo:
        parse_subscription(text, gazetteer)
    assert "min 2 sources" in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", ("08:00", True, None)),
        ("8:00", ("08:00", True, None)),
        ("8.30", ("08:30", True, None)),
        ("23:59", ("23:59", True, None)),
        ("00:00", ("00:00", True, None)),
        ("08:00 only", ("08:00", False, None)),
        ("08:00 ONLY", ("08:00", False, None)),
        ("off", (None, True, None)),
        ("OFF", (None, True, None)),
        ("08:00 Europe/London", ("08:00", True, "Europe/London")),
        ("7:15 only UTC", ("07:15", False, "UTC")),
    ],
)
def test_parse_digest(text, expected):
    assert parse_digest(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "'25:00' is not a time of day"),
        ("24:00", "not a time of day"),
        ("08:60", "not a time of day"),
        ("8", "not a time of day"),
        ("noon", "not a time of day"),
        ("", "Usage: /digest"),
        ("08:00 sometimes", "Usage: /digest"),
        ("08:00 only please", "Usage: /digest"),
        ("off now", "Usage: /digest"),
        ("08:00 Mars/Olympus", "not a time zone"),
        ("08:00 ../../etc/passwd", "not a time zone"),
    ],
)
def test_parse_digest_refuses(text, message):
    with pytest.raises(ArgumentError) as excinfo:
        parse_digest(text)
    assert message in str(excinfo.value)


# --- commands --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/city Kharkiv", ("city", "", "Kharkiv")),
        ("/CITY Kharkiv", ("city", "", "Kharkiv")),
        ("/city@sitrep_test_bot Kharkiv", ("city", "sitrep_test_bot", "Kharkiv")),
        ("/city@Other_Bot Kharkiv", ("city", "Other_Bot", "Kharkiv")),
        ("/city", ("city", "", "")),
        ("  /city   Kharkiv   oblast  ", ("city", "", "Kharkiv oblast")),
        ("/city Kharkiv\n2022-03-02", ("city", "", "Kharkiv 2022-03-02")),
        ("/search 🚀💥", ("search", "", "🚀💥")),
        ("/start", ("start", "", "")),
    ],
)
def test_parse_command(text, expected):
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    "text", ["hello", "", "city Kharkiv", "/", "/ city", "/city-Kharkiv", "/" + "x" * 33]
)
def test_parse_command_leaves_chatter_alone(text):
    assert parse_command(text) is None


# --- properties: any text is read or refused politely, never a crash -------------------------

DATE_WORDS = [
    "today",
    "yesterday",
    "March",
    "mar.",
    "Sept",
    "2022",
    "0000",
    "9999",
    "..",
    "-",
    "–",
    ".",
    ",",
    " ",
    "of",
    "Kharkiv",
    "oblast",
]
date_like = st.lists(
    st.one_of(
        st.sampled_from(DATE_WORDS),
        st.integers(0, 100_000).map(str),
        st.text("0123456789.-–/: ", max_size=12),
    ),
    max_size=8,
).map(" ".join)
anything = st.one_of(st.text(max_size=300), date_like)


def assert_reads_or_refuses(call) -> None:
    try:
        call()
    except ArgumentError as exc:
        assert str(exc), "an ArgumentError is shown to the user: it needs a message"


@FUZZ
@given(anything, st.dates(date(1900, 1, 2), date(2100, 1, 1)))
def test_parse_date_range_raises_only_argument_errors(text, today):
    assert_reads_or_refuses(lambda: parse_date_range(text, today, today.year))


@FUZZ
@given(anything, st.booleans())
def test_read_query_raises_only_argument_errors(text, newest):
    assert_reads_or_refuses(
        lambda: read_query(text[:MAX_ARGUMENT], TODAY, YEAR, TODAY if newest else None)
    )


@settings(FUZZ, max_examples=60)  # each call asks rapidfuzz for suggestions: slower
@given(st.one_of(st.text(max_size=300), date_like.map(lambda s: "Kharkiv " + s)))
def test_parse_subscription_raises_only_argument_errors(gazetteer, text):
    assert_reads_or_refuses(lambda: parse_subscription(text, gazetteer))


@FUZZ
@given(st.one_of(st.text(max_size=50), date_like, st.text("0123456789:. only", max_size=12)))
def test_parse_digest_raises_only_argument_errors(text):
    def check() -> None:
        at, instant, zone = parse_digest(text)
        assert at is None or (len(at) == 5 and "00:00" <= at <= "23:59")
        assert isinstance(instant, bool)

    assert_reads_or_refuses(check)


@FUZZ
@given(st.one_of(st.text(max_size=300), st.text(max_size=300).map(lambda s: "/" + s)))
def test_parse_command_never_raises(text):
    parsed = parse_command(text)
    if parsed is not None:
        name, bot, argument = parsed
        assert name == name.lower() and 1 <= len(name) <= 32
        assert argument == " ".join(argument.split())


# --- dates as people type them (issue 15) ----------------------------------------------------

NEWEST = date(2022, 3, 3)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2022/03/02", day(2), day(2)),
        ("2022-3-2", day(2), day(2)),
        ("20220302", day(2), day(2)),
        ("March 2nd", day(2), day(2)),
        ("2nd of March 2022", day(2), day(2)),
        ("Wednesday, 2 March 2022", day(2), day(2)),
        ("3/15/2022", day(15), day(15)),
        ("15/3/2022", day(15), day(15)),
        ("March 1-3", day(1), day(3)),
        ("March 2022", day(1), day(31)),
        ("February", day(1, 2), day(28, 2)),
        ("December 2021", day(1, 12, 2021), day(31, 12, 2021)),
        ("from 1 to 3 March", day(1), day(3)),
        ("2022-03-01 - 2022-03-03", day(1), day(3)),
        ("1 March to 3 March", day(1), day(3)),
        ("March 1 to March 3 2022", day(1), day(3)),
        ("between 1 and 2 March", day(1), day(2)),
        ("since March 1", day(1), NEWEST),
        ("2 березня 2022", day(2), day(2)),
        ("березень 2022", day(1), day(31)),
        ("2 марта", day(2), day(2)),
        ("on 2 March", day(2), day(2)),
    ],
)
def test_dates_as_people_type_them(text, start, end):
    assert DateRange(start, end) == parse_date_range(text, date(2026, 12, 1), YEAR, NEWEST)


def test_last_week_of_old_data_is_the_week_up_to_the_newest_day_and_says_so():
    old = parse_date_range("last week", date(2026, 12, 1), YEAR, NEWEST)
    assert (old.start, old.end, old.newest) == (date(2022, 2, 25), NEWEST, NEWEST)
    fresh = parse_date_range("last week", date(2022, 3, 4), YEAR, NEWEST)
    assert (fresh.start, fresh.end, fresh.newest) == (date(2022, 2, 26), date(2022, 3, 4), None)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("2/3/2022", (day(2), day(3, 2))),
        ("3/2/2022", (day(3, 2), day(2))),
        ("2/3", (day(2), day(3, 2))),
    ],
)
def test_a_slash_date_read_both_ways_asks(text, readings):
    with pytest.raises(AmbiguousDate) as asked:
        parse_date_range(text, TODAY, YEAR)
    assert readings == asked.value.readings


@pytest.mark.parametrize(
    ("text", "place", "kind", "target", "killed"),
    [
        ("Kharkiv shelling", "Kharkiv", "Shelling/artillery/missile attack", "", False),
        ("shelling in Kharkiv", "Kharkiv", "Shelling/artillery/missile attack", "", False),
        ("Kyiv TV tower", "Kyiv", "", "TV tower", False),
        ("Mariupol killed", "Mariupol", "", "", True),
        ("Kharkiv airstrike hospital", "Kharkiv", "Air/drone strike", "hospital", False),
        ("hospital", "hospital", "", "", False),  # one word alone is a place or a search
        ("news from Kherson", "Kherson", "", "", False),
        ("Kyiv, Ukraine", "Kyiv, Ukraine", "", "", False),
    ],
)
def test_a_kind_and_a_target_after_the_place(text, place, kind, target, killed):
    query = read_query(text, TODAY, YEAR)
    assert (place, kind, target, killed) == (query.place, query.kind, query.target, query.killed)


@pytest.mark.parametrize(
    ("text", "ref", "command"),
    [
        ("@warnews subscribe Kharkiv", "@warnews", "/subscribe Kharkiv"),
        ("-1001234567890 /quiet on", -1001234567890, "/quiet on"),
    ],
)
def test_parse_channel(text, ref, command):
    assert (ref, command) == parse_channel(text)


@pytest.mark.parametrize("text", ["", "@warnews", "@warnews latest", "warnews subscribe Kyiv"])
def test_parse_channel_refuses(text):
    with pytest.raises(ArgumentError, match="Usage: /channel"):
        parse_channel(text)
