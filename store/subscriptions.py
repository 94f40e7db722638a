"""Group-chat subscriptions and the delivery ledger, in the same SQLite file as the events.

Delivery is a ledger, not a fire-and-forget loop: `enqueue` turns changed events into one
`deliveries` row per (chat, topic, event) in the same transaction that advances the cursor, and
`mark_sent` records Telegram's message id right after the send. A restart resumes from the
ledger: nothing queued is dropped and nothing recorded as sent is sent again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import snowballstemmer

from store.db import Store
from store.extract.rules import MIN_CONFIDENCE
from store.importance import importance_order

Measure = Literal["sources", "killed", "injured", "casualties"]


def _figure(event: dict[str, Any], what: str) -> int:
    """Killed or injured as the event shows them: its lower figure, as answers order by."""
    return int(event.get(f"{what}_low") or event.get(f"{what}_high") or 0)


def toll(event: dict[str, Any]) -> int:
    """Killed plus injured, each at its highest figure: what bot/push.py weighs a revision by.
    The highest, because a rising toll shows as a range over the day's reports ("30–57
    killed") whose lower end stays where the first report put it."""
    return sum(
        int(event.get(f"{what}_high") or event.get(f"{what}_low") or 0)
        for what in ("killed", "injured")
    )


@dataclass(frozen=True)
class Threshold:
    """ "min 2 sources": an event reaches the chat only once it has this much; below it, it
    waits, and it is queued on the revision that reaches it."""

    count: int
    of: Measure

    def met(self, event: dict[str, Any]) -> bool:
        if self.of == "sources":
            return int(event.get("n_sources") or 0) >= self.count
        if self.of == "casualties":
            return _figure(event, "killed") + _figure(event, "injured") >= self.count
        return _figure(event, self.of) >= self.count


@dataclass(frozen=True)
class Subscription:
    id: int
    chat_id: int
    thread_id: int
    scope: str  # all | place | oblast
    place_id: int | None
    label: str
    event_type: str = ""
    include_words: tuple[str, ...] = field(default_factory=tuple)
    exclude_words: tuple[str, ...] = field(default_factory=tuple)
    threshold: Threshold | None = None
    since_seq: int = 0  # the sequence it was made at: its digests start after it

    def describe(self) -> str:
        """What it asks for, as typed (the threshold is said in the chat's language by bot/)."""
        parts = [self.label]
        if self.event_type:
            parts.append(self.event_type)
        parts += [f"+{w}" for w in self.include_words] + [f"-{w}" for w in self.exclude_words]
        return " ".join(parts)


_STEMMER = snowballstemmer.stemmer("english")


def _words(text: str) -> set[str]:
    """The word stems of a text: "+hospital" matches "hospitals", "-strike" "strikes"."""
    return set(_STEMMER.stemWords(re.findall(r"\w+", text.lower())))


