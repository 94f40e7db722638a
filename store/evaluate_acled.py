"""Score exported events against ACLED rows, one row at a time: pure, rows and events in.

Each row is one coded event and its note one article (`store.acled` runs the pipeline); the
row's events are the exported events whose sources include that article. Per row:

- events for: the row yields at least one event.
- date: an event of the row is dated on `event_date`.
- event type, sub-type: an event of the row has ACLED's `event_type`, `sub_event_type`.
- place strict: an event within `NEAR_KM` of the row's point, or named (after
  `normalise_name`) as its location, admin2 or admin3 in the row's oblast; Kyiv City and
  Sevastopol are cities, so the unit itself is strict when it is the row's.
- place fair: strict, or, when `geo_precision` is 3 (ACLED codes a region-level report at the
  capital), an oblast-precision event in the row's oblast (for a row at Kyiv City, also Kyiv
  Oblast, whose capital it is).
- place clean: fair, and every event of the row is right by the fair rule (none elsewhere).
- fatalities: for a row with fatalities > 0, the number is among its events' `killed_low`
  (the low bound: ACLED counts conservatively). "fair" leaves out rows whose note carries the
  coders' bookkeeping ("coded as 10", "split across 3 events"): no news text gives that number.
- no invented deaths: for a row with fatalities 0, no event of it carries a killed figure > 0.
  A figure on an event that also carries another row's note is still counted (the export
  shows it), but its cause is "another row's figure", not a misreading.
- over-merged: an event of the row also carries another row's note (each row is distinct).

Every row that misses gets one cause per measure (`PLACE_CAUSES` and the like, first match
wins), so the totals come with a table of why (`store.acled_report` prints them). A ratio over
no rows is 1.0, as in `store.evaluate`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from store.acled import AcledRow, AcledRun, ExportedEvent, published_day
from store.gazetteer import normalise_name

NEAR_KM = 25.0
_EARTH_KM = 6371.0
_CITY_UNITS = {"Kyiv City", "Sevastopol"}
# The coders' own notes about how they counted: "[coded as 10]", "split across 5 events",
# "fatalities coded to the X event". No reporter writes these; no extractor should read them.
_BOOKKEEPING = re.compile(
    r"\bcoded\s+(?:as|separately)\b|\bfatalities\s+(?:are\s+)?coded\b"
    r"|\bsplit\s+(?:across|among|between)\b",
    re.I,
)

PLACE_CAUSES = (
    "no event",
    "phantom capital of a named oblast",  # the right place, and "X, Kharkiv" as Kharkiv too
    "phantom elsewhere",  # the right place, and an event somewhere else too
    # The right place, and events at the places of rows the coders made from the very same
    # note ("evacuated from Polohy, Vasylivka and Berdiansk" is three rows of one text): real
    # events, not phantoms, though the row is not clean.
    "another row of the same note",
    "town instead of oblast",  # a region-level row (precision 3) given one of its towns
    "not in gazetteer",  # nothing near, and the gazetteer does not know the location's name
    "oblast instead of town",
    "wrong namesake",  # the location's name, but another place of that name
    "capital of a named oblast",  # "X, Kharkiv" read as the city of Kharkiv
    "other place",
)
FATALITY_CAUSES = (
    "no event",
    "no figure",
    "other figure",
    # Every event that gives a figure for the row also carries another row's note: the figure
    # may well be that row's (over-merging), not a misreading of this one.
    "another row's figure",
    "invented",
    "coders' bookkeeping",
)
DATE_CAUSES = ("no event", "undated", "publication day", "other day")
TYPE_CAUSES = ("no event", "other type", "other sub-type")
# Where an over-merged row shares an event, the first that applies: at its place with a row
# coded to the same location (two happenings of one place and day made one), with a row coded
# elsewhere for which the event is right too (within NEAR_KM of both), with a row for which it
# is wrong (that row's phantom landed here), or only on an event wrong for this row anyway.
MERGE_CAUSES = (
    "one location, two events",
    "neighbouring locations",
    "another row's phantom",
    "on a wrong place",
)

MEASURES = (
    "events for",
    "date",
    "event type",
    "sub-type",
    "place strict",
    "place fair",
    "place clean",
    "fatalities",
    "fatalities fair",
    "no invented deaths",
    "over-merged",
)
CAUSE_TABLES = (
    ("place", PLACE_CAUSES),
    ("fatalities", FATALITY_CAUSES),
    ("date", DATE_CAUSES),
    ("type", TYPE_CAUSES),
    ("over-merged", MERGE_CAUSES),
)


@dataclass(frozen=True)
class RowVerdict:
    """What one row got right. A measure the row does not count for is None."""

    row_id: str
    has_event: bool
    date: bool
    event_type: bool
    sub_event_type: bool
    place_strict: bool
    place_fair: bool
    place_clean: bool
    fatalities: bool | None  # rows with fatalities > 0
    fatalities_fair: bool | None  # the same rows, but for the coders' bookkeeping
    no_invented: bool | None  # rows with fatalities 0
    over_merged: tuple[str, ...]  # the other rows whose notes share an event with this one
    place_cause: str | None
    fatality_cause: str | None
    date_cause: str | None
    type_cause: str | None
    merge_cause: str | None

    def measures(self) -> dict[str, bool | None]:
        """Each printed measure of this row: True, False, or None when it does not count."""
        return dict(
            zip(
                MEASURES,
                (
                    self.has_event,
                    self.date,
                    self.event_type,
                    self.sub_event_type,
                    self.place_strict,
                    self.place_fair,
                    self.place_clean,
                    self.fatalities,
                    self.fatalities_fair,
                    self.no_invented,
                    bool(self.over_merged),
                ),
                strict=True,
            )
        )


# --- places --------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(math.sqrt(a))


def km_from_row(row: AcledRow, event: ExportedEvent) -> float | None:
    if row.latitude is None or row.longitude is None:
        return None
    if event.latitude is None or event.longitude is None:
        return None
    return distance_km(row.latitude, row.longitude, event.latitude, event.longitude)


def _is_oblast(event: ExportedEvent) -> bool:
    return event.place_precision == "oblast"


def _row_names(row: AcledRow) -> set[str]:
    return {normalise_name(n) for n in (row.location, row.admin2, row.admin3) if n}


def place_strict(row: AcledRow, event: ExportedEvent) -> bool:
    """The event is at the row's place: near its point, or named as it in the row's oblast
    (the same name in another oblast is a namesake, not the place)."""
    if _is_oblast(event):
        return event.oblast in _CITY_UNITS and event.oblast == row.oblast
    km = km_from_row(row, event)
    if km is not None and km <= NEAR_KM:
        return True
    same_unit = row.oblast is None or event.oblast == row.oblast
    return same_unit and normalise_name(event.place) in _row_names(row)


def _regions(row: AcledRow) -> set[str]:
    """The oblasts a region-level row may stand for: its own, and Kyiv Oblast for a row coded
    at Kyiv, the oblast's capital, which is a unit of its own (Kyiv City)."""
    if row.oblast is None:
        return set()
    return {row.oblast, "Kyiv Oblast"} if row.oblast == "Kyiv City" else {row.oblast}


