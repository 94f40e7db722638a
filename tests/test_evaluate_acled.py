"""Scoring against ACLED rows: the rules on hand-built events, then a small ACLED-format file
of invented rows through the real indexer, export and a real SQLite file, and the CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from store.acled import (
    ACLED_COLUMNS,
    AcledFormatError,
    AcledRow,
    AcledRun,
    ExportedEvent,
    oblast_name,
    published_day,
    read_acled,
    run_rows,
)
from store.acled_report import format_acled, format_run, write_misses
from store.db import Store
from store.evaluate_acled import (
    RowVerdict,
    date_cause,
    distance_km,
    fatality_cause,
    is_bookkeeping,
    judge_row,
    judge_run,
    place_cause,
    place_fair,
    place_strict,
    score_verdicts,
    type_cause,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "acled_sample.csv"

REMOTE = "Explosions/Remote violence"
SHELLING = "Shelling/artillery/missile attack"
BATTLES = "Battles"
CLASH = "Armed clash"
AIR = "Air/drone strike"

# Real coordinates of real towns (facts), for rows and events made up here.
IZIUM = (49.21, 37.26)
KHARKIV = (49.99, 36.23)
BALAKLIIA = (49.46, 36.86)
LVIV = (49.84, 24.03)


def row(
    location="Izium",
    admin1="Kharkiv",
    point=IZIUM,
    precision=1,
    day="2022-03-03",
    sub=SHELLING,
    kind=REMOTE,
    fatalities=0,
    notes="On 3 March 2022, Russian forces shelled Izium, Kharkiv.",
    row_id="R1",
    admin2="Iziumskyi",
    admin3="Iziumska",
) -> AcledRow:
    return AcledRow(
        id=row_id,
        event_date=date.fromisoformat(day),
        event_type=kind,
        sub_event_type=sub,
        admin1=admin1,
        admin2=admin2,
        admin3=admin3,
        location=location,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        geo_precision=precision,
        fatalities=fatalities,
        notes=notes,
    )


def event(
    place="Izyum",
    oblast="Kharkiv Oblast",
    point=IZIUM,
    precision="exact",
    day="2022-03-03",
    sub=SHELLING,
    kind=REMOTE,
    killed=None,
    killed_high=None,
    articles=("R1",),
    event_id=1,
) -> ExportedEvent:
    return ExportedEvent(
        event_id=event_id,
        date=day,
        place=place,
        place_precision=precision,
        oblast=oblast,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        event_type=kind,
        sub_event_type=sub,
        killed_low=killed,
        killed_high=killed_high,
        article_ids=articles,
    )


OBLAST = {"place": "Kharkiv Oblast", "precision": "oblast", "point": None}
AT_CAPITAL = {"place": "Kharkiv", "point": KHARKIV}


def judge(acled_row: AcledRow, events, known: str | None = "Izyum", rows=None) -> RowVerdict:
    return judge_row(acled_row, events, published="2022-03-04", gazetteer_name=known, rows=rows)


# Rows' articles: R2 a second report from Izium, R3 one from Lviv, R4 from a village nearby.
ROWS = {
    "R1": row(),
    "R2": row(row_id="R2", notes="On 3 March 2022, Izium, Kharkiv, was shelled again."),
    "R3": row("Lviv", "Lviv", LVIV, row_id="R3", notes="On 3 March 2022, a blast in Lviv."),
    "R4": row(
        "Kapytolivka",
        point=(49.13, 37.28),
        row_id="R4",
        notes="On 3 March 2022, Russian forces shelled Kapytolivka, Kharkiv.",
    ),
}


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "admin1"),
    [
        ("Kharkiv Oblast", "Kharkiv"),
        ("Zaporizhzhia Oblast", "Zaporizhia"),
        ("Kirovohrad Oblast", "Kirovograd"),
        ("Ivano-Frankivsk Oblast", "Ivano-Frankivsk"),
        ("Kyiv City", "Kyiv City"),
        ("Kyiv Oblast", "Kyiv"),
        ("Autonomous Republic of Crimea", "Crimea"),
        ("Sevastopol", "Sevastopol"),
        (None, "Black Sea"),
    ],
)
def test_acled_admin1_names_map_to_our_oblasts(expected, admin1):
    assert expected == oblast_name(admin1)


def test_the_sample_file_reads_in_acled_columns():
    rows = read_acled(SAMPLE)
    assert 11 == len(rows)
    assert "TST001" == rows[0].id
    assert date(2022, 3, 3) == rows[0].event_date
    assert 2 == rows[0].fatalities
    assert 3 == rows[2].geo_precision
    assert ["TST001", "TST002"] == [r.id for r in read_acled(SAMPLE, limit=2)]


def test_a_file_without_acled_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(AcledFormatError, match="event_id_cnty"):
        read_acled(path)


def test_a_bad_value_names_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    values = {c: "x" for c in ACLED_COLUMNS}
    path.write_text(",".join(ACLED_COLUMNS) + "\n" + ",".join(values.values()) + "\n")
    with pytest.raises(AcledFormatError, match=":2:"):
        read_acled(path)


def test_publication_is_zero_to_two_days_after_the_event_and_the_same_every_run():
    rows = read_acled(SAMPLE)
    delays = [(published_day(r) - r.event_date).days for r in rows]
    assert set(delays) <= {0, 1, 2}
    assert len(set(delays)) > 1  # not one offset for every row
    assert delays == [(published_day(r) - r.event_date).days for r in read_acled(SAMPLE)]


# --- place ---------------------------------------------------------------------------------


def test_distance_between_two_towns():
    assert 100 < distance_km(*IZIUM, *KHARKIV) < 125
    assert 35 < distance_km(*IZIUM, *BALAKLIIA) < 50
    assert 0.0 == distance_km(*LVIV, *LVIV)


@pytest.mark.parametrize(
    ("expected", "acled_row", "exported"),
    [
        (True, row(), event()),  # near, whatever the spelling
        (True, row(), event(place="Izium", point=LVIV)),  # named as the location
        (True, row(admin3="Balakliiska"), event(place="Balakliiska", point=LVIV)),  # admin3
        (False, row(), event(place="Izium", oblast="Lviv Oblast", point=LVIV)),  # a namesake
        (False, row(), event(**AT_CAPITAL)),  # 110 km away
        (False, row(), event(**OBLAST)),  # the oblast is no town
        (False, row(precision=3), event(**OBLAST)),  # ... not even strictly for a region row
        (
            True,
            row("Kyiv", "Kyiv City", (50.45, 30.52)),
            event("Kyiv City", "Kyiv City", None, "oblast"),
        ),
    ],
)
def test_place_strict(expected, acled_row, exported):
    assert expected == place_strict(acled_row, exported)


@pytest.mark.parametrize(
    ("expected", "acled_row", "exported"),
    [
        (True, row(), event()),
        (True, row(precision=3), event(**OBLAST)),  # a region-level row: the oblast is right
        (False, row(precision=1), event(**OBLAST)),
        (False, row(precision=3), event("Lviv Oblast", "Lviv Oblast", None, "oblast")),
        # A region-level row coded at Kyiv may be Kyiv Oblast's report (Kyiv is its capital).
        (
            True,
            row("Kyiv", "Kyiv City", (50.45, 30.52), 3),
            event("Kyiv Oblast", "Kyiv Oblast", None, "oblast"),
        ),
    ],
)
def test_place_fair(expected, acled_row, exported):
    assert expected == place_fair(acled_row, exported)


@pytest.mark.parametrize(
    ("expected", "acled_row", "events", "known"),
    [
        (None, row(), [event()], "Izyum"),
        (None, row(precision=3, location="Kharkiv", point=KHARKIV), [event(**OBLAST)], "Kharkiv"),
        ("no event", row(), [], "Izyum"),
        ("phantom capital of a named oblast", row(), [event(), event(**AT_CAPITAL)], "Izyum"),
        ("phantom elsewhere", row(), [event(), event(**OBLAST)], "Izyum"),
        ("phantom elsewhere", row(), [event(), event("Lviv", "Lviv Oblast", LVIV)], "Izyum"),
        (
            "town instead of oblast",
            row(precision=3, location="Kharkiv", point=KHARKIV),
            [event("Izyum", point=IZIUM)],
            "Kharkiv",
        ),
        ("not in gazetteer", row(location="Nowhereivka"), [event(**AT_CAPITAL)], None),
        ("oblast instead of town", row(), [event(**OBLAST)], "Izyum"),
        ("wrong namesake", row(), [event("Izyum", "Lviv Oblast", LVIV)], "Izyum"),
        ("wrong namesake", row(), [event("Izium", "Lviv Oblast", LVIV)], "Izyum"),
        ("capital of a named oblast", row(), [event(**AT_CAPITAL)], "Izyum"),
        ("other place", row(), [event("Lviv", "Lviv Oblast", LVIV)], "Izyum"),
    ],
)
def test_place_causes(expected, acled_row, events, known):
    assert expected == place_cause(acled_row, events, known)


def test_clean_means_every_event_of_the_row_is_at_its_place():
    fair_but_not_clean = judge(row(), [event(), event(**AT_CAPITAL)])
    assert (True, True, False) == (
        fair_but_not_clean.place_strict,
        fair_but_not_clean.place_fair,
        fair_but_not_clean.place_clean,
    )
    assert judge(row(), [event(), event(event_id=2, sub=CLASH, kind=BATTLES)]).place_clean


# --- date, type, fatalities, over-merging --------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "events"),
    [
        (None, [event(day="2022-03-03")]),
        (None, [event(day="2022-03-04"), event(day="2022-03-03")]),
        ("no event", []),
        ("undated", [event(day=None)]),
        ("publication day", [event(day="2022-03-04")]),
        ("other day", [event(day="2022-03-01")]),
    ],
)
def test_date_causes(expected, events):
    assert expected == date_cause(row(), events, "2022-03-04")


@pytest.mark.parametrize(
    ("expected", "events"),
    [
        (None, [event()]),
        ("no event", []),
        ("other sub-type", [event(sub=AIR)]),
        ("other type", [event(sub=CLASH, kind=BATTLES)]),
    ],
)
def test_type_causes(expected, events):
    assert expected == type_cause(row(), events)


@pytest.mark.parametrize(
    ("expected", "fatalities", "events", "notes"),
    [
        (None, 2, [event(killed=2)], ""),
        (None, 2, [event(killed=5), event(event_id=2, killed=2)], ""),  # among the figures
        ("no event", 2, [], ""),
        ("no figure", 2, [event()], ""),
        ("other figure", 2, [event(killed=5)], ""),
        ("coders' bookkeeping", 10, [event()], "Unspecified fatalities [coded as 10]."),
        ("coders' bookkeeping", 6, [event(killed=12)], "Twelve killed, split across 2 events."),
        (None, 0, [event()], ""),
        (None, 0, [event(killed=0)], ""),  # "no one was killed" invents nobody
        ("invented", 0, [event(killed=3)], ""),
        ("invented", 0, [event(killed_high=3)], ""),  # "up to 3 killed" is a death claimed
    ],
)
def test_fatality_causes(expected, fatalities, events, notes):
    assert expected == fatality_cause(row(fatalities=fatalities, notes=notes), events)


@pytest.mark.parametrize(
    ("expected", "fatalities", "events"),
    [
        ("another row's figure", 0, [event(killed=3, articles=("R1", "R2"))]),
        ("another row's figure", 2, [event(killed=5, articles=("R1", "R2"))]),
        ("invented", 0, [event(killed=3, articles=("R1", "R2")), event(event_id=2, killed=1)]),
        ("other figure", 2, [event(killed=5, articles=("R1", "not-a-row"))]),
    ],
)
def test_a_figure_on_an_event_shared_with_another_row_is_blamed_on_the_merge(
    expected, fatalities, events
):
    assert expected == fatality_cause(row(fatalities=fatalities), events, row_ids={"R1", "R2"})


def test_a_figure_from_another_row_still_counts_as_invented_deaths():
    verdict = judge(row(), [event(killed=3, articles=("R1", "R2"))], rows=ROWS)
    assert (False, "another row's figure") == (verdict.no_invented, verdict.fatality_cause)


@pytest.mark.parametrize(
    ("expected", "note"),
    [
        (True, "Fatalities unknown [coded as 3]."),
        (True, "The 40 deaths are split among 4 events."),
        (True, "Six were killed (fatalities coded to the Bucha event)."),
        (False, "Two civilians were killed."),
        (False, "The coded message was intercepted."),
    ],
)
def test_bookkeeping_notes(expected, note):
    assert expected == is_bookkeeping(note)


def test_fatalities_fair_leaves_out_bookkeeping_rows_and_zero_rows_count_for_invention():
    booked = judge(row(fatalities=10, notes="[coded as 10]"), [event()])
    assert (False, None, None) == (booked.fatalities, booked.fatalities_fair, booked.no_invented)
    plain = judge(row(fatalities=2), [event(killed=2)])
    assert (True, True, None) == (plain.fatalities, plain.fatalities_fair, plain.no_invented)
    zero = judge(row(fatalities=0), [event(killed=1)])
    assert (None, None, False) == (zero.fatalities, zero.fatalities_fair, zero.no_invented)


def test_an_event_shared_with_another_row_is_over_merged():
    shared = event(articles=("R1", "R2", "some-other-article"))
    verdict = judge(row(), [shared], rows=ROWS)
    assert ("R2",) == verdict.over_merged
    assert () == judge(row(), [event()], rows=ROWS).over_merged


def test_rows_coded_from_one_note_are_not_over_merged_by_sharing_its_events():
    note = "On 3 March 2022, people were evacuated from Izium and Balakliia, Kharkiv."
    izium, balakliia = row(notes=note), row("Balakliia", point=BALAKLIIA, row_id="R5", notes=note)
    rows = {"R1": izium, "R5": balakliia}
    both = [
        event(articles=("R1", "R5")),
        event("Balakliia", point=BALAKLIIA, articles=("R1", "R5")),
    ]
    verdict = judge(izium, both, rows=rows)
    assert ((), None) == (verdict.over_merged, verdict.merge_cause)


def test_an_event_at_another_row_of_the_same_note_is_no_phantom_but_not_clean():
    note = "On 3 March 2022, people were evacuated from Izium and Balakliia, Kharkiv."
    izium, balakliia = row(notes=note), row("Balakliia", point=BALAKLIIA, row_id="R5", notes=note)
    both = [event(), event("Balakliia", point=BALAKLIIA)]
    cause = place_cause(izium, both, "Izyum", siblings=[balakliia])
    assert "another row of the same note" == cause
    assert "phantom elsewhere" == place_cause(izium, both, "Izyum")


@pytest.mark.parametrize(
    ("expected", "events"),
    [
        ("one location, two events", [event(articles=("R1", "R2"))]),  # both are Izium
        ("neighbouring locations", [event(articles=("R1", "R4"))]),  # 10 km apart
        ("another row's phantom", [event(articles=("R1", "R3"))]),  # Lviv's note put here
        ("on a wrong place", [event(), event(**AT_CAPITAL, articles=("R1", "R2"))]),
    ],
)
def test_where_rows_were_merged(expected, events):
    assert expected == judge(row(), events, rows=ROWS).merge_cause


# --- totals --------------------------------------------------------------------------------


def test_totals_count_each_measure_over_its_own_rows():
    verdicts = [
        judge(row(row_id="A", fatalities=2), [event(killed=2, articles=("A",))]),
        judge(row(row_id="B", fatalities=0), [event(killed=4, articles=("B",))]),
        judge(row(row_id="C"), []),
    ]
    scores = score_verdicts(verdicts)
    assert 3 == scores.rows
    assert (2, 3) == (scores.over_all["events for"].right, scores.over_all["events for"].counted)
    assert (2, 2) == (scores.over_found["date"].right, scores.over_found["date"].counted)
    assert (1, 1) == (scores.over_all["fatalities"].right, scores.over_all["fatalities"].counted)
    assert 0.5 == scores.over_all["no invented deaths"].ratio
    assert 1 == scores.causes["place"]["no event"]
    assert 1 == scores.causes["fatalities"]["invented"]


def test_a_measure_over_no_rows_is_one():
    assert 1.0 == score_verdicts([]).over_all["fatalities fair"].ratio


def test_the_report_names_every_measure_and_cause_found():
    scores = score_verdicts([judge(row(), []), judge(row(), [event(), event(**AT_CAPITAL)])])
    text = format_acled(scores)
    for measure in ("events for", "date", "event type", "sub-type", "place strict",
                    "place fair", "place clean", "fatalities", "fatalities fair",
                    "no invented deaths", "over-merged"):  # fmt: skip
        assert measure in text
    assert "place: no event" in text
    assert "place: phantom capital of a named oblast" in text


# --- the sample through the real indexer ---------------------------------------------------


@pytest.fixture(scope="module")
def sample_run(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> AcledRun:
    path = tmp_path_factory.mktemp("acled") / "acled.db"
    shutil.copy(template_db, path)
    store = Store(path)
    try:
        return run_rows(store, read_acled(SAMPLE))
    finally:
        store.close()


@pytest.fixture(scope="module")
def sample_verdicts(sample_run: AcledRun, gazetteer) -> dict[str, RowVerdict]:
    verdicts = judge_run(sample_run, lambda name: getattr(gazetteer.lookup(name), "name", None))
    return {v.row_id: v for v in verdicts}


def test_every_row_is_indexed_as_one_article(sample_run):
    assert 11 == sample_run.report.new
    assert 0 == sample_run.report.failed
    assert sample_run.articles_per_second > 0
    found = sample_run.events_of()
    assert {r.id for r in sample_run.rows} == set(found)
    for row_id, events in found.items():
        assert all(row_id in e.article_ids for e in events)


def test_a_plain_report_is_right_on_every_measure(sample_verdicts):
    izium = sample_verdicts["TST001"]
    assert izium.has_event and izium.date and izium.event_type and izium.sub_event_type
    assert izium.place_strict and izium.fatalities and izium.fatalities_fair


def test_a_region_level_report_is_fair_but_not_strict(sample_verdicts):
    region = sample_verdicts["TST003"]
    assert (False, True) == (region.place_strict, region.place_fair)


def test_a_kyiv_city_row_is_matched_in_the_capital(sample_verdicts):
    assert sample_verdicts["TST009"].place_strict
    assert sample_verdicts["TST009"].fatalities


def test_two_notes_of_one_shelling_are_over_merged(sample_verdicts):
    assert ("TST006",) == sample_verdicts["TST005"].over_merged
    assert ("TST005",) == sample_verdicts["TST006"].over_merged
    assert "one location, two events" == sample_verdicts["TST005"].merge_cause


def test_a_statement_yields_no_event(sample_verdicts):
    statement = sample_verdicts["TST007"]
    assert (False, "no event") == (statement.has_event, statement.place_cause)


def test_a_bookkeeping_toll_is_left_out_of_fair(sample_verdicts):
    booked = sample_verdicts["TST004"]
    assert booked.fatalities_fair is None
    assert booked.fatalities is not None


def test_a_toll_the_coders_did_not_count_is_invented(sample_verdicts):
    assert sample_verdicts["TST010"].no_invented is False
    assert "invented" == sample_verdicts["TST010"].fatality_cause
    assert sample_verdicts["TST002"].no_invented


def test_a_village_the_gazetteer_lacks_misses_for_that_reason(sample_verdicts):
    village = sample_verdicts["TST008"]
    assert not village.place_fair
    assert village.place_cause in ("not in gazetteer", "no event")


def test_a_protest_keeps_its_type(sample_verdicts):
    assert sample_verdicts["TST011"].event_type and sample_verdicts["TST011"].sub_event_type


def test_the_misses_file_has_one_line_per_row(sample_run, sample_verdicts, tmp_path):
    path = tmp_path / "misses.jsonl"
    verdicts = [sample_verdicts[r.id] for r in sample_run.rows]
    with path.open("w", encoding="utf-8") as stream:
        assert 11 == write_misses(stream, sample_run, verdicts)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r.id for r in sample_run.rows] == [r["row_id"] for r in records]
    first = records[0]
    assert {"location", "admin1", "latitude", "longitude", "geo_precision", "event_date",
            "event_type", "sub_event_type", "fatalities"} <= set(first["acled"])  # fmt: skip
    assert {"place", "oblast", "latitude", "longitude", "place_precision", "date",
            "event_type", "sub_event_type", "killed_low"} <= set(first["events"][0])  # fmt: skip
    assert dataclasses.asdict(sample_verdicts["TST001"]) == {
        **first["verdict"],
        "over_merged": tuple(first["verdict"]["over_merged"]),
    }
    published = date.fromisoformat(first["published"])
    assert timedelta(0) <= published - date(2022, 3, 3) <= timedelta(days=2)


def test_the_run_report_gives_the_index_speed(sample_run, sample_verdicts):
    text = format_run(sample_run, score_verdicts(sample_verdicts.values()))
    assert "articles/s" in text
    assert "11 articles" in text


# --- the command ---------------------------------------------------------------------------


def sitrep(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SITREP_DB"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


def test_sitrep_eval_acled_prints_the_scores_and_writes_the_misses(tmp_path):
    misses = tmp_path / "misses.jsonl"
    done = sitrep(
        *("--db", str(tmp_path / "unused.db"), "eval", "--acled", str(SAMPLE)),
        *("--misses", str(misses), "--limit", "4"),
    )
    assert 0 == done.returncode, done.stderr
    assert "place fair" in done.stdout
    assert "misses by cause" in done.stdout
    assert "articles/s" in done.stdout
    assert 4 == len(misses.read_text(encoding="utf-8").splitlines())
    assert not (tmp_path / "unused.db").exists()  # the rows go into a fresh database


def test_sitrep_eval_without_a_file_says_what_it_needs(tmp_path):
    done = sitrep("--db", str(tmp_path / "x.db"), "eval")
    assert 2 == done.returncode
    assert "--acled" in done.stderr
