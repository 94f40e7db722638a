"""Pictures: a map of 5,000 events and a chart of 60 days, and the bot's updates/s while maps
are being drawn.

1. Builds (or reuses) bench/bot_bench.py's database of --events synthetic events.
2. Times `/map <range>` (5,000 events: the most important of the range) and `/chart all <60
   days>` in their three steps: on the event loop, the question read, the events checked and
   the caption written (`Commands.handle`); in the worker, what the picture shows read from the
   database (bot/specs.py), then the PNG drawn (bot/drawing.py's `render`). Each as CPU
   seconds of this process, median of --repeats, with the PNG's size. Run it under
   `taskset -c 0` for one core.
3. Starts the bot against the Bot API fake in its own process (bench/fake_process.py, as
   bot_bench.py does) and lets --chats chats send /city Kharkiv in a closed loop for --duration
   seconds, three times: with no picture being drawn; while maps are drawn back to back in the
   worker process the bot uses; and while they are drawn in a thread of the bot's process (what
   bot/drawing.py chose not to do). Each map is a cache miss (another day each time) and is
   asked through `Commands.handle("/map ...")` on the event loop, as a user's /map is.

Targets: each picture < 1 s of CPU on one core.

    PYTHONPATH=. taskset -c 0 python bench/picture_bench.py --db /tmp/sitrep-bot.db
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.bot_bench import DAYS, FIRST_DAY, build_database, phase, print_table
from bench.fake_process import RemoteFake
from bot.commands import Commands
from bot.drawing import Drawer, render, spec_of
from bot.figures import MapSpec
from bot.telegram import build_application
from store.db import Store

TARGET_SECONDS = 1.0


def cpu_timed(func: Any, repeats: int) -> tuple[float, Any]:
    """(median CPU seconds of this process, the last result)."""
    samples, result = [], None
    for _ in range(repeats):
        started = time.process_time()
        result = func()
        samples.append(time.process_time() - started)
    return statistics.median(samples), result


def picture_timings(path: Path, repeats: int) -> list[list[str]]:
    store = Store(path)
    commands = Commands(store)
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    sixty = FIRST_DAY + timedelta(days=59)
    asks = [
        ("map, whole range", f"/map {FIRST_DAY.isoformat()}..{last.isoformat()}"),
        ("map, Kharkiv Oblast", f"/map Kharkiv Oblast {FIRST_DAY.isoformat()}..{last.isoformat()}"),
        ("chart, 60 days", f"/chart all {FIRST_DAY.isoformat()}..{sixty.isoformat()}"),
    ]
    rows = []
    render(MapSpec((), (30, 45, 31, 46), "warm-up", width=100, height=100))  # imports, fonts
    for name, text in asks:
        asked, reply = cpu_timed(lambda text=text: commands.handle(text), repeats)
        order = reply.picture.order
        read, spec = cpu_timed(lambda order=order: spec_of(order), repeats)
        drawn, png = cpu_timed(lambda spec=spec: render(spec), repeats)
        shown = (
            f"{len(spec.markers):,} markers"
            if isinstance(spec, MapSpec)
            else f"{len(spec.days)} days"
        )
        verdict = "met" if drawn < TARGET_SECONDS else "MISSED"
        rows.append(
            [
                name,
                shown,
                f"{asked * 1000:.0f}",
                f"{read * 1000:.0f}",
                f"{drawn * 1000:.0f}",
                f"{len(png) / 1024:.0f}",
                verdict,
            ]
        )
    store.close()
    return rows


async def draw_maps(commands: Commands, drawer: Drawer, stop: asyncio.Event) -> int:
    """Maps back to back until stopped, each of another day (a cache miss); how many."""
    drawn = 0
    while not stop.is_set():
        day = FIRST_DAY + timedelta(days=drawn % DAYS)
        reply = commands.handle(f"/map {day.isoformat()}..{(day + timedelta(days=20)).isoformat()}")
        assert reply is not None and reply.picture is not None
        key = (*reply.picture.key, str(drawn))  # never from the cache, even on a second lap
        picture = type(reply.picture)(key, reply.picture.name, reply.picture.order)
        await drawer.draw(picture)
        drawn += 1
    return drawn


async def loaded(fake: RemoteFake, path: Path, args: argparse.Namespace) -> list[list[str]]:
    store = Store(path)
    app = build_application(store, fake.token, base_url=fake.base_url, push_interval=None)
    app.bot._rate_limiter = None  # bench only: the bot's own capacity, as bot_bench.py measures
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    commands: Commands = app.bot_data["commands"]
    chats = list(range(1, args.chats + 1))
    rows = []
    try:
        process = app.bot_data["drawer"]
        await process.draw(commands.handle("/map 2022-03-01").picture)  # start the worker
        variants: list[tuple[str, Drawer | None]] = [
            ("no picture drawn", None),
            ("maps drawn in the worker process", process),
            ("maps drawn in a thread", Drawer(executor=ThreadPoolExecutor(1))),
        ]
        for name, drawer in variants:
            stop = asyncio.Event()
            maps = asyncio.create_task(draw_maps(commands, drawer, stop)) if drawer else None
            started = time.perf_counter()
            row = await phase(fake, "closed_loop", "/city Kharkiv", chats, args.duration, 60.0)
            stop.set()
            drawn = await maps if maps else 0
            elapsed = time.perf_counter() - started
            rows.append(
                [
                    name,
                    f"{row['rate']:.0f}",
                    f"{row['p50']:.1f}",
                    f"{row['p99']:.1f}",
                    f"{drawn / elapsed:.2f}",
                    f"{row['bot_cpu_ms']:.2f}",
                ]
            )
            if drawer is not None and drawer is not process:
                drawer.close()
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        store.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, default=None, help="reuse or build this database")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per load phase")
    parser.add_argument("--skip-load", action="store_true", help="only the render timings")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(
        f"load average {os.getloadavg()[0]:.2f} (2 cores); CPUs {sorted(os.sched_getaffinity(0))}"
    )
    path = args.db or Path(tempfile.mkdtemp(prefix="sitrep-picture-bench-")) / "bot.db"
    if not path.exists():
        built = build_database(path, args.events, args.seed)
        print(f"built {path}: {built['events']:,} events in {built['build_seconds']:.1f} s")
    print_table(
        f"pictures, CPU seconds of one process, median of {args.repeats}",
        [
            "picture",
            "drawn",
            "on the loop ms",
            "worker reads ms",
            "PNG drawn ms",
            "PNG KiB",
            "drawn < 1 s",
        ],
        picture_timings(path, args.repeats),
    )
    if not args.skip_load:
        with RemoteFake() as fake:
            rows = asyncio.run(loaded(fake, path, args))
        print_table(
            f"bot, {args.chats} chats send /city Kharkiv in a closed loop, {args.duration:.0f} s",
            ["while", "upd/s", "p50 ms", "p99 ms", "maps/s", "loop CPU ms/upd"],
            rows,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
