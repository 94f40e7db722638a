"""bot.pages and render.measure: whole events on pages within Telegram's limits, nothing lost."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.pages import pack, render_event_pages, render_pages
from bot.render import ENTITY_LIMIT, TELEGRAM_LIMIT, Size, esc, event_sources, measure, render_event

try:
    from tests.botapi_fake import parse_telegram_html_entities, utf16_len
    from tests.test_render import make_event, make_source
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import parse_telegram_html_entities, utf16_len  # type: ignore[no-redef]
    from test_render import make_event, make_source  # type: ignore[no-redef]

# 200 cases each (up to 12 events of up to 30 sources, texts up to 1500 emoji): about 10 s.
PAGES = settings(
    database=None,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def telegram_size(text: str) -> Size:
    """What the Bot API fake (Telegram's parser, re-implemented) sees in a message."""
    visible, entities = parse_telegram_html_entities(text)
    return Size(utf16_len(visible), len(entities))


def assert_sendable(text: str) -> None:
    size = telegram_size(text)
    assert size.units <= TELEGRAM_LIMIT, f"{size.units} UTF-16 units"
    assert size.entities <= ENTITY_LIMIT, f"{size.entities} entities"


def event_ids(text: str) -> list[int]:
    visible, _ = parse_telegram_html_entities(text)
    return [int(n) for n in re.findall(r"^/e([0-9]+)$", visible, re.M)]


# --- measure ---------------------------------------------------------------------------------


def test_measure_counts_visible_utf16_units_not_tags_or_urls():
    text = '<b>Харків</b> 🚀 <a href="https://example.org/a-very-long-url?x=1&amp;y=2">link</a>'
    assert measure(text) == Size(6 + 1 + 2 + 1 + 4, 2)


def test_measure_counts_an_html_entity_as_the_character_it_stands_for():
    assert measure("&lt;&amp;&gt;&quot;&#x27;") == Size(5, 0)


def test_measure_counts_no_entity_for_an_empty_tag_and_one_for_pre_with_code():
    assert measure('<b></b><pre><code class="language-py">x</code></pre>') == Size(1, 1)


@PAGES
@example('<b>&amp;</b>\n🚀💥 Ꙭ <i>x</i> <a href="https://e.org/?q=&lt;">a</a>')
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i", "code", "a"]),
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
        ),
        max_size=30,
    ).map(
        lambda parts: "".join(
            esc(text)
            if not tag
            else f'<a href="https://e.org/{esc(text)}">{esc(text)}</a>'
            if tag == "a"
            else f"<{tag}>{esc(text)}</{tag}>"
            for tag, text in parts
        )
    )
)
def test_measure_agrees_with_telegrams_parser(text):
    assert measure(text) == telegram_size(text)


# --- pack ------------------------------------------------------------------------------------


def test_pack_keeps_blocks_whole_and_in_order():
    blocks = [Size(1000, 1)] * 7
    assert pack(blocks, lambda _: Size(90, 1)) == [[0, 1, 2, 3], [4, 5, 6]]


def test_pack_starts_a_page_when_the_entities_run_out():
    assert pack([Size(1, 40)] * 5, lambda _: Size(1, 1)) == [[0, 1], [2, 3], [4]]


def test_pack_gives_a_first_page_with_a_bigger_heading_less_room():
    fixed = {0: Size(3000, 0)}
    assert pack([Size(1000, 0)] * 4, lambda n: fixed.get(n, Size(0, 0))) == [[0], [1, 2, 3]]


def test_pack_of_nothing_is_one_empty_page():
    assert pack([], lambda _: Size(0, 0)) == [[]]


# --- pages of events -------------------------------------------------------------------------

# What makes pages hard: long names and summaries, Cyrillic, emoji (two UTF-16 units each),
# markup to escape, many sources with long titles, publishers, claimants and URLs.
LONG = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda s, n: s * n,
        st.sampled_from(["🚀", "Харків ", "<&>", "x", "👨‍👩‍👧 ", "𝕏"]),
        st.integers(1, 1500),
    ),
)
sources_strategy = st.lists(
    st.builds(
        make_source,
        article_id=st.text(min_size=1, max_size=30),
        title=LONG,
        url=st.one_of(st.just(""), LONG.map(lambda s: "https://e.org/" + s)),
        publisher=LONG,
        claimed_by=LONG,
        sentence=LONG,
        is_claim=st.sampled_from([0, 1]),
        confidence=st.sampled_from([0.2, 0.9]),
    ),
    max_size=30,
)
event_strategy = st.builds(
    make_event,
    place_name=LONG,
    admin1_name=LONG,
    summary=LONG,
    target=st.text(max_size=60),
    actor1=LONG,
    actor2=LONG,
    date=st.sampled_from(["2022-03-02", "2022-03-01", None]),
    is_claim=st.sampled_from([0, 1]),
    killed_low=st.sampled_from([None, 3, 123456789]),
    killed_qualifier=st.sampled_from([None, "exact", "vague"]),
)


