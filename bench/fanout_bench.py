"""One new event pushed to many subscribed chats through bot/push.py's push_once.

Setup (not timed, but reported): a database with the gazetteer, chats 1..N subscribed to
everything with `Subscriptions.add(chat_id, 0, "all", None, "all")`, then one article indexed
that yields exactly one event. The chats are private chats (positive ids), so of Telegram's
limits only the overall ~30 messages/s applies, not the 20 a minute per group. Setup writes use
`pragma synchronous = off` for speed; it is set back before anything is timed.

(a) limits lifted: --chats chats (default 10,000), a plain `telegram.Bot(token, base_url=...)`
    with the bot's HTTP client (bot.guards.LoggedRequest on aiohttp; `--client httpx` for PTB's
    HTTPXRequest, which the bot used before) and connection pool size and no rate limiter, the
    fake not enforcing limits: messages/s of push_once, the time in enqueue, and the CPU time of
    this process per message. Target: >= 1,000 messages/s.

The fake runs in a process of its own (bench/fake_process.py), as Telegram's servers are not on
the bot's core: this process runs only push_once, and its CPU time is the bot's.
(b) limits enforced: --limited-chats chats (default 900: at 30/s that is 30 s; 10,000 would take
    333 s), the fake with enforce_limits=True, and the Bot of `build_application(...)` with its
    AIORateLimiter (max_retries=3, as the bot runs): 429s answered by the fake and total time
    against the floor of chats/30 s. Target: zero 429s and total time within 10% of the floor.
    PTB's limiter sleeps in real time, so the fake's clock is not scaled: fewer chats instead.
(c) with --experiment smooth and/or --experiment window: (b) again with the Bot's limiter
    replaced by AIORateLimiter(overall_max_rate=1, overall_time_period=1/29) (no burst after a
    pause) or by SlidingWindowLimiter below (at most 30 sends in any 1.02 s, Telegram's rule).

    PYTHONPATH=. python bench/fanout_bench.py --chats 10000 --limited-chats 900
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import logging
import os
import pstats
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseRateLimiter
from telegram.request import HTTPXRequest

import store.subscriptions as subscriptions_module
from bench.fake_process import GcTimer, RemoteFake, cpu_seconds
from bot.guards import LoggedRequest
from bot.push import PARALLEL_SENDS, push_once
from bot.telegram import CONNECTION_POOL_SIZE, build_application
from store.db import Store
from store.indexer import index_articles
from store.models import Article
from store.subscriptions import Subscriptions

TARGET_RATE = 1000.0
LIMIT_PER_SECOND = 30.0
ARTICLE = Article(
    id="fanout-0001",
    text=(
        "Russian shelling hit a residential building in Kharkiv on Wednesday, killing five"
        " people and wounding 12, regional governor Oleh Synehubov said.\n"
    ),
    published=date(2022, 3, 2),
    title="Russian shelling kills five in Kharkiv",
    url="https://news.example.org/2022/03/02/fanout-0001",
    publisher="Bench News",
    path="fanout-0001.txt",
    published_source="manifest",
)


class TimedBot(Bot):
    """A plain Bot that adds up the time spent in send_message (HTTP and PTB) in `spent`."""

    spent: dict[str, float] = {"seconds": 0.0}  # Bot objects are frozen: the total lives here

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await super().send_message(*args, **kwargs)
        finally:
            self.spent["seconds"] += time.perf_counter() - started


class SlidingWindowLimiter(BaseRateLimiter[int]):
    """Experiment: at most `limit` requests with a chat_id in any `window` seconds, as the fake
    (and Telegram's 30/s) count them: wait exactly until the oldest send leaves the window."""

    def __init__(self, limit: int = 30, window: float = 1.02, max_retries: int = 3) -> None:
        self.limit, self.window, self.max_retries = limit, window, max_retries
        self.sends: collections.deque[float] = collections.deque()
        self.lock = asyncio.Lock()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for attempt in range(self.max_retries + 1):
            if data.get("chat_id") is not None:
                async with self.lock:
                    loop = asyncio.get_running_loop()
                    while len(self.sends) >= self.limit:
                        wait = self.sends[0] + self.window - loop.time()
                        if wait > 0:
                            await asyncio.sleep(wait)
                        else:
                            self.sends.popleft()
                    self.sends.append(loop.time())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                await asyncio.sleep(exc.retry_after.total_seconds() + 0.1)  # type: ignore[union-attr]
        return None


class EnqueueTimer:
    """Times Subscriptions.enqueue while installed (push_once builds its own Subscriptions)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.original = subscriptions_module.Subscriptions.enqueue

    def __enter__(self) -> EnqueueTimer:
        original = self.original

        def timed(subs: Subscriptions) -> int:
            started = time.perf_counter()
            try:
                return original(subs)
            finally:
                self.seconds += time.perf_counter() - started

        subscriptions_module.Subscriptions.enqueue = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        subscriptions_module.Subscriptions.enqueue = self.original  # type: ignore[method-assign]


def compile_template(folder: Path) -> tuple[Path, float]:
    path = folder / "template.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(path)
    store.gazetteer()
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    return path, time.perf_counter() - started


def prepare(template: Path, path: Path, chats: int) -> dict[str, Any]:
    """Copy the template, subscribe chats 1..chats to everything, index one event."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, path)
    store = Store(path)
    synchronous = store.db.execute("pragma synchronous").fetchone()[0]
    store.db.execute("pragma synchronous = off")
    subs = Subscriptions(store)
    started = time.perf_counter()
    for chat_id in range(1, chats + 1):
        subs.add(chat_id, 0, "all", None, "all")
    subscribe_seconds = time.perf_counter() - started
    report = index_articles(store, [ARTICLE])
    events = store.db.execute("select count(*) from events where confidence >= 0.5").fetchone()[0]
    store.db.execute(f"pragma synchronous = {synchronous}")
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.close()
    if events != 1:
        raise SystemExit(f"expected the article to give 1 event, got {events}: {report.summary()}")
    return {"subscribe_seconds": subscribe_seconds, "synchronous": synchronous}


CLIENTS = {"bot": LoggedRequest, "httpx": HTTPXRequest}


async def lifted(
    template: Path, folder: Path, chats: int, profile: str | None = None, client: str = "bot"
) -> dict[str, Any]:
    path = folder / "lifted.db"
    setup = prepare(template, path, chats)
    store = Store(path)
    with RemoteFake(enforce_limits=False) as fake:
        # The client and connection pool the bot's Application uses (build_application), no
        # rate limiter.
        request = CLIENTS[client](connection_pool_size=CONNECTION_POOL_SIZE)
        bot = TimedBot(fake.token, base_url=fake.base_url, request=request)
        TimedBot.spent["seconds"] = 0.0
        async with bot:
            profiler = cProfile.Profile() if profile else None
            with EnqueueTimer() as enqueue:
                if profiler is not None:
                    profiler.enable()
                fake_cpu = fake.call("cpu")
                gc_timer = GcTimer()
                started, cpu = time.perf_counter(), cpu_seconds()
                report = await push_once(bot, store)
                elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
                fake_cpu = fake.call("cpu") - fake_cpu
                gc_seconds, gc_counts = gc_timer.take()
                if profiler is not None:
                    profiler.disable()
                    print("\n--- cProfile of push_once (inflates CPU)")
                    pstats.Stats(profiler).strip_dirs().sort_stats(profile).print_stats(40)
        counts = fake.call("counts")
    store.close()
    http = TimedBot.spent["seconds"]
    return {
        **setup,
        "report": report,
        "elapsed": elapsed,
        "enqueue": enqueue.seconds,
        "http": http,
        "cpu": cpu,
        "fake_cpu": fake_cpu,
        "gc": f"{gc_counts[2]} full collections, {gc_seconds[2]:.2f} s;"
        f" all {sum(gc_seconds):.2f} s",
        "fake_sent": counts["sent"],
        "rejections": counts["rejections"],
    }


async def limited(
    template: Path, folder: Path, chats: int, max_retries: int, experiment: str = ""
) -> dict[str, Any]:
    path = folder / f"limited{experiment}.db"
    setup = prepare(template, path, chats)
    store = Store(path)
    with RemoteFake(enforce_limits=True) as fake:
        app = build_application(
            store, fake.token, base_url=fake.base_url, max_retries=max_retries, push_interval=None
        )
        if experiment == "smooth":
            # A limiter without bursts (a bucket of 1 that refills 29 times a second) instead
            # of aiolimiter's bucket of 30, which lets 30 through after any pause.
            app.bot._rate_limiter = AIORateLimiter(
                overall_max_rate=1, overall_time_period=1 / 29, max_retries=max_retries
            )
        elif experiment == "window":
            app.bot._rate_limiter = SlidingWindowLimiter(max_retries=max_retries)
        await app.initialize()
        try:
            started = time.perf_counter()
            report = await push_once(app.bot, store)
            elapsed = time.perf_counter() - started
            rounds = 1
            while report.deferred and rounds < 5:
                # What the push job would do on its next run: carry on from the ledger.
                more = await push_once(app.bot, store)
                report.sent += more.sent
                report.failed += more.failed
                report.deferred = more.deferred
                rounds += 1
                elapsed = time.perf_counter() - started
        finally:
            await app.shutdown()
        counts = fake.call("counts")
    store.close()
    return {
        **setup,
        "report": report,
        "elapsed": elapsed,
        "rounds": rounds,
        "fake_sent": counts["sent"],
        "too_many": counts["too_many_requests"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=10_000, help="(a) subscribed chats")
    parser.add_argument("--limited-chats", type=int, default=900, help="(b) subscribed chats")
    parser.add_argument("--max-retries", type=int, default=3, help="(b) AIORateLimiter retries")
    parser.add_argument("--skip-lifted", action="store_true")
    parser.add_argument("--skip-limited", action="store_true")
    parser.add_argument(
        "--experiment",
        action="append",
        choices=["smooth", "window"],
        default=[],
        help="(c) run (b) again with another limiter on the Bot: smooth = AIORateLimiter with"
        " a bucket of 1 at 29/s; window = at most 30 sends in any 1.02 s (repeatable)",
    )
    parser.add_argument(
        "--client",
        choices=sorted(CLIENTS),
        default="bot",
        help="(a): the bot's HTTP client (aiohttp), or PTB's HTTPXRequest for a comparison",
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--profile",
        choices=["tottime", "cumulative"],
        default=None,
        help="(a): cProfile push_once and print the top functions",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    load_avg = os.getloadavg()[0]
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="sitrep-fanout-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    template, compile_seconds = compile_template(folder)
    print(
        f"fanout_bench: private chats (positive ids; only the 30/s overall limit applies);"
        f" load average {load_avg:.2f} (2 cores); gazetteer compiled in {compile_seconds:.1f} s"
    )

    if not args.skip_lifted:
        a = asyncio.run(lifted(template, folder, args.chats, args.profile, args.client))
        r = a["report"]
        rate = r.sent / a["elapsed"] if a["elapsed"] else 0.0
        verdict = "met" if rate >= TARGET_RATE and r.sent == args.chats else "MISSED"
        per = 1000 / max(1, r.sent)
        print(
            f"\n(a) limits lifted: {args.chats:,} chats, plain Bot on the {args.client} client,"
            " fake without limits"
        )
        rows = [
            ("subscribing (setup, synchronous=off)", f"{a['subscribe_seconds']:.1f} s"),
            ("queued / sent / failed", f"{r.queued:,} / {r.sent:,} / {r.failed}"),
            ("accepted by the fake", f"{a['fake_sent']:,} ({a['rejections']} rejected)"),
            ("push_once total", f"{a['elapsed']:.1f} s"),
            ("  enqueue (who gets it)", f"{a['enqueue']:.2f} s"),
            ("  sending and recording", f"{a['elapsed'] - a['enqueue']:.1f} s"),
            (
                "  send_message, each",
                f"{a['http'] * per:.2f} ms from call to answer ({PARALLEL_SENDS} in flight)",
            ),
            (
                "bot process CPU",
                f"{a['cpu']:.1f} s, {a['cpu'] * per:.3f} ms/msg:"
                f" {1000 / max(1e-9, a['cpu'] * per):,.0f} messages per CPU second",
            ),
            ("  in the garbage collector", a["gc"]),
            ("fake's process CPU", f"{a['fake_cpu']:.1f} s, {a['fake_cpu'] * per:.3f} ms/msg"),
            ("messages/s", f"{rate:,.0f}   target >= {TARGET_RATE:,.0f}: {verdict}"),
        ]
        for key, value in rows:
            print(f"  {key:<34} {value}")

    limiters = {
        "": "build_application's AIORateLimiter",
        "smooth": "AIORateLimiter(overall_max_rate=1, overall_time_period=1/29)",
        "window": "SlidingWindowLimiter(30 per 1.02 s, bench/fanout_bench.py)",
    }
    variants = [] if args.skip_limited else [("(b) limits enforced", "")]
    variants += [(f"(c) experiment '{e}'", e) for e in args.experiment]
    for title, experiment in variants:
        b = asyncio.run(limited(template, folder, args.limited_chats, args.max_retries, experiment))
        r = b["report"]
        floor = args.limited_chats / LIMIT_PER_SECOND
        ratio = b["elapsed"] / floor
        verdict = "met" if b["too_many"] == 0 and ratio <= 1.10 else "MISSED"
        print(
            f"\n{title}: {args.limited_chats:,} chats, {limiters[experiment]},"
            f" max_retries={args.max_retries}, fake enforce_limits=True"
        )
        rows = [
            ("queued / sent / failed", f"{r.queued:,} / {r.sent:,} / {r.failed}"),
            ("accepted by the fake", f"{b['fake_sent']:,}"),
            ("429s answered by the fake", f"{b['too_many']}"),
            ("push_once runs", f"{b['rounds']} (more than 1: a 429 outlived the retries)"),
            ("total time", f"{b['elapsed']:.1f} s"),
            ("floor at 30 messages/s", f"{floor:.1f} s"),
            ("time / floor", f"{ratio:.3f}   target: 0 429s and <= 1.10: {verdict}"),
            ("messages/s", f"{r.sent / b['elapsed']:.1f}"),
        ]
        for key, value in rows:
            print(f"  {key:<34} {value}")
    print(f"\ndatabases in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
