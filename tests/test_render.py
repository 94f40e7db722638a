"""bot.render: escaping, the 4096 limit, and what an event looks like (pure, no database)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.render import (
    ENTITY_LIMIT,
    MAX_SOURCES_SHOWN,
    TELEGRAM_LIMIT,
    Reply,
    casualties,
    clip,
    day_label,
    esc,
    fit,
    measure,
    place_label,
    render_digest,
    render_event,
    render_events,
    source_line,
    to_plain,
    utf16_len,
)

try:
    from tests.botapi_fake import (
        TelegramHTMLError,
        parse_telegram_html,
        parse_telegram_html_entities,
    )
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import (  # type: ignore[no-redef]
        TelegramHTMLError,
        parse_telegram_html,
        parse_telegram_html_entities,
    )

FUZZ = settings(
    database=None,  # no .hypothesis/ directory in the repo
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def make_event(**overrides: Any) -> dict[str, Any]:
    event = {
        "id": 7,
        "key": "k7",
        "date": "2022-03-02",
        "date_precision": "day",
        "place_name": "Kharkiv",
        "place_kind": "city",
        "admin1_name": "Kharkiv Oblast",
        "country": "UA",
        "place_precision": "exact",
        "sub_event_type": "Shelling/artillery/missile attack",
        "event_type": "Explosions/Remote violence",
        "target": "",
        "actor1": "",
        "actor2": "",
        "summary": "A missile hit the regional administration building in Kharkiv.",
        "is_claim": 0,
        "claimed_by": "",
        "confidence": 0.9,
        "n_sources": 1,
    }
    for name in ("killed", "injured"):
        event.update({f"{name}_low": None, f"{name}_high": None, f"{name}_qualifier": None})
    event.update(overrides)
    return event


def make_source(**overrides: Any) -> dict[str, Any]:
    source = {
        "event_key": "k7",
        "article_id": "003_17c81901f7fafa9d",
        "sentence": "A missile hit the regional administration building in Kharkiv.",
        "claimed_by": "",
        "is_claim": 0,
        "confidence": 0.9,
        "title": "Russian paratroopers land in Kharkiv",
        "url": "https://example.org/kharkiv?a=1&b=2",
        "publisher": "BBC",
        "published": "2022-03-02",
        "path": "seeds/003.txt",
    }
    source.update(overrides)
    return source


def visible(html_text: str) -> str:
    """Telegram's view of a reply; fails the test with the parser's reason when invalid."""
    try:
        return parse_telegram_html(html_text)
    except TelegramHTMLError as exc:  # pragma: no cover - only on failure
        pytest.fail(f"Telegram would refuse this HTML ({exc}):\n{html_text[:2000]}")


# --- small helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain", "plain"),
        ("<b>x</b><script>", "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;"),
        ("&amp; & <", "&amp;amp; &amp; &lt;"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        (42, "42"),
    ],
)
def test_esc_escapes_everything_telegram_treats_as_markup(raw, escaped):
    assert esc(raw) == escaped
    assert parse_telegram_html(esc(raw)) == str(raw)


def test_utf16_len_counts_astral_characters_twice():
    assert utf16_len("Kharkiv") == 7
    assert utf16_len("Харків") == 6
    assert utf16_len("🚀💥") == 4


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("  many   spaces\nand\tlines ", 50, "many spaces and lines"),
        ("one two three four", 10, "one two…"),
        ("x" * 20, 10, "x" * 9 + "…"),
    ],
)
def test_clip_shortens_at_a_word_boundary(text, limit, expected):
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_fit_leaves_short_text_alone():
    assert fit("<b>a</b>\nb") == "<b>a</b>\nb"


def test_fit_cuts_between_lines_and_says_so():
    text = "\n".join(f"<b>line {i}</b> " + "x" * 90 for i in range(100))
    cut = fit(text)
    assert measure(cut).fits()  # as Telegram counts: visible text
    assert cut.endswith("(shortened to fit one message)")
    assert cut.startswith("<b>line 0</b>")
    visible(cut)


def test_fit_counts_utf16_units_not_characters():
    # 3000 rockets are 3000 characters but 6000 UTF-16 units: too long for one message.
    text = "title\n" + "🚀" * 3000
    assert len(text) < TELEGRAM_LIMIT
    cut = fit(text)
    assert measure(cut).fits()  # as Telegram counts: visible text
    assert "🚀" not in cut


@pytest.mark.parametrize(
    ("value", "precision", "label"),
    [
        ("2022-03-02", "day", "Wed 2 Mar 2022"),
        ("2022-03-02", "approximate", "around Wed 2 Mar 2022"),
        (None, "unknown", "date unknown"),
        ("", "day", "date unknown"),
    ],
)
def test_day_label(value, precision, label):
    assert day_label(value, precision) == label


@pytest.mark.parametrize(
    ("figures", "text"),
    [
        ({}, ""),
        ({"killed_low": 21, "killed_high": 21, "killed_qualifier": "exact"}, "21 killed"),
        (
            {"killed_low": 21, "killed_high": 21, "killed_qualifier": "at_least"},
            "at least 21 killed",
        ),
        (
            {"injured_low": 100, "injured_high": 100, "injured_qualifier": "approximate"},
            "about 100 injured",
        ),
        ({"killed_low": None, "killed_high": 5, "killed_qualifier": "exact"}, "up to 5 killed"),
        (
            {"killed_low": None, "killed_high": None, "killed_qualifier": "vague"},
            "killed: number not given",
        ),
        (
            {
                "killed_low": 17,
                "killed_high": 21,
                "killed_qualifier": "exact",
                "injured_low": 112,
                "injured_high": 112,
                "injured_qualifier": "exact",
            },
            "17–21 killed; 112 injured (sources differ)",
        ),
    ],
)
def test_casualties(figures, text):
    assert casualties(make_event(**figures)) == text


@pytest.mark.parametrize(
    ("overrides", "label"),
    [
        ({}, "Kharkiv, Kharkiv Oblast"),
        ({"place_kind": "oblast", "place_name": "Kharkiv Oblast"}, "Kharkiv Oblast"),
        (
            {"place_name": "Belgorod", "admin1_name": "", "country": "RU"},
            "Belgorod (outside Ukraine)",
        ),
        ({"place_precision": "inferred"}, "Kharkiv, Kharkiv Oblast (place inferred from context)"),
    ],
)
def test_place_label(overrides, label):
    assert place_label(make_event(**overrides)) == label


def test_source_line_links_the_title_and_names_publisher_date_and_claimant():
    line = source_line(make_source(claimed_by="regional governor", is_claim=1))
    assert line == (
        '<a href="https://example.org/kharkiv?a=1&amp;b=2">Russian paratroopers land in Kharkiv</a>'
        " (BBC, Wed 2 Mar 2022) — claimed by regional governor"
    )
    visible(line)


def test_source_line_without_url_title_or_date_still_names_the_article():
    line = source_line(make_source(url="", title="", publisher="", published=None))
    assert line == "003_17c81901f7fafa9d (date unknown)"


def test_source_line_says_via_for_an_attribution_that_is_no_claim():
    assert source_line(make_source(claimed_by="BBC", is_claim=0)).endswith(" — via BBC")


# --- events ----------------------------------------------------------------------------------


def test_render_event_shows_where_when_what_figures_and_sources():
    event = make_event(
        target="administration building",
        killed_low=10,
        killed_high=10,
        killed_qualifier="exact",
    )
    text = render_event(event, [make_source()])
    shown = visible(text)
    lines = shown.split("\n")
    assert lines[0] == (
        "Kharkiv, Kharkiv Oblast · Wed 2 Mar 2022 · Missile strike on the administration building"
    )
    assert lines[1] == event["summary"]
    assert lines[2] == "Casualties: 10 killed"
    assert lines[3].startswith("Sources (1): Russian paratroopers land in Kharkiv (BBC,")
    assert lines[4] == "/e7"


def test_render_event_marks_claims():
    assert "<i>claim</i>" in render_event(make_event(is_claim=1), [make_source()])


def test_render_event_counts_articles_not_mentions_and_prefers_the_attributed_mention():
    sources = [
        make_source(claimed_by=""),
        make_source(claimed_by="mayor", sentence="Another sentence."),
        make_source(article_id="other", title="Other article", url=""),
    ]
    shown = visible(render_event(make_event(), sources))
    assert "Sources (2):" in shown
    assert "via mayor" in shown
    assert "Other article" in shown


def test_render_event_drops_low_confidence_sources_unless_nothing_else_is_left():
    sources = [make_source(), make_source(article_id="weak", title="Weak one", confidence=0.2)]
    assert "Weak one" not in render_event(make_event(), sources)
    only_weak = [make_source(article_id="weak", title="Weak one", confidence=0.2)]
    assert "Weak one" in render_event(make_event(), only_weak)


def test_render_event_lists_at_most_eight_sources_and_counts_the_rest():
    sources = [make_source(article_id=f"a{i}", title=f"Article {i}") for i in range(11)]
    shown = visible(render_event(make_event(), sources))
    assert "Sources (11):" in shown
    assert shown.count("Article ") == MAX_SOURCES_SHOWN
    assert "and 3 more" in shown


def test_render_event_in_full_lists_every_source_with_its_sentence_and_the_actors():
    sources = [make_source(article_id=f"a{i}", title=f"Article {i}") for i in range(11)]
    event = make_event(actor1="Russian forces", actor2="civilians")
    shown = visible(render_event(event, sources, full=True))
    assert "Actors: Russian forces → civilians" in shown
    assert shown.count("“A missile hit") == 11
    assert "/e7" not in shown
    assert "more" not in shown


def test_an_event_in_full_shows_the_plain_label_and_keeps_acleds_names_on_one_line():
    lines = visible(render_event(make_event(), [make_source()], full=True)).split("\n")
    assert lines[0].endswith(" · Missile strike")
    assert "ACLED: Explosions/Remote violence · Shelling/artillery/missile attack" in lines


def test_an_event_in_a_list_shows_only_the_plain_label():
    shown = visible(render_event(make_event(), [make_source()]))
    assert "ACLED" not in shown and "Shelling/artillery" not in shown


def test_render_events_groups_by_day_under_a_title():
    events = [
        make_event(id=3, key="a", date="2022-03-03"),
        make_event(id=2, key="b", date="2022-03-03"),
        make_event(id=1, key="c", date="2022-03-02"),
        make_event(id=4, key="d", date=None, date_precision="unknown"),
    ]
    text = render_events("Kharkiv — 4 events", events, {"a": [make_source()]})
    shown = visible(text)
    assert shown.startswith("Kharkiv — 4 events\n")
    assert shown.count("— Thu 3 Mar 2022 —") == 1
    assert shown.count("— Wed 2 Mar 2022 —") == 1
    assert shown.count("— date unknown —") == 1
    assert "\n\n\n" not in text
    assert shown.index("/e3") < shown.index("/e2") < shown.index("/e1")
    assert "Sources (0): " in shown  # an event whose sources were not loaded says so


def test_render_events_escapes_the_title():
    assert visible(render_events("<b>x</b> & co", [], {})).rstrip() == "<b>x</b> & co"


def test_render_events_of_many_long_events_fits_one_message():
    events = [make_event(id=i, key=f"k{i}", summary="word " * 300) for i in range(30)]
    sources = {f"k{i}": [make_source(article_id=f"a{j}") for j in range(8)] for i in range(30)}
    text = render_events("Many", events, sources)
    assert measure(text).fits()  # as Telegram counts: visible text
    assert text.endswith("(shortened to fit one message)")
    visible(text)


def test_to_plain_spells_out_links_and_drops_tags():
    html_text = '<b>Title</b> &amp; <a href="https://x.org/?a=1&amp;b=2">link</a> <i>claim</i>'
    assert to_plain(html_text) == "Title & link <https://x.org/?a=1&b=2> claim"


def test_reply_defaults_to_no_buttons():
    assert Reply("x").buttons == []


# --- properties ------------------------------------------------------------------------------
# Counterexamples hypothesis found are pinned with @example so a regression fails fast and reads
# plainly; the generated cases keep looking for new ones.

HOSTILE = [
    "<b>x</b><script>",
    "&amp; & <",
    "'; drop table events; --",
    '" * NEAR( - OR AND (',
    "🚀💥",
    "مدينة خاركيف",
    "חרקוב",
    'https://e.org/?q="a"&b=<c>',
    "\n\nline\nbreaks\n",
    "",
    " ",
]
texts = st.one_of(
    st.text(max_size=120),
    st.sampled_from(HOSTILE),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["<&>", "x", "🚀", "Харків "]), st.integers(1, 600)
    ),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=6), st.integers(50, 500)),
)
short_texts = st.text(max_size=60)  # fields the extractor fills from a small vocabulary
sources_strategy = st.lists(
    st.builds(
        make_source,
        article_id=texts.filter(bool),
        title=texts,
        url=texts,
        publisher=texts,
        claimed_by=texts,
        sentence=texts,
        is_claim=st.sampled_from([0, 1]),
        confidence=st.sampled_from([0.2, 0.6, 1.0]),
    ),
    max_size=10,
)
events_strategy = st.builds(
    make_event,
    summary=texts,
    target=short_texts,
    actor1=short_texts,
    actor2=short_texts,
    is_claim=st.sampled_from([0, 1]),
)
LONG_PUBLISHER = [make_source(publisher="<b>x</b><script>" * 300)]
URL_WITH_LINE_BREAKS = [make_source(url="https://e.org/a\nb" * 400)]


def assert_sendable(text: str) -> None:
    shown = visible(text)
    assert utf16_len(shown) <= TELEGRAM_LIMIT, f"{utf16_len(shown)} UTF-16 units"
    assert len(parse_telegram_html_entities(text)[1]) <= ENTITY_LIMIT


@FUZZ
@example(make_event(), LONG_PUBLISHER)
@given(events_strategy, sources_strategy)
def test_render_event_is_always_valid_html_within_the_limit(event, sources):
    # Sent as is (no fit): pushed to subscribed chats and used as inline query results.
    assert_sendable(render_event(event, sources))


@FUZZ
@example(make_event(), URL_WITH_LINE_BREAKS, False)
@given(events_strategy, sources_strategy, st.booleans())
def test_render_event_after_fit_is_valid_html_within_the_limit(event, sources, full):
    text = fit(render_event(event, sources, full=full))
    assert measure(text).fits()  # as Telegram counts: visible text
    assert_sendable(text)


@FUZZ
@example([make_event()] * 3, URL_WITH_LINE_BREAKS, "Kharkiv")
@given(
    st.lists(events_strategy, max_size=6),
    sources_strategy,
    st.text(st.characters(blacklist_characters="\n\r"), max_size=300),
)
def test_render_events_is_always_valid_html_within_the_limit(events, sources, title):
    events = [{**e, "id": i, "key": f"k{i}"} for i, e in enumerate(events)]
    grouped = {f"k{i}": sources for i in range(len(events))}
    text = render_events(title, events, grouped)
    assert measure(text).fits()  # as Telegram counts: visible text
    assert_sendable(text)


@FUZZ
@given(
    # fit's contract: no tag spans lines (render clips every text to one line before escaping).
    st.lists(
        st.text(
            st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=300
        ).map(esc),
        max_size=40,
    ),
    st.integers(50, 5000),
)
def test_fit_keeps_escaped_lines_valid_within_any_limit(lines, limit):
    text = "\n".join(f"<b>{line}</b>" for line in lines)
    cut = fit(text, limit)
    assert measure(cut).units <= limit
    visible(cut)


def test_fit_keeps_a_text_whose_links_and_tags_are_long_but_whose_visible_text_is_short():
    text = "\n".join(f'<a href="https://example.org/{"x" * 900}">source {i}</a>' for i in range(20))
    assert utf16_len(text) > TELEGRAM_LIMIT
    assert fit(text) == text


def test_fit_cuts_at_a_hundred_entities():
    text = "\n".join(f"<b>{i}</b>" for i in range(150))
    cut = fit(text)
    assert len(parse_telegram_html_entities(cut)[1]) <= ENTITY_LIMIT
    assert cut.endswith("(shortened to fit one message)")


def _digest_event(i: int, day: str = "2022-04-08", summary: str = "A strike.") -> dict[str, Any]:
    return make_event(id=i, key=f"k{i}", date=day, summary=summary, n_sources=1)


def test_a_digest_lists_the_first_events_and_sends_to_date_for_the_rest():
    events = [_digest_event(i) for i in range(41)]
    text = visible(render_digest(events, "2022-04-09", place="Kramatorsk"))
    lines = text.splitlines()
    assert lines[0] == "Daily digest, 2022-04-09 — 41 new or updated events"
    assert all(f"/event {i})" in lines[1 + i] for i in range(10))
    assert lines[-1] == "… and 31 more: /date 2022-04-08 Kramatorsk"


def test_a_digest_of_events_over_several_days_sends_to_the_range():
    events = [_digest_event(i, day=f"2022-04-0{1 + i % 3}") for i in range(12)]
    assert render_digest(events, "2022-04-09").endswith(
        "… and 2 more: /date 2022-04-02..2022-04-03"
    )


def test_a_short_digest_has_no_more_line():
    text = visible(render_digest([_digest_event(1)], "2022-04-09"))
    assert len(text.splitlines()) == 2 and "more" not in text


def test_a_digest_of_long_events_always_fits_one_message():
    events = [_digest_event(i, summary="ж" * 2000) for i in range(500)]
    events = [{**e, "place_name": "𝕏" * 500} for e in events]
    text = render_digest(events, "2022-04-09", place="Kramatorsk")
    assert measure(text).fits()
    assert utf16_len(visible(text)) <= TELEGRAM_LIMIT
    assert visible(text).splitlines()[-1].startswith("… and ")
