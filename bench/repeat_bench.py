"""The same story told again and again: the cost of one more source for an event (issue 17).

The four articles of seeds/ are indexed as N copies into a fresh database (each copy's articles
get ids and urls of their own, the same text), one copy at a time, and the CPU time of each copy
is recorded. Every copy after the first adds one source to each of the seeds' events, so with
N copies an event has N mentions per sentence that tells it: if adding a mention re-reads and
re-merges every mention of its event, the last copies cost far more than the first.

Printed for each N: CPU per article over the whole run, over the first and the last `--tail`
copies, statements per article of the last copy, and the ratio to the smallest N's whole-run
figure. Target (issue 17): seeds x500 at the same cost per article as x10, within 20 %.

    PYTHONPATH=. python bench/repeat_bench.py                      # x10 and x500
    PYTHONPATH=. python bench/repeat_bench.py --copies 20 --keep /tmp/seeds20   # keep the file
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.index_bench import _COMPILE, child, cpu_seconds, fresh_copy
from store.db import Store
from store.extract import extract_events
from store.indexer import index_articles
from store.ingest import IngestError, iter_articles
from store.models import Article

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.2


def seed_articles() -> list[Article]:
    return [a for a in iter_articles([ROOT / "seeds"]) if not isinstance(a, IngestError)]


def copy_of(article: Article, k: int) -> Article:
    """The k-th copy: another article (id, url) with the same text and date."""
    return dataclasses.replace(
        article, id=f"copy{k:04d}/{article.id}", url=f"https://example.org/copy{k}/{article.id}"
    )


def run(template: Path, workdir: Path, copies: int, tail: int) -> dict[str, Any]:
    seeds = seed_articles()
    path = fresh_copy(template, workdir, f"repeat{copies}.db")
    store = Store(path)
    gazetteer = store.gazetteer()
    for article in seeds:  # warm the extractor's caches: every copy then extracts alike
        extract_events(article, gazetteer)
    per_copy: list[float] = []
    statements: collections.Counter[str] = collections.Counter()
    for k in range(copies):
        batch = [copy_of(a, k) for a in seeds]
        if k == copies - 1:  # the trace callback costs time: only on the last copy
            store.db.conn.set_trace_callback(lambda sql: statements.update(["all"]))
        started = cpu_seconds()
        report = index_articles(store, batch)
        per_copy.append(cpu_seconds() - started)
        assert report.new == len(seeds), report.summary()
    store.db.conn.set_trace_callback(None)
    widest = store.db.execute(
        "select count(*) from mentions group by event_key order by 1 desc limit 1"
    ).fetchone()[0]
    events = store.db.execute("select count(*) from events").fetchone()[0]
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    n = len(seeds)
    tail = min(tail, copies)
    return {
        "copies": copies,
        "whole": 1000 * sum(per_copy) / (n * copies),
        "first": 1000 * sum(per_copy[:tail]) / (n * tail),
        "last": 1000 * sum(per_copy[-tail:]) / (n * tail),
        "tail": tail,
        "statements": statements["all"] / n,
        "widest": widest,
        "events": events,
        "size": path.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--tail", type=int, default=10, help="copies averaged at each end")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases here")
    args = parser.parse_args(argv)
    load_avg = os.getloadavg()[0]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-repeat-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    template = workdir / "gazetteer.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{template}{suffix}").unlink(missing_ok=True)
    child(_COMPILE, str(template))
    results = [run(template, workdir, copies, args.tail) for copies in args.copies]
    base = results[0]["whole"]
    print(f"\nrepeat_bench ({time.strftime('%Y-%m-%d %H:%M')})")
    print(f"  load average at start  {load_avg:.2f} (2 cores)")
    print(
        "  copies  CPU ms/article: whole run   first   last (copies)"
        "   ratio   statements/article (last)   mentions of the widest event   events"
    )
    for r in results:
        ratio = r["whole"] / base
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"  {r['copies']:>6}  {r['whole']:>24.2f}  {r['first']:>6.2f}  {r['last']:>6.2f}"
            f" ({r['tail']})  {ratio:>6.2f} {verdict:<6}  {r['statements']:>25.0f}"
            f"   {r['widest']:>28}   {r['events']:>6}"
        )
    print(f"  target: whole-run cost per article within {TARGET_RATIO:.1f} x the first row's")
    print(f"\ndatabases in {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
