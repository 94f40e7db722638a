"""The SQLite file: the seeds' events as stored, queries, full-text search, the gazetteer."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from conftest import SEED_PUBLISHED, SEEDS

import store.db as db_module
from store.cluster import merge_mentions
from store.db import EventKind, Store, content_hash
from store.extract.rules import is_trusted
from store.gazetteer import GAZETTEER_VERSION
from store.indexer import index_articles
from store.ingest import iter_articles
from store.models import Article, Place

A000, A001, A002, A003 = sorted(SEED_PUBLISHED)
TUE, WED, THU = date(2022, 3, 1), date(2022, 3, 2), date(2022, 3, 3)


@pytest.fixture(scope="module")
def seeded(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The seeds indexed once for this module's read-only queries."""
    path = tmp_path_factory.mktemp("seeded") / "sitrep.db"
    shutil.copy(template_db, path)
    store = Store(path)
    store.db.execute("pragma synchronous = off")  # durability is not under test
    index_articles(store, iter_articles([SEEDS]))
    yield store
    store.close()


def place(store: Store, name: str) -> Place:
    found = store.gazetteer().lookup(name)
    assert found is not None
    return found


def events_on(store: Store, name: str, day: date) -> list[dict]:
    events, _ = store.find_events(place(store, name), day, day, limit=100)
    return events


def one_event(
    store: Store,
    name: str,
    day: date,
    sub_event_type: str | None = None,
    target: str | None = None,
    family: str | None = None,
) -> dict:
    found = [
        e
        for e in events_on(store, name, day)
        if (sub_event_type is None or e["sub_event_type"] == sub_event_type)
        and (target is None or e["target"] == target)
        and (family is None or f"|{family}|" in e["key"])
    ]
    assert 1 == len(found), [(e["key"], e["n_sources"]) for e in events_on(store, name, day)]
    return found[0]


def source_ids(store: Store, event: dict) -> set[str]:
    return {m["article_id"] for m in store.sources([event["key"]])[event["key"]]}


# --- acceptance: the seeds' events in the database -----------------------------------------


def test_kharkiv_tuesday_strike_on_administration_building(seeded):
    event = one_event(seeded, "Kharkiv", TUE, target="administration building", family="strike")
    assert 2 == event["n_sources"]
    assert {A002, A003} == source_ids(seeded, event)
    assert "Explosions/Remote violence" == event["event_type"]


def test_kharkiv_wednesday_paratroopers_landed(seeded):
    event = one_event(seeded, "Kharkiv", WED, sub_event_type="Armed clash", target="")
    assert 2 == event["n_sources"]
    assert {A002, A003} == source_ids(seeded, event)


def test_attack_on_a_hospital(seeded):
    event = one_event(seeded, "Kharkiv", WED, target="hospital")
    assert 2 == event["n_sources"]
    assert {A002, A003} == source_ids(seeded, event)


def test_kharkiv_shelling_toll_merged_as_a_range(seeded):
    tolls = [e for e in events_on(seeded, "Kharkiv", WED) if e["killed_low"] is not None]
    assert 1 == len(tolls)
    toll = tolls[0]
    assert 21 == toll["killed_low"]
    assert toll["killed_high"] in (21, None)
    assert (100, 112) == (toll["injured_low"], toll["injured_high"])
    assert 2 == toll["n_sources"]
    assert {A002, A003} == source_ids(seeded, toll)
    assert "Oleg Synegubov" in toll["claimed_by"]


def test_kharkiv_thursday_administrative_building_taken(seeded):
    event = one_event(
        seeded,
        "Kharkiv",
        THU,
        sub_event_type="Non-state actor overtakes territory",
        target="administration building",
    )
    assert A001 in source_ids(seeded, event)


def test_kherson_captured_on_wednesday_from_three_sources(seeded):
    event = one_event(seeded, "Kherson", WED, sub_event_type="Non-state actor overtakes territory")
    assert 3 == event["n_sources"]
    assert {A001, A002, A003} == source_ids(seeded, event)
    assert "defence ministry" in event["claimed_by"].lower()


def test_kherson_sources_list_the_claims(seeded):
    event = one_event(seeded, "Kherson", WED, sub_event_type="Non-state actor overtakes territory")
    claims = {
        m["article_id"] for m in seeded.sources([event["key"]])[event["key"]] if m["is_claim"]
    }
    assert {A001, A002} <= claims


