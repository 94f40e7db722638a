"""Push new and updated events to subscribed chats, and daily digests, within Telegram's limits.

A new event is one message. When it gains sources or figures that message is edited in place;
a new message (a reply to the first) only when the toll jumps (`toll_jumped`) or the first one
is more than a day old, and never within an hour of the last one (`next_step`). So a group
following a story sees it grow in one place instead of a stream of updates.

PTB's AIORateLimiter (set up in bot.telegram) keeps us under 30 messages/s overall and 20 a
minute per group and retries a 429 after its retry_after; what still fails reaches us here.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as day_time
from typing import Any, Literal
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

from bot.catalogue import t
from bot.render import fit, render_digest, render_event
from store.db import Store
from store.subscriptions import Subscriptions, toll

log = logging.getLogger("sitrep.push")
_GONE = ("chat not found", "bot was kicked", "group chat was upgraded", "have no rights")
# Telegram's answers to an edit of a message that is no longer there to edit (deleted, or too
# old in some chats): the event goes out as a fresh message instead.
_EDIT_GONE = ("message to edit not found", "message can't be edited")
# A new message about an event already sent: when the first one has scrolled far away ...
REPLY_AFTER = 24 * 3600.0
# ... and never sooner than this after the last message about it in that chat (seconds).
REPLY_GAP = 3600.0

Step = Literal["send", "edit", "reply"]


def toll_jumped(before: int, after: int) -> bool:
    """Whether killed + injured moved enough to tell the chat again in a new message rather
    than an edit it may not notice: ten more people, or at least double and three more. A toll
    that creeps from 57 to 59 is the same story and an edit; 0 to 5, 30 to 130 change what the
    group knows. (Small counts must move by three: 1 to 2 is an edit, not an alarm.)"""
    return after - before >= 10 or (after >= 2 * before and after - before >= 3)


def next_step(row: dict[str, Any], shown_toll: int, now: float) -> Step:
    """What to do with a ledger row: send it (the chat has no message about the event), edit
    that message in place, or reply to the first one with the new revision."""
    if not row["sent_revision"] or not (row.get("last_message_id") or row["message_id"]):
        return "send"
    # A row sent before the ledger kept times is as old as can be.
    sent_at = row.get("sent_at") or 0.0
    last = max(sent_at, row.get("replied_at") or 0.0)
    if now - last < REPLY_GAP:
        return "edit"
    if toll_jumped(row.get("notified_toll") or 0, shown_toll) or now - sent_at > REPLY_AFTER:
        return "reply"
    return "edit"


@dataclass
class PushReport:
    queued: int = 0
    sent: int = 0  # new messages, replies included
    replied: int = 0
    edited: int = 0
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
    clock: Callable[[], float] = time.time,
) -> PushReport:
    """Queue what changed, then send the queue to every chat that is not backing off.

    `clock` gives Unix seconds, for the ledger's times that decide edit or reply.
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
        sending = _Sending(bot, store, subs, texts, report, backoff, stopping, stop_asked, clock)
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
    clock: Callable[[], float]

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
            kind, value, shown = await _deliver(sending, row)
        except Exception:
            sending.stopping.set()  # the other workers finish what they sent; the push raises
            raise
        # The record follows the answer with no await between: the only messages a crash can
        # send twice are the ones still in flight.
        _record(sending.subs, row, kind, value, shown, sending.clock())
        # "moved": the row now belongs to the supergroup; the next batch sends it.
        report.sent += kind in ("sent", "replied")
        report.replied += kind == "replied"
        report.edited += kind == "edited"
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


