"""The SQLite file: the only module that knows the schema and imports sqlite_utils.

Tables (documented in docs/schema.md): places, place_names, articles, mentions, events,
events_fts, meta; the subscription tables live in store/subscriptions.py through this module's
`Store.db`.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from store.cluster import candidate_key, mention_row, merge_mentions
from store.extract.rules import MIN_CONFIDENCE, is_trusted
from store.gazetteer import (
    GAZETTEER_VERSION,
    NAME_RANKING,
    Gazetteer,
    compile_gazetteer,
    rank_names,
)
from store.identity import IDENTITY_RULES, one_key_per_happening, resolve_group, window
from store.importance import importance_order, importance_terms
from store.models import Article, Candidate, Place

DEFAULT_DB = "sitrep.db"


class _NearEvent(dict[str, Any]):
    """An event near a mention whose sentences are read when a rule first compares them: most
    events near a mention are ruled out by kind or target before any text is (86 % over the
    real-text corpus), and reading 60 reports' sentences of each was a write's costliest query.
    A caller that moves mentions while it holds such events reads their sentences first
    (`read_now`), so that each event's are what they were when it was read.

    Each Store makes its own subclass naming it (`Store._near_event`): a row (~85 an article)
    is then made by dict's constructor alone, without a call into Python."""

    _store: Store

    def __missing__(self, key: str) -> Any:
        if key != "sentences":
            raise KeyError(key)
        self[key] = self._store._sentences_told(self["key"])
        return self[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key == "sentences" or key in self else default

    def read_now(self) -> None:
        self.get("sentences")


@dataclass
class _Nearby:
    """What one pass of joins has read of the events near its mentions, while no event changes
    (see `_NearEvent`): the events near each (place, day), and each place's rows over the days
    of the windows asked there so far. An article tells a town on several days, and rehoming
    reads reports of ten: a window that overlaps the days held reads only the days it adds,
    and is the run of the rows within its days, in the order the index over (place, date)
    gives them (the order of one read of those days)."""

    events: dict[tuple[int, str], list[_NearEvent]] = field(default_factory=dict)
    rows: dict[int, tuple[str, str, list[tuple[Any, ...]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class EventKind:
    """A filter on what happened: an ACLED event or sub-event type, a target, deaths reported."""

    type: str = ""
    target: str = ""
    killed: bool = False


# How long a writer waits for another (an indexer's transaction lasts milliseconds).
BUSY_TIMEOUT_MS = 60_000
_FTS_DAY = 100_000_000  # FTS rowid = day ordinal * _FTS_DAY + event id: rowid order is date order

_PLACE_COLUMNS = {
    "id": int,
    "name": str,
    "admin1": str,
    "admin1_name": str,
    "country": str,
    "latitude": float,
    "longitude": float,
    "population": int,
    "kind": str,
    "raion": str,
    "coord_source": str,
}
_COUNT_COLUMNS = {
    f"{n}_{part}": (int if part != "qualifier" else str)
    for n in ("killed", "injured")
    for part in ("low", "high", "qualifier")
}
_EVENT_COLUMNS = {
    "id": int,
    "key": str,
    "date": str,
    "date_precision": str,
    "place_id": int,
    "place_precision": str,
    "event_type": str,
    "sub_event_type": str,
    "target": str,
    "actor1": str,
    "actor2": str,
    "victims": str,
    "summary": str,
    "claimed_by": str,
    "is_claim": int,
    "confidence": float,
    "n_sources": int,
    "revision": int,
    "changed_seq": int,
    "fts_rowid": int,
    **_COUNT_COLUMNS,
    # Last: the indexer's reads of the columns before it need not step over it.
    "tally": str,
}
# The columns of events that an index reads (_ensure_schema, importance_terms): an update sets
# them only when they change. (One missing here costs time, never a wrong row.)
_INDEXED_EVENT_COLUMNS = frozenset(
    {"id", "key", "date", "confidence", "place_id", "changed_seq", "fts_rowid", "n_sources"}
    | {f"{n}_{e}" for n in ("killed", "injured") for e in ("low", "high")}
    | {"event_type", "sub_event_type"}
)
_MENTION_COLUMNS = {
    "id": int,
    "event_key": str,
    "article_id": str,
    "sentence": str,
    "start": int,
    "end": int,
    "date": str,
    "date_precision": str,
    "date_phrase": str,
    "place_id": int,
    "place_precision": str,
    "event_type": str,
    "sub_event_type": str,
    "target": str,
    "actor1": str,
    "actor2": str,
    "victims": str,
    "claimed_by": str,
    "is_claim": int,
    "confidence": float,
    "joined": str,
    **_COUNT_COLUMNS,
}
_ARTICLE_COLUMNS = {
    "id": str,
    "path": str,
    "url": str,
    "title": str,
    "publisher": str,
    "published": str,
    "published_source": str,
    "content_hash": str,
    "text": str,
    "indexed_seq": int,
}


@dataclass(frozen=True)
class _Count:
    """A table of counts kept beside the rows it counts, by SQLite triggers, so that no answer
    counts or groups rows at read time: totals, the fallbacks ("nearest days with events",
    "places with events") and /stats read a few of its rows at any size. Triggers keep it right
    for every writer (the indexer, a rebuild, an older sitrep, the sqlite3 shell) without its
    knowing. `keys` and `sums` map columns to expressions over a row of `source` written `{r}`;
    a row counts when `counted` holds and no key is NULL."""

    table: str
    source: str
    keys: dict[str, str]
    sums: dict[str, str]
    counted: str = "1"

    def _values(self, row: str, exprs: dict[str, str]) -> list[str]:
        return [e.format(r=row) for e in exprs.values()]

    def _present(self, row: str) -> str:
        keys = (f"{k} is not null" for k in self._values(row, self.keys))
        return " and ".join([self.counted.format(r=row), *keys])

    def _add(self, row: str) -> str:
        columns = ", ".join([*self.keys, *self.sums])
        values = ", ".join(self._values(row, self.keys) + self._values(row, self.sums))
        added = ", ".join(f"{c} = {c} + excluded.{c}" for c in self.sums)
        return (
            f"insert into {self.table} ({columns}) select {values} where {self._present(row)}"
            f" on conflict ({', '.join(self.keys)}) do update set {added};"
        )

    def _remove(self, row: str) -> str:
        keys = zip(self.keys, self._values(row, self.keys), strict=True)
        match = " and ".join(f"{k} = {e}" for k, e in keys)
        sums = zip(self.sums, self._values(row, self.sums), strict=True)
        taken = ", ".join(f"{c} = {c} - ({e})" for c, e in sums)
        first = next(iter(self.sums))  # a row whose first sum is 0 counts nothing: it goes
        return (
            f"update {self.table} set {taken} where {match} and {self.counted.format(r=row)};"
            f" delete from {self.table} where {match} and {first} <= 0;"
        )

    def create(self) -> list[str]:
        """The table and its three triggers."""
        # Keys take the type of their expressions (no affinity converts them).
        columns = list(self.keys)
        columns += [f"{c} integer not null" for c in self.sums]
        old, new = (
            ", ".join(
                [self.counted.format(r=r), *self._values(r, self.keys), *self._values(r, self.sums)]
            )
            for r in ("old", "new")
        )
        on = f"on {self.source}"
        return [
            f"create table {self.table} ({', '.join(columns)},"
            f" primary key ({', '.join(self.keys)})) without rowid",
            f"create trigger {self.table}_insert after insert {on} begin {self._add('new')} end",
            f"create trigger {self.table}_delete after delete {on} begin {self._remove('old')} end",
            # Most updates (a new source of an event) change no count: the trigger does nothing.
            f"create trigger {self.table}_update after update {on} when ({old}) is not ({new})"
            f" begin {self._remove('old')} {self._add('new')} end",
        ]

    def drop(self) -> list[str]:
        triggers = [
            f"drop trigger if exists {self.table}_{t}" for t in ("insert", "delete", "update")
        ]
        return [*triggers, f"drop table if exists {self.table}"]

    def fill(self) -> str:
        """Count what the source holds now (a file made before this table)."""
        keys = self._values("r", self.keys)
        sums = [f"sum({e})" for e in self._values("r", self.sums)]
        return (
            f"insert into {self.table} ({', '.join([*self.keys, *self.sums])})"
            f" select {', '.join(keys + sums)} from {self.source} r"
            f" where {self._present('r')} group by {', '.join(keys)}"
        )


_BATCH_CACHE_KIB = 16 * 1024  # see Store.write_batch

_SHOWN = f"{{r}}.confidence >= {MIN_CONFIDENCE!r}"
# An event as store.identity compares it: its key fields (_NEAR_EVENT) and, read when compared
# (_NearEvent), the sentences of its first reports, so that an event told by hundreds costs no
# more to read than one told by compared_sentences (_TOLD).
_TOLD = (
    "select group_concat(s, ' ') from (select distinct s from (select m.sentence as s"
    " from mentions m where m.event_key = ? limit ?))"
)
# How many events' _TOLD a Store keeps (Store._told) before it starts again: a few MiB.
_TOLD_KEPT = 4096
_NEAR_COLUMNS = (
    "key",
    "date",
    "date_precision",
    "sub_event_type",
    "target",
    "actor1",
    "n_sources",
    *(f"{n}_{e}" for n in ("killed", "injured") for e in ("low", "high")),
)
_NEAR_DATE = _NEAR_COLUMNS.index("date")
_NEAR_EVENT = f"select {', '.join(f'e.{c}' for c in _NEAR_COLUMNS)} from events e"
_DAY = {"date": "coalesce({r}.date, '')"}  # '' for an undated event: it is on no day
_PLACE = {"place_id": "{r}.place_id"}
_OBLAST = {"admin1": "(select admin1 from places where id = {r}.place_id and country = 'UA')"}
_ONE = {"events": "1"}
# What EventKind filters on: ACLED's type and sub-type, the target, whether deaths are reported.
_KIND = {
    "event_type": "coalesce({r}.event_type, '')",
    "sub_event_type": "coalesce({r}.sub_event_type, '')",
    "target": "coalesce({r}.target, '')",
    "killed": "coalesce({r}.killed_qualifier, '') != ''",
}
_COUNTS = (
    # Shown events per day: /latest's and /date's totals, nearest days, first and last day.
    _Count("day_counts", "events", _DAY, {**_ONE, "multi_source": "{r}.n_sources > 1"}, _SHOWN),
    # ... per place and day, and per oblast and day: a city's or an oblast's.
    _Count("place_day_counts", "events", {**_PLACE, **_DAY}, _ONE, _SHOWN),
    _Count("oblast_day_counts", "events", {**_OBLAST, **_DAY}, _ONE, _SHOWN),
    # ... and by what a kind filter asks (`/city Kharkiv shelling`, `/date 2022-03-02 killed`):
    # per day, per place and day, per oblast and day.
    _Count("day_kind_counts", "events", {**_DAY, **_KIND}, _ONE, _SHOWN),
    _Count("place_day_kind_counts", "events", {**_PLACE, **_DAY, **_KIND}, _ONE, _SHOWN),
    _Count("oblast_day_kind_counts", "events", {**_OBLAST, **_DAY, **_KIND}, _ONE, _SHOWN),
    # ... per place (the busiest places) and per ACLED type (/stats).
    _Count("place_counts", "events", _PLACE, _ONE, _SHOWN),
    _Count("type_counts", "events", {"event_type": "{r}.event_type"}, _ONE, _SHOWN),
    # Articles per publication day: /sources' total.
    _Count(
        "article_counts",
        "articles",
        {"published": "coalesce({r}.published, '')"},
        {"articles": "1"},
    ),
)
# The busiest places are the first rows of an index.
_COUNT_INDEXES = ["create index place_counts_busiest on place_counts (events desc, place_id)"]


_EVENT_SELECT = """
select e.*, p.name as place_name, p.kind as place_kind, p.admin1, p.admin1_name, p.country,
       p.latitude, p.longitude
from events e join places p on p.id = e.place_id
"""


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def default_path() -> str:
    """--db, else SITREP_DB, else sitrep.db in the working directory."""
    return os.environ.get("SITREP_DB") or DEFAULT_DB


def content_hash(article: Article) -> str:
    """What makes an article 'the same' on re-indexing: its text and its metadata."""
    parts = [article.text, str(article.published), article.title, article.url, article.publisher]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class Store:
    """The events database: schema, writes of indexed articles, and the bot's queries."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # Room for every statement a write uses (~100 over the real-text corpus; Python keeps
        # 128 by default): one prepared again costs up to ~2 ms with the count triggers.
        self.db = sqlite_utils.Database(sqlite3.connect(self.path, cached_statements=256))
        # First, so that even switching to WAL waits for another process instead of failing.
        self.db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("pragma journal_mode = wal")
        # With WAL, NORMAL loses nothing on a crash of the program, only on a power cut.
        self.db.execute("pragma synchronous = normal")
        # A statement that fires the count triggers keeps the pages it changes in a statement
        # journal, spilled to a temporary file past 64 KiB (an event insert touches ~20
        # pages): kept in memory, an insert costs ~10 µs less. It holds one statement's pages.
        self.db.execute("pragma temp_store = memory")
        # A commit writes ~60 pages to the WAL, most of them pages the commits before wrote
        # too; checkpointing every 4,000 pages (16 MiB) instead of 1,000 copies each of those
        # into the file once, not four times (~0.1 ms CPU and ~0.2 ms wall an article).
        self.db.execute("pragma wal_autocheckpoint = 4000")
        self._gazetteer: Gazetteer | None = None
        self._in_batch = False  # inside write_batch
        # _TOLD of each event key as last read: most events near a mention are compared again
        # by later articles before any report of theirs changes (78 % of reads over the
        # real-text corpus). Forgotten where this connection changes an event's mentions, and
        # wholly when another connection commits or a transaction rolls back.
        self._told: dict[str, str | None] = {}
        self._told_version = -1
        store = self

        class _Near(_NearEvent):
            _store = store

        self._near_event: type[_NearEvent] = _Near
        with self.write():
            stale_text = self._ensure_schema()
            if stale_text:
                self._reindex_text()

    def close(self) -> None:
        self.db.close()

    def data_version(self) -> int:
        """A number that changes when another connection commits to the file (not this one):
        SQLite reads it from shared memory, so it costs microseconds to ask."""
        return self.db.execute("pragma data_version").fetchone()[0]

    def optimize(self) -> None:
        """Fresh statistics for the query planner, run at the end of an indexing run so that
        the bot plans with what a grown file holds. Sampled (analysis_limit): milliseconds at
        any size. Not PRAGMA optimize: before SQLite 3.46 it analyses only the tables this
        connection planned with statistics, i.e. never on a file that has none yet."""
        self.db.execute("pragma analysis_limit = 1000")
        with self.write():
            self.db.execute("analyze")

    @contextlib.contextmanager
    def write_batch(self) -> Iterator[None]:
        """One write transaction for several articles (store.indexer): its changed pages stay in
        memory until the commit, which needs room for them (a batch of 32 articles dirties some
        4 MiB over the real-text corpus; SQLite keeps 2 MiB by default and spills the rest to
        the WAL mid-transaction, each page again). The room stays (given back, the pages would
        be read again by the next batch); the bot's reading connections keep the default."""
        self.db.execute(f"pragma cache_size = -{_BATCH_CACHE_KIB}")
        with self.write():
            # Its articles' writes need no savepoints of their own: whatever fails undoes the
            # whole batch (each savepoint cost ~2 % of a write).
            self._in_batch = True
            try:
                yield
            finally:
                self._in_batch = False

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction that waits its turn: BEGIN IMMEDIATE takes the write lock before
        the first read, so what it reads cannot change before it writes (a deferred transaction
        that reads then writes fails at once with SQLITE_BUSY when another process wrote in
        between, whatever the busy timeout). Nested, it is a savepoint. Keep it short: every
        other writer of the file waits for it."""
        if self._in_batch:
            yield
            return
        if self.db.conn.in_transaction:
            try:
                with self.db.atomic():
                    yield
            except BaseException:
                self._told.clear()  # it may hold what the savepoint undid
                raise
            return
        self.db.conn.execute("begin immediate")
        version = self.data_version()
        if version != self._told_version or len(self._told) > _TOLD_KEPT:
            self._told.clear()
            self._told_version = version
        try:
            yield
        except BaseException:
            self._told.clear()
            if self.db.conn.in_transaction:
                self.db.conn.execute("rollback")
            raise
        try:
            self.db.conn.execute("commit")
        except BaseException:
            self._told.clear()
            raise

    def _ensure_schema(self) -> bool:
        """Create what is missing; True when the search index must be rebuilt (a file made
        before searches matched word forms)."""
        db = self.db
        db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db["places"].create(_PLACE_COLUMNS, pk="id", if_not_exists=True)
        for column, kind in _PLACE_COLUMNS.items():
            # A file compiled before the settlements gazetteer (version 4) lacks its columns.
            if column not in db["places"].columns_dict:
                db["places"].add_column(column, kind)
        # chosen: 1 on the place a name means (store.gazetteer.rank_names), ranked once.
        db["place_names"].create({"name": str, "place_id": int, "chosen": int}, if_not_exists=True)
        if "chosen" not in db["place_names"].columns_dict:  # ranked at the next load
            db["place_names"].add_column("chosen", int)
        db["articles"].create(_ARTICLE_COLUMNS, pk="id", if_not_exists=True)
        db["events"].create(_EVENT_COLUMNS, pk="id", if_not_exists=True)
        db["mentions"].create(_MENTION_COLUMNS, pk="id", if_not_exists=True)
        if "joined" not in db["mentions"].columns_dict:  # a file made before store.identity
            db["mentions"].add_column("joined", str, not_null_default="")
        if "tally" not in db["events"].columns_dict:  # merged again from all its mentions
            db["events"].add_column("tally", str)
        for table, columns, unique in (
            ("place_names", ["name"], False),
            ("events", ["key"], True),
            # Covering the confidence filter: counting a city's events reads the index only.
            ("events", ["date", "confidence"], False),
            # A day's page in the order answers show it (date desc, then id) without a sort.
            ("events", ["date"], False),
            ("events", ["place_id", "date", "confidence"], False),
            ("events", ["changed_seq"], False),
            ("events", ["fts_rowid"], False),
            ("mentions", ["event_key"], False),
            ("mentions", ["article_id"], False),
            # The reports near a new event that may be reports of it (store.identity).
            ("mentions", ["place_id", "date"], False),
        ):
            db[table].create_index(columns, unique=unique, if_not_exists=True)
        db["chats"].create(
            {
                "chat_id": int,
                "active": int,
                "quiet": int,
                "instant": int,
                "digest_time": str,
                "timezone": str,
                "digest_sent_on": str,
            },
            pk="chat_id",
            if_not_exists=True,
            defaults={"active": 1, "quiet": 0, "instant": 1, "timezone": "Europe/Kyiv"},
        )
        db["subscriptions"].create(
            {
                "id": int,
                "chat_id": int,
                "thread_id": int,
                "scope": str,
                "place_id": int,
                "label": str,
                "event_type": str,
                "include_words": str,
                "exclude_words": str,
                "active": int,
            },
            pk="id",
            if_not_exists=True,
            defaults={"thread_id": 0, "active": 1, "include_words": "", "exclude_words": ""},
        )
        db["deliveries"].create(
            {
                "chat_id": int,
                "thread_id": int,
                "event_id": int,
                "revision": int,
                "sent_revision": int,
                "message_id": int,
                "status": str,
            },
            pk=("chat_id", "thread_id", "event_id"),
            if_not_exists=True,
            defaults={"sent_revision": 0, "status": "pending"},
        )
        db["chat_languages"].create({"chat_id": int, "lang": str}, pk="chat_id", if_not_exists=True)
        # Later columns, added to older files as they open (sqlite-utils' add_column).
        # deliveries: the message an edit goes to (the newest one showing the event), when it
        # was first sent and last replied to (Unix seconds), and the killed + injured it showed
        # when a message last drew the chat's attention (bot/push.py decides edit or reply),
        # and a digest of the text the chat's message shows (no edit to the same text).
        for column, kind in (
            ("correction_of", int),
            ("reply_to", int),
            ("last_message_id", int),
            ("sent_at", float),
            ("replied_at", float),
            ("notified_toll", int),
            ("shown_hash", str),
        ):
            if column not in db["deliveries"].columns_dict:
                db["deliveries"].add_column(column, kind)
        # subscriptions: a threshold ("min 2 sources": min_count 2, min_of "sources"), and the
        # sequence it was made at, so its first digest starts there. A file made before these
        # starts its subscriptions' digests now, not at the first event ever indexed.
        for column, kind in (("min_count", int), ("min_of", str), ("since_seq", int)):
            if column not in db["subscriptions"].columns_dict:
                db["subscriptions"].add_column(column, kind)
                if column == "since_seq":
                    db.execute(
                        "update subscriptions set since_seq = ?", [int(self.meta("seq") or 0)]
                    )
        # Removed events: their ids are never given again, and a corrected story points to the
        # event that replaces it so the chats that had the old one get the correction.
        db["event_tombstones"].create(
            {"id": int, "key": str, "removed_seq": int, "replaced_by": int},
            pk="id",
            if_not_exists=True,
        )
        db["subscriptions"].create_index(["chat_id", "active"], if_not_exists=True)
        db["deliveries"].create_index(["status"], if_not_exists=True)
        self._ensure_importance_indexes()
        # /sources: the newest articles first, a few steps down an index instead of a sort.
        db.execute(
            "create index if not exists idx_articles_newest on articles (published desc, id)"
        )
        self._ensure_counts()
        fts = db.execute("select sql from sqlite_master where name = 'events_fts'").fetchone()
        stale = fts is not None and "porter" not in fts[0]
        if stale:
            db.execute("drop table events_fts")
        # The porter stemmer: "hospital" finds "hospitals", "shelled" finds "shelling".
        db.execute(
            "create virtual table if not exists events_fts using fts5("
            "summary, sentences, place, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        return stale

    def _ensure_importance_indexes(self) -> None:
        """A place's or a day's events in the order answers show them (store/importance.py):
        a page is a few steps down an index, not a sort of every event of the place."""
        terms = ", ".join(importance_terms())
        for name, lead in (("place", "place_id, date"), ("date", "date")):
            self.db.execute(
                f"create index if not exists idx_events_{name}_importance"
                f" on events ({lead}, {terms})"
            )

    def _ensure_counts(self) -> None:
        """The count tables and their triggers (_COUNTS); a file made before them, or with
        other rules, gets them anew, counted once from its rows (seconds at a million events)."""
        created = [sql for count in _COUNTS for sql in count.create()] + _COUNT_INDEXES
        version = hashlib.sha256("\n".join(created).encode()).hexdigest()[:16]
        if self.meta("counts_version") == version:
            return
        for sql in [sql for count in _COUNTS for sql in count.drop()] + created:
            self.db.execute(sql)
        for count in _COUNTS:
            self.db.execute(count.fill())
        self.set_meta("counts_version", version)

    # --- gazetteer -------------------------------------------------------------------------

    def gazetteer(self) -> Gazetteer:
        """The place index, compiled from GeoNames into this file on first use only."""
        if self._gazetteer is None:
            if self.meta("gazetteer_version") != GAZETTEER_VERSION:
                self._compile_gazetteer()
            # Plain tuples in Place's field order: sqlite-utils' row dicts cost a third of a start.
            columns = ", ".join(_PLACE_COLUMNS)
            rows = self.db.execute(f"select {columns} from places").fetchall()
            places = {p.id: p for p in (Place(*row) for row in rows)}
            if self.meta("gazetteer_ranking") != NAME_RANKING:
                self._rank_names(places)
            # A start only reads which place each name means: ranking them all is half a second.
            triples = self.db.execute(
                "select name, place_id, chosen from place_names order by rowid"
            ).fetchall()
            chosen = {name: place_id for name, place_id, best in triples if best}
            names = [(name, place_id) for name, place_id, _ in triples]
            self._gazetteer = Gazetteer(places.values(), names, chosen)
        return self._gazetteer

    def _rank_names(self, places: dict[int, Place]) -> None:
        """Mark the place each name means, after a compile or a change of the ranking rules."""
        with self.write():
            if self.meta("gazetteer_ranking") == NAME_RANKING:
                return  # another process ranked them meanwhile
            rows = self.db.execute(
                "select rowid, name, place_id from place_names order by rowid"
            ).fetchall()
            chosen = rank_names(places, [(name, place_id) for _, name, place_id in rows])
            self.db.execute("update place_names set chosen = 0")
            self.db.conn.executemany(
                "update place_names set chosen = 1 where rowid = ?",
                [[rowid] for rowid, name, place_id in rows if chosen.get(name) == place_id],
            )
            self._put_meta("gazetteer_ranking", NAME_RANKING)

    def _compile_gazetteer(self) -> None:
        places, names = compile_gazetteer()
        with self.write():
            if self.meta("gazetteer_version") == GAZETTEER_VERSION:
                return  # another process compiled it meanwhile
            self.db["places"].delete_where()
            self.db["place_names"].delete_where()
            self.db["places"].insert_all((p.__dict__ for p in places), batch_size=2000)
            self.db["place_names"].insert_all(
                ({"name": n, "place_id": i} for n, i in sorted(set(names))), batch_size=5000
            )
            self.set_meta("gazetteer_version", GAZETTEER_VERSION)
            self.set_meta("gazetteer_ranking", "")  # ranked by the load that follows

    def meta(self, key: str) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write():  # a savepoint inside a caller's transaction, a commit outside
            self._put_meta(key, value)

    def _put_meta(self, key: str, value: str) -> None:
        """set_meta inside a transaction the caller holds: no savepoint of its own."""
        self.db.conn.execute(
            "insert into meta (key, value) values (?, ?)"
            " on conflict(key) do update set value = excluded.value",
            [key, value],
        )

    def _next_seq(self) -> int:
        seq = int(self.meta("seq") or 0) + 1
        self._put_meta("seq", str(seq))
        return seq

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        """Rows as dicts for the indexer's hot path: sqlite-utils' query wraps each statement
        in a savepoint of its own and builds each dict in Python, a third of a write."""
        cursor = self.db.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    # --- writes ----------------------------------------------------------------------------

    def article_hash(self, article_id: str) -> str | None:
        row = self.db.execute(
            "select content_hash from articles where id = ?", [article_id]
        ).fetchone()
        return row[0] if row else None

    def replace_article(
        self, article: Article, candidates: Iterable[Candidate]
    ) -> dict[str, int] | None:
        """Store an article and its candidates in place of its earlier version, re-merging events.

        Returns how many events were added, updated and removed, or None when this very version
        is already stored (another indexer got there first). One transaction: a crash leaves the
        previous version whole.
        """
        counts = {"added": 0, "updated": 0, "removed": 0}
        digest = content_hash(article)
        with self.write():
            if self.article_hash(article.id) == digest:
                return None
            seq = self._next_seq()
            # Where in the article each of its events was told: a corrected sentence stays put.
            old_starts: dict[str, int] = {}
            for key, start in self.db.execute(
                "select event_key, min(start) from mentions where article_id = ?"
                " group by event_key",
                [article.id],
            ):
                old_starts[key] = start
            self.db.execute("delete from mentions where article_id = ?", [article.id])
            self._forget_told(old_starts)
            rows = one_key_per_happening([mention_row(c, candidate_key(c)) for c in candidates])
            by_key: dict[str, list[dict[str, Any]]] = {}  # what the article tells, by key
            for r in rows:
                by_key.setdefault(r["event_key"], []).append(r)
            nearby = _Nearby()
            for group in by_key.values():
                self._join(group, nearby)
            self._insert("mentions", rows)
            self._forget_told(r["event_key"] for r in rows)
            row = {**article.__dict__, "content_hash": digest, "indexed_seq": seq}
            row.pop("warnings")
            row["published"] = article.published.isoformat() if article.published else None
            # This version's mentions of each key: added to an event its other articles told.
            told: dict[str, list[dict[str, Any]]] = {}
            for r in rows:
                told.setdefault(r["event_key"], []).append({**r, "published": row["published"]})
            self.db.execute("delete from articles where id = ?", [article.id])
            self._insert("articles", [row])
            removed: dict[str, int] = {}
            added: dict[str, int] = {}
            keys = set(old_starts) | {r["event_key"] for r in rows}
            targeted = {r["event_key"] for r in rows if r["target"]}
            before = self._growth(targeted)
            for key in sorted(keys):
                # A key this article told before lost mentions: merged again from all of them.
                fresh = None if key in old_starts else told[key]
                outcome, event_id = self._rebuild_event(key, seq, fresh)
                counts[outcome] += 1
                if outcome == "removed":
                    removed[key] = event_id
                elif outcome == "added":
                    added[key] = event_id
            new_starts = {k: min(r["start"] for r in rows if r["event_key"] == k) for k in added}
            self._bury(removed, old_starts, added, new_starts, seq)
            # Only an event with a target this article made, or gave new figures or a third
            # source, can take reports told before it (store.identity's rules need those).
            after = self._growth(targeted)
            changed = {k for k in after if k in added or before.get(k) != after[k]}
            self._rehome([r for r in rows if r["event_key"] in changed], seq)
        return counts

    def _near(self, where: str, params: list[Any]) -> list[_NearEvent]:
        """The events `where` selects as store.identity compares them (~20 rows a call, so
        each is made from its columns directly, not through a dict of _rows)."""
        cursor = self.db.conn.execute(f"{_NEAR_EVENT} {where}", params)
        columns = [d[0] for d in cursor.description]
        near = self._near_event
        return [near(zip(columns, row, strict=True)) for row in cursor]

    def _sentences_told(self, key: str) -> str | None:
        """The sentences of an event's first reports, each once (_TOLD)."""
        if key not in self._told:
            row = self.db.conn.execute(_TOLD, [key, IDENTITY_RULES.compared_sentences]).fetchone()
            self._told[key] = row[0]
        return self._told[key]

    def _forget_told(self, keys: Iterable[str]) -> None:
        """The mentions of these keys changed: their _TOLD is read again."""
        for key in keys:
            self._told.pop(key, None)

    def _events_near(
        self, place_id: int, first: date, last: date, nearby: _Nearby
    ) -> list[_NearEvent]:
        """The events of a place between two days, from the rows `nearby` holds there."""
        lo, hi = first.isoformat(), last.isoformat()
        held = nearby.rows.get(place_id)
        if held is None or hi < held[0] or held[1] < lo:
            held = (lo, hi, self._near_rows(place_id, lo, hi))
        else:
            held_lo, held_hi, rows = held
            if lo < held_lo:
                rows = self._near_rows(place_id, lo, _day_before(held_lo)) + rows
            if held_hi < hi:
                rows = rows + self._near_rows(place_id, _day_after(held_hi), hi)
            held = (min(lo, held_lo), max(hi, held_hi), rows)
        nearby.rows[place_id] = held
        near = self._near_event
        return [
            near(zip(_NEAR_COLUMNS, row, strict=True))
            for row in held[2]
            if lo <= row[_NEAR_DATE] <= hi
        ]

    def _near_rows(self, place_id: int, lo: str, hi: str) -> list[tuple[Any, ...]]:
        return self.db.conn.execute(
            f"{_NEAR_EVENT} where e.place_id = ? and e.date between ? and ?", [place_id, lo, hi]
        ).fetchall()

    def _targets_in_oblast(
        self, mention: dict[str, Any], first: date, last: date
    ) -> list[_NearEvent]:
        """ "the bombing of the train station in the eastern Donetsk region": the events of the
        oblast's towns with that target, which such a report may tell (store.identity)."""
        if mention["target"] in IDENTITY_RULES.vague_targets:
            return []
        return self._near(
            "where e.target = ? and e.date between ? and ? and e.place_id != ?"
            " and e.place_id in"
            " (select id from places where country = 'UA' and kind = 'city' and admin1 ="
            " (select admin1 from places where id = ?))",
            [
                mention["target"],
                first.isoformat(),
                last.isoformat(),
                mention["place_id"],
                mention["place_id"],
            ],
        )

    def _join(self, mentions: list[dict[str, Any]], nearby: _Nearby) -> bool:
        """Point mentions of one key at the event they are another report of (store.identity),
        if any.

        `nearby` keeps the events near each (place, day) already read, for a caller that
        joins several mentions while the events stay as they are (see `_NearEvent`)."""
        mention = mentions[0]
        if mention["date"] is None:
            return False
        near = (mention["place_id"], mention["date"])
        if near not in nearby.events:
            first, last = window(date.fromisoformat(mention["date"]))
            events = self._events_near(mention["place_id"], first, last, nearby)
            # (a report that gives its own day is a coder's note of a happening of its own)
            undated = mention["date_precision"] == "approximate"
            if mention["place_precision"] == "oblast" and mention["target"] and undated:
                events += self._targets_in_oblast(mention, first, last)
            nearby.events[near] = events
        joined = resolve_group(mentions, nearby.events[near], self._population(mention))
        if joined is None:
            return False
        for m in mentions:
            m["event_key"], m["joined"] = joined.key, joined.why
        return True

    def _population(self, mention: Mapping[str, Any]) -> int:
        """How many live where the mention is (a big city has several happenings a day)."""
        place = self.gazetteer().places.get(mention["place_id"])
        return place.population if place else 0

    def _growth(self, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """Each event's figures and whether it is big, for the events of these keys."""
        found: dict[str, tuple[Any, ...]] = {}
        for key in keys:
            row = self.db.execute(
                "select killed_low, killed_high, injured_low, injured_high, n_sources"
                " from events where key = ?",
                [key],
            ).fetchone()
            if row is not None:
                found[key] = (*row[:4], row[4] >= IDENTITY_RULES.big_event_sources)
        return found

    def _rehome(self, told: list[dict[str, Any]], seq: int) -> None:
        """An event with a target takes the reports told before it that are reports of it:
        "Kramatorsk attack sparks outrage" indexed before the strike on the railway station.
        Reports it took can bring it the figures another report shares ("one killed and seven
        injured" in a lead that names no target), so a second pass looks again."""
        if self._rehome_once(told, seq):
            self._rehome_once(told, seq)

    def _rehome_once(self, told: list[dict[str, Any]], seq: int) -> bool:
        moves: dict[str, str] = {}  # an event's key -> the key its reports joined
        nearby = _Nearby()  # no event changes until below
        for new in {r["event_key"]: r for r in told if r["target"]}.values():
            if new["date"] is None:
                continue  # an article with no publication date: its undated reports stay put
            day = date.fromisoformat(new["date"])
            later = day + timedelta(days=IDENTITY_RULES.follow_up_days)
            # What store.identity may join to it: the same target's reports up to
            # follow_up_days on (two events of one target that grew apart join the bigger),
            # and reports naming no target that day or the next.
            next_day = day + timedelta(days=IDENTITY_RULES.untargeted_follow_up_days)
            reports: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for row in self._rows(
                "select * from mentions where place_id = ? and event_key != ? and ("
                " (target = ? and date between ? and ?)"
                " or (target = '' and date between ? and ?))",
                [
                    new["place_id"],
                    new["event_key"],
                    new["target"],
                    day.isoformat(),
                    later.isoformat(),
                    day.isoformat(),
                    next_day.isoformat(),
                ],
            ):
                # One article's reports of one key move together, as they were told.
                reports.setdefault((row["article_id"], row["event_key"]), []).append(row)
            if not reports:
                continue
            # Each report was compared with the events beside it when it was told; what is new
            # is this event: a report it cannot take stays (one comparison, not one with every
            # event of the days around: a quarter of a write).
            changed = self._near("where e.key = ?", [new["event_key"]])
            for (_, key), group in reports.items():
                if resolve_group(group, changed, self._population(group[0])) is None:
                    continue
                if self._join(group, nearby):
                    # the two events whose reports this moves are compared as they were before
                    moved = (key, group[0]["event_key"])
                    for event in itertools.chain.from_iterable(nearby.events.values()):
                        if event["key"] in moved:
                            event.read_now()
                    for mention in group:
                        self.db.execute(
                            "update mentions set event_key = ?, joined = ? where id = ?",
                            [mention["event_key"], mention["joined"], mention["id"]],
                        )
                    self._forget_told(moved)
                    moves[key] = group[0]["event_key"]
        emptied = {}
        for key in sorted(set(moves) | set(moves.values())):
            outcome, event_id = self._rebuild_event(key, seq)
            if outcome == "removed":
                emptied[key] = event_id
        for key, event_id in emptied.items():
            # An old `/event N` link leads to the event its reports now belong to.
            successor = self.db.execute("select id from events where key = ?", [moves[key]])
            row = successor.fetchone()
            self.db.execute(
                "insert or replace into event_tombstones (id, key, removed_seq, replaced_by)"
                " values (?, ?, ?, ?)",
                [event_id, key, seq, row[0] if row else None],
            )
        return bool(moves)

    def _bury(
        self,
        removed: dict[str, int],
        old_starts: dict[str, int],
        added: dict[str, int],
        new_starts: dict[str, int],
        seq: int,
    ) -> None:
        """A tombstone for each removed event, naming the event that replaces it when the same
        article now tells a new one at about the same place in its text (a corrected story)."""
        for key, event_id in removed.items():
            successor = min(
                added, key=lambda k: (abs(new_starts[k] - old_starts[key]), k), default=None
            )
            self.db.execute(
                "insert or replace into event_tombstones (id, key, removed_seq, replaced_by)"
                " values (?, ?, ?, ?)",
                [event_id, key, seq, added[successor] if successor else None],
            )

    def _new_event_id(self) -> int:
        """A number never given to an event before, even to one since removed: an old
        `/event N` link never shows another event."""
        row = self.db.execute("select max(id) from events").fetchone()
        new_id = max(int(self.meta("last_event_id") or 0), row[0] or 0) + 1
        self._put_meta("last_event_id", str(new_id))
        return new_id

    def _rebuild_event(
        self, key: str, seq: int, added: list[dict[str, Any]] | None = None
    ) -> tuple[str, int]:
        """Merge one key's mentions into its event row and its full-text row, in place.

        With `added` (the mentions an article new to the event just stored under its key, with
        their `published`), the event is updated from its tally and those alone; without, or
        for an event of a file made before tallies, merged again from every mention.
        Returns the outcome (added, updated, removed) and the event's id (0 when none)."""
        existing = next(iter(self._rows("select * from events where key = ?", [key])), None)
        if added is not None and (existing is None or existing["tally"]):
            event = merge_mentions(key, added, existing)
        else:
            added = None
            mentions = self._rows(
                "select m.*, a.published from mentions m left join articles a"
                " on a.id = m.article_id where m.event_key = ? order by m.id",
                [key],
            )
            if not mentions:
                if existing:
                    self._drop_text(existing)
                    self.db.execute("delete from events where id = ?", [existing["id"]])
                    return "removed", existing["id"]
                return "updated", 0
            event = merge_mentions(key, mentions)
        event["changed_seq"] = seq
        if existing:
            # A new source or new figures is news for the groups: the revision goes up.
            shown = (
                "summary",
                "n_sources",
                *(f"{n}_{e}" for n in ("killed", "injured") for e in ("low", "high")),
            )
            same = all(existing[c] == event[c] for c in shown)
            event["revision"] = existing["revision"] if same else existing["revision"] + 1
            event["id"] = existing["id"]
            event["fts_rowid"] = self._fts_rowid(event)
            # Only the indexed columns that changed: SQLite rewrites every index over a column
            # that is set. The others are set whatever they hold, so that a run prepares a few
            # dozen distinct statements, not hundreds (each ~2 ms: the count triggers compile
            # into it).
            changed = [c for c in event if c != "id" and event[c] != existing[c]]
            columns = [c for c in event if c in changed or c not in _INDEXED_EVENT_COLUMNS]
            if changed:  # none when an article's second merge of the event changes nothing
                self.db.execute(
                    f"update events set {', '.join(f'[{c}] = ?' for c in columns)} where id = ?",
                    [*(event[c] for c in columns), event["id"]],
                )
            outcome = "updated"
        else:
            event["revision"] = 1
            event["id"] = self._new_event_id()
            event["fts_rowid"] = self._fts_rowid(event)
            self._insert("events", [event])
            outcome = "added"
        self._update_text(event, existing, added)
        return outcome, event["id"]

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> int | None:
        """Plain parameterised inserts: sqlite-utils' per-call table checks cost more than the
        rows on the indexer's hot path. Column names come from our own records, never input."""
        if not rows:
            return None
        columns = list(rows[0])
        sql = (
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)})"
            f" values ({', '.join('?' * len(columns))})"
        )
        if len(rows) == 1:
            return self.db.execute(sql, [rows[0][c] for c in columns]).lastrowid
        self.db.conn.executemany(sql, [[r[c] for c in columns] for r in rows])
        return None

    def _reindex_text(self) -> None:
        """Every shown event's searchable text again, as _update_text writes it."""
        for event in [dict(r) for r in self.db.query("select * from events")]:
            if is_trusted(event["confidence"]):
                self._insert_text(event, self._sentences(event["key"]), self._place_text(event))

    def _fts_rowid(self, event: dict[str, Any]) -> int:
        day = date.fromisoformat(event["date"]).toordinal() if event["date"] else 0
        return day * _FTS_DAY + int(event["id"])

    def _sentences(self, key: str) -> str:
        """An event's searchable sentences: each of its mentions' once, in the order stored."""
        rows = self.db.execute(
            "select sentence from mentions where event_key = ? order by id", [key]
        )
        return "\n".join(dict.fromkeys(r[0] for r in rows))

    def _drop_text(self, existing: dict[str, Any]) -> None:
        # Hidden (low-confidence) events have no row: deleting it is then a no-op.
        if existing["fts_rowid"]:
            self.db.execute("delete from events_fts where rowid = ?", [existing["fts_rowid"]])

    def _update_text(
        self,
        event: dict[str, Any],
        existing: dict[str, Any] | None,
        added: list[dict[str, Any]] | None,
    ) -> None:
        """The event's searchable text; hidden (low-confidence) events are not searchable.

        The row is written again only when what it holds changes: FTS5 reads a row's whole
        text to delete it, so an event told again in the same words costs nothing here, and
        one told in new words has them appended to what the row holds (`added`)."""
        if not is_trusted(event["confidence"]):
            if existing:
                self._drop_text(existing)
            return
        old = None
        if existing and existing["fts_rowid"] and is_trusted(existing["confidence"]):
            old = self.db.execute(
                "select summary, sentences, place from events_fts where rowid = ?",
                [existing["fts_rowid"]],
            ).fetchone()
        # Sentences are lines of the article, never several: "\n" separates them.
        if old is not None and added is not None:
            held = set(old[1].split("\n"))
            new = [s for s in dict.fromkeys(m["sentence"] for m in added) if s not in held]
            sentences = "\n".join([old[1], *new]) if new else old[1]
        else:
            sentences = self._sentences(event["key"])
        place = self._place_text(event)
        held_row = (existing["fts_rowid"], *old) if existing and old is not None else None
        if held_row == (event["fts_rowid"], event["summary"], sentences, place):
            return
        if existing:
            self._drop_text(existing)
        self._insert_text(event, sentences, place)

    def _place_text(self, event: dict[str, Any]) -> str:
        place = self.gazetteer().places.get(event["place_id"])
        return f"{place.name} {place.admin1_name}" if place else ""

    def _insert_text(self, event: dict[str, Any], sentences: str, place: str) -> None:
        self.db.execute(
            "insert into events_fts(rowid, summary, sentences, place) values (?, ?, ?, ?)",
            [event["fts_rowid"], event["summary"], sentences, place],
        )

    # --- reads -----------------------------------------------------------------------------

    def find_events(
        self,
        place: Place | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 5,
        offset: int = 0,
        kind: EventKind | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Events newest day first, a day's by importance (store/importance.py), filtered by
        place (a city, or every place in an oblast), day and kind."""
        where, params = self._filters(place, date_from, date_to, kind)
        total = self._count_events(place, date_from, date_to, kind)
        rows = self.db.query(
            f"{_EVENT_SELECT} where {where} order by {importance_order()} limit ? offset ?",
            [*params, limit, offset],
        )
        return [dict(r) for r in rows], total

    def _day_counts(self, place: Place | None, by_kind: bool = False) -> tuple[str, str, list[Any]]:
        """The count table of a place's (an oblast's, every place's) shown events per day (and
        kind), and the condition that picks its rows."""
        kind = "_kind" if by_kind else ""
        if place is None:
            return f"day{kind}_counts", "1", []
        if place.is_ua_oblast:
            return f"oblast_day{kind}_counts", "admin1 = ?", [place.admin1]
        return f"place_day{kind}_counts", "place_id = ?", [place.id]

    def _count_events(
        self,
        place: Place | None,
        date_from: date | None,
        date_to: date | None,
        kind: EventKind | None = None,
    ) -> int:
        """How many shown events: a sum over the days of a count table, not a count of rows."""
        kind = kind or EventKind()
        table, where, params = self._day_counts(place, by_kind=kind != EventKind())
        if kind.type:
            where += " and (sub_event_type = ? or event_type = ?)"
            params += [kind.type, kind.type]
        if kind.target:
            where += " and target = ?"
            params.append(kind.target)
        if kind.killed:
            where += " and killed"
        if date_from is not None or date_to is not None:
            where += " and date between ? and ?"  # undated events ('') are on no day
            params += [(date_from or date.min).isoformat(), (date_to or date.max).isoformat()]
        row = self.db.execute(f"select sum(events) from {table} where {where}", params).fetchone()
        return row[0] or 0

    def _filters(
        self,
        place: Place | None,
        date_from: date | None,
        date_to: date | None,
        kind: EventKind | None = None,
    ) -> tuple[str, list[Any]]:
        clauses = ["e.confidence >= ?"]
        params: list[Any] = [MIN_CONFIDENCE]
        if place is not None:
            if place.is_ua_oblast:
                clauses.append("p.admin1 = ? and p.country = 'UA'")
                params.append(place.admin1)
            else:
                clauses.append("e.place_id = ?")
                params.append(place.id)
        if date_from is not None:
            clauses.append("e.date >= ?")
            params.append(date_from.isoformat())
        if date_to is not None:
            clauses.append("e.date <= ?")
            params.append(date_to.isoformat())
        if kind is not None and kind.type:
            clauses.append("(e.sub_event_type = ? or e.event_type = ?)")
            params += [kind.type, kind.type]
        if kind is not None and kind.target:
            clauses.append("e.target = ?")
            params.append(kind.target)
        if kind is not None and kind.killed:
            clauses.append("coalesce(e.killed_qualifier, '') != ''")
        return " and ".join(clauses), params

    def totals(
        self, place: Place | None, date_from: date | None, date_to: date | None
    ) -> dict[str, Any]:
        """Events by kind (`kinds`: sub-event type, summary, target, events), and killed and
        injured as lower bounds over distinct events: each event counts once with its smallest
        figure, however many articles told it."""
        where, params = self._filters(place, date_from, date_to)
        joined = "join places p on p.id = e.place_id"
        row = self.db.execute(
            f"select count(*), sum(coalesce(e.killed_low, 0)), sum(e.killed_low is not null),"
            f" sum(coalesce(e.injured_low, 0)), sum(e.injured_low is not null),"
            f" min(e.date), max(e.date) from events e {joined} where {where}",
            params,
        ).fetchone()
        # What decides an event's plain label (bot/kinds.py): its sub-type, summary and target;
        # grouped by those, so a place's hundreds of events come back as fewer rows.
        kinds = self.db.execute(
            f"select e.sub_event_type, e.summary, coalesce(e.target, ''), count(*) from events e"
            f" {joined} where {where} group by 1, 2, 3",
            params,
        ).fetchall()
        articles = self.db.execute(
            f"select count(distinct m.article_id) from mentions m join events e"
            f" on e.key = m.event_key {joined} where {where}",
            params,
        ).fetchone()[0]
        return {
            "events": row[0],
            "killed": row[1] or 0,
            "killed_events": row[2] or 0,
            "injured": row[3] or 0,
            "injured_events": row[4] or 0,
            "first_date": row[5],
            "last_date": row[6],
            "kinds": [tuple(k) for k in kinds],
            "articles": articles,
        }

    def picture_events(
        self,
        place: Place | None,
        date_from: date | None,
        date_to: date | None,
        kind: EventKind | None = None,
        limit: int = 5000,
    ) -> tuple[list[dict[str, Any]], int]:
        """Events for a map or a chart, the most important first whatever their day (a map
        that cannot show them all keeps those), with what a picture needs of the place: its
        position, kind and where that position comes from (`coord_source`: "hromada" is a
        hromada's centroid, not the town's own point)."""
        where, params = self._filters(place, date_from, date_to, kind)
        joined = "join places p on p.id = e.place_id"
        total = self.db.execute(
            f"select count(*) from events e {joined} where {where}", params
        ).fetchone()[0]
        order = ", ".join(f"{term} desc" for term in (*importance_terms("e."), "e.id"))
        rows = self.db.query(
            "select e.id, e.date, e.event_type, e.sub_event_type, e.summary, e.target,"
            " e.place_precision, e.killed_low, e.injured_low, e.n_sources, e.place_id,"
            " p.name as place_name, p.kind as place_kind, p.admin1, p.country, p.latitude,"
            f" p.longitude, p.coord_source from events e {joined} where {where}"
            f" order by {order} limit ?",
            [*params, limit],
        )
        return [dict(r) for r in rows], total

    def daily_kinds(
        self,
        place: Place | None,
        date_from: date | None,
        date_to: date | None,
        kind: EventKind | None = None,
    ) -> list[tuple[str, str, str, str, str, int, int, int]]:
        """(day, event type, sub-event type, summary, target, events, killed, injured) for a
        chart: grouped by what decides an event's plain label (as `totals` groups), killed and
        injured as lower bounds over distinct events, each counted once with its smallest
        figure."""
        where, params = self._filters(place, date_from, date_to, kind)
        rows = self.db.execute(
            "select e.date, e.event_type, e.sub_event_type, e.summary, coalesce(e.target, ''),"
            " count(*), sum(coalesce(e.killed_low, 0)), sum(coalesce(e.injured_low, 0))"
            f" from events e join places p on p.id = e.place_id where {where}"
            " and e.date is not null group by 1, 2, 3, 4, 5",
            params,
        ).fetchall()
        return [tuple(r) for r in rows]

    def nearest_dates(self, place: Place | None, day: date, limit: int = 3) -> list[date]:
        """Days closest to `day` that have events (for the given place), to suggest instead; of
        two as close, the earlier. Two steps down the count table's index, on either side."""
        table, where, params = self._day_counts(place)
        found = []
        for side, order in (("date > '' and date <= ?", "desc"), ("date > ?", "")):
            found += self.db.execute(
                f"select date from {table} where {where} and {side} order by date {order} limit ?",
                [*params, day.isoformat(), limit],
            ).fetchall()
        days = [date.fromisoformat(r[0]) for r in found]
        return sorted(days, key=lambda d: (abs(d - day), d))[:limit]

    def last_date(self) -> date | None:
        """The newest event's day: one step down the date index, cheap on any size."""
        row = self.db.execute(
            "select date from events where date is not null and confidence >= ?"
            " order by date desc limit 1",
            [MIN_CONFIDENCE],
        ).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def places_with_events(self, limit: int = -1) -> list[tuple[str, int]]:
        """(place name, number of events) of the `limit` busiest places with shown events (all
        of them by default), busiest first."""
        return self.db.execute(
            "select p.name, c.events from place_counts c join places p on p.id = c.place_id"
            " order by c.events desc, c.place_id limit ?",
            [limit],
        ).fetchall()

    def places_with_shown_events(self, place_ids: list[int]) -> set[int]:
        """Which of these places have events the bot shows."""
        marks = ",".join("?" * len(place_ids))
        rows = self.db.execute(
            f"select place_id from place_counts where place_id in ({marks})", place_ids
        )
        return {r[0] for r in rows}

    def event(self, event_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query(f"{_EVENT_SELECT} where e.id = ?", [event_id]))
        return dict(rows[0]) if rows else None

    def sources(self, event_keys: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Each event's mentions with their article, in one query for a whole page."""
        if not event_keys:
            return {}
        marks = ",".join("?" * len(event_keys))
        rows = self.db.query(
            "select m.event_key, m.article_id, m.sentence, m.claimed_by, m.is_claim,"
            " m.confidence, m.joined, m.killed_low, m.killed_high, a.title, a.url,"
            " a.publisher, a.published, a.path"
            " from mentions m join articles a on a.id = m.article_id"
            f" where m.event_key in ({marks})"
            " order by a.published, m.article_id, m.start",
            event_keys,
        )
        grouped: dict[str, list[dict[str, Any]]] = {k: [] for k in event_keys}
        for row in rows:
            grouped[row["event_key"]].append(dict(row))
        return grouped

    def search(self, words: list[str], limit: int = 5, offset: int = 0) -> list[dict[str, Any]]:
        """Events whose text has every word, newest first; words are quoted, never FTS syntax."""
        if not words:
            return []
        query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rowids = [
            r[0]
            for r in self.db.execute(
                "select rowid from events_fts where events_fts match ?"
                " order by rowid desc limit ? offset ?",
                [query, limit, offset],
            )
        ]
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        rows = self.db.query(
            f"{_EVENT_SELECT} where e.fts_rowid in ({marks}) order by e.fts_rowid desc", rowids
        )
        return [dict(r) for r in rows]

    def count_search(self, words: list[str], cap: int = 1000) -> int:
        """How many events match, counted up to `cap` so a common word stays cheap."""
        if not words:
            return 0
        query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        return self.db.execute(
            "select count(*) from (select rowid from events_fts where events_fts match ? limit ?)",
            [query, cap],
        ).fetchone()[0]

    def articles(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "select a.id, a.title, a.url, a.publisher, a.published, a.path,"
                " (select count(distinct m.event_key) from mentions m where m.article_id = a.id"
                "  and m.confidence >= ?) as events"
                " from articles a order by a.published desc, a.id limit ? offset ?",
                [MIN_CONFIDENCE, limit, offset],
            )
        ]

    def stats(self) -> dict[str, Any]:
        """Totals for /stats and /sources, read from the count tables: a few rows at any size."""
        events, multi = self.db.execute(
            "select sum(events), sum(multi_source) from day_counts"
        ).fetchone()
        first, last = (
            self.db.execute(f"select {end}(date) from day_counts where date > ''").fetchone()[0]
            for end in ("min", "max")
        )
        return {
            "articles": self.db.execute("select sum(articles) from article_counts").fetchone()[0]
            or 0,
            "events": events or 0,
            "first_date": first,
            "last_date": last,
            "multi_source_events": multi or 0,
            "places": self.db.execute("select count(*) from place_counts").fetchone()[0],
            "by_type": self.db.execute(
                "select event_type, events from type_counts order by events desc, event_type"
            ).fetchall(),
        }

    def cyrillic_names(self, place_ids: list[int]) -> dict[int, list[str]]:
        """Each place's names in Cyrillic letters, as the gazetteer holds them (lower case)."""
        if not place_ids:
            return {}
        marks = ",".join("?" * len(place_ids))
        found: dict[int, list[str]] = {}
        for place_id, name in self.db.execute(
            f"select place_id, name from place_names where place_id in ({marks})"
            " and name glob '*[а-яіїєґ]*'",
            place_ids,
        ):
            found.setdefault(place_id, []).append(name)
        return found

    def chat_language(self, chat_id: int) -> str | None:
        """The language a chat chose with /lang, or None to follow each user's Telegram."""
        row = self.db.execute(
            "select lang from chat_languages where chat_id = ?", [chat_id]
        ).fetchone()
        return row[0] if row else None

    def set_chat_language(self, chat_id: int, lang: str) -> None:
        self.db["chat_languages"].upsert({"chat_id": chat_id, "lang": lang}, pk="chat_id")

    def is_empty(self) -> bool:
        return self.db["articles"].count == 0
