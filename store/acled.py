"""An ACLED export as test material: its rows read, one article made of each row's note, all of
them indexed into one fresh database and exported, and each row given the events its note gave.

Scoring the result is `store.evaluate_acled`'s job; this module only runs the pipeline.

- A row needs the columns in `ACLED_COLUMNS` (ACLED's own names); the others are ignored.
- Its article has the row's `event_id_cnty` as id, the note as text, and is published 0–2
  days after `event_date` (a fixed offset from a hash of the id, so every run is the same):
  the day has to come from the note's words, as it would from a news report.
- Articles are indexed with `store.indexer.index_articles` and read back through
  `store.export`, so what is scored is what a user of `sitrep export` gets.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from store.db import Store
from store.export import export_events
from store.gazetteer import normalise_name, read_oblasts
from store.indexer import IndexReport, index_articles
from store.models import Article

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
)
MAX_PUBLICATION_DELAY = 2  # days between the event and the article that reports it

# ACLED's first-level names where they are not ours with " Oblast" dropped.
_ADMIN1_ALIASES = {
    "crimea": "Autonomous Republic of Crimea",
    "kirovograd": "Kirovohrad Oblast",
    "zaporizhia": "Zaporizhzhia Oblast",
}


class AcledFormatError(ValueError):
    """The file is not an ACLED export: a column is missing or a value does not parse."""


@dataclass(frozen=True)
class AcledRow:
    """One coded event: where, when and what the coders said, and the note they coded from."""

    id: str
    event_date: date
    event_type: str
    sub_event_type: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int  # 1 the town, 2 near it, 3 the region (coded at its capital)
    fatalities: int
    notes: str

    @property
    def oblast(self) -> str | None:
        """The project's name of the row's first-level unit ("Kharkiv Oblast"), if in Ukraine."""
        return oblast_name(self.admin1)


@dataclass(frozen=True)
class ExportedEvent:
    """The columns of one `sitrep export` event that scoring needs."""

    event_id: int
    date: str | None
    place: str
    place_precision: str  # exact | inferred | oblast | country
    oblast: str  # the export's admin1: the oblast's name, "" abroad
    latitude: float | None
    longitude: float | None
    event_type: str
    sub_event_type: str
    killed_low: int | None
    killed_high: int | None
    article_ids: tuple[str, ...]

    @classmethod
    def from_export(cls, event: dict[str, Any]) -> ExportedEvent:
        return cls(
            event_id=event["event_id"],
            date=event["event_date"],
            place=event["place"],
            place_precision=event["place_precision"],
            oblast=event["admin1"] or "",
            latitude=event["latitude"],
            longitude=event["longitude"],
            event_type=event["event_type"],
            sub_event_type=event["sub_event_type"],
            killed_low=event["killed_low"],
            killed_high=event["killed_high"],
            article_ids=tuple(dict.fromkeys(s["article_id"] for s in event["sources"])),
        )


@dataclass
class AcledRun:
    """What indexing the rows' articles gave, and how long the indexing pass took."""

    rows: list[AcledRow]
    events: list[ExportedEvent]
    report: IndexReport
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return len(self.rows) / self.seconds if self.seconds else 0.0

    def events_of(self) -> dict[str, list[ExportedEvent]]:
        """Each row's events: those whose sources include the row's article."""
        found: dict[str, list[ExportedEvent]] = {row.id: [] for row in self.rows}
        for event in self.events:
            for article_id in event.article_ids:
                if article_id in found:
                    found[article_id].append(event)
        return found


# --- reading -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _oblast_names() -> dict[str, str]:
    names = {}
    for row in read_oblasts():
        names[normalise_name(row["name"].removesuffix(" Oblast"))] = row["name"]
        names[normalise_name(row["name"])] = row["name"]
    return names


def oblast_name(admin1: str) -> str | None:
    """Our name for ACLED's admin1 ("Zaporizhia" → "Zaporizhzhia Oblast"); None off land."""
    key = normalise_name(admin1)
    return _ADMIN1_ALIASES.get(key) or _oblast_names().get(key)


def _number(value: str) -> float | None:
    return float(value) if value.strip() else None


def parse_row(raw: dict[str, str], where: str = "") -> AcledRow:
    try:
        return AcledRow(
            id=raw["event_id_cnty"].strip(),
            event_date=date.fromisoformat(raw["event_date"].strip()),
            event_type=raw["event_type"].strip(),
            sub_event_type=raw["sub_event_type"].strip(),
            admin1=raw["admin1"].strip(),
            admin2=raw["admin2"].strip(),
            admin3=raw["admin3"].strip(),
            location=raw["location"].strip(),
            latitude=_number(raw["latitude"]),
            longitude=_number(raw["longitude"]),
            geo_precision=int(raw["geo_precision"]),
            fatalities=int(raw["fatalities"] or 0),
            notes=raw["notes"].strip(),
        )
    except ValueError as exc:
        raise AcledFormatError(f"{where}: {exc}") from exc


def read_acled(path: Path | str, limit: int | None = None) -> list[AcledRow]:
    """The rows of an ACLED CSV export (the first `limit` when given), in file order."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ACLED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise AcledFormatError(f"{path}: not an ACLED export, lacks {', '.join(missing)}")
        rows: list[AcledRow] = []
        for line, raw in enumerate(reader, start=2):
            if limit is not None and len(rows) >= limit:
                break
            rows.append(parse_row(raw, f"{path}:{line}"))
    return rows


# --- running -------------------------------------------------------------------------------


def published_day(row: AcledRow) -> date:
    """event_date plus 0–2 days, fixed by the row id: reproducible, and never the same day
    for every row, so a date taken from the publication day instead of the note shows."""
    digest = hashlib.sha256(row.id.encode()).digest()
    return row.event_date + timedelta(days=digest[0] % (MAX_PUBLICATION_DELAY + 1))


def row_article(row: AcledRow) -> Article:
    return Article(id=row.id, text=row.notes, published=published_day(row), publisher="ACLED")


def exported_events(store: Store) -> list[ExportedEvent]:
    """Every shown event of the store, as `sitrep export` writes it."""
    stream = io.StringIO()
    export_events(store, stream, "jsonl")
    return [ExportedEvent.from_export(json.loads(line)) for line in stream.getvalue().splitlines()]


def run_rows(store: Store, rows: Iterable[AcledRow]) -> AcledRun:
    """Index one article per row into `store` (a fresh one) and export what it found."""
    kept = list(rows)
    articles = [row_article(row) for row in kept]
    store.gazetteer()  # compiled before the clock starts: indexing speed is what is timed
    started = time.perf_counter()
    report = index_articles(store, articles)
    seconds = time.perf_counter() - started
    return AcledRun(kept, exported_events(store), report, seconds)
