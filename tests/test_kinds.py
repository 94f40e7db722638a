"""The plain labels of bot/data/kinds.toml: every kind the extractor writes has one in both
languages, each row labels its own examples, the words decide only within their sub-type, and
the target reads as a journalist would write it."""

from __future__ import annotations

import pytest

from bot.kinds import acled_line, count_kinds, kind_label, kind_of, table
from store.extract.taxonomy import KINDS, TARGETS

ROWS, PHRASES = table()
SHELLING = "Shelling/artillery/missile attack"


def event(sub_event_type: str, summary: str = "", target: str = "", **more: str) -> dict:
    return {"sub_event_type": sub_event_type, "summary": summary, "target": target, **more}


def test_every_sub_event_type_the_extractor_writes_has_a_label_without_words():
    written = {k.name for k in KINDS}
    defaults = {r.sub_event_type for r in ROWS if r.words is None}
    assert sorted(written - defaults) == []


def test_every_sub_event_type_has_exactly_one_default_row_and_it_comes_last():
    for sub in {r.sub_event_type for r in ROWS}:
        rows = [r for r in ROWS if r.sub_event_type == sub]
        assert [r.words is None for r in rows] == [False] * (len(rows) - 1) + [True], sub


def test_every_row_has_an_english_and_a_ukrainian_label():
    assert [r for r in ROWS if not r.en or not r.uk] == []


def test_every_target_the_extractor_writes_has_a_phrase_in_both_languages():
    assert sorted(t.name for t in TARGETS if set(PHRASES.get(t.name, {})) != {"en", "uk"}) == []


@pytest.mark.parametrize(
    ("row", "example"), [(r, e) for r in ROWS for e in r.examples], ids=lambda v: str(v)[:40]
)
def test_each_row_labels_its_own_examples(row, example):
    assert row.en == kind_of(row.sub_event_type, example).en


@pytest.mark.parametrize(
    ("sub_event_type", "summary", "label"),
    [
        ("Shelling/artillery/missile attack", "Artillery hit the outskirts overnight.", "Shelling"),
        ("Shelling/artillery/missile attack", "Two missiles hit the city.", "Missile strike"),
        ("Air/drone strike", "Russian aircraft bombed the town.", "Air strike"),
        ("Air/drone strike", "A Shahed drone hit an oil depot.", "Drone strike"),
        ("Disrupted weapons use", "Air defence downed a drone over Odesa.", "Drone shot down"),
        ("Disrupted weapons use", "A cruise missile was intercepted.", "Missile shot down"),
        ("Disrupted weapons use", "Sappers defused the device.", "Interception"),
        ("Armed clash", "Fighting went on near Popasna.", "Clashes"),
        ("Non-state actor overtakes territory", "Troops took the town.", "Capture"),
        ("Government regains territory", "Ukraine retook the village.", "Recapture"),
        ("Violence against civilians", "", "Violence against civilians"),  # not a sub-type
        ("Attack", "Soldiers fired at a car.", "Attack on civilians"),
        ("Other", "About 3,000 people were evacuated.", "Evacuation"),
        ("Non-violent transfer of territory", "Russian troops withdrew.", "Withdrawal"),
        ("Remote explosive/landmine/IED", "A blast shook the square.", "Explosion"),
        ("Looting/property destruction", "Soldiers looted the shops.", "Looting"),
        ("Peaceful protest", "Residents rallied.", "Protest"),
        ("Arrests", "Police detained two men.", "Arrest"),
        # "mined" is a word of its own, not the start of "undermined"
        ("Remote explosive/landmine/IED", "The blast undermined the wall.", "Explosion"),
    ],
)
def test_the_words_of_the_summary_refine_the_label_within_its_sub_type(
    sub_event_type, summary, label
):
    assert label == kind_label(event(sub_event_type, summary))


def test_a_drone_in_the_summary_does_not_make_shelling_a_drone_strike():
    summary = "Shelling hit the city while a drone circled above."
    assert "Shelling" == kind_label(event("Shelling/artillery/missile attack", summary))


@pytest.mark.parametrize(
    ("sub_event_type", "summary", "target", "lang", "label"),
    [
        ("Shelling/artillery/missile attack", "", "hospital", "en", "Shelling of a hospital"),
        (
            "Shelling/artillery/missile attack",
            "A missile struck the city.",
            "administration building",
            "en",
            "Missile strike on the administration building",
        ),
        ("Air/drone strike", "", "TV tower", "en", "Air strike on the TV tower"),
        ("Air/drone strike", "", "railway station", "en", "Air strike on the railway station"),
        (SHELLING, "", "residential building", "en", "Shelling of homes"),
        ("Shelling/artillery/missile attack", "", "hospital", "uk", "Обстріл: лікарня"),
        ("Air/drone strike", "A drone hit it.", "TV tower", "uk", "Удар дрона: телевежа"),
    ],
)
def test_the_target_reads_in_plain_words(sub_event_type, summary, target, lang, label):
    assert label == kind_label(event(sub_event_type, summary, target), lang)


def test_a_sub_type_the_table_lacks_shows_as_acled_writes_it():
    assert "Something new" == kind_label(event("Something new"))


def test_the_acled_line_keeps_both_names_for_analysts():
    shown = acled_line(
        event("Shelling/artillery/missile attack", event_type="Explosions/Remote violence")
    )
    assert "ACLED: Explosions/Remote violence · Shelling/artillery/missile attack" == shown


def test_stats_count_events_by_plain_label_most_first():
    rows = [
        ("Air/drone strike", "A drone hit a depot.", "", 2),
        ("Air/drone strike", "Aircraft bombed the town.", "", 1),
        ("Shelling/artillery/missile attack", "Shelling went on.", "hospital", 3),
        ("Shelling/artillery/missile attack", "Shelling went on.", "", 1),
    ]
    assert [("Shelling", 4), ("Drone strike", 2), ("Air strike", 1)] == count_kinds(rows)
    assert ("Обстріл", 4) == count_kinds(rows, "uk")[0]
