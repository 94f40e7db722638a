"""Drawing pictures off the bot's event loop, within a time budget, each drawn once per
database revision: the worker reads what the picture shows from the database file itself
(bot/specs.py; a big range is a few hundred milliseconds of queries) and draws it.

The bot draws in a worker process, at a lower priority: matplotlib holds the interpreter lock
while it draws, so a thread halved the bot's updates/s while maps were drawn, and a niced
process left them as they were (bench/picture_bench.py measures both). The console and the
CLI draw in their own thread. A picture asked for again at the same revision of the database
comes from the cache; one asked for twice while it is drawn is drawn once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import threading
from collections import OrderedDict
from concurrent.futures import Executor, Future

from bot import specs
from bot.figures import ChartSpec, MapSpec, Order, Picture
from store.db import Store

BUDGET_SECONDS = 20.0  # the first picture also starts the worker (~1 s to import matplotlib)
CACHED = 32  # pictures kept; a map is 0.3-1 MB
# The worker yields the CPU to the bot: an answer to /city matters more than a map drawn 0.3 s
# sooner (bench/picture_bench.py).
WORKER_NICE = 10


_opened = threading.local()  # a store per thread: an SQLite connection stays in its thread


def spec_of(order: Order) -> MapSpec | ChartSpec:
    """What the order shows, read from its database (bot/specs.py)."""
    stores: dict[str, Store] = _opened.__dict__.setdefault("stores", {})
    if order.db not in stores:
        stores[order.db] = Store(order.db)
    return specs.spec_of(stores[order.db], order)


def draw_order(order: Order) -> bytes:
    """What the worker runs: the order read from the database, then drawn."""
    return render(spec_of(order))


def render(spec: MapSpec | ChartSpec) -> bytes:
    """The PNG of a spec (imported here: only what draws needs matplotlib)."""
    if isinstance(spec, MapSpec):
        from bot.map_render import render_map

        return render_map(spec)
    from bot.chart_render import render_chart

    return render_chart(spec)


class Drawer:
    """Pictures drawn by `executor` (one worker process unless given), cached by their key."""

    def __init__(
        self, budget: float = BUDGET_SECONDS, executor: Executor | None = None, size: int = CACHED
    ) -> None:
        self.budget = budget
        self.size = size
        self._executor = executor
        self._lock = threading.RLock()  # _done may run at once, inside draw's lock
        self._cache: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._drawing: dict[tuple[str, ...], Future[bytes]] = {}

    def cached(self, key: tuple[str, ...]) -> bytes | None:
        with self._lock:
            png = self._cache.get(key)
            if png is not None:
                self._cache.move_to_end(key)
            return png

    def _keep(self, key: tuple[str, ...], png: bytes) -> None:
        with self._lock:
            self._cache[key] = png
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)

    def draw_here(self, picture: Picture) -> bytes:
        """Drawn in this thread (the console, the CLI)."""
        png = self.cached(picture.key)
        if png is None:
            png = draw_order(picture.order)
            self._keep(picture.key, png)
        return png

    async def draw(self, picture: Picture) -> bytes | None:
        """Drawn by the worker; None when it takes longer than the budget (it goes on, and the
        picture is cached when done, so asking again later gets it at once)."""
        png = self.cached(picture.key)
        if png is not None:
            return png
        with self._lock:
            future = self._drawing.get(picture.key)
            if future is None:
                future = self._pool().submit(draw_order, picture.order)
                self._drawing[picture.key] = future
                future.add_done_callback(lambda done: self._done(picture.key, done))
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.budget)
        except TimeoutError:
            return None

    def _done(self, key: tuple[str, ...], future: Future[bytes]) -> None:
        """Called in the executor's thread when the drawing ends."""
        with self._lock:
            self._drawing.pop(key, None)
        if not future.cancelled() and future.exception() is None:
            self._keep(key, future.result())

    def _pool(self) -> Executor:
        if self._executor is None:
            # spawn, not fork: the bot has threads (PTB's, the job queue's) a fork would copy
            # in whatever state they are.
            context = multiprocessing.get_context("spawn")
            self._executor = concurrent.futures.ProcessPoolExecutor(
                1, mp_context=context, initializer=os.nice, initargs=(WORKER_NICE,)
            )
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