def place_fair(row: AcledRow, event: ExportedEvent) -> bool:
    """Strict, or the oblast itself for a row coded only to its region."""
    if place_strict(row, event):
        return True
    return row.geo_precision == 3 and _is_oblast(event) and event.oblast in _regions(row)


def _oblast_short(oblast: str | None) -> str:
    return normalise_name(oblast.removesuffix(" Oblast")) if oblast else ""


def _at_capital(row: AcledRow, event: ExportedEvent) -> bool:
    """The event is at the town the row's oblast is named after (Kharkiv in Kharkiv Oblast)."""
    return (
        not _is_oblast(event)
        and event.oblast == row.oblast
        and normalise_name(event.place) == _oblast_short(row.oblast)
    )


def place_cause(
    row: AcledRow,
    events: list[ExportedEvent],
    gazetteer_name: str | None,
    siblings: Collection[AcledRow] = (),
) -> str | None:
    """Why the row is not place-clean (None when it is): the first cause that applies.
    `gazetteer_name` is the name of the place the gazetteer gives for the row's location;
    `siblings` are the other rows coded from the same note."""
    wrong = [e for e in events if not place_fair(row, e)]
    if not events:
        return "no event"
    if not wrong:
        return None
    if len(wrong) < len(events):
        if all(_at_capital(row, e) for e in wrong):
            return "phantom capital of a named oblast"
        if all(any(place_fair(other, e) for other in siblings) for e in wrong):
            return "another row of the same note"
        return "phantom elsewhere"
    in_oblast = [e for e in events if e.oblast in _regions(row)]
    if row.geo_precision == 3 and any(not _is_oblast(e) for e in in_oblast):
        return "town instead of oblast"
    if gazetteer_name is None:
        return "not in gazetteer"
    if any(_is_oblast(e) for e in in_oblast):
        return "oblast instead of town"
    names = {normalise_name(row.location), normalise_name(gazetteer_name)}
    if any(normalise_name(e.place) in names for e in events):
        return "wrong namesake"
    if any(_at_capital(row, e) for e in events):
        return "capital of a named oblast"
    return "other place"