def test_mariupol_airstrikes_on_civilian_infrastructure(seeded):
    event = one_event(seeded, "Mariupol", THU, target="civilian infrastructure")
    assert "Air/drone strike" == event["sub_event_type"]
    assert {A001} == source_ids(seeded, event)


def test_kyiv_tuesday_tv_tower_claimed_by_russia(seeded):
    event = one_event(seeded, "Kyiv", TUE, target="TV tower")
    assert 1 == event["is_claim"]
    assert "Defense Ministry" in event["claimed_by"]
    assert {A002} == source_ids(seeded, event)


def test_nothing_dated_february_24(seeded):
    assert (
        0
        == seeded.db.execute("select count(*) from mentions where date = '2022-02-24'").fetchone()[
            0
        ]
    )


def test_nothing_after_publication(seeded):
    late = seeded.db.execute(
        "select m.article_id, m.date from mentions m join articles a on a.id = m.article_id"
        " where m.date > a.published"
    ).fetchall()
    assert [] == late


def test_no_event_in_russia_or_belarus(seeded):
    assert (
        0
        == seeded.db.execute(
            "select count(*) from events e join places p on p.id = e.place_id"
            " where p.country in ('RU', 'BY')"
        ).fetchone()[0]
    )


def test_n_sources_matches_the_trusted_articles_listed(seeded):
    events, _ = seeded.find_events(limit=1000)
    sources = seeded.sources([e["key"] for e in events])
    for e in events:
        trusted = {m["article_id"] for m in sources[e["key"]] if m["confidence"] >= 0.5}
        assert len(trusted or {m["article_id"] for m in sources[e["key"]]}) == e["n_sources"]


# --- queries -------------------------------------------------------------------------------


def test_find_events_newest_first(seeded):
    events, total = seeded.find_events(place(seeded, "Kharkiv"), limit=100)
    assert total == len(events)
    days = [e["date"] for e in events]
    assert sorted(days, reverse=True) == days


def test_find_events_pages(seeded):
    kharkiv = place(seeded, "Kharkiv")
    everything, total = seeded.find_events(kharkiv, limit=100)
    first, _ = seeded.find_events(kharkiv, limit=2)
    second, _ = seeded.find_events(kharkiv, limit=2, offset=2)
    assert [e["id"] for e in everything[:4]] == [e["id"] for e in first + second]
    assert total > 2


def test_find_events_by_oblast_includes_its_cities(seeded):
    oblast = place(seeded, "Kharkiv Oblast")
    assert "oblast" == oblast.kind
    _, in_oblast = seeded.find_events(oblast, limit=1)
    _, in_city = seeded.find_events(place(seeded, "Kharkiv"), limit=1)
    assert in_oblast >= in_city > 0


def test_find_events_date_range(seeded):
    events, _ = seeded.find_events(None, TUE, TUE, limit=100)
    assert events
    assert {"2022-03-01"} == {e["date"] for e in events}


def test_find_events_on_a_quiet_day(seeded):
    assert ([], 0) == seeded.find_events(
        place(seeded, "Kharkiv"), date(2022, 1, 1), date(2022, 1, 1)
    )


def test_nearest_dates(seeded):
    days = seeded.nearest_dates(place(seeded, "Kharkiv"), date(2022, 3, 10))
    assert THU == days[0]


def test_event_by_id_has_its_place(seeded):
    first, _ = seeded.find_events(place(seeded, "Kyiv"), limit=1)
    event = seeded.event(first[0]["id"])
    assert "Kyiv" == event["place_name"]
    assert seeded.event(10**9) is None


def test_sources_of_no_keys(seeded):
    assert {} == seeded.sources([])


def test_sources_carry_article_metadata(seeded):
    event = one_event(seeded, "Kyiv", TUE, target="TV tower")
    mentions = seeded.sources([event["key"]])[event["key"]]
    mention = next(m for m in mentions if "TV tower" in m["sentence"])
    assert "2022-03-02" == mention["published"]
    assert "Russian shelling destroys regional police department in Kharkiv" == mention["title"]
    assert "TV tower" in mention["sentence"]


