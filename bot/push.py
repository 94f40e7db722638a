"""Push new and updated events to subscribed chats, and daily digests, within Telegram's limits.

PTB's AIORateLimiter (set up in bot.telegram) keeps us under 30 messages/s overall and 20 a
minute per group and retries a 429 after its retry_after; what still fails reaches us here.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time
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
    deferred: bool = False


# Sends in flight at once: enough to hide the round trip to Telegram while PTB's rate limiter
# decides when each one may leave (8 carry its 29.5/s up to a ~270 ms round trip); as many as the
# bot's pooled connections (bot.telegram.CONNECTION_POOL_SIZE).
PARALLEL_SENDS = 8


async def push_once(bot: Bot, store: Store, batch: int = 500) -> PushReport:
    """Queue what changed, then send the queue; stops early (and resumes later) when throttled."""
    subs = Subscriptions(store)
    report = PushReport(queued=subs.enqueue())
    texts: dict[tuple[int, int, bool], str | None] = {}
    while True:
        rows = subs.pending(batch)
        if not rows:
            return report
        queue = iter(rows)  # shared by the workers: each row taken once
        stopping = asyncio.Event()
        # A sliding window: each worker starts its next send as soon as its last one is answered
        # and recorded (chunks that waited for their slowest send cost ~25% more CPU a message).
        workers = asyncio.gather(
            *(
                _work(bot, store, subs, queue, texts, report, stopping)
                for _ in range(PARALLEL_SENDS)
            ),
            return_exceptions=True,
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
        if report.deferred:
            return report


async def _work(
    bot: Bot,
    store: Store,
    subs: Subscriptions,
    queue: Iterator[dict],
    texts: dict,
    report: PushReport,
    stopping: asyncio.Event,
) -> None:
    for row in queue:
        if stopping.is_set() or report.deferred:
            return  # the row stays pending for the next push
        try:
            kind, value = await _deliver(bot, store, row, texts)
        except Exception:
            stopping.set()  # the other workers finish what they sent; the push raises this
            raise
        # The record follows the answer with no await between: the only messages a crash can
        # send twice are the ones still in flight.
        _record(subs, row, kind, value)
        # "moved": the row now belongs to the supergroup; the next batch sends it.
        report.sent += kind == "sent"
        report.deactivated += kind == "gone"
        report.failed += kind == "failed"
        report.deferred |= kind == "deferred"


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


async def _deliver(bot: Bot, store: Store, row: dict, texts: dict) -> tuple[str, int | None]:
    """Send one ledger row: ("sent", message id), ("moved", new chat id), ("gone", None),
    ("failed", None) or ("deferred", None). The caller writes the records."""
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
    except (RetryAfter, TimedOut, NetworkError) as exc:
        log.warning("Delivery deferred: %s", exc)
        return "deferred", None
    return "sent", message.message_id


async def push_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job queue's periodic call."""
    commands = context.application.bot_data["commands"]
    try:
        report = await push_once(context.bot, commands.store)
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
            f" {esc(e['sub_event_type'])} — {esc(clip(e['summary'], 120))}"
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
        if local.time() < time(hour, minute) or sent_on == local.date().isoformat():
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
