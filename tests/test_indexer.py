"""Articles in, events stored: re-indexing, edits and bad files, on a real SQLite file."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import SEED_PUBLISHED

from store import indexer
from store.db import Store
from store.indexer import IndexReport, index_articles
from store.ingest import iter_articles
from store.models import Article

A000, A001, A002, A003 = sorted(SEED_PUBLISHED)


def count(store: Store, table: str) -> int:
    return store.db.execute(f"select count(*) from {table}").fetchone()[0]


def event_keys(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("select key from events")}


def articles_of(store: Store, key: str) -> set[str]:
    return {m["article_id"] for m in store.sources([key])[key]}


@pytest.fixture
def seeds_copy(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    return folder


def index(store: Store, folder: Path) -> IndexReport:
    # Durability is not under test here: skip the fsyncs that would make every run slow.
    store.db.execute("pragma synchronous = off")
    return index_articles(store, iter_articles([folder]))


# --- first run -----------------------------------------------------------------------------


def test_first_run_indexes_every_seed(store, seeds_dir):
    report = index(store, seeds_dir)
    assert (4, 0, 0, 0) == (report.new, report.changed, report.unchanged, report.failed)
    assert [] == report.problems
    assert 4 == count(store, "articles")
    assert report.events_added == count(store, "events")
    assert report.events_added > 0


def test_seeds_with_manifest_give_no_warnings(store, seeds_dir):
    assert [] == index(store, seeds_dir).warnings


# --- second run ----------------------------------------------------------------------------


def test_second_run_changes_nothing(store, seeds_dir):
    index(store, seeds_dir)
    events = count(store, "events")
    mentions = count(store, "mentions")
    keys = event_keys(store)
    report = index(store, seeds_dir)
    assert (0, 0, 4, 0) == (report.new, report.changed, report.unchanged, report.failed)
    assert (0, 0, 0) == (report.events_added, report.events_updated, report.events_removed)
    assert events == count(store, "events")
    assert mentions == count(store, "mentions")
    assert keys == event_keys(store)


def test_second_run_summary_says_nothing_to_do(store, seeds_dir):
    index(store, seeds_dir)
    assert "nothing to do" in index(store, seeds_dir).summary()


def test_second_run_keeps_event_revisions(store, seeds_dir):
    index(store, seeds_dir)
    before = store.db.execute("select key, revision, changed_seq from events").fetchall()
    index(store, seeds_dir)
    after = store.db.execute("select key, revision, changed_seq from events").fetchall()
    assert sorted(before) == sorted(after)


def test_reopened_store_sees_indexed_articles(store, db_path, seeds_dir):
    index(store, seeds_dir)
    store.close()
    again = Store(db_path)
    try:
        assert 4 == index(again, seeds_dir).unchanged
    finally:
        again.close()


# --- an edited article ---------------------------------------------------------------------


def _edit(folder: Path, article_id: str, old: str, new: str) -> None:
    path = folder / f"{article_id}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


TOLL_002 = "killed 21 people and left 100 injured so far"
TV_TOWER_002 = "Russia's Defense Ministry claimed Wednesday"


def _toll_key(store: Store) -> str:
    kharkiv = store.gazetteer().lookup("Kharkiv")
    row = store.db.execute(
        "select key from events where key like ? and injured_low is not null",
        [f"{kharkiv.id}|2022-03-02|strike|%"],
    ).fetchone()
    assert row is not None
    return row[0]


def test_edited_article_is_counted_as_changed(store, seeds_copy):
    index(store, seeds_copy)
    _edit(seeds_copy, A002, TOLL_002, "killed 21 people and left 90 injured so far")
    report = index(store, seeds_copy)
    assert (0, 1, 3) == (report.new, report.changed, report.unchanged)


def test_edited_figure_replaces_the_old_one(store, seeds_copy):
    index(store, seeds_copy)
    _edit(seeds_copy, A002, TOLL_002, "killed 21 people and left 90 injured so far")
    index(store, seeds_copy)
    key = _toll_key(store)
    event = store.db.execute(
        "select injured_low, injured_high, n_sources from events where key = ?", [key]
    ).fetchone()
    assert (90, 112, 2) == tuple(event)


def test_edited_article_replaces_its_own_events_and_leaves_the_others(store, seeds_copy):
    index(store, seeds_copy)
    others_before = {
        k: articles_of(store, k) for k in event_keys(store) if A002 not in articles_of(store, k)
    }
    tv_tower = [k for k in event_keys(store) if k.endswith("|TV tower")]
    assert tv_tower
    paragraph = (seeds_copy / f"{A002}.txt").read_text(encoding="utf-8")
    start = paragraph.index(TV_TOWER_002)
    end = paragraph.index("\n", start)
    _edit(seeds_copy, A002, paragraph[start:end], "The ministry gave no details.")
    report = index(store, seeds_copy)
    assert report.events_removed >= 1
    assert not any(k.endswith("|TV tower") for k in event_keys(store))
    for key, sources in others_before.items():
        assert sources == articles_of(store, key)


def test_edited_article_has_only_its_new_mentions(store, seeds_copy):
    index(store, seeds_copy)
    before = count(store, "mentions")
    _edit(seeds_copy, A002, TOLL_002, "killed 21 people and left 90 injured so far")
    index(store, seeds_copy)
    assert before == count(store, "mentions")


def test_emptied_article_removes_events_it_alone_reported(store, seeds_copy):
    index(store, seeds_copy)
    only_002 = [k for k in event_keys(store) if articles_of(store, k) == {A002}]
    assert only_002
    (seeds_copy / f"{A002}.txt").write_text("Nothing happened today.\n", encoding="utf-8")
    index(store, seeds_copy)
    assert set() == set(only_002) & event_keys(store)
    assert (
        0
        == store.db.execute(
            "select count(*) from mentions where article_id = ?", [A002]
        ).fetchone()[0]
    )


def test_shared_event_loses_only_the_edited_source(store, seeds_copy):
    index(store, seeds_copy)
    key = _toll_key(store)
    assert {A002, A003} == articles_of(store, key)
    (seeds_copy / f"{A002}.txt").write_text("Nothing happened today.\n", encoding="utf-8")
    index(store, seeds_copy)
    assert {A003} == articles_of(store, key)
    row = store.db.execute(
        "select n_sources, injured_low, injured_high from events where key = ?", [key]
    ).fetchone()
    assert (1, 112, 112) == tuple(row)


def test_changed_manifest_date_reindexes(store, seeds_copy):
    index(store, seeds_copy)
    manifest = seeds_copy / "manifest.csv"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "000_1f394e2e2019cd86.txt,2022-03-03", "000_1f394e2e2019cd86.txt,2022-03-10"
        ),
        encoding="utf-8",
    )
    report = index(store, seeds_copy)
    assert (1, 3) == (report.changed, report.unchanged)


# --- bad articles --------------------------------------------------------------------------


def test_malformed_articles_are_reported_and_the_others_indexed(store, seeds_copy):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (seeds_copy / "latin1.txt").write_bytes("Kyiv café shelled".encode("latin-1"))
    report = index(store, seeds_copy)
    assert (4, 3) == (report.new, report.failed)
    assert 3 == len(report.problems)
    for name in ("empty.txt", "binary.txt", "latin1.txt"):
        assert any(name in p for p in report.problems)
    assert 4 == count(store, "articles")


def test_missing_path_is_reported(store, tmp_path):
    report = index(store, tmp_path / "nope")
    assert 1 == report.failed
    assert "nope" in report.problems[0]


def test_article_without_date_is_indexed_with_a_warning(store, tmp_path):
    (tmp_path / "a.txt").write_text("Russian missiles struck Kharkiv on Tuesday.", encoding="utf-8")
    report = index(store, tmp_path)
    assert 1 == report.new
    assert report.warnings
    row = store.db.execute("select published, published_source from articles").fetchone()
    assert (None, "unknown") == tuple(row)
    dates = {r[0] for r in store.db.execute("select date from mentions")}
    assert {None} == dates


def test_bad_manifest_date_is_reported_as_a_warning(store, tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "file,published,title,url,publisher\na.txt,03/02/2022,Title,,\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text(
        "date 2022-03-02 Russian missiles struck Kharkiv on Tuesday.", encoding="utf-8"
    )
    report = index(store, tmp_path)
    assert 1 == report.new
    assert any("03/02/2022" in w for w in report.warnings)


def test_extraction_crash_is_reported_and_the_others_indexed(store, seeds_dir, monkeypatch):
    import store.indexer as indexer

    real = indexer.extract_events

    def flaky(article, gazetteer):
        if article.id == A001:
            raise RuntimeError("boom")
        return real(article, gazetteer)

    monkeypatch.setattr(indexer, "extract_events", flaky)
    report = index(store, seeds_dir)
    assert (3, 1) == (report.new, report.failed)
    assert A001 in report.problems[0]
    assert 3 == count(store, "articles")


def test_impossible_header_date_is_not_fatal_to_the_run(store, tmp_path):
    (tmp_path / "a.txt").write_text("date 2022-02-30 Missiles struck Kharkiv.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2022-03-02 Missiles struck Kharkiv.", encoding="utf-8")
    report = index(store, tmp_path)
    assert 1 <= report.new
    assert 2 == report.new + report.failed


# --- batches -------------------------------------------------------------------------------


def _strike(article_id: str, town: str, killed: int) -> Article:
    text = f"A missile struck {town} on Tuesday, killing {killed} people, the governor said."
    return Article(article_id, text, date(2022, 3, 2), title=f"Strike on {town}")


def test_articles_past_one_batch_are_all_stored(store):
    towns = ["Kharkiv", "Odesa", "Lviv", "Dnipro", "Poltava", "Sumy", "Chernihiv", "Zhytomyr"]
    items = [_strike(f"a{i}", towns[i % len(towns)], i + 1) for i in range(indexer.BATCH + 5)]
    report = index_articles(store, items)
    assert (indexer.BATCH + 5, 0) == (report.new, report.failed)
    assert indexer.BATCH + 5 == count(store, "articles")
    assert report.events_added == count(store, "events")


def test_two_versions_of_an_article_in_one_batch_count_as_new_then_changed(store):
    report = index_articles(store, [_strike("a1", "Kharkiv", 3), _strike("a1", "Kharkiv", 5)])
    assert (1, 1) == (report.new, report.changed)
    killed = store.db.execute("select killed_low from events").fetchall()
    assert [(5,)] == killed


def test_a_failed_write_loses_no_article_stored_by_an_earlier_batch(store, monkeypatch):
    first = [_strike(f"a{i}", "Kharkiv", 2) for i in range(indexer.BATCH)]
    index_articles(store, first)
    real = store.replace_article

    def failing(article, candidates):
        if article.id == "b3":
            raise sqlite3.OperationalError("disk I/O error")
        return real(article, candidates)

    monkeypatch.setattr(store, "replace_article", failing)
    with pytest.raises(sqlite3.OperationalError):
        index_articles(store, [_strike(f"b{i}", "Odesa", 1) for i in range(5)])
    stored = {r[0] for r in store.db.execute("select id from articles")}
    assert {f"a{i}" for i in range(indexer.BATCH)} == stored  # the failed batch is undone whole


def test_articles_without_a_publication_date_that_name_what_was_hit_are_indexed(store):
    # Undated reports of a named target: nothing to compare them with across days, and no
    # crash (they once stopped the whole run).
    articles = [
        Article("u1", "A missile hit the railway station in Kramatorsk, killing 50 people.", None),
        Article("u2", "Russian forces shelled the railway station in Kramatorsk.", None),
    ]
    report = index_articles(store, articles)
    assert (2, 0) == (report.new, report.failed)