def test_articles_listed(seeded):
    assert set(SEED_PUBLISHED) == {a["id"] for a in seeded.articles()}


def test_stats(seeded):
    stats = seeded.stats()
    assert 4 == stats["articles"]
    assert stats["events"] > 0
    assert stats["multi_source_events"] >= 4
    assert stats["last_date"] == "2022-03-03"


def test_places_with_events(seeded):
    names = [name for name, _ in seeded.places_with_events()]
    assert "Kharkiv" == names[0]
    assert {"Kherson", "Kyiv", "Mariupol"} <= set(names)


# --- full-text search ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ['"', "*", "NEAR", "-", "(", ")", "hospital OR", "AND", "NOT", "^", "col:x", "'", "a*b", ""],
)
def test_search_never_raises_on_fts_syntax(seeded, word):
    assert isinstance(seeded.search([word]), list)
    assert isinstance(seeded.count_search([word]), int)


@pytest.mark.parametrize(
    "words",
    [["hospital", "OR"], ["NEAR(", "Kharkiv"], ['"hospital'], ["-hospital"], ["hospital*"]],
)
def test_search_never_raises_on_several_words(seeded, words):
    assert isinstance(seeded.search(words), list)


def test_search_finds_the_hospital_event(seeded):
    found = seeded.search(["hospital"], limit=20)
    assert any(e["target"] == "hospital" and e["place_name"] == "Kharkiv" for e in found)


def test_search_is_case_insensitive(seeded):
    assert [e["id"] for e in seeded.search(["HOSPITAL"])] == [
        e["id"] for e in seeded.search(["hospital"])
    ]


def test_search_by_place_name(seeded):
    assert any(e["place_name"] == "Mariupol" for e in seeded.search(["Mariupol"]))


def test_search_needs_every_word(seeded):
    assert [] == seeded.search(["hospital", "Mariupol"])


def test_search_nothing(seeded):
    assert [] == seeded.search([])
    assert [] == seeded.search(["zzzzunknownword"])
    assert 0 == seeded.count_search([])


def test_search_newest_first(seeded):
    found = seeded.search(["Kharkiv"], limit=50)
    days = [e["date"] for e in found]
    assert sorted(days, reverse=True) == days


def test_count_search_agrees_with_search(seeded):
    assert len(seeded.search(["hospital"], limit=100)) == seeded.count_search(["hospital"])


# --- the gazetteer lives in the file -------------------------------------------------------


def test_places_table_is_filled(store):
    assert store.db["places"].count > 1000
    assert store.db["place_names"].count > store.db["places"].count
    assert GAZETTEER_VERSION == store.meta("gazetteer_version")


def test_second_store_on_the_same_file_does_not_recompile(db_path, monkeypatch):
    def fail():
        raise AssertionError("the gazetteer was compiled again")

    monkeypatch.setattr(db_module, "compile_gazetteer", fail)
    again = Store(db_path)
    try:
        assert "Kharkiv" == again.gazetteer().lookup("Kharkiv").name
        assert GAZETTEER_VERSION == again.meta("gazetteer_version")
    finally:
        again.close()


def test_gazetteer_compiled_once_per_new_file(tmp_path, monkeypatch):
    calls = []
    kharkiv = Place(706483, "Kharkiv", "07", "Kharkiv Oblast", population=1_421_125)

    def tiny():
        calls.append(1)
        return [kharkiv], [("kharkiv", kharkiv.id)]

    monkeypatch.setattr(db_module, "compile_gazetteer", tiny)
    path = tmp_path / "new.db"
    first = Store(path)
    assert kharkiv == first.gazetteer().lookup("Kharkiv")
    first.gazetteer()
    first.close()
    second = Store(path)
    assert kharkiv == second.gazetteer().lookup("Kharkiv")
    second.close()
    assert [1] == calls
    assert GAZETTEER_VERSION == Store(path).meta("gazetteer_version")


def test_schema_creation_is_idempotent(db_path):
    for _ in range(2):
        Store(db_path).close()
    again = Store(db_path)
    assert {"articles", "events", "mentions", "places", "place_names", "meta"} <= set(
        again.db.table_names()
    )
    again.close()


# --- writes --------------------------------------------------------------------------------


