"""Every shown event with its sources, as JSON Lines or CSV, in ACLED-like columns.

Only events the bot would show are written (`store.extract.rules.is_trusted`).
They come in event date order (events without a date last), then by id.

Event columns: event_id, event_date, date_precision, place, place_precision, admin1 (the oblast
name), country, latitude, longitude, event_type, sub_event_type, target, actor1, actor2,
killed_low, killed_high, injured_low, injured_high, claimed_by, is_claim, confidence,
n_sources, summary. A figure the sources do not give is null (empty in CSV).

Sources are the mentions the event was merged from (the trusted ones, as `store.cluster`
merges them), one per article sentence:

- JSON Lines: one object per event, with a "sources" list of {article_id, title, url,
  publisher, published, sentence}.
- CSV: one row per (event, source): the event columns repeated, then source_article_id,
  source_title, source_url, source_publisher, source_published, source_sentence. An event
  with several sources spans several rows with the same event_id; count events by event_id.
  A text cell that starts with = + - @ (or a tab or carriage return) gets a leading ' so that
  no spreadsheet runs it as a formula; JSON Lines keeps every value as it is.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TextIO

from store.db import Store
from store.extract.rules import MIN_CONFIDENCE
from store.extract.rules import trusted as trusted_mentions

EVENT_COLUMNS = (
    "event_id",
    "event_date",
    "date_precision",
    "place",
    "place_precision",
    "admin1",
    "country",
    "latitude",
    "longitude",
    "event_type",
    "sub_event_type",
    "target",
    "actor1",
    "actor2",
    "killed_low",
    "killed_high",
    "injured_low",
    "injured_high",
    "claimed_by",
    "is_claim",
    "confidence",
    "n_sources",
    "summary",
)
SOURCE_FIELDS = ("article_id", "title", "url", "publisher", "published", "sentence")
CSV_COLUMNS = (*EVENT_COLUMNS, *(f"source_{name}" for name in SOURCE_FIELDS))
FORMATS = ("jsonl", "csv", "geojson")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")

# Aliases give the export's column names; the join brings the place's own columns.
_EVENTS_SQL = """
select e.id as event_id, e.key, e.date as event_date, e.date_precision,
       p.name as place, e.place_precision, p.admin1_name as admin1, p.country,
       p.latitude, p.longitude, e.event_type, e.sub_event_type, e.target, e.actor1, e.actor2,
       e.killed_low, e.killed_high, e.injured_low, e.injured_high, e.claimed_by, e.is_claim,
       e.confidence, e.n_sources, e.summary
from events e join places p on p.id = e.place_id
where e.confidence >= :min_confidence and (:since is null or e.date >= :since)
  and (:until is null or e.date <= :until)
  and (:place_id is null or e.place_id = :place_id)
  and (:admin1 is null or (p.admin1 = :admin1 and p.country = 'UA'))
order by e.date is null, e.date, e.id
"""
_SOURCES_SQL = """
select m.event_key, m.article_id, a.title, a.url, a.publisher, a.published, m.sentence,
       m.confidence
from mentions m
join events e on e.key = m.event_key
join articles a on a.id = m.article_id
join places p on p.id = e.place_id
where e.confidence >= :min_confidence and (:since is null or e.date >= :since)
  and (:until is null or e.date <= :until)
  and (:place_id is null or e.place_id = :place_id)
  and (:admin1 is null or (p.admin1 = :admin1 and p.country = 'UA'))
order by a.published, m.article_id, m.start
"""


def parse_since(since: str | None) -> str | None:
    """The --since day as ISO text, or None; anything but a real YYYY-MM-DD day is an error."""
    if since is None:
        return None
    # The pattern keeps out what fromisoformat also takes ("20220302", "2022-W09-3");
    # fromisoformat keeps out days that do not exist ("2022-02-30").
    with contextlib.suppress(ValueError):
        if _DAY.fullmatch(since):
            return date.fromisoformat(since).isoformat()
    raise ValueError(f"--since must be YYYY-MM-DD (got {since!r})")


def _sources(store: Store, params: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each event's sources, by event key, fetched in one query for the whole export."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for row in store.db.query(_SOURCES_SQL, params):
        mentions.setdefault(row["event_key"], []).append(row)
    return {key: _trusted_sources(rows) for key, rows in mentions.items()}


def _trusted_sources(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The same rule as store.cluster.merge_mentions: the event is built from its trusted
    # mentions only, unless it has none, so those are the sources to cite.
    trusted = trusted_mentions(rows)
    unique = {(r["article_id"], r["sentence"]): r for r in trusted}
    return [{name: row[name] for name in SOURCE_FIELDS} for row in unique.values()]


@dataclass(frozen=True)
class Scope:
    """Which events to export: a day range and a place (a city, or an oblast by its admin1)."""

    since: str | None = None
    until: str | None = None
    place_id: int | None = None
    admin1: str | None = None


def _events(store: Store, scope: Scope) -> Iterator[dict[str, Any]]:
    params = {"min_confidence": MIN_CONFIDENCE, **asdict(scope)}
    sources = _sources(store, params)
    for row in store.db.query(_EVENTS_SQL, params):
        event = {name: row[name] for name in EVENT_COLUMNS}
        event["is_claim"] = bool(event["is_claim"])
        event["sources"] = sources.get(row["key"], [])
        yield event


def _write_jsonl(stream: TextIO, events: Iterator[dict[str, Any]]) -> int:
    count = 0
    for event in events:
        stream.write(json.dumps(event, ensure_ascii=False) + "\n")
        count += 1
    return count


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (=HYPERLINK(...) exfiltrates, =cmd|... runs); a tab or carriage return can hide one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, quoted with a leading ' (OWASP's
    advice); numbers and other text pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(stream: TextIO, events: Iterator[dict[str, Any]]) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for event in events:
        columns = {name: event[name] for name in EVENT_COLUMNS}
        # An event is never left out of the CSV for want of a source row.
        for source in event["sources"] or [{}]:
            row = {**columns, **{f"source_{name}": source.get(name) for name in SOURCE_FIELDS}}
            writer.writerow({name: neutralise(value) for name, value in row.items()})
        count += 1
    return count


def _write_geojson(stream: TextIO, events: Iterator[dict[str, Any]]) -> int:
    """A FeatureCollection of points for mapping tools; events of unknown position have
    geometry null, as GeoJSON allows."""
    features = []
    for event in events:
        point = None
        if event["latitude"] is not None and event["longitude"] is not None:
            point = {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]}
        features.append({"type": "Feature", "geometry": point, "properties": event})
    json.dump({"type": "FeatureCollection", "features": features}, stream, ensure_ascii=False)
    return len(features)


_WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "geojson": _write_geojson}


def export_events(
    store: Store,
    stream: TextIO,
    fmt: str = "jsonl",
    since: str | None = None,
    scope: Scope | None = None,
) -> int:
    """Write every shown event on or after `since` (YYYY-MM-DD), or in `scope`, to stream;
    return how many."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    scope = scope or Scope(since=parse_since(since))
    return _WRITERS[fmt](stream, _events(store, scope))