# --- the other measures --------------------------------------------------------------------


def is_bookkeeping(note: str) -> bool:
    """The note says how the coders counted, not only what happened."""
    return bool(_BOOKKEEPING.search(note))


def _killed_figures(events: list[ExportedEvent]) -> set[int]:
    return {e.killed_low for e in events if e.killed_low is not None}


def _is_death(event: ExportedEvent) -> bool:
    return (event.killed_low or 0) > 0 or (event.killed_high or 0) > 0


def _shared(row: AcledRow, event: ExportedEvent, row_ids: Collection[str]) -> bool:
    return any(a in row_ids and a != row.id for a in event.article_ids)


def fatality_cause(
    row: AcledRow, events: list[ExportedEvent], row_ids: Collection[str] = ()
) -> str | None:
    """Why the row's toll is not among its events' figures (None when it is, or when a row
    of no deaths is given none). `row_ids` are the articles that are rows."""
    if row.fatalities == 0:
        wrong = [e for e in events if _is_death(e)]
    else:
        if row.fatalities in _killed_figures(events):
            return None
        if is_bookkeeping(row.notes):
            return "coders' bookkeeping"
        if not events:
            return "no event"
        wrong = [e for e in events if e.killed_low is not None]
        if not wrong:
            return "no figure"
    if not wrong:
        return None
    if all(_shared(row, e, row_ids) for e in wrong):
        return "another row's figure"
    return "invented" if row.fatalities == 0 else "other figure"


def date_cause(row: AcledRow, events: list[ExportedEvent], published: str) -> str | None:
    days = {e.date for e in events}
    if row.event_date.isoformat() in days:
        return None
    if not events:
        return "no event"
    if days == {None}:
        return "undated"
    return "publication day" if published in days else "other day"


def type_cause(row: AcledRow, events: list[ExportedEvent]) -> str | None:
    if any(e.sub_event_type == row.sub_event_type for e in events):
        return None
    if not events:
        return "no event"
    if any(e.event_type == row.event_type for e in events):
        return "other sub-type"
    return "other type"


