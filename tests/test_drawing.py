"""The drawer: each picture drawn once per key, off the event loop, within its time budget."""

from __future__ import annotations

import asyncio
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bot.drawing import Drawer, draw_order
from bot.figures import Order, Picture
from store.db import EventKind


@pytest.fixture
def order(seeded_db, tmp_path) -> Order:
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    return Order("chart", str(path), None, None, None, EventKind(), "Ukraine")


class CountingPool(ThreadPoolExecutor):
    """A worker that counts what it is asked to draw, and may be held back."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        super().__init__(1)
        self.submitted = 0
        self.gate = gate

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.submitted += 1

        def held() -> bytes:
            if self.gate is not None:
                self.gate.wait(30)
            return fn(*args, **kwargs)

        return super().submit(held)


async def test_a_picture_asked_for_again_comes_from_the_cache(order):
    pool = CountingPool()
    drawer = Drawer(executor=pool)
    first = await drawer.draw(Picture(("a", "1"), "a.png", order))
    again = await drawer.draw(Picture(("a", "1"), "a.png", order))
    other = await drawer.draw(Picture(("a", "2"), "a.png", order))  # the database moved on
    assert first == again == other == draw_order(order)
    assert pool.submitted == 2
    drawer.close()


async def test_a_picture_asked_for_twice_while_it_is_drawn_is_drawn_once(order):
    gate = threading.Event()
    pool = CountingPool(gate)
    drawer = Drawer(executor=pool)
    picture = Picture(("b",), "b.png", order)
    waiting = [asyncio.create_task(drawer.draw(picture)) for _ in range(3)]
    await asyncio.sleep(0)  # let the three ask before the drawing ends
    gate.set()
    assert len({await task for task in waiting}) == 1
    assert pool.submitted == 1
    drawer.close()


async def test_past_its_budget_a_picture_is_none_and_then_cached_when_done(order):
    gate = threading.Event()
    pool = CountingPool(gate)
    drawer = Drawer(budget=0.05, executor=pool)
    picture = Picture(("c",), "c.png", order)
    assert await drawer.draw(picture) is None
    gate.set()
    await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
    assert drawer.cached(picture.key) == draw_order(order)
    assert pool.submitted == 1


async def test_the_event_loop_goes_on_while_a_picture_is_drawn(order):
    gate = threading.Event()
    drawer = Drawer(executor=CountingPool(gate))
    drawing = asyncio.create_task(drawer.draw(Picture(("d",), "d.png", order)))
    ticks = 0
    while ticks < 5:  # the loop runs other work while the worker is held
        await asyncio.sleep(0)
        ticks += 1
    assert not drawing.done()
    gate.set()
    assert await drawing
    drawer.close()