@PAGES
@example(
    [(make_event(), [make_source(title="🚀" * 2000, url="https://e.org/" + "x" * 900)] * 9)] * 12,
    "Kharkiv",
    "",
    "en",
)
@given(
    st.lists(st.tuples(event_strategy, sources_strategy), max_size=12),
    st.text(max_size=300),
    st.text(max_size=200),
    st.sampled_from(["en", "uk"]),
)
def test_every_page_fits_and_every_event_is_on_exactly_one_page(items, title, note, lang):
    events = [{**e, "id": i + 1, "key": f"k{i}"} for i, (e, _) in enumerate(items)]
    sources = {f"k{i}": s for i, (_, s) in enumerate(items)}
    pages = render_pages(title, events, sources, note, lang)
    shown: list[int] = []
    for page in pages:
        assert_sendable(page)
        shown += event_ids(page)
    assert shown == [e["id"] for e in events]


def test_a_page_whose_events_do_not_fit_is_split_in_parts_that_say_so():
    sources = [make_source(article_id=f"a{i}", title="Ж" * 90) for i in range(8)]
    events = [make_event(id=i, key=f"k{i}", summary="слово " * 80) for i in range(1, 6)]
    pages = render_pages("Kharkiv — 5 events", events, {e["key"]: sources for e in events})
    assert len(pages) > 1
    assert [parse_telegram_html_entities(p)[0].split("\n")[0] for p in pages] == [
        f"Kharkiv — 5 events, part {n}/{len(pages)}" for n in range(1, len(pages) + 1)
    ]


def test_a_long_source_list_names_the_first_and_points_to_the_event_for_the_rest():
    sources = [make_source(article_id=f"a{i}", title=f"Article {i}") for i in range(20)]
    visible, _ = parse_telegram_html_entities(render_event(make_event(id=835), sources))
    assert "Sources (20): Article 0 (BBC" in visible
    assert visible.count("Article ") == 8
    assert "· and 12 more: /e835\n/e835" in visible


def test_long_source_titles_leave_fewer_sources_shown_and_say_how_many_more():
    sources = [make_source(article_id=f"a{i}", title="🚀" * 200) for i in range(20)]
    text = render_event(make_event(id=9), sources)
    visible, _ = parse_telegram_html_entities(text)
    shown = visible.count("🚀🚀🚀…")
    assert 1 <= shown < 8
    assert f"and {20 - shown} more: /e9" in visible


def test_ukrainian_says_how_many_more_in_ukrainian():
    sources = [make_source(article_id=f"a{i}") for i in range(10)]
    assert (
        "і ще 2: /e7"
        in parse_telegram_html_entities(render_event(make_event(), sources, lang="uk"))[0]
    )


# --- /event pages ----------------------------------------------------------------------------


def article_lines(pages: list[str]) -> list[str]:
    return [
        line
        for page in pages
        for line in parse_telegram_html_entities(page)[0].split("\n")
        if line.startswith("• ")
    ]


@PAGES
@example(make_event(summary="🚀" * 1200), [make_source(article_id=f"a{i}") for i in range(60)])
@given(event_strategy, sources_strategy)
def test_event_pages_fit_and_list_every_source_once(event, sources):
    pages = render_event_pages(event, sources)
    for page in pages:
        assert_sendable(page)
    shown, _ = event_sources(sources)  # low-confidence mentions only when nothing else is left
    assert len(article_lines(pages)) == len({s["article_id"] for s in shown})


def test_an_event_of_25_sources_is_paged_and_each_page_says_which():
    sources = [
        make_source(article_id=f"a{i}", title=f"Station strike report {i} " + "x" * 60,
                    sentence="At least 50 people were killed at the station. " * 8)
        for i in range(25)
    ]  # fmt: skip
    pages = render_event_pages(make_event(id=835, summary="Strike on Kramatorsk station."), sources)
    assert len(pages) > 1
    lines = [parse_telegram_html_entities(p)[0].split("\n") for p in pages]
    assert lines[0][1] == "Strike on Kramatorsk station."
    for number, page in enumerate(lines, start=1):
        assert page[0].startswith("Kharkiv, Kharkiv Oblast · Wed 2 Mar 2022")
        assert f"Sources (25), page {number}/{len(pages)}:" in page
    shown = [line for page in lines for line in page if line.startswith("• ")]
    assert [line.split(" " + "x")[0] for line in shown] == [
        f"• Station strike report {i}" for i in range(25)
    ]


def test_a_short_event_is_one_page_without_a_page_number():
    pages = render_event_pages(make_event(), [make_source()])
    visible = parse_telegram_html_entities(pages[0])[0]
    assert len(pages) == 1
    assert "Sources (1):\n• Russian paratroopers land in Kharkiv (BBC" in visible
    assert "   “A missile hit the regional administration building in Kharkiv.”" in visible