def test_content_hash_changes_with_text_and_metadata():
    base = Article("a", "Text.", date(2022, 3, 2), title="T")
    assert content_hash(base) == content_hash(Article("a", "Text.", date(2022, 3, 2), title="T"))
    assert content_hash(base) != content_hash(Article("a", "Text!", date(2022, 3, 2), title="T"))
    assert content_hash(base) != content_hash(Article("a", "Text.", date(2022, 3, 3), title="T"))
    assert content_hash(base) != content_hash(Article("a", "Text.", date(2022, 3, 2), title="U"))


def test_replace_article_without_candidates_stores_the_article(store):
    article = Article("a", "Nothing happened.", None)
    assert {"added": 0, "updated": 0, "removed": 0} == store.replace_article(article, [])
    assert content_hash(article) == store.article_hash("a")
    assert store.db["articles"].get("a")["published"] is None


def test_is_empty(store):
    assert store.is_empty()
    store.replace_article(Article("a", "Nothing happened.", None), [])
    assert not store.is_empty()


def test_seeded_store_fixture_is_filled(seeded_store):
    assert not seeded_store.is_empty()
    assert 4 == seeded_store.db["articles"].count


# --- no events the seeds do not report (tests/gold/seeds.jsonl notes) -----------------------


def test_kherson_so_far_is_no_thursday_event(seeded):
    # 001: "allowed Russians to take control of only Kherson so far" restates Wednesday's capture.
    assert [] == [e["key"] for e in events_on(seeded, "Kherson", THU)]


def test_temple_in_view_is_not_a_target(seeded):
    # 000: "the strike took place in the centre of Kharkiv as a temple is also visible".
    assert [] == [e["key"] for e in events_on(seeded, "Kharkiv", THU) if e["target"] == "church"]


@pytest.mark.parametrize("day", [WED, THU])
def test_convoy_advancing_on_kyiv_is_no_event(seeded, day):
    assert [] == [e["key"] for e in events_on(seeded, "Kyiv", day)]


def test_stats_follow_an_indexing_run_in_another_process(store, db_path):
    before = store.stats()["articles"]
    indexer = Store(db_path)  # another connection to the file, as `sitrep index` would be
    try:
        index_articles(indexer, iter_articles([SEEDS]))
    finally:
        indexer.close()
    assert before + 4 == store.stats()["articles"]


def test_places_load_as_tuples_in_the_field_order_of_place():
    # Store.gazetteer builds Place(*row) from a select of _PLACE_COLUMNS: the orders must agree.
    import dataclasses

    from store.db import _PLACE_COLUMNS

    assert [f.name for f in dataclasses.fields(Place)] == list(_PLACE_COLUMNS)


def test_an_event_id_is_never_given_again_after_its_event_is_removed(store, tmp_path):
    school = "date 2022-03-10\nA Russian missile strike hit a school in Odesa on Thursday.\n"
    (tmp_path / "a.txt").write_text(school, encoding="utf-8")
    index_articles(store, iter_articles([tmp_path]))
    [old_id] = [r[0] for r in store.db.execute("select id from events")]
    (tmp_path / "a.txt").write_text("date 2022-03-10\nNothing happened.\n", encoding="utf-8")
    assert 1 == index_articles(store, iter_articles([tmp_path])).events_removed
    (tmp_path / "b.txt").write_text(school.replace("Odesa", "Kharkiv"), encoding="utf-8")
    index_articles(store, iter_articles([tmp_path]))
    [new_id] = [r[0] for r in store.db.execute("select id from events")]
    assert new_id > old_id
    assert store.event(old_id) is None
    assert [(old_id, None)] == store.db.execute(
        "select id, replaced_by from event_tombstones"
    ).fetchall()


def test_an_edited_story_names_the_event_that_replaces_the_old_one(store, tmp_path):
    school = "date 2022-03-10\nA Russian missile strike hit a school in Odesa on Thursday.\n"
    (tmp_path / "a.txt").write_text(school, encoding="utf-8")
    index_articles(store, iter_articles([tmp_path]))
    [old_id] = [r[0] for r in store.db.execute("select id from events")]
    (tmp_path / "a.txt").write_text(school.replace("Odesa", "Kharkiv"), encoding="utf-8")
    index_articles(store, iter_articles([tmp_path]))
    [new_id] = [r[0] for r in store.db.execute("select id from events")]
    assert [(old_id, new_id)] == store.db.execute(
        "select id, replaced_by from event_tombstones"
    ).fetchall()


