"""The ACLED scores as text, and the --misses file: every row with its events and verdicts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, TextIO

from store.acled import AcledRow, AcledRun, ExportedEvent, published_day
from store.evaluate_acled import (
    CAUSE_TABLES,
    MEASURES,
    AcledScores,
    RowVerdict,
    Share,
    km_from_row,
)


def _cell(share: Share) -> str:
    return f"{share.ratio:.3f} {share.right:>5}/{share.counted:<5}"


def format_acled(scores: AcledScores) -> str:
    """The measures over all rows and over rows that yield an event, then misses by cause."""
    lines = [f"{'measure':<20}{'all rows':<20}rows with events"]
    for name in MEASURES:
        over_all, over_found = _cell(scores.over_all[name]), _cell(scores.over_found[name])
        lines.append(f"{name:<20}{over_all:<20}{over_found}".rstrip())
    lines.append("")
    lines.append(f"{'misses by cause':<44}{'rows':>6}{'of all':>8}")
    for measure, order in CAUSE_TABLES:
        counted = scores.causes[measure]
        for cause in order:
            if counted[cause]:
                share = counted[cause] / scores.rows
                lines.append(f"{measure + ': ' + cause:<44}{counted[cause]:>6}{share:>8.3f}")
    return "\n".join(lines)


def miss_record(
    row: AcledRow, events: list[ExportedEvent], verdict: RowVerdict, published: str
) -> dict[str, Any]:
    """One line of the --misses file: the row, its events and what was judged, for people."""
    return {
        "row_id": row.id,
        "notes": row.notes,
        "published": published,
        "acled": {
            "location": row.location,
            "admin1": row.admin1,
            "admin2": row.admin2,
            "admin3": row.admin3,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "geo_precision": row.geo_precision,
            "event_date": row.event_date.isoformat(),
            "event_type": row.event_type,
            "sub_event_type": row.sub_event_type,
            "fatalities": row.fatalities,
        },
        "events": [_event_record(row, e) for e in events],
        "verdict": asdict(verdict),
    }


def _event_record(row: AcledRow, event: ExportedEvent) -> dict[str, Any]:
    record: dict[str, Any] = asdict(event)
    km = km_from_row(row, event)
    record["km_from_row"] = round(km, 1) if km is not None else None
    return record


def write_misses(stream: TextIO, run: AcledRun, verdicts: Iterable[RowVerdict]) -> int:
    """One JSON line per row (for developers' eyes: it quotes the notes); return how many."""
    events_of = run.events_of()
    count = 0
    for row, verdict in zip(run.rows, verdicts, strict=True):
        record = miss_record(row, events_of[row.id], verdict, published_day(row).isoformat())
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def format_run(run: AcledRun, scores: AcledScores) -> str:
    """The scores, then the index pass: how many articles, events and how fast."""
    return (
        f"{format_acled(scores)}\n\n"
        f"rows: {scores.rows}  exported events: {len(run.events)}"
        f"  index: {len(run.rows)} articles in {run.seconds:.1f} s"
        f" ({run.articles_per_second:.1f} articles/s)"
    )