def judge_row(
    row: AcledRow,
    events: list[ExportedEvent],
    *,
    published: str,
    gazetteer_name: str | None,
    rows: Mapping[str, AcledRow] | None = None,
) -> RowVerdict:
    """One row's verdicts and causes. `published` is its article's day (ISO); `rows` are all
    the rows by id, so an event shared with another of them is over-merged."""
    rows = rows or {}
    siblings = [r for r in rows.values() if r.id != row.id and r.notes == row.notes]
    # Two rows of one note are one text indexed twice: sharing its events is no over-merging.
    distinct = {a: r for a, r in rows.items() if r.notes != row.notes or a == row.id}
    shared = [e for e in events if _shared(row, e, distinct)]
    others = {a for e in shared for a in e.article_ids if a in distinct and a != row.id}
    fatality = fatality_cause(row, events, rows)
    fatality_right = row.fatalities in _killed_figures(events)
    has_deaths = row.fatalities > 0
    place = place_cause(row, events, gazetteer_name, siblings)
    day = date_cause(row, events, published)
    return RowVerdict(
        row_id=row.id,
        has_event=bool(events),
        date=day is None,
        event_type=any(e.event_type == row.event_type for e in events),
        sub_event_type=any(e.sub_event_type == row.sub_event_type for e in events),
        place_strict=any(place_strict(row, e) for e in events),
        place_fair=any(place_fair(row, e) for e in events),
        place_clean=place is None,
        fatalities=fatality_right if has_deaths else None,
        fatalities_fair=fatality_right if has_deaths and not is_bookkeeping(row.notes) else None,
        no_invented=fatality is None if not has_deaths else None,
        over_merged=tuple(sorted(others)),
        place_cause=place,
        fatality_cause=fatality,
        date_cause=day,
        type_cause=type_cause(row, events),
        merge_cause=_merge_cause(row, shared, distinct),
    )


def _merge_cause(
    row: AcledRow, shared: list[ExportedEvent], rows: Mapping[str, AcledRow]
) -> str | None:
    if not shared:
        return None
    others = [
        (rows[a], event)
        for event in shared
        if place_fair(row, event)
        for a in event.article_ids
        if a in rows and a != row.id
    ]
    if not others:
        return "on a wrong place"
    if any(_same_location(row, other) for other, _ in others):
        return "one location, two events"
    if any(place_fair(other, event) for other, event in others):
        return "neighbouring locations"
    return "another row's phantom"


def _same_location(row: AcledRow, other: AcledRow) -> bool:
    return row.oblast == other.oblast and normalise_name(row.location) == normalise_name(
        other.location
    )


def judge_run(run: AcledRun, gazetteer_name: Callable[[str], str | None]) -> list[RowVerdict]:
    """Every row's verdict; `gazetteer_name` gives the name of the place the gazetteer knows
    by a location name, or None (`Store.gazetteer().lookup`)."""
    events_of = run.events_of()
    rows = {row.id: row for row in run.rows}
    return [
        judge_row(
            row,
            events_of[row.id],
            published=published_day(row).isoformat(),
            gazetteer_name=gazetteer_name(row.location),
            rows=rows,
        )
        for row in run.rows
    ]


# --- totals --------------------------------------------------------------------------------


@dataclass
class Share:
    right: int = 0
    counted: int = 0

    @property
    def ratio(self) -> float:
        return self.right / self.counted if self.counted else 1.0


@dataclass
class AcledScores:
    rows: int = 0
    # Each measure over the rows it counts for, and over those of them that yield an event.
    over_all: dict[str, Share] = field(default_factory=dict)
    over_found: dict[str, Share] = field(default_factory=dict)
    causes: dict[str, Counter[str]] = field(default_factory=dict)


def score_verdicts(verdicts: Iterable[RowVerdict]) -> AcledScores:
    scores = AcledScores(
        over_all={m: Share() for m in MEASURES},
        over_found={m: Share() for m in MEASURES},
        causes={name: Counter() for name, _ in CAUSE_TABLES},
    )
    for verdict in verdicts:
        scores.rows += 1
        for name, right in verdict.measures().items():
            if right is None:
                continue
            tallies = [scores.over_all[name]]
            if verdict.has_event:
                tallies.append(scores.over_found[name])
            for share in tallies:
                share.counted += 1
                share.right += right
        for name, cause in (
            ("place", verdict.place_cause),
            ("fatalities", verdict.fatality_cause),
            ("date", verdict.date_cause),
            ("type", verdict.type_cause),
            ("over-merged", verdict.merge_cause),
        ):
            if cause is not None:
                scores.causes[name][cause] += 1
    return scores
