"""Print a seeded sample of shown events with their sources' full text, for judging by hand.

Each RUWA row (../shared/data, read at run time, never copied into the project) becomes an
article: text = title + blank line + lead, published = date, title, url, publisher = site. All
5,253 are indexed into a fresh SQLite file with the project's indexer, then a fixed-seed
sample of N shown events (what `store.export.export_events` writes) is printed: the event's
columns, the summary the bot shows and every source with the sentence it came from and the
article's whole title + lead, so a judge can check each field against the text.

    PY=.venv/bin/python RUWA=../shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv
    PYTHONPATH=. $PY bench/judge_sample.py --ruwa $RUWA --db /tmp/judge.db -n 60 --seed 1
    PYTHONPATH=. $PY bench/judge_sample.py --ruwa $RUWA --db /tmp/judge.db -n 60 --seed 2 \
        --kind multi
    PYTHONPATH=. $PY bench/judge_sample.py --ruwa $RUWA --db /tmp/judge.db --counts

`--db PATH` reuses PATH if it already holds events (delete it to re-index after a code change);
without `--db` a temporary file is indexed and removed. To judge another checkout's code, put it
first on PYTHONPATH (`PYTHONPATH=/path/to/main $PY bench/judge_sample.py ...`).
`--kind random` samples all shown events, `--kind multi` those with two or more distinct source
articles. `--near ID` lists the shown events at the same place within two days of event ID
(to spot the same happening shown twice).

`--counts` rule, per big happening: a shown event counts when (1) its place is the town, or it
is placed at the town's oblast or at Ukraine and one of its source sentences names the town;
(2) its date falls in the window (the day of the happening to a week after, when follow-ups with
tolls are published; the theatre's toll came nine days later, so to the end of March; Bucha
from the Russian withdrawal to the end of the data; Kharkiv to the end of March, when bodies
were still being found under the rubble); and (3) its target, summary or a source sentence has
one of the happening's words (station / theatre / maternity / ...). The "killed" sum adds each
event's killed_high (else killed_low): a sum above the real toll means the same dead are
counted in several events.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.kinds import kind_label
from store.db import Store
from store.export import export_events
from store.indexer import index_articles
from store.models import Article

DEFAULT_RUWA = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/data/ruwa_news_en_2022-02-24_2022-04-30.csv"
)


@dataclass(frozen=True)
class Happening:
    """One of the big, well-known happenings and how to recognise its events."""

    name: str
    town: str
    oblast: str
    first: str
    last: str
    words: tuple[str, ...]


HAPPENINGS = (
    Happening(
        "Kramatorsk railway station strike (8 Apr 2022)",
        "Kramatorsk",
        "Donetsk Oblast",
        "2022-04-08",
        "2022-04-15",
        ("station", "railway", "train", "evacuat"),
    ),
    Happening(
        "Mariupol drama theatre strike (16 Mar 2022)",
        "Mariupol",
        "Donetsk Oblast",
        "2022-03-16",
        "2022-03-31",
        ("theatre", "theater", "drama"),
    ),
    Happening(
        "Mariupol maternity hospital strike (9 Mar 2022)",
        "Mariupol",
        "Donetsk Oblast",
        "2022-03-09",
        "2022-03-16",
        ("maternity", "children's hospital", "hospital"),
    ),
    Happening(
        "Bucha killings (discovered 2-4 Apr 2022)",
        "Bucha",
        "Kyiv Oblast",
        "2022-03-30",
        "2022-04-30",
        ("bod", "massacre", "killing", "killed", "murder", "execut", "grave", "atrocit", "tortur"),
    ),
    Happening(
        "Kharkiv administration building strike (1 Mar 2022)",
        "Kharkiv",
        "Kharkiv Oblast",
        "2022-03-01",
        "2022-03-31",
        (
            "administration building",
            "state administration",
            "administrative building",
            "freedom square",
            "government building",
        ),
    ),
)


def ruwa_articles(path: Path) -> Iterator[Article]:
    """Each RUWA row as an article, with id ruwa:<row number>."""
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            yield Article(
                id=f"ruwa:{i}",
                text=f"{row['title']}\n\n{row['lead']}",
                published=date.fromisoformat(row["date"]),
                title=row["title"],
                url=row["url"],
                publisher=row["site"],
            )


def article_texts(path: Path) -> dict[str, str]:
    """Article id -> the full text it was indexed from."""
    return {a.id: a.text for a in ruwa_articles(path)}


def build(db_path: Path, ruwa: Path) -> Store:
    """The store at db_path, indexed from RUWA unless it already holds events."""
    store = Store(db_path)
    if store.is_empty():
        started = time.monotonic()
        report = index_articles(store, ruwa_articles(ruwa))
        print(
            f"# indexed in {time.monotonic() - started:.0f} s: {report.summary()}", file=sys.stderr
        )
    return store


def shown_events(store: Store) -> list[dict[str, Any]]:
    """Every event the bot would show, with its sources, as store.export writes them."""
    buffer = io.StringIO()
    export_events(store, buffer, "jsonl")
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def n_articles(event: dict[str, Any]) -> int:
    return len({s["article_id"] for s in event["sources"]})


def sample(events: list[dict[str, Any]], n: int, seed: int, kind: str) -> list[dict[str, Any]]:
    """A fixed-seed sample of n events (all shown, or those of 2+ distinct articles)."""
    pool = events if kind == "random" else [e for e in events if n_articles(e) >= 2]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return sorted(picked, key=lambda e: e["event_id"])


def _figure(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "-"
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"up to {high}"
    return str(low) if low == high else f"{low}..{high}"


def _wrap(text: str, indent: str) -> str:
    lines = [
        textwrap.fill(p, 100, initial_indent=indent, subsequent_indent=indent)
        for p in text.split("\n")
        if p.strip()
    ]
    return "\n".join(lines)


def describe(event: dict[str, Any], texts: dict[str, str]) -> str:
    """The event as a judge reads it: its fields, the summary, each source with full text."""
    out = [
        f"=== event {event['event_id']}  ({n_articles(event)} articles)",
        f"place:   {event['place']} | {event['admin1'] or '-'} | {event['country']}"
        f" | precision {event['place_precision']}",
        f"date:    {event['event_date']} ({event['date_precision']})",
        f"kind:    {event['event_type']} / {event['sub_event_type']}"
        f" | target: {event['target'] or '-'}",
        f"shown:   {kind_label(event)}",
        f"figures: killed {_figure(event['killed_low'], event['killed_high'])}"
        f" | injured {_figure(event['injured_low'], event['injured_high'])}",
        f"claim:   claimed_by={event['claimed_by'] or '-'} is_claim={event['is_claim']}",
        f"summary: {event['summary']}",
    ]
    for i, source in enumerate(event["sources"], 1):
        out.append(
            f"  [{i}] {source['publisher']} | {source['published']} | {source['article_id']}"
            f" | {source['title']}"
        )
        out.append(_wrap(f"sentence: {source['sentence']}", "      "))
        out.append(_wrap(f"text: {texts.get(source['article_id'], '?')}", "      "))
    return "\n".join(out)


def _haystack(event: dict[str, Any]) -> str:
    parts = [event["target"] or "", event["summary"] or ""]
    parts += [s["sentence"] or "" for s in event["sources"]]
    return " ".join(parts).lower()


def matches(event: dict[str, Any], happening: Happening) -> bool:
    """The --counts rule (module docstring): town, date window, one of the happening's words."""
    day = event["event_date"]
    if not day or not happening.first <= day <= happening.last:
        return False
    town = re.compile(rf"\b{re.escape(happening.town)}\b", re.IGNORECASE)
    # Another town's or oblast's event that only names this one ("as in Bucha") is not counted;
    # the town's own oblast, or Ukraine, whose sentence names the town is.
    wider = event["place"] in ("Ukraine", happening.oblast)
    at_town = event["place"] == happening.town or (
        wider and any(town.search(s["sentence"] or "") for s in event["sources"])
    )
    text = _haystack(event)
    return at_town and any(word in text for word in happening.words)