@dataclass(frozen=True)
class _Shown:
    """What a chat's message about an event now shows: its toll, and a digest of its text (an
    edit to the same text is no call: Telegram would answer "message is not modified")."""

    toll: int = 0
    digest: str = ""


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _record(
    subs: Subscriptions, row: dict, kind: str, value: int | None, shown: _Shown, now: float
) -> None:
    """The ledger record of one answered send, in its own transaction."""
    where = (row["chat_id"], row["thread_id"], row["event_id"], row["revision"])
    if kind in ("sent", "replied"):
        subs.mark_sent(
            *where,
            value,
            at=now,
            shown_toll=shown.toll,
            reply=kind == "replied",
            shown_hash=shown.digest,
        )
    elif kind == "edited":
        subs.mark_edited(*where, shown_hash=shown.digest)
    elif kind == "failed":
        subs.mark_failed(row["chat_id"], row["thread_id"], row["event_id"])
    elif kind == "gone":
        subs.deactivate_chat(row["chat_id"])
    elif kind == "moved" and value is not None:
        subs.migrate(row["chat_id"], value)


def _text(store: Store, row: dict, texts: dict, step: Step) -> tuple[str | None, int]:
    """The message for a ledger row and the toll it shows, rendered once per event revision,
    step and language for the whole fan-out. A reply says it is an update; a correction says
    which event it replaces, and keeps saying so when edited."""
    correction = row.get("correction_of") if step != "reply" else None
    lang = row.get("lang") or "en"
    key = (row["event_id"], row["revision"], step == "reply", correction, lang)
    if key not in texts:
        event = store.event(row["event_id"])
        if event is None:
            texts[key] = (None, 0)
        else:
            text = render_event(event, store.sources([event["key"]])[event["key"]], lang=lang)
            if step == "reply":
                text = fit(t("push.update", lang) + "\n" + text)
            elif correction:
                text = fit(t("push.correction", lang, id=correction) + "\n" + text)
            texts[key] = (text, toll(event))
    return texts[key]


def _toll(store: Store, row: dict, texts: dict) -> int:
    """Killed + injured of the row's event revision, looked up once for the whole fan-out."""
    key = ("toll", row["event_id"], row["revision"])
    if key not in texts:
        event = store.event(row["event_id"])
        texts[key] = toll(event) if event else 0
    return texts[key]


async def _deliver(sending: _Sending, row: dict) -> tuple[str, Any, _Shown]:
    """Deliver one ledger row: ("sent" or "replied", message id), ("edited", None), ("moved",
    new chat id), ("gone", None), ("failed", None) or ("deferred", seconds Telegram asks to wait
    or None), and the toll the message shows. The caller writes the records."""
    now_toll = _toll(sending.store, row, sending.texts) if row["sent_revision"] else 0
    step = next_step(row, now_toll, sending.clock())
    text, now_toll = _text(sending.store, row, sending.texts, step)
    if text is None:
        return "failed", None, _Shown()
    shown = _Shown(now_toll, _digest(text))
    if step == "edit" and row.get("shown_hash") == shown.digest:
        return "edited", None, shown  # a revision the message does not show (say, a mention)
    if step == "edit":
        target = row.get("last_message_id") or row["message_id"]
        kind, value = await _ask(
            row, sending.bot.edit_message_text(text, chat_id=row["chat_id"], message_id=target)
        )
        if kind == "ok" or (kind == "refused" and "not modified" in str(value).lower()):
            return "edited", None, shown
        if kind != "refused" or not any(r in str(value).lower() for r in _EDIT_GONE):
            return _refusal(row, kind, value) + (shown,)
        # Deleted, or too old to edit: the chat gets the event afresh, as a new message.
        step = "reply"
    reply_to = None
    if step == "reply" and row["message_id"]:
        reply_to = ReplyParameters(row["message_id"], allow_sending_without_reply=True)
    elif step == "send" and row.get("reply_to"):  # a correction answers the message it corrects
        reply_to = ReplyParameters(row["reply_to"], allow_sending_without_reply=True)
    kind, value = await _ask(
        row,
        sending.bot.send_message(
            row["chat_id"],
            text,
            message_thread_id=row["thread_id"] or None,
            disable_notification=bool(row["quiet"]),
            reply_parameters=reply_to,
        ),
    )
    if kind == "ok":
        return ("replied" if step == "reply" else "sent"), value.message_id, shown
    return _refusal(row, kind, value) + (shown,)