class Subscriptions:
    """Who wants which events, and which of them each chat has already received."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # --- subscriptions ----------------------------------------------------------------------

    def add(
        self,
        chat_id: int,
        thread_id: int,
        scope: str,
        place_id: int | None,
        label: str,
        event_type: str = "",
        include: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        threshold: Threshold | None = None,
    ) -> tuple[Subscription, bool]:
        """(subscription, created): subscribing twice to the same thing keeps one. A new or
        renewed subscription's digests start from now."""
        row = {
            "chat_id": chat_id,
            "thread_id": thread_id,
            "scope": scope,
            "place_id": place_id,
            "label": label,
            "event_type": event_type,
            "include_words": " ".join(include),
            "exclude_words": " ".join(exclude),
            "min_count": threshold.count if threshold else 0,
            "min_of": threshold.of if threshold else "",
        }
        with self.store.write():
            since = int(self.store.meta("seq") or 0)
            self.db["chats"].insert({"chat_id": chat_id}, ignore=True)
            self.db.execute("update chats set active = 1 where chat_id = ?", [chat_id])
            # Only new events from now on: the cursor starts at the current sequence.
            if self.store.meta("push_seq") is None:
                self.store.set_meta("push_seq", self.store.meta("seq") or "0")
            found = self.db.execute(
                "select id, active from subscriptions where chat_id = ? and thread_id = ?"
                " and scope = ? and coalesce(place_id, 0) = coalesce(?, 0) and event_type = ?"
                " and include_words = ? and exclude_words = ?"
                " and coalesce(min_count, 0) = ? and coalesce(min_of, '') = ?",
                [
                    chat_id,
                    thread_id,
                    scope,
                    place_id,
                    event_type,
                    row["include_words"],
                    row["exclude_words"],
                    row["min_count"],
                    row["min_of"],
                ],
            ).fetchone()
            if found:
                if not found[1]:  # renewed after an unsubscribe: old events are not news
                    self.db.execute(
                        "update subscriptions set active = 1, since_seq = ? where id = ?",
                        [since, found[0]],
                    )
                return self._one(found[0]), not found[1]
            new_id = (
                self.db["subscriptions"].insert({**row, "active": 1, "since_seq": since}).last_pk
            )
        return self._one(new_id), True

    def remove(self, chat_id: int, thread_id: int, label: str | None = None) -> int:
        """Unsubscribe this chat topic from one label, or from everything."""
        sql = (
            "update subscriptions set active = 0 where chat_id = ? and thread_id = ? and active = 1"
        )
        params: list[Any] = [chat_id, thread_id]
        if label:
            sql += " and lower(label) = lower(?)"
            params.append(label)
        with self.store.write():
            return self.db.execute(sql, params).rowcount

    def of_chat(self, chat_id: int) -> list[Subscription]:
        return self._select("s.chat_id = ? and s.active = 1", [chat_id])

    def _one(self, sub_id: int) -> Subscription:
        return self._select("s.id = ?", [sub_id])[0]

    def _select(self, where: str, params: list[Any]) -> list[Subscription]:
        rows = self.db.query(
            f"select s.* from subscriptions s join chats c on c.chat_id = s.chat_id where {where}"
            " order by s.id",
            params,
        )
        return [_subscription(r) for r in rows]

    def active(self, instant_only: bool = False) -> list[Subscription]:
        where = "s.active = 1 and c.active = 1" + (" and c.instant = 1" if instant_only else "")
        return self._select(where, [])

    # --- chats ------------------------------------------------------------------------------

    def chat(self, chat_id: int) -> dict[str, Any]:
        with self.store.write():
            self.db.execute("insert or ignore into chats (chat_id) values (?)", [chat_id])
        return next(self.db.query("select * from chats where chat_id = ?", [chat_id]))

    def update_chat(self, chat_id: int, **values: Any) -> None:
        with self.store.write():
            self.db["chats"].insert({"chat_id": chat_id}, ignore=True)
            self.db["chats"].update(chat_id, values)

    def deactivate_chat(self, chat_id: int) -> None:
        """The bot was removed or blocked: stop sending there, keep the history."""
        with self.store.write():
            self.db["chats"].insert({"chat_id": chat_id}, ignore=True)
            self.db.execute("update chats set active = 0 where chat_id = ?", [chat_id])
            self.db.execute(
                "update deliveries set status = 'dropped' where chat_id = ? and status = 'pending'",
                [chat_id],
            )

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: everything follows it to its new id."""
        with self.store.write():
            self.db["chats"].insert({"chat_id": new_chat_id}, ignore=True)
            old = self.db.execute("select * from chats where chat_id = ?", [old_chat_id]).fetchone()
            if old:
                keep = dict(self.db["chats"].get(old_chat_id))
                keep.pop("chat_id")
                self.db["chats"].update(new_chat_id, keep)
                self.db.execute("delete from chats where chat_id = ?", [old_chat_id])
            for table in ("subscriptions", "deliveries"):
                self.db.execute(
                    f"update {table} set chat_id = ? where chat_id = ?", [new_chat_id, old_chat_id]
                )

    # --- delivery ledger --------------------------------------------------------------------

    def matches(self, sub: Subscription, event: dict[str, Any], text: str) -> bool:
        if sub.scope == "place" and event["place_id"] != sub.place_id:
            return False
        if sub.scope == "oblast":
            place = self.store.gazetteer().places.get(sub.place_id or 0)
            if place is None or event["admin1"] != place.admin1 or event["country"] != "UA":
                return False
        if sub.threshold is not None and not sub.threshold.met(event):
            return False
        wanted = sub.event_type.lower()
        if wanted and wanted not in f"{event['event_type']} {event['sub_event_type']}".lower():
            return False
        if not sub.include_words and not sub.exclude_words:
            return True
        words = _words(text)
        include, exclude = _words(" ".join(sub.include_words)), _words(" ".join(sub.exclude_words))
        return all(w in words for w in include) and not any(w in words for w in exclude)

    def enqueue(self) -> int:
        """Queue every event changed since the last call for every chat that wants it, and a
        correction for every chat that was sent an event this one replaces."""
        queued = 0
        with self.store.write():
            cursor = int(self.store.meta("push_seq") or self.store.meta("seq") or 0)
            events = [
                dict(r)
                for r in self.db.query(
                    "select e.*, p.admin1, p.country from events e"
                    " join places p on p.id = e.place_id"
                    " where e.changed_seq > ? and e.confidence >= ? order by e.changed_seq, e.id",
                    [cursor, MIN_CONFIDENCE],
                )
            ]
            subs = self.active(instant_only=True)
            for event in events:
                text = (
                    event["summary"]
                    + " "
                    + " ".join(
                        r[0]
                        for r in self.db.execute(
                            "select sentence from mentions where event_key = ?", [event["key"]]
                        )
                    )
                )
                corrected = self._queue_corrections(event["id"], event["revision"])
                targets = {(s.chat_id, s.thread_id) for s in subs if self.matches(s, event, text)}
                queued += len(corrected)
                queued += self._queue(sorted(targets - corrected), event["id"], event["revision"])
            last = max((e["changed_seq"] for e in events), default=cursor)
            self.store.set_meta("push_seq", str(max(last, cursor)))
        return queued

    def _queue_corrections(self, event_id: int, revision: int) -> set[tuple[int, int]]:
        """Queue this event, as a correction replying to the old message, for every (chat,
        topic) that was sent an event it replaces; returns those (chat, topic) pairs."""
        rows = self.db.execute(
            "select d.chat_id, d.thread_id, d.event_id, d.message_id from event_tombstones t"
            " join deliveries d on d.event_id = t.id"
            " where t.replaced_by = ? and d.sent_revision > 0",
            [event_id],
        ).fetchall()
        for chat_id, thread_id, old_id, message_id in rows:
            self.db.execute(
                "insert into deliveries (chat_id, thread_id, event_id, revision, sent_revision,"
                " status, correction_of, reply_to) values (?, ?, ?, ?, 0, 'pending', ?, ?)"
                " on conflict (chat_id, thread_id, event_id) do update"
                " set revision = excluded.revision, status = 'pending',"
                " correction_of = excluded.correction_of, reply_to = excluded.reply_to"
                " where deliveries.sent_revision < excluded.revision",
                [chat_id, thread_id, event_id, revision, old_id, message_id],
            )
        return {(chat_id, thread_id) for chat_id, thread_id, _, _ in rows}

    def _queue(self, targets: list[tuple[int, int]], event_id: int, revision: int) -> int:
        """A pending delivery of this revision for each (chat, topic) that has not been sent it
        yet; returns how many were queued or re-queued."""
        if not targets:
            return 0
        cursor = self.db.conn.executemany(
            "insert into deliveries (chat_id, thread_id, event_id, revision, sent_revision,"
            " status) values (?, ?, ?, ?, 0, 'pending')"
            " on conflict (chat_id, thread_id, event_id) do update"
            " set revision = excluded.revision, status = 'pending'"
            " where deliveries.sent_revision < excluded.revision",
            [(chat_id, thread_id, event_id, revision) for chat_id, thread_id in targets],
        )
        return cursor.rowcount

    def pending(
        self, limit: int = 200, skip_chats: list[int] | None = None
    ) -> list[dict[str, Any]]:
        """Queued deliveries, oldest event first, leaving out the chats in `skip_chats`."""
        return [
            dict(r)
            for r in self.db.query(
                # The chat's quiet flag and language ride along: one query for the whole batch.
                "select d.*, c.quiet, l.lang from deliveries d"
                " join chats c on c.chat_id = d.chat_id"
                " left join chat_languages l on l.chat_id = d.chat_id"
                " where d.status = 'pending' and c.active = 1"
                " and d.chat_id not in (select value from json_each(?))"
                " order by d.event_id, d.chat_id limit ?",
                [json.dumps(skip_chats or []), limit],
            )
        ]

    def mark_sent(
        self,
        chat_id: int,
        thread_id: int,
        event_id: int,
        revision: int,
        message_id: int | None,
        at: float | None = None,
        shown_toll: int = 0,
        reply: bool = False,
        shown_hash: str = "",
    ) -> None:
        """Record a new message showing the event: the first message's id is kept so replies
        answer it, the newest one is where edits go; the time and the killed + injured it
        showed are what the next revision is weighed against (bot/push.py)."""
        with self.store.write():
            self.db.execute(
                "update deliveries set sent_revision = ?, status = case when revision <= ?"
                " then 'sent' else 'pending' end, message_id = coalesce(message_id, ?),"
                " last_message_id = ?, sent_at = coalesce(sent_at, ?), notified_toll = ?,"
                " replied_at = case when ? then ? else replied_at end, shown_hash = ?"
                " where chat_id = ? and thread_id = ? and event_id = ?",
                [revision, revision, message_id, message_id, at, shown_toll, reply, at]
                + [shown_hash, chat_id, thread_id, event_id],
            )

    def mark_edited(
        self, chat_id: int, thread_id: int, event_id: int, revision: int, shown_hash: str = ""
    ) -> None:
        """Record that the chat's message now shows this revision (edited in place)."""
        with self.store.write():
            self.db.execute(
                "update deliveries set sent_revision = ?, status = case when revision <= ?"
                " then 'sent' else 'pending' end, shown_hash = ?"
                " where chat_id = ? and thread_id = ? and event_id = ?",
                [revision, revision, shown_hash, chat_id, thread_id, event_id],
            )

    def mark_failed(self, chat_id: int, thread_id: int, event_id: int) -> None:
        with self.store.write():
            self.db.execute(
                "update deliveries set status = 'failed' where chat_id = ? and thread_id = ?"
                " and event_id = ?",
                [chat_id, thread_id, event_id],
            )

    def digest_events(self, chat_id: int, since_seq: int) -> list[dict[str, Any]]:
        """Events new or changed since `since_seq` (the last digest) and since the subscription
        that wants them was made, newest day first and each day's by importance."""
        subs = self.of_chat(chat_id)
        if not subs:
            return []
        start = max(since_seq, min(s.since_seq for s in subs))
        rows = [
            dict(r)
            for r in self.db.query(
                "select e.*, p.name as place_name, p.kind as place_kind, p.admin1, p.admin1_name,"
                " p.country from events e join places p on p.id = e.place_id"
                f" where e.changed_seq > ? and e.confidence >= ? order by {importance_order()}",
                [start, MIN_CONFIDENCE],
            )
        ]
        return [
            e
            for e in rows
            if any(
                e["changed_seq"] > s.since_seq and self.matches(s, e, e["summary"]) for s in subs
            )
        ]

    def digest_cursor(self, chat_id: int) -> int:
        """The sequence this chat's last digest covered (0 before the first)."""
        return int(self.store.meta(f"digest_seq:{chat_id}") or 0)

    def advance_digest(self, chat_id: int, day: str) -> None:
        """The chat's digest for `day` is done: the next one starts from what is indexed now."""
        with self.store.write():
            self.update_chat(chat_id, digest_sent_on=day)
            self.store.set_meta(f"digest_seq:{chat_id}", self.store.meta("seq") or "0")


def _subscription(r: dict[str, Any]) -> Subscription:
    return Subscription(
        id=r["id"],
        chat_id=r["chat_id"],
        thread_id=r["thread_id"],
        scope=r["scope"],
        place_id=r["place_id"],
        label=r["label"],
        event_type=r["event_type"] or "",
        include_words=tuple(r["include_words"].split()),
        exclude_words=tuple(r["exclude_words"].split()),
        threshold=Threshold(r["min_count"], r["min_of"]) if r.get("min_count") else None,
        since_seq=r.get("since_seq") or 0,
    )
