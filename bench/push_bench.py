"""A new event's way to a subscribed group: indexed by another process, pushed by the bot.

1. A fresh database (the gazetteer compiled, the seeds indexed) and a group subscribed to
   everything after them, so that only new events are sent.
2. The bot as `sitrep run` builds it (`build_application` with its push job and the default
   push interval of 30 s as the fallback; long polling with run_polling's timeout of 10 s)
   against the Bot API fake in a process of its own (bench/fake_process.py).
3. An indexer in a third process (this script with --indexer), warmed up: for each of --runs
   articles (a shelling in another town each time) it indexes the file and reports the moment
   its commit returned; the fake reports when the group's sendMessage arrived. Both clocks are
   time.monotonic, which every process of the machine shares. Latency = arrival - commit.
4. Idle: the bot's process CPU time over --idle seconds with nothing to do (polling Telegram,
   the push job's look at the file each second, the digest job).

Targets (issue 17): median latency <= 2 s over 10 articles; idle CPU < 1 % of a core.

    PYTHONPATH=. python bench/push_bench.py
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fake_process import RemoteFake, cpu_seconds
from bot.args import parse_subscription
from bot.telegram import build_application
from store.db import Store
from store.indexer import index_articles
from store.ingest import iter_articles
from store.subscriptions import Subscriptions

TARGET_LATENCY = 2.0
TARGET_IDLE = 0.01  # of a core
GROUP = -100_500
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TOWNS = ["Poltava", "Sumy", "Chernihiv", "Mykolaiv", "Odesa", "Dnipro", "Zhytomyr", "Vinnytsia",
         "Kropyvnytskyi", "Cherkasy", "Rivne", "Lutsk"]  # fmt: skip


def article(folder: Path, i: int) -> tuple[Path, str]:
    town = TOWNS[i % len(TOWNS)]
    path = folder / f"push_{i:02d}.txt"
    path.write_text(
        f"date 2022-05-{10 + i:02d}\nRussian shelling hit a school in {town} on Tuesday,"
        f" killing {i + 2} people, the regional governor said.\n",
        encoding="utf-8",
    )
    return path, town


def indexer(db: str) -> int:
    """The other process: index each file named on stdin, print when its commit returned."""
    store = Store(db)
    store.gazetteer()
    print("ready", flush=True)
    for line in sys.stdin:
        index_articles(store, iter_articles([Path(line.strip())]))
        print(time.monotonic(), flush=True)
    return 0


async def measure(db: Path, folder: Path, args: argparse.Namespace) -> tuple[list[float], float]:
    store = Store(db)
    child = subprocess.Popen(
        [sys.executable, __file__, "--indexer", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", ".")},
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    latencies: list[float] = []
    with RemoteFake(enforce_limits=False) as fake:
        app = build_application(store, fake.token, base_url=fake.base_url)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)  # run_polling's defaults
        try:
            await asyncio.sleep(2)  # the first look has pushed (nothing) by now
            for i in range(args.runs):
                path, town = article(folder, i)
                child.stdin.write(f"{path}\n")
                child.stdin.flush()
                committed = float(await asyncio.to_thread(child.stdout.readline))
                arrived = await fake.acall("wait_message_at", GROUP, town, args.timeout)
                latency = (arrived - committed) if arrived is not None else float("inf")
                latencies.append(latency)
                print(f"  article {i + 1} ({town}): {latency:.2f} s", flush=True)
            await asyncio.sleep(2)  # the last push's records are written
            cpu, started = cpu_seconds(), time.monotonic()
            await asyncio.sleep(args.idle)
            idle = (cpu_seconds() - cpu) / (time.monotonic() - started)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            child.stdin.close()
            child.wait(30)
            store.close()
    return latencies, idle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle measured")
    parser.add_argument("--timeout", type=float, default=45.0, help="longest wait per article")
    parser.add_argument("--indexer", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.indexer:
        return indexer(args.indexer)
    logging.basicConfig(level=logging.WARNING)
    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="sitrep-push-bench-"))
    db = folder / "push.db"
    store = Store(db)
    index_articles(store, iter_articles([SEEDS]))
    request = parse_subscription("all", store.gazetteer())
    Subscriptions(store).add(GROUP, 0, request.scope, request.place_id, request.label)
    store.close()
    (folder / "news").mkdir()
    latencies, idle = asyncio.run(measure(db, folder / "news", args))
    median = statistics.median(latencies)
    print(f"\nload average at start {load:.2f} (2 cores); database {db}")
    print("  figure                                   value      target")
    verdict = "met" if median <= TARGET_LATENCY else "MISSED"
    print(f"  commit -> group's message, median of {len(latencies):<3} {median:6.2f} s   "
          f"<= {TARGET_LATENCY:.0f} s  {verdict}")  # fmt: skip
    print(
        f"  ... min / max                            {min(latencies):.2f} / {max(latencies):.2f} s"
    )
    verdict = "met" if idle < TARGET_IDLE else "MISSED"
    print(f"  bot idle CPU over {args.idle:.0f} s                  {idle * 100:6.2f} %   "
          f"< {TARGET_IDLE * 100:.0f} %   {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
