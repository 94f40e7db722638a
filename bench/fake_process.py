"""The Bot API fake, and the users who talk to the bot, in a process of their own.

Telegram's servers are not on the bot's core, so a benchmark of the bot must not let the fake's
HTTP threads take the bot's CPU and GIL. `RemoteFake` starts `tests/botapi_fake.py` (subclassed
here to timestamp updates and replies) in a child process and drives it over a pipe: the child
serves HTTP on 127.0.0.1, plays the users (closed loop or paced), measures latency with its own
clock and sends back figures; the parent runs only the bot and measures its own CPU.

    with RemoteFake(enforce_limits=False) as fake:
        bot = Bot(fake.token, base_url=fake.base_url)
        ...
        result = await fake.acall("closed_loop", "/help", chats, 5.0, 60.0)
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import multiprocessing
import os
import resource
import statistics
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from tests.botapi_fake import BotApiFake


def cpu_seconds() -> float:
    """User + system CPU of this whole process (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class GcTimer:
    """Time the bot process spends in the cyclic garbage collector, per generation."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.counts = [0, 0, 0]
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._started
            self.counts[info["generation"]] += 1

    def take(self) -> tuple[list[float], list[int]]:
        taken = (self.seconds, self.counts)
        self.seconds, self.counts = [0.0, 0.0, 0.0], [0, 0, 0]
        return taken


class TimedFake(BotApiFake):
    """The Bot API fake, recording when each update was pushed and each reply arrived."""

    def __init__(self, **kwargs: Any) -> None:
        self.pushed: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.latencies: list[float] = []
        self.failed_replies = 0
        self.on_reply: Callable[[int], None] | None = None
        self.send_seconds: list[float] = []
        self.polls = 0
        self._timing_lock = threading.Lock()
        self.gc = GcTimer()
        super().__init__(**kwargs)

    def send(self, chat_id: int, text: str) -> None:
        with self._cond:
            self.pushed[chat_id].append(time.perf_counter())
            self.user_message(text, chat_id=chat_id)

    def _record(self, method: str, payload: dict[str, Any], result: Any) -> None:
        super()._record(method, payload, result)  # called with self._cond held
        if method != "sendMessage":
            return
        queue = self.pushed.get(payload.get("chat_id"))  # type: ignore[arg-type]
        if not queue:
            return
        self.latencies.append(time.perf_counter() - queue.popleft())
        if result is None:
            self.failed_replies += 1
        if self.on_reply is not None:
            self.on_reply(payload["chat_id"])

    def _dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, dict]:
        started = time.perf_counter()
        answer = super()._dispatch(path, content_type, body)
        if path.lower().endswith("/sendmessage"):
            with self._timing_lock:
                self.send_seconds.append(time.perf_counter() - started)
        elif path.lower().endswith("/getupdates"):
            with self._timing_lock:
                self.polls += 1
        return answer

    def wait_message_at(self, chat_id: int, words: str, timeout: float) -> float | None:
        """When (time.monotonic, the clock every process of the machine shares) a sendMessage
        to `chat_id` with `words` in its text arrived; None past `timeout` seconds."""
        try:
            self.wait_for_message(chat_id, lambda m: words in m["text"], timeout)
        except AssertionError:
            return None
        return time.monotonic()

    def reset_measurements(self) -> None:
        # Every call is kept in self.calls, so the fake's heap grows all run long: a full
        # collection of it would stall every reply in flight and count as the bot's latency.
        gc.freeze()
        self.gc.take()
        with self._cond:
            self.latencies = []
            self.failed_replies = 0
            self.on_reply = None
        with self._timing_lock:
            self.send_seconds = []
            self.polls = 0

    # --- the users (run in the fake's process) --------------------------------------------

    def closed_loop(
        self, text: str, chats: list[int], duration: float, timeout: float
    ) -> dict[str, Any]:
        """Every chat keeps one command outstanding until `duration`; then the rest drains."""
        self.reset_measurements()
        deadline = time.perf_counter() + duration
        outstanding = {"n": 0}
        sent = {"n": 0}
        drained = threading.Event()

        def on_reply(chat_id: int) -> None:
            outstanding["n"] -= 1
            if time.perf_counter() < deadline:
                outstanding["n"] += 1
                sent["n"] += 1
                self.send(chat_id, text)
            elif outstanding["n"] == 0:
                drained.set()

        started, cpu = time.perf_counter(), cpu_seconds()
        with self._cond:
            self.on_reply = on_reply
            for chat_id in chats:
                outstanding["n"] += 1
                sent["n"] += 1
                self.send(chat_id, text)
        finished = drained.wait(duration + timeout)
        return self._summary(sent["n"], started, cpu, finished, "closed loop")

    def paced(
        self, text: str, chats: list[int], rate: float, duration: float, timeout: float
    ) -> dict[str, Any]:
        """Updates pushed at `rate` per second round robin over the chats, for `duration`."""
        self.reset_measurements()
        total = max(1, int(rate * duration))
        done = threading.Event()
        replies = {"n": 0}

        def on_reply(chat_id: int) -> None:
            replies["n"] += 1
            if replies["n"] >= total:
                done.set()

        self.on_reply = on_reply
        started, cpu = time.perf_counter(), cpu_seconds()
        for i in range(total):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            self.send(chats[i % len(chats)], text)
        finished = done.wait(timeout)
        return self._summary(total, started, cpu, finished, f"paced {rate:.0f}/s")

    def _summary(
        self, sent: int, started: float, cpu: float, finished: bool, mode: str
    ) -> dict[str, Any]:
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        with self._cond:
            latencies = [x * 1000 for x in self.latencies]
            failed = self.failed_replies
            self.on_reply = None
        with self._timing_lock:
            server = list(self.send_seconds)
            polls = self.polls
        gc_seconds, _ = self.gc.take()
        return {
            "mode": mode,
            "sent": sent,
            "replies": len(latencies),
            "failed": failed,
            "elapsed": elapsed,
            "rate": len(latencies) / elapsed if elapsed else 0.0,
            "p50": percentile(latencies, 50),
            "p99": percentile(latencies, 99),
            "max": max(latencies, default=float("nan")),
            "server_ms": statistics.mean(server) * 1000 if server else float("nan"),
            "fake_cpu_ms": cpu * 1000 / max(1, len(latencies)),
            "polls_per_update": polls / max(1, len(latencies)),
            "fake_gc_ms": sum(gc_seconds) * 1000,
            "fake_load": cpu / elapsed if elapsed else 0.0,
            "finished": finished,
            "closed": mode == "closed loop",
        }

    # --- inspection over the pipe ---------------------------------------------------------

    def cpu(self) -> float:
        """CPU seconds of the fake's process so far (HTTP server and users)."""
        return cpu_seconds()

    def counts(self) -> dict[str, int]:
        """What the fake saw, small enough to send back."""
        return {
            "sent": len(self.sent()),
            "rejections": len(self.rejections),
            "too_many_requests": self.too_many_requests,
            "errors": len(self.errors),
        }


def _serve(conn: Connection, kwargs: dict[str, Any], cpus: set[int] | None) -> None:
    """The child: one TimedFake, and one command at a time from the parent."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    with TimedFake(**kwargs) as fake:
        conn.send({"token": fake.token, "base_url": fake.base_url})
        while True:
            try:
                name, args, call_kwargs = conn.recv()
            except EOFError:
                return
            if name == "close":
                conn.send(("ok", None))
                return
            try:
                conn.send(("ok", getattr(fake, name)(*args, **call_kwargs)))
            except Exception:
                conn.send(("error", traceback.format_exc()))


class RemoteFake:
    """A TimedFake in a child process: `call`/`acall` run one of its methods there."""

    def __init__(self, cpus: set[int] | None = None, **kwargs: Any) -> None:
        context = multiprocessing.get_context("spawn")  # a clean child, not a copy of the bot
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, kwargs, cpus), name="bot-api-fake", daemon=True
        )
        self._process.start()
        child.close()
        hello = self._conn.recv()
        self.token: str = hello["token"]
        self.base_url: str = hello["base_url"]
        self._lock = threading.Lock()

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._conn.send((name, args, kwargs))
            status, value = self._conn.recv()
        if status != "ok":
            raise RuntimeError(f"the fake's process failed in {name}:\n{value}")
        return value

    async def acall(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """`call` from the event loop: a thread waits on the pipe (it uses no CPU meanwhile)."""
        return await asyncio.to_thread(self.call, name, *args, **kwargs)

    def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(EOFError, OSError, RuntimeError):
                self.call("close")
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> RemoteFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