async def _ask(row: dict, call: Awaitable[Any]) -> tuple[str, Any]:
    """One Bot API call for a ledger row: ("ok", its result), ("moved", new chat id), ("gone",
    None), ("refused", the BadRequest) or ("deferred", seconds to wait or None)."""
    try:
        return "ok", await call
    except ChatMigrated as exc:
        # The group became a supergroup while we were away: follow it, send again next batch.
        return "moved", exc.new_chat_id
    except Forbidden as exc:
        log.warning("Chat %s removed or blocked the bot (%s): unsubscribing", row["chat_id"], exc)
        return "gone", None
    except BadRequest as exc:
        if any(reason in str(exc).lower() for reason in _GONE):
            return "gone", None
        return "refused", exc
    except RetryAfter as exc:
        log.warning("Telegram asks to wait before sending to chat %s: %s", row["chat_id"], exc)
        return "deferred", _seconds(exc)
    except (TimedOut, NetworkError) as exc:
        log.warning("Sending to chat %s failed for now: %s", row["chat_id"], exc)
        return "deferred", None


def _refusal(row: dict, kind: str, value: Any) -> tuple[str, Any]:
    """What an unsuccessful call leaves the ledger: a refusal is logged and marked failed."""
    if kind == "refused":
        log.warning(
            "Telegram refused event %s for chat %s: %s", row["event_id"], row["chat_id"], value
        )
        return "failed", None
    return kind, value


def _seconds(exc: RetryAfter) -> float:
    """retry_after in seconds, whether PTB gives an int or (from v23) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns about the coming change of type
        value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# How often the bot looks whether another process committed to the file: a new event reaches
# its subscribers about a second after the indexer stored it.
WATCH_INTERVAL = 1.0


class PushSchedule:
    """When to push: as soon as an indexer, in this process or another, has committed an
    article, and at the latest every `interval` seconds, the fallback that retries what waited.
    A look costs microseconds: SQLite's data_version (read from shared memory) tells whether
    another connection committed anything; only then is the indexing sequence (`seq`) read, so
    the bot's own writes (its ledger) and another bot's on the same file call for no push."""

    def __init__(
        self, store: Store, interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.interval = interval
        self.clock = clock
        self._version: int | None = None
        self._seq: str | None = None
        self._last = float("-inf")  # the first look pushes what queued while the bot was away
        self.running = False

    def due(self) -> bool:
        """Whether to push now; a push already running is never joined by another."""
        if self.running:
            return False
        now = self.clock()
        if now - self._last < self.interval:
            version = self.store.data_version()
            if version == self._version:
                return False
            self._version = version
            if self.store.meta("seq") == self._seq:
                return False
        self._seq, self._last = self.store.meta("seq"), now
        return True


async def push_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job queue's call each WATCH_INTERVAL: a push when PushSchedule says one is due."""
    application = context.application
    schedule: PushSchedule = application.bot_data["push_schedule"]
    if not schedule.due():
        return
    schedule.running = True
    try:
        await _push(context)
    finally:
        schedule.running = False


async def _push(context: ContextTypes.DEFAULT_TYPE) -> None:
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
        events = subs.digest_events(chat_id, subs.digest_cursor(chat_id))
        subs.advance_digest(chat_id, local.date().isoformat())
        if not events:
            continue
        lang = store.chat_language(chat_id) or "en"
        text = render_digest(events, local.date().isoformat(), _digest_place(subs, chat_id), lang)
        try:
            await context.bot.send_message(chat_id, text)
        except Forbidden:
            subs.deactivate_chat(chat_id)


def _digest_place(subs: Subscriptions, chat_id: int) -> str:
    """The place a digest's "/date ..." narrows to: the chat's one place, if it follows one."""
    chosen = subs.of_chat(chat_id)
    if len(chosen) == 1 and chosen[0].scope != "all" and chosen[0].describe() == chosen[0].label:
        return chosen[0].label
    return ""
