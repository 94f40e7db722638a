"""bot.commands over the seeded database: every command's reply, paging, suggestions, and
properties (any text gets a reply Telegram accepts, with buttons Telegram accepts)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands import PAGE_SIZE, Chat, Commands
from bot.registry import for_chat
from bot.render import Reply
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles

try:
    from tests.botapi_fake import TelegramHTMLError, parse_telegram_html, utf16_len
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import (  # type: ignore[no-redef]
        TelegramHTMLError,
        parse_telegram_html,
        utf16_len,
    )

TODAY = date(2022, 3, 3)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FUZZ = settings(
    database=None,  # no .hypothesis/ directory in the repo
    deadline=None,
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def seeded(template_db, tmp_path_factory) -> Store:
    """One seeded database for the module: these tests only read."""
    path = tmp_path_factory.mktemp("commands") / "sitrep.db"
    shutil.copy(template_db, path)
    store = Store(path)
    index_articles(store, iter_articles([SEEDS]))
    yield store
    store.close()


@pytest.fixture(scope="module")
def commands(seeded) -> Commands:
    return Commands(seeded, today=lambda: TODAY)


@pytest.fixture(scope="module")
def totals(seeded) -> dict[str, int]:
    """How many events the seeds give (the extractor changes; these tests follow it)."""
    kharkiv = seeded.gazetteer().lookup("Kharkiv")
    oblast = seeded.gazetteer().lookup("Kharkiv oblast")
    return {
        "all": seeded.stats()["events"],
        "kharkiv": seeded.find_events(kharkiv)[1],
        "oblast": seeded.find_events(oblast)[1],
        "2022-03-02": seeded.find_events(None, date(2022, 3, 2), date(2022, 3, 2))[1],
    }


def pages_of(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def shown(reply: Reply) -> str:
    """The reply as Telegram shows it; fails when Telegram would refuse it."""
    try:
        text = parse_telegram_html(reply.text)
    except TelegramHTMLError as exc:
        pytest.fail(f"Telegram would refuse this reply ({exc}):\n{reply.text[:1500]}")
    assert text.strip(), "Telegram refuses an empty message"
    assert utf16_len(text) <= 4096, f"{utf16_len(text)} UTF-16 units: too long for one message"
    for row in reply.buttons:
        for label, data in row:
            assert label
            assert 1 <= len(data.encode()) <= 64, f"callback_data {data!r} is over 64 bytes"
    return text


def event_ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^/e(\d+)$", text, re.M)]


def pictures(argument: str) -> list[tuple[str, str]]:
    """The row under every /city and /date list: its map and its chart."""
    return [("Map", f"pg|0|map|{argument}"), ("Chart", f"pg|0|chart|{argument}")]


def button(reply: Reply, label: str) -> str:
    found = [data for row in reply.buttons for text, data in row if text == label]
    assert found, f"no {label!r} button in {reply.buttons!r}"
    return found[0]


def ask(commands: Commands, text: str) -> str:
    reply = commands.handle(text)
    assert reply is not None
    return shown(reply)


def test_the_seeds_are_what_these_tests_expect(seeded, totals):
    stats = seeded.stats()
    assert stats["articles"] == 4
    assert (stats["first_date"], stats["last_date"]) == ("2022-03-01", "2022-03-03")
    # Enough events for paging to matter, and the oblast holds at least the city's.
    assert totals["all"] > 2 * PAGE_SIZE
    assert 2 * PAGE_SIZE < totals["kharkiv"] <= totals["oblast"] <= totals["all"]
    assert 1 <= totals["2022-03-02"] <= totals["all"]


# --- help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/help", "/start", "/HELP", "/help@sitrep_test_bot"])
def test_help_lists_every_command_with_an_example(commands, text):
    answer = ask(commands, text)
    for command in for_chat("private"):
        assert f"/{command.name} — " in answer
        assert command.example in answer


def test_start_says_what_the_bot_does(commands):
    assert ask(commands, "/start").startswith("I answer questions about events of the war")


def test_chatter_in_a_group_is_no_command(commands):
    assert commands.handle("hello there", Chat(-5, "group")) is None
    assert commands.handle("") is None


@pytest.mark.parametrize("text", ["/nonsense", "/nonsense with words", "/Nonsense@sitrep_test_bot"])
def test_an_unknown_command_points_to_help(commands, text):
    assert ask(commands, text) == "I don't know /nonsense. Send /help to see what I can do."


# --- /city -----------------------------------------------------------------------------------


def test_city_lists_events_with_dates_and_sources(commands, totals):
    reply = commands.handle("/city Kharkiv")
    text = shown(reply)
    pages = pages_of(totals["kharkiv"])
    assert text.startswith(f"Kharkiv — {totals['kharkiv']} events, page 1/{pages}\n")
    assert "— Thu 3 Mar 2022 —" in text
    assert text.count("Sources (") == PAGE_SIZE
    assert "Russian troops have occupied govt building in Kharkiv" in text
    assert len(event_ids(text)) == PAGE_SIZE
    assert reply.buttons == [[("▶", "pg|1|city|Kharkiv")], pictures("Kharkiv")]


@pytest.mark.parametrize(
    "spelling", ["kharkiv", "KHARKIV", "Kharkiv", "Харків", "Харьков", "Kharkov", "Kharkiv's"]
)
def test_city_accepts_any_spelling(commands, totals, spelling):
    assert ask(commands, f"/city {spelling}").startswith(f"Kharkiv — {totals['kharkiv']} events")


@pytest.mark.parametrize("name", ["Kharkiv oblast", "kharkiv region", "KHARKIV OBLAST"])
def test_city_of_an_oblast_lists_its_places(commands, name):
    reply = commands.handle(f"/city {name}")
    assert shown(reply).startswith("Kharkiv Oblast — ")
    assert reply.buttons == [[("▶", "pg|1|city|Kharkiv Oblast")], pictures("Kharkiv Oblast")]


def test_city_with_a_typo_suggests_the_place_with_a_button(commands, totals):
    reply = commands.handle("/city Kharkof")
    assert shown(reply).startswith("No place called 'Kharkof' — did you mean Kharkiv")
    pressed = commands.callback(button(reply, "Kharkiv?"))
    assert shown(pressed).startswith(f"Kharkiv — {totals['kharkiv']} events")


def test_city_unknown_place(commands):
    assert ask(commands, "/city Atlantis").startswith("No place called 'Atlantis' that I know.")


def test_city_without_events_names_places_that_have_some(commands):
    answer = ask(commands, "/city Lviv")
    assert answer.startswith("No events in Lviv.")
    assert "Places with events: Kharkiv" in answer


def test_city_on_a_day(commands):
    text = ask(commands, "/city Kharkiv 2022-03-02")
    assert text.startswith("Kharkiv on Wed 2 Mar 2022 — ")
    assert "— Thu 3 Mar 2022 —" not in text


def test_city_on_a_day_without_events_offers_the_nearest_days(commands):
    reply = commands.handle("/city Kharkiv 2022-02-20")
    text = shown(reply)
    assert text.startswith("No events in Kharkiv on Sun 20 Feb 2022. Nearest days with events:")
    assert reply.buttons[0] == [("Tue 1 Mar 2022", "pg|0|city|Kharkiv 2022-03-01")]
    assert shown(commands.callback(reply.buttons[0][0][1])).startswith("Kharkiv on Tue 1 Mar 2022")


def test_city_without_argument_asks_which_place(commands):
    assert ask(commands, "/city") == "Which place? For example: /city Kharkiv"


# --- /date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["2022-03-02", "2 March 2022", "March 2", "2 March", "2.03.2022", "02.03.22", "yesterday"],
)
def test_date_accepts_every_documented_spelling(commands, spelling):
    reply = commands.handle(f"/date {spelling}")
    text = shown(reply)
    assert text.startswith("Events on Wed 2 Mar 2022 — "), text[:200]
    assert set(re.findall(r"^— (.*) —$", text, re.M)) == {"Wed 2 Mar 2022"}
    span = "2022-03-02..2022-03-02"
    # paging (when the day needs it) and the pictures, all of that one day
    assert reply.buttons[-1] == pictures(span)
    assert all(data.endswith(span) for row in reply.buttons for _, data in row)


def test_date_today_uses_the_injected_clock(seeded):
    commands = Commands(seeded, today=lambda: date(2022, 3, 3))
    assert ask(commands, "/date today").startswith("Events on Thu 3 Mar 2022 — ")
    commands = Commands(seeded, today=lambda: date(2022, 3, 1))
    assert ask(commands, "/date today").startswith("Events on Tue 1 Mar 2022 — ")
    assert "on Mon 28 Feb 2022. Nearest days with events: Tue 1 Mar 2022" in ask(
        commands, "/date yesterday"
    )


@pytest.mark.parametrize("spelling", ["2022-03-01..2022-03-03", "1-3 March 2022", "1-3 March"])
def test_date_ranges(commands, totals, spelling):
    text = ask(commands, f"/date {spelling}")
    assert text.startswith(f"Events on 1 Mar 2022 – 3 Mar 2022 — {totals['all']} events")


def test_no_events_anywhere_reads_as_english(commands):
    answer = ask(commands, "/date 2021-06-01")
    assert answer.startswith("No events anywhere on Tue 1 Jun 2021."), answer


def test_date_with_a_place(commands):
    assert ask(commands, "/date 2022-03-02 Kharkiv").startswith("Kharkiv on Wed 2 Mar 2022 — ")


def test_date_without_events_offers_the_nearest_days_as_buttons(commands):
    reply = commands.handle("/date 2021-06-01")
    assert "on Tue 1 Jun 2021. Nearest days with events: Tue 1 Mar 2022" in shown(reply)
    assert reply.buttons[0] == [("Tue 1 Mar 2022", "pg|0|date|2022-03-01")]


@pytest.mark.parametrize(
    "text", ["/date 2022-02-30", "/date someday", "/date 2021-01-01..2022-12-31"]
)
def test_date_that_cannot_be_read_is_explained(commands, text):
    answer = ask(commands, text)
    assert "date" in answer or "range" in answer
    assert "Sorry" not in answer


def test_date_without_argument_asks_which_day(commands):
    assert ask(commands, "/date") == "Which day? For example: /date 2022-03-02"


# --- paging ----------------------------------------------------------------------------------


def walk(commands: Commands, first: Reply) -> list[Reply]:
    """Every page from the first one, pressing ▶ until there is none."""
    pages = [first]
    while any(label == "▶" for row in pages[-1].buttons for label, _ in row):
        pages.append(commands.callback(button(pages[-1], "▶")))
        assert len(pages) < 50
    return pages


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("/city Kharkiv", "kharkiv"),
        ("/city Харків", "kharkiv"),
        ("/city Kharkiv oblast", "oblast"),
        ("/date 1-3 March 2022", "all"),
        ("/date 2022-03-02", "2022-03-02"),
        ("/date 2022-03-01..2022-03-03 Kharkiv", "kharkiv"),
        ("/latest 20", "all"),
        ("/latest 12", 12),
        ("/latest 7", 7),
    ],
)
def test_the_pages_show_every_event_once(commands, totals, text, total):
    total = totals[total] if isinstance(total, str) else min(total, totals["all"])
    pages = walk(commands, commands.handle(text))
    ids = [i for page in pages for i in event_ids(shown(page))]
    assert len(pages) == pages_of(total)
    assert len(ids) == len(set(ids)), "an event shown on two pages"
    assert len(ids) == total, f"{len(ids)} events on {len(pages)} pages, expected {total}"
    for number, page in enumerate(pages, start=1):
        assert f"page {number}/{len(pages)}" in shown(page) or len(pages) == 1
        rows = page.buttons
        if text.startswith(("/city", "/date")):  # their map and chart, under every page
            assert [label for label, _ in rows[-1]] == ["Map", "Chart"]
            rows = rows[:-1]
        labels = [label for row in rows for label, _ in row]
        assert labels == (["◀"] if number > 1 else []) + (["▶"] if number < len(pages) else [])


def test_back_returns_the_same_page(commands):
    first = commands.handle("/city Kharkiv")
    second = commands.callback(button(first, "▶"))
    assert commands.callback(button(second, "◀")).text == first.text


@pytest.mark.parametrize(
    "data", ["", "garbage", "pg|x|city|Kharkiv", "pg|1|city", "xx|1|city|Kharkiv", "pg|-1|city|K"]
)
def test_a_malformed_button_has_expired(commands, data):
    assert ask_callback(commands, data) == "That button has expired. Please send the command again."


def ask_callback(commands: Commands, data: str) -> str:
    return shown(commands.callback(data))


def test_a_page_past_the_end_is_answered(commands):
    assert ask_callback(commands, "pg|40|city|Kharkiv").startswith("No events in Kharkiv")


# --- /latest, /search, /event, /sources, /stats ----------------------------------------------


def test_latest_shows_five_newest_by_default(commands):
    reply = commands.handle("/latest")
    text = shown(reply)
    assert text.startswith("Latest events — 5 events\n")
    assert len(event_ids(text)) == 5
    assert reply.buttons == []


@pytest.mark.parametrize(("argument", "count"), [("1", 1), ("0", 1), ("3", 3), ("100", 20)])
def test_latest_with_a_count(commands, totals, argument, count):
    count = min(count, totals["all"])
    text = ask(commands, f"/latest {argument}")
    assert len(event_ids(text)) == min(count, PAGE_SIZE)
    assert f"— {count} event" in text


@pytest.mark.parametrize("argument", ["abc", "-5", "1.5", "five"])
def test_latest_with_a_bad_count_shows_the_usage(commands, argument):
    assert ask(commands, f"/latest {argument}").startswith("Usage: /latest")


def test_search_finds_words_in_event_text(commands):
    text = ask(commands, "/search hospital")
    assert text.startswith("Events mentioning hospital — 1 event\n")
    assert "hospital" in text


def test_search_needs_every_word(commands):
    assert ask(commands, "/search hospital tanks zebra").startswith(
        "No events mention hospital tanks zebra."
    )


def test_search_pages_keep_the_query(commands):
    pages = walk(commands, commands.handle("/search Kharkiv"))
    assert len(pages) > 1
    assert all(shown(p).startswith("Events mentioning Kharkiv — ") for p in pages)


def test_search_cuts_a_long_query_so_its_button_fits(commands):
    reply = commands.handle("/search " + " ".join(["Kharkiv"] * 40))
    shown(reply)
    assert all(len(d.encode()) <= 64 for row in reply.buttons for _, d in row)


@pytest.mark.parametrize("text", ["/search", "/search 🚀💥", "/search ...", "/search <>&"])
def test_search_without_words_asks_for_some(commands, text):
    assert ask(commands, text) == "Search for what? For example: /search hospital"


def test_event_shows_every_source_and_its_sentence(commands, seeded):
    event = seeded.search(["hospital"], 1)[0]
    sources = seeded.sources([event["key"]])[event["key"]]
    articles = {s["article_id"] for s in sources}
    text = ask(commands, f"/event {event['id']}")
    assert "hospital" in text
    assert f"Sources ({len(articles)}):" in text
    assert text.count("“") == text.count("”") >= len(articles)
    assert ask(commands, f"/event #{event['id']}") == text


@pytest.mark.parametrize("text", ["/event 99999", "/event 0"])
def test_event_that_does_not_exist(commands, text):
    assert ask(commands, text).startswith("There is no event")


@pytest.mark.parametrize("text", ["/event", "/event abc", "/event -1", "/event 1.5"])
def test_event_usage(commands, text):
    assert ask(commands, text).startswith("Usage: /event 12")


def test_sources_lists_the_articles(commands):
    text = ask(commands, "/sources")
    assert text.startswith("Indexed articles (4)")
    assert text.count("•") == 4
    assert "Republic Media Network" in text


def test_stats(commands, totals):
    text = ask(commands, "/stats")
    assert f"Events: {totals['all']} (" in text
    assert "Dates: Tue 1 Mar 2022 – Thu 3 Mar 2022" in text


def test_an_empty_database_answers_politely(store):
    commands = Commands(store, today=lambda: TODAY)
    assert ask(commands, "/sources").startswith("No articles are indexed yet")
    assert ask(commands, "/stats").endswith("Dates: none yet")
    assert ask(commands, "/latest").startswith("Latest events — 0 events")
    assert ask(commands, "/city Kharkiv").startswith("No events in Kharkiv.")
    assert ask(commands, "/date today").startswith("No events ")


# --- hostile arguments -----------------------------------------------------------------------

HOSTILE = {
    "10,000 characters": "Kharkiv " * 1250,
    "10,000 digits": "9" * 10_000,
    "html": "<b>x</b><script>",
    "entities": "&amp; & <",
    "sql": "'; drop table events; --",
    "fts operators": '" * NEAR( - OR AND (',
    "emoji": "🚀💥",
    "arabic": "خاركيف ٢ مارس",
    "hebrew": "חרקוב",
    "empty": "",
    "huge number": "1" + "0" * 30,
    "superscript digit": "²",
    "arabic-indic digits": "١٢",
}


@pytest.mark.parametrize("command", ["city", "date", "search", "event", "latest"])
@pytest.mark.parametrize("argument", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_arguments_get_a_polite_reply(commands, command, argument):
    reply = commands.handle(f"/{command} {argument}")
    assert reply is not None
    text = shown(reply)
    assert "<script>" not in reply.text
    assert "Sorry" not in text


# --- properties ------------------------------------------------------------------------------

NAMES = [c.name for c in for_chat("private")] + ["start", "nonsense"]
arguments = st.one_of(
    st.text(max_size=120),
    st.sampled_from(list(HOSTILE.values())),
    st.lists(
        st.sampled_from(
            ["Kharkiv", "oblast", "Харків", "2022-03-02", "..", "1-3", "March", "today", "#"]
        ),
        max_size=6,
    ).map(" ".join),
    st.integers(0, 10**25).map(str),
)


@FUZZ
@example("event", "²")
@example("latest", "²")
@example("event", "1" + "0" * 30)
@example("latest", "9" * 200)
@given(st.sampled_from(NAMES), arguments)
def test_any_command_gets_a_reply_telegram_accepts(commands, name, argument):
    reply = commands.handle(f"/{name} {argument}")
    assert isinstance(reply, Reply)
    shown(reply)
    for row in reply.buttons:  # and every button it offers works too
        for _, data in row:
            shown(commands.callback(data))


@FUZZ
@example("pg|²|city|Kharkiv")
@example("pg|99999999999999999999|city|Kharkiv")
@given(
    st.one_of(
        st.text(max_size=64),
        st.tuples(st.text("0123456789²", max_size=22), st.sampled_from(NAMES), arguments).map(
            lambda t: f"pg|{t[0]}|{t[1]}|{t[2]}"[:64]
        ),
    )
)
def test_any_button_data_gets_a_reply_telegram_accepts(commands, data):
    shown(commands.callback(data))


@FUZZ
@example("what happened in Mariupol yesterday?")
@example("2/3")
@example("Kharkiv, Ukraine shelling 1 March to 3 March")
@given(arguments)
def test_any_plain_text_in_a_private_chat_gets_a_reply_telegram_accepts(commands, text):
    reply = commands.handle(text)
    if not text.strip():
        assert reply is None
        return
    assert reply is not None
    assert "Sorry" not in shown(reply)


def test_a_name_several_places_share_asks_which_and_each_button_answers_for_its_own(store):
    from store.models import Article

    day = date(2022, 3, 14)
    index_articles(
        store,
        iter(
            [
                Article("a", "On 14 March, Russian forces shelled Ivanivka, Kherson.", day),
                Article("b", "On 14 March, Russian forces shelled Ivanivka, Kharkiv.", day),
            ]
        ),
    )
    commands = Commands(store, today=lambda: TODAY)
    asked = commands.handle("/city Ivanivka")
    assert asked is not None and "Which Ivanivka?" in shown(asked)
    labels = [row[0][0] for row in asked.buttons]
    assert 2 == len(labels)
    assert any(label.startswith("Kherson Oblast") for label in labels)
    for row in asked.buttons:
        answer = commands.callback(row[0][1])
        assert answer is not None and "Ivanivka" in shown(answer) and "1 event" in shown(answer)


@pytest.mark.parametrize("typed", ["Kharkivska oblast", "Харківська обл.", "Kharkiv region"])
def test_an_oblast_typed_the_ukrainian_way_is_the_oblast(commands, typed):
    reply = commands.handle(f"/city {typed}")
    assert reply is not None and shown(reply).startswith("Kharkiv Oblast")
