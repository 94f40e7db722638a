"""Every answer of a generated corpus, paged through: no page over Telegram's limits as Telegram
counts them, no event dropped or shown twice."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from bench.corpus import generate
from bot.commands import Commands
from bot.render import ENTITY_LIMIT, TELEGRAM_LIMIT, Reply
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles

try:
    from tests.botapi_fake import parse_telegram_html_entities, utf16_len
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import parse_telegram_html_entities, utf16_len  # type: ignore[no-redef]

ARTICLES = 300  # about 20 s to index on a loaded machine: small enough for every run


@pytest.fixture(scope="module")
def corpus_store(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("corpus")
    generate(folder / "articles", ARTICLES, seed=13)
    path = folder / "corpus.db"
    shutil.copy(template_db, path)
    store = Store(path)
    index_articles(store, iter_articles([folder / "articles"]))
    yield store
    store.close()


def sendable(reply: Reply) -> str:
    visible, entities = parse_telegram_html_entities(reply.text)
    assert utf16_len(visible) <= TELEGRAM_LIMIT, reply.text[:300]
    assert len(entities) <= ENTITY_LIMIT, reply.text[:300]
    assert visible.strip()
    return visible


def walk(commands: Commands, text: str) -> list[int]:
    """The events of every page of an answer, pressing ▶ until there is none."""
    reply = commands.handle(text)
    assert reply is not None
    ids: list[int] = []
    for _ in range(1000):
        ids += [int(n) for n in re.findall(r"^/e([0-9]+)$", sendable(reply), re.M)]
        forward = [data for row in reply.buttons for label, data in row if label == "▶"]
        if not forward:
            return ids
        reply = commands.callback(forward[0])
    raise AssertionError("more than 1000 pages")


def test_every_city_and_date_answer_fits_and_shows_every_event_once(corpus_store):
    commands = Commands(corpus_store, today=lambda: date(2022, 5, 1))
    places = {e["place_name"] for e in corpus_store.find_events(limit=10**6)[0]}
    days = {e["date"] for e in corpus_store.find_events(limit=10**6)[0] if e["date"]}
    assert len(places) > 10 and len(days) > 10
    for name in sorted(places):
        place = commands._lookup(name)
        if place is None:
            continue
        expected = [e["id"] for e in corpus_store.find_events(place, limit=10**6)[0]]
        # "Town, Oblast": the one place, where a bare name several places share asks which
        typed = f"{name}, {place.admin1_name}" if place.kind == "city" and place.admin1 else name
        assert walk(commands, f"/city {typed}") == expected, name
    for day in sorted(days):
        one = date.fromisoformat(day)
        expected = [e["id"] for e in corpus_store.find_events(None, one, one, limit=10**6)[0]]
        assert walk(commands, f"/date {day}") == expected, day


@pytest.mark.parametrize("words", ["killed", "Kharkiv", "shelling", "hospital", "school"])
def test_every_search_answer_fits_and_shows_every_event_once(corpus_store, words):
    commands = Commands(corpus_store)
    ids = walk(commands, f"/search {words}")
    assert len(ids) == len(set(ids)) == corpus_store.count_search([words])


def test_every_event_answer_fits_and_lists_every_source_article(corpus_store):
    commands = Commands(corpus_store)
    events = corpus_store.find_events(limit=10**6)[0]
    assert events
    for event in events:
        reply = commands.handle(f"/event {event['id']}")
        assert reply is not None
        lines = []
        for _ in range(100):
            lines += [x for x in sendable(reply).split("\n") if x.startswith("• ")]
            forward = [data for row in reply.buttons for label, data in row if label == "▶"]
            if not forward:
                break
            assert len(forward[0].encode()) <= 64
            reply = commands.callback(forward[0])
        assert len(lines) >= min(1, event["n_sources"])
