"""Push new and updated events to subscribed chats, and daily digests, within Telegram's limits.

PTB's AIORateLimiter (set up in bot.telegram) keeps us under 30 messages/s overall and 20 a
minute per group and retries a 429 after its retry_after; what still fails reaches us here.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as day_time
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ContextTypes

from bot.kinds import kind_label
from bot.render import clip, day_label, esc, fit, render_event
from store.db import Store
from store.subscriptions import Subscriptions

log = logging.getLogger("sitrep.push")
_GONE = ("chat not found", "bot was kicked", "group chat was upgraded", "have no rights")


@dataclass
class PushReport:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    deactivated: int = 0
    # Some send waits for a retry: its chat backs off, the others go on.
    deferred: bool = False
    # Sends deferred one after another, none sent between: past OUTAGE, Telegram itself is down.
    deferred_in_a_row: int = 0


# Sends in flight at once: enough to hide the round trip to Telegram while PTB's rate limiter
# decides when each one may leave (8 carry its 29.5/s up to a ~270 ms round trip); as many as the
# bot's pooled connections (bot.telegram.CONNECTION_POOL_SIZE).
PARALLEL_SENDS = 8
# So many chats failing in a row with no send between means Telegram (or the network) is down,
# not those chats: the push stops and the next one tries again.
OUTAGE = 2 * PARALLEL_SENDS


class ChatBackoff:
    """Chats whose last send failed for want of Telegram (a 5xx, a timeout, a 429 past PTB's
    retries), each waiting on its own schedule (10 s, 20 s, ... at most 15 min, or Telegram's
    retry_after), so one failing chat never holds the others back."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        first: float = 10.0,
        maximum: float = 900.0,
    ) -> None:
        self.clock = clock
        self.first = first
        self.maximum = maximum
        self._failures: dict[int, int] = {}
        self._due: dict[int, float] = {}

    def waiting(self) -> list[int]:
        """The chats not to send to now."""
        now = self.clock()
        return [chat for chat, due in self._due.items() if due > now]

    def is_waiting(self, chat_id: int) -> bool:
        return self._due.get(chat_id, float("-inf")) > self.clock()

    def failed(self, chat_id: int, retry_after: float | None = None) -> float:
        """Record a failed send; returns the seconds this chat now waits."""
        failures = self._failures.get(chat_id, 0) + 1
        self._failures[chat_id] = failures
        delay = max(retry_after or 0.0, min(self.first * 2 ** (failures - 1), self.maximum))
        self._due[chat_id] = self.clock() + delay
        return delay

    def succeeded(self, chat_id: int) -> None:
        self._failures.pop(chat_id, None)
        self._due.pop(chat_id, None)