def _killed(event: dict[str, Any]) -> int:
    value = event["killed_high"] if event["killed_high"] is not None else event["killed_low"]
    return value or 0


def counts(events: list[dict[str, Any]]) -> str:
    """For each big happening: how many shown events tell it and their summed killed."""
    out = []
    for happening in HAPPENINGS:
        found = [e for e in events if matches(e, happening)]
        out.append(
            f"{happening.name}: {len(found)} events, killed summed {sum(_killed(e) for e in found)}"
        )
        for e in found:
            out.append(
                f"    {e['event_id']:>5} {e['event_date']} {e['place']:<12}"
                f" {e['event_type']} / {e['sub_event_type']}"
                f" killed {_figure(e['killed_low'], e['killed_high'])} | {e['summary'][:90]}"
            )
    return "\n".join(out)


def near(events: list[dict[str, Any]], event_id: int, days: int = 2) -> str:
    """The shown events at the same place as event_id within `days` days of it."""
    by_id = {e["event_id"]: e for e in events}
    base = by_id[event_id]
    if not base["event_date"]:
        return f"event {event_id} has no date"
    day = date.fromisoformat(base["event_date"])
    out = []
    for e in events:
        if e["event_id"] == event_id or e["place"] != base["place"] or not e["event_date"]:
            continue
        if abs((date.fromisoformat(e["event_date"]) - day).days) <= days:
            out.append(
                f"    {e['event_id']:>5} {e['event_date']}"
                f" {e['event_type']} / {e['sub_event_type']}"
                f" killed {_figure(e['killed_low'], e['killed_high'])} | {e['summary'][:110]}"
            )
    return f"near {event_id} ({base['place']} {base['event_date']}):\n" + "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ruwa", type=Path, default=DEFAULT_RUWA, help="the RUWA news CSV")
    parser.add_argument("--db", type=Path, help="an indexed SQLite file to reuse (or create)")
    parser.add_argument("-n", type=int, default=60, help="how many events to sample")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", choices=("random", "multi"), default="random")
    parser.add_argument("--counts", action="store_true", help="the five big happenings")
    parser.add_argument("--near", type=int, action="append", default=[], metavar="ID")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = build(args.db or Path(tmp) / "judge.db", args.ruwa)
        events = shown_events(store)
        store.close()
    print(f"# {len(events)} shown events, {sum(n_articles(e) >= 2 for e in events)} multi-source")
    if args.counts:
        print(counts(events))
        return 0
    if args.near:
        print("\n".join(near(events, event_id) for event_id in args.near))
        return 0
    texts = article_texts(args.ruwa)
    for event in sample(events, args.n, args.seed, args.kind):
        print(describe(event, texts), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