def test_an_article_already_stored_by_another_indexer_is_not_written_again(store):
    article = Article("a", "Nothing happened.", None)
    store.replace_article(article, [])
    seq = store.meta("seq")
    assert store.replace_article(article, []) is None
    assert seq == store.meta("seq")


def test_a_writer_waits_for_another_processs_transaction_instead_of_failing(db_path):
    first = Store(db_path)
    inside, done, errors = threading.Event(), threading.Event(), []

    def other_writer() -> None:
        second = Store(db_path)  # its own connection, as another process has
        inside.wait()
        try:
            with second.write():  # reads, then writes: the pattern that failed when deferred
                seq = int(second.meta("seq") or 0)
                second.set_meta("seq", str(seq + 1))
        except Exception as exc:  # pragma: no cover - the failure this test is about
            errors.append(exc)
        second.close()
        done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.write():
        seq = int(first.meta("seq") or 0)
        inside.set()
        first.set_meta("seq", str(seq + 1))
    assert done.wait(30)
    thread.join()
    assert ([], str(seq + 2)) == (errors, first.meta("seq"))
    first.close()


def test_search_matches_word_forms_and_an_old_index_is_rebuilt_to_do_so(db_path):
    from datetime import date as day

    from store.models import Article

    store = Store(db_path)
    text = "Russian missiles hit two hospitals in Kharkiv on Tuesday."
    index_articles(store, iter([Article("h", text, day(2022, 3, 2))]))
    assert 1 == len(store.search(["hospital"]))
    # A file from before: the search index without the stemmer.
    store.db.execute("drop table events_fts")
    store.db.execute(
        "create virtual table events_fts using fts5("
        "summary, sentences, place, tokenize = 'unicode61 remove_diacritics 2')"
    )
    store.close()
    reopened = Store(db_path)
    assert 1 == len(reopened.search(["hospital"]))