async def push_once(
    bot: Bot,
    store: Store,
    batch: int = 500,
    backoff: ChatBackoff | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PushReport:
    """Queue what changed, then send the queue to every chat that is not backing off.

    `should_stop` is asked before each send: once it says yes (the bot is stopping), no new send
    starts, the ones in flight finish and are recorded, and the rest stays queued."""
    subs = Subscriptions(store)
    backoff = backoff if backoff is not None else ChatBackoff()
    stop_asked = should_stop or (lambda: False)
    report = PushReport(queued=subs.enqueue())
    texts: dict[tuple[int, int, bool, int | None], str | None] = {}
    while not stop_asked():
        rows = subs.pending(batch, skip_chats=backoff.waiting())
        if not rows:
            return report
        queue = iter(rows)  # shared by the workers: each row taken once
        stopping = asyncio.Event()
        sending = _Sending(bot, store, subs, texts, report, backoff, stopping, stop_asked)
        # A sliding window: each worker starts its next send as soon as its last one is answered
        # and recorded (chunks that waited for their slowest send cost ~25% more CPU a message).
        workers = asyncio.gather(
            *(_work(sending, queue) for _ in range(PARALLEL_SENDS)), return_exceptions=True
        )
        try:
            outcomes = await asyncio.shield(workers)
        except asyncio.CancelledError:
            # A stop or restart starts no new send and lets the sends in flight finish; each is
            # recorded as soon as it is answered, so a restarted push does not send it again.
            stopping.set()
            await workers
            raise
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        if report.deferred_in_a_row >= OUTAGE:
            log.warning("Push paused: %d sends in a row deferred", report.deferred_in_a_row)
            return report
    return report


@dataclass
class _Sending:
    """What the workers of one batch share."""

    bot: Bot
    store: Store
    subs: Subscriptions
    texts: dict
    report: PushReport
    backoff: ChatBackoff
    stopping: asyncio.Event
    stop_asked: Callable[[], bool]

    def should_stop(self) -> bool:
        return (
            self.stopping.is_set() or self.report.deferred_in_a_row >= OUTAGE or self.stop_asked()
        )


async def _work(sending: _Sending, queue: Iterator[dict]) -> None:
    report, backoff = sending.report, sending.backoff
    for row in queue:
        if sending.should_stop():
            return  # the row stays pending for the next push
        if backoff.is_waiting(row["chat_id"]):
            continue  # that chat failed a moment ago: its rows wait for its own retry
        try:
            kind, value = await _deliver(sending.bot, sending.store, row, sending.texts)
        except Exception:
            sending.stopping.set()  # the other workers finish what they sent; the push raises
            raise
        # The record follows the answer with no await between: the only messages a crash can
        # send twice are the ones still in flight.
        _record(sending.subs, row, kind, value)
        # "moved": the row now belongs to the supergroup; the next batch sends it.
        report.sent += kind == "sent"
        report.deactivated += kind == "gone"
        report.failed += kind == "failed"
        if kind == "deferred":
            report.deferred = True
            report.deferred_in_a_row += 1
            delay = backoff.failed(row["chat_id"], value)
            log.warning("Chat %s: send deferred, retried in %.0f s", row["chat_id"], delay)
        else:
            report.deferred_in_a_row = 0
            backoff.succeeded(row["chat_id"])


def _record(subs: Subscriptions, row: dict, kind: str, value: int | None) -> None:
    """The ledger record of one answered send, in its own transaction."""
    if kind == "sent":
        subs.mark_sent(row["chat_id"], row["thread_id"], row["event_id"], row["revision"], value)
    elif kind == "failed":
        subs.mark_failed(row["chat_id"], row["thread_id"], row["event_id"])
    elif kind == "gone":
        subs.deactivate_chat(row["chat_id"])
    elif kind == "moved" and value is not None:
        subs.migrate(row["chat_id"], value)


def _text(store: Store, row: dict, texts: dict) -> str | None:
    """The message for a ledger row, rendered once per event revision for the whole fan-out."""
    correction = None if row["sent_revision"] else row.get("correction_of")
    key = (row["event_id"], row["revision"], bool(row["sent_revision"]), correction)
    if key not in texts:
        event = store.event(row["event_id"])
        if event is None:
            texts[key] = None
        else:
            text = render_event(event, store.sources([event["key"]])[event["key"]])
            if row["sent_revision"]:
                text = fit("<b>Update</b> (new sources or figures)\n" + text)
            elif correction:
                text = fit(f"<b>Correction</b> (replaces event {correction}, withdrawn)\n" + text)
            texts[key] = text
    return texts[key]


async def _deliver(bot: Bot, store: Store, row: dict, texts: dict) -> tuple[str, Any]:
    """Send one ledger row: ("sent", message id), ("moved", new chat id), ("gone", None),
    ("failed", None) or ("deferred", seconds Telegram asks to wait or None). The caller writes
    the records."""
    text = _text(store, row, texts)
    if text is None:
        return "failed", None
    reply_to = None
    if row["sent_revision"] and row["message_id"]:
        reply_to = ReplyParameters(row["message_id"], allow_sending_without_reply=True)
    elif row.get("reply_to"):  # a correction answers the message it corrects
        reply_to = ReplyParameters(row["reply_to"], allow_sending_without_reply=True)
    try:
        message = await bot.send_message(
            row["chat_id"],
            text,
            message_thread_id=row["thread_id"] or None,
            disable_notification=bool(row["quiet"]),
            reply_parameters=reply_to,
        )
    except ChatMigrated as exc:
        # The group became a supergroup while we were away: follow it, send again next batch.
        return "moved", exc.new_chat_id
    except Forbidden as exc:
        log.warning("Chat %s removed or blocked the bot (%s): unsubscribing", row["chat_id"], exc)
        return "gone", None
    except BadRequest as exc:
        if any(reason in str(exc).lower() for reason in _GONE):
            return "gone", None
        log.warning(
            "Telegram refused event %s for chat %s: %s", row["event_id"], row["chat_id"], exc
        )
        return "failed", None
    except RetryAfter as exc:
        log.warning("Telegram asks to wait before sending to chat %s: %s", row["chat_id"], exc)
        return "deferred", _seconds(exc)
    except (TimedOut, NetworkError) as exc:
        log.warning("Sending to chat %s failed for now: %s", row["chat_id"], exc)
        return "deferred", None
    return "sent", message.message_id


def _seconds(exc: RetryAfter) -> float:
    """retry_after in seconds, whether PTB gives an int or (from v23) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns about the coming change of type
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def push_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job queue's periodic call."""
    application = context.application
    commands = application.bot_data["commands"]
    backoff = application.bot_data.setdefault("chat_backoff", ChatBackoff())
    try:
        # A stop (SIGTERM) sets running to False before it waits for this job: the sends in
        # flight finish and are recorded, the rest waits in the ledger for the next start.
        report = await push_once(
            context.bot,
            commands.store,
            backoff=backoff,
            should_stop=lambda: not application.running,
        )
    except sqlite3.OperationalError as exc:
        # Writers wait their turn (store.db.BUSY_TIMEOUT_MS); past that, try at the next run.
        log.warning("Push postponed, the database is busy: %s", exc)
        return
    if report.queued or report.sent or report.failed:
        log.info("Push: %s", report)


def render_digest(events: list[dict], day: str) -> str:
    lines = [f"<b>Daily digest, {esc(day)}</b> — {len(events)} new or updated events"]
    for e in events[:40]:
        lines.append(
            f"• {esc(e['place_name'])}, {day_label(e['date'], e['date_precision'])}:"
            f" {esc(kind_label(e))} — {esc(clip(e['summary'], 120))}"
            f" ({e['n_sources']} source{'s' if e['n_sources'] != 1 else ''}: /event {e['id']})"
        )
    if len(events) > 40:
        lines.append(f"… and {len(events) - 40} more: /latest")
    return fit("\n".join(lines))


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each minute: send the digest of every chat whose local digest time has come today."""
    store = context.application.bot_data["commands"].store
    subs = Subscriptions(store)
    rows = store.db.execute(
        "select chat_id, digest_time, timezone, digest_sent_on from chats"
        " where active = 1 and digest_time is not null"
    ).fetchall()
    now = datetime.now(ZoneInfo("UTC"))
    for chat_id, at, zone, sent_on in rows:
        local = now.astimezone(ZoneInfo(zone or "Europe/Kyiv"))
        hour, minute = (int(x) for x in at.split(":"))
        if local.time() < day_time(hour, minute) or sent_on == local.date().isoformat():
            continue
        since = int(store.meta(f"digest_seq:{chat_id}") or 0)
        events = subs.digest_events(chat_id, since)
        subs.update_chat(chat_id, digest_sent_on=local.date().isoformat())
        store.set_meta(f"digest_seq:{chat_id}", store.meta("seq") or "0")
        if not events:
            continue
        try:
            await context.bot.send_message(chat_id, render_digest(events, local.date().isoformat()))
        except Forbidden:
            subs.deactivate_chat(chat_id)