def test_a_file_from_before_edits_and_thresholds_gains_their_columns_and_starts_digests_now(
    tmp_path,
):
    """A ledger and subscriptions as the bot wrote them before: opening adds the columns, and
    the old subscription's digests start at the file's current sequence, not at its first event."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("create table meta (key text primary key, value text)")
        old.execute("insert into meta values ('seq', '41')")
        old.execute(
            "create table subscriptions (id integer primary key, chat_id integer,"
            " thread_id integer default 0, scope text, place_id integer, label text,"
            " event_type text, include_words text default '', exclude_words text default '',"
            " active integer default 1)"
        )
        old.execute("insert into subscriptions (chat_id, scope, label) values (-1, 'all', 'all')")
        old.execute(
            "create table deliveries (chat_id integer, thread_id integer, event_id integer,"
            " revision integer, sent_revision integer default 0, message_id integer,"
            " status text default 'pending', primary key (chat_id, thread_id, event_id))"
        )
    store = Store(path)
    try:
        deliveries = store.db["deliveries"].columns_dict
        assert {"last_message_id", "sent_at", "replied_at", "notified_toll", "shown_hash"} <= set(
            deliveries
        )
        row = next(store.db.query("select min_count, min_of, since_seq from subscriptions"))
        assert row == {"min_count": None, "min_of": None, "since_seq": 41}
    finally:
        store.close()


# --- incremental merging -------------------------------------------------------------------


def _copies(k: int) -> list[Article]:
    """The seeds again under other ids and urls: the same text, new sources of each event."""
    return [
        dataclasses.replace(a, id=f"copy{k}/{a.id}", url=f"https://example.org/{k}/{a.id}")
        for a in iter_articles([SEEDS])
    ]


def _merged_from_every_mention(store: Store, key: str) -> dict:
    mentions = store._rows(
        "select m.*, a.published from mentions m left join articles a on a.id = m.article_id"
        " where m.event_key = ? order by m.id",
        [key],
    )
    return merge_mentions(key, mentions)


def _assert_events_as_merged_from_every_mention(store: Store) -> None:
    for event in store._rows("select * from events", []):
        full = _merged_from_every_mention(store, event["key"])
        assert {k: event[k] for k in full} == full, event["key"]
        text = store.db.execute(
            "select sentences from events_fts where rowid = ?", [event["fts_rowid"]]
        ).fetchone()
        if is_trusted(event["confidence"]):
            assert store._sentences(event["key"]) == text[0]
        else:
            assert text is None


def test_events_updated_from_their_tallies_are_those_merged_from_every_mention(store):
    index_articles(store, iter_articles([SEEDS]))
    for k in range(3):
        index_articles(store, _copies(k))
    _assert_events_as_merged_from_every_mention(store)
    widest = store.db.execute("select max(n_sources) from events").fetchone()[0]
    assert 4 * len(SEED_PUBLISHED) >= widest >= 4


def test_an_event_told_again_in_the_same_words_keeps_its_search_row(store):
    index_articles(store, iter_articles([SEEDS]))
    before = store.db.execute("select rowid, sentences from events_fts order by rowid").fetchall()
    writes = []
    store.db.conn.set_trace_callback(
        lambda sql: writes.append(sql) if sql.startswith("insert into events_fts") else None
    )
    index_articles(store, _copies(0))
    store.db.conn.set_trace_callback(None)
    after = store.db.execute("select rowid, sentences from events_fts order by rowid").fetchall()
    # Events the new sources lift over the confidence cut become searchable; no other row is
    # written again.
    assert set(before) <= set(after)
    assert len(after) - len(before) == len(writes)


def test_a_file_made_before_tallies_merges_its_events_again_from_every_mention(store):
    index_articles(store, iter_articles([SEEDS]))
    store.db.execute("update events set tally = null")
    index_articles(store, _copies(0))
    assert 0 == store.db.execute("select count(*) from events where tally is null").fetchone()[0]
    _assert_events_as_merged_from_every_mention(store)


# --- counts kept by triggers (issue 17): the same answers as counting the rows ---------------

REPLAY = Path(__file__).resolve().parent / "data" / "replay_kramatorsk"


def counted_from_rows(store: Store) -> dict:
    """What the count tables stand for, counted from the events and articles themselves with
    the queries the Store ran before it kept counts."""
    q = store.db.execute
    shown = "confidence >= 0.5"
    one = q(
        f"select count(*), min(date), max(date), sum(n_sources > 1) from events where {shown}"
    ).fetchone()
    places = q(
        "select p.name, count(*) from events e join places p on p.id = e.place_id"
        f" where e.{shown} group by p.id order by count(*) desc, p.id"
    ).fetchall()
    return {
        "articles": q("select count(*) from articles").fetchone()[0],
        "events": one[0],
        "first_date": one[1],
        "last_date": one[2],
        "multi_source_events": one[3] or 0,
        "places": len(places),
        "by_type": q(
            f"select event_type, count(*) from events where {shown}"
            " group by event_type order by count(*) desc, event_type"
        ).fetchall(),
        "busiest": places,
    }


def kept(store: Store) -> dict:
    return {**store.stats(), "busiest": store.places_with_events()}


def nearest_from_rows(store: Store, where: Place | None, day: date) -> list[date]:
    joined, params = "", []
    if where is not None and where.is_ua_oblast:
        joined, params = " and p.admin1 = ? and p.country = 'UA'", [where.admin1]
    elif where is not None:
        joined, params = " and e.place_id = ?", [where.id]
    rows = store.db.execute(
        "select distinct e.date from events e join places p on p.id = e.place_id"
        f" where e.confidence >= 0.5 and e.date is not null{joined}",
        params,
    ).fetchall()
    days = [date.fromisoformat(r[0]) for r in rows]
    return sorted(days, key=lambda d: (abs(d - day), d))[:3]


def count_from_rows(
    store: Store, where: Place | None, first: date | None, last: date | None, kind: EventKind
):
    clauses, params = ["e.confidence >= 0.5"], []
    if kind.type:
        clauses.append("(e.sub_event_type = ? or e.event_type = ?)")
        params += [kind.type, kind.type]
    if kind.target:
        clauses.append("e.target = ?")
        params.append(kind.target)
    if kind.killed:
        clauses.append("coalesce(e.killed_qualifier, '') != ''")
    if where is not None and where.is_ua_oblast:
        clauses.append("p.admin1 = ? and p.country = 'UA'")
        params.append(where.admin1)
    elif where is not None:
        clauses.append("e.place_id = ?")
        params.append(where.id)
    for bound, op in ((first, ">="), (last, "<=")):
        if bound is not None:
            clauses.append(f"e.date {op} ?")
            params.append(bound.isoformat())
    return store.db.execute(
        "select count(*) from events e join places p on p.id = e.place_id"
        f" where {' and '.join(clauses)}",
        params,
    ).fetchone()[0]


KINDS = [
    EventKind(),
    EventKind("Shelling/artillery/missile attack"),
    EventKind("Explosions/Remote violence"),
    EventKind("Battles", killed=True),
    EventKind(target="railway station"),
    EventKind("Air/drone strike", "administration building"),
    EventKind(killed=True),
]


def assert_counts_agree(store: Store) -> None:
    assert counted_from_rows(store) == kept(store)
    names = [None, "Kharkiv", "Kyiv", "Kramatorsk", "Kharkiv Oblast", "Donetsk Oblast", "Lviv"]
    wheres = [None if n is None else place(store, n) for n in names]
    days = [date(2022, 2, 1), TUE, WED, date(2022, 4, 7), date(2022, 4, 9), date(2023, 1, 1)]
    for where in wheres:
        for day in days:
            assert nearest_from_rows(store, where, day) == store.nearest_dates(where, day)
        for first, last in [(None, None), (TUE, THU), (WED, None), (None, WED), (THU, TUE)]:
            for kind in KINDS:
                expected = count_from_rows(store, where, first, last, kind)
                assert expected == store.find_events(where, first, last, limit=1, kind=kind)[1]
    ids = [p.id for p in wheres if p is not None]
    with_events = {
        r[0] for r in store.db.execute("select place_id from events where confidence >= 0.5")
    }
    assert with_events & set(ids) == store.places_with_shown_events(ids)


def test_kept_counts_agree_with_the_rows_after_the_seeds(seeded):
    assert seeded.stats()["events"] > 0
    assert_counts_agree(seeded)


def test_kept_counts_follow_reports_rehomed_and_events_rebuilt(seeded_store):
    # The Kramatorsk replay joins later reports to earlier events and rehomes reports told
    # before their event: events are rebuilt, emptied and removed along the way.
    for article in sorted(iter_articles([REPLAY]), key=lambda a: a.id):
        index_articles(seeded_store, [article])
        assert_counts_agree(seeded_store)


def test_kept_counts_follow_a_corrected_article_and_a_withdrawn_one(seeded_store):
    article = next(a for a in iter_articles([SEEDS]) if a.id == A002)
    moved = article.text.replace("Kharkiv", "Odesa").replace("Kherson", "Mykolaiv")
    index_articles(seeded_store, [Article(**{**article.__dict__, "text": moved})])
    assert seeded_store.db.execute("select count(*) from event_tombstones").fetchone()[0] > 0
    assert_counts_agree(seeded_store)
    emptied = "Nothing happened today, the correspondent wrote."
    index_articles(seeded_store, [Article(**{**article.__dict__, "text": emptied})])
    assert_counts_agree(seeded_store)


def test_kept_counts_follow_another_writer_and_a_file_made_before_them(seeded_store, db_path):
    shell = sqlite3.connect(db_path)  # the sqlite3 shell, knowing nothing of the counts
    with shell:
        shell.execute("update events set confidence = 0.1 where id = (select min(id) from events)")
        shell.execute("delete from events where id = (select max(id) from events)")
        shell.execute("update events set date = '2022-03-20' where date = '2022-03-01'")
        shell.execute("update events set place_id = ? where place_id = ?", [
            place(seeded_store, "Lviv").id, place(seeded_store, "Kyiv").id
        ])  # fmt: skip
        shell.execute("delete from articles where id = ?", [A001])
    assert_counts_agree(seeded_store)
    # A file made before the counts: its tables are made and counted when it is opened.
    with shell:
        for table in ("day_counts", "place_day_counts", "place_counts", "article_counts"):
            shell.execute(f"drop table {table}")
        shell.execute("delete from meta where key = 'counts_version'")
    shell.close()
    reopened = Store(db_path)
    try:
        assert_counts_agree(reopened)
        assert 0 < reopened.stats()["articles"]
    finally:
        reopened.close()
