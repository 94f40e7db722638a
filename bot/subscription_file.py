"""A chat's subscriptions as a small JSON file, to keep, move to another chat or restore:
`/subscriptions export` writes it, `/subscriptions import` reads it back.

Pure: records in, bytes out and back. A file that is not ours (or is from a newer version) is
refused whole with a reason; within a readable file, an entry that makes no sense is refused
alone and the rest is read. Reasons are catalogue keys (bot/catalogue.py), so the bot tells
them in the reader's language.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.subscriptions import Measure

FORMAT = "sitrep-subscriptions"
# 2: thresholds ("min 2 sources"); a version 1 file reads as having none
VERSION = 2
MAX_BYTES = 64 * 1024  # a chat with hundreds of subscriptions is a few kilobytes
MAX_ENTRIES = 200
_SCOPES = ("all", "place", "oblast")
_MEASURES = ("", *get_args(Measure))
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_WORD = re.compile(r"\S{1,40}")  # a +word or -word of /subscribe: no spaces


class SubscriptionFileError(ValueError):
    """The file as a whole cannot be read; `reason` is a catalogue key."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@dataclass(frozen=True)
class Entry:
    """One subscription as the file writes it: what it follows, of what kind, which words."""

    place: str  # the label shown: a place's name, an oblast's, or "all"
    scope: str = "place"  # all | place | oblast
    place_id: int | None = None  # the gazetteer's id, checked against the name on import
    kind: str = ""  # ACLED's event or sub-event type, as /subscribe stores it
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    topic: int = 0  # the forum topic it delivers to, in the chat it came from
    # "min 2 sources": the threshold's count and what it counts (store.subscriptions.Threshold);
    # a file written before thresholds has none
    min_count: int = 0
    min_of: str = ""

    def describe(self) -> str:
        words = [f"+{w}" for w in self.include] + [f"-{w}" for w in self.exclude]
        return " ".join([self.place, *([self.kind] if self.kind else []), *words])


@dataclass(frozen=True)
class Settings:
    """How the chat receives: sound, and a daily digest besides or instead of instant updates."""

    quiet: bool = False
    digest_time: str | None = None  # "HH:MM", None for no digest
    timezone: str = "Europe/Kyiv"
    instant: bool = True


@dataclass(frozen=True)
class Refused:
    """An entry of the file that was not read: what it said, and why (a catalogue key)."""

    shown: str
    reason: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SubscriptionFile:
    entries: tuple[Entry, ...]
    settings: Settings | None = None  # None: the file's settings could not be read
    chat_id: int = 0
    refused: tuple[Refused, ...] = ()


def dump(file: SubscriptionFile) -> bytes:
    """The file's bytes: indented JSON with a format name and a version."""
    body = {
        "format": FORMAT,
        "version": VERSION,
        "chat_id": file.chat_id,
        "settings": asdict(file.settings or Settings()),
        "subscriptions": [asdict(e) for e in file.entries],
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def load(data: bytes) -> SubscriptionFile:
    """Read a file written by `dump` (this version or an older one)."""
    if len(data) > MAX_BYTES:
        raise SubscriptionFileError("subfile.toobig", kb=MAX_BYTES // 1024)
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SubscriptionFileError("subfile.notjson") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise SubscriptionFileError("subfile.notours")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SubscriptionFileError("subfile.notours")
    if version > VERSION:
        raise SubscriptionFileError("subfile.newer", version=version, ours=VERSION)
    items = body.get("subscriptions")
    if not isinstance(items, list):
        raise SubscriptionFileError("subfile.notours")
    if len(items) > MAX_ENTRIES:
        raise SubscriptionFileError("subfile.toomany", n=len(items), most=MAX_ENTRIES)
    entries: list[Entry] = []
    refused: list[Refused] = []
    for item in items:
        entry = _entry(item)
        if isinstance(entry, Refused):
            refused.append(entry)
        else:
            entries.append(entry)
    settings = _settings(body.get("settings"))
    if isinstance(settings, Refused):
        refused.append(settings)
        settings = None
    chat_id = body.get("chat_id")
    chat_id = chat_id if isinstance(chat_id, int) and not isinstance(chat_id, bool) else 0
    return SubscriptionFile(tuple(entries), settings, chat_id, tuple(refused))


def _entry(item: Any) -> Entry | Refused:
    if not isinstance(item, dict):
        return Refused(str(item)[:40], "subfile.entry")
    place, scope = item.get("place"), item.get("scope", "place")
    shown = str(place)[:60] if place is not None else "?"
    if not isinstance(place, str) or not place.strip() or len(place) > 100:
        return Refused(shown, "subfile.entry")
    if scope not in _SCOPES:
        return Refused(shown, "subfile.entry")
    place_id = item.get("place_id")
    if place_id is not None and (not isinstance(place_id, int) or isinstance(place_id, bool)):
        return Refused(shown, "subfile.entry")
    kind = item.get("kind", "")
    topic = item.get("topic", 0)
    min_count, min_of = item.get("min_count", 0), item.get("min_of", "")
    if min_of not in _MEASURES or not isinstance(min_count, int) or isinstance(min_count, bool):
        return Refused(shown, "subfile.entry")
    if (min_count > 0) != bool(min_of):
        return Refused(shown, "subfile.entry")
    words = [item.get("include", []), item.get("exclude", [])]
    if (
        not isinstance(kind, str)
        or not isinstance(topic, int)
        or isinstance(topic, bool)
        or not all(isinstance(w, list) for w in words)
        or not all(isinstance(x, str) and _WORD.fullmatch(x) for w in words for x in w)
    ):
        return Refused(shown, "subfile.entry")
    return Entry(
        place.strip(),
        scope,
        place_id,
        kind.strip()[:60],
        tuple(w.lower() for w in words[0]),
        tuple(w.lower() for w in words[1]),
        max(0, topic),
        min_count,
        min_of,
    )


def _settings(value: Any) -> Settings | Refused:
    if value is None:
        return Settings()
    if not isinstance(value, dict):
        return Refused("settings", "subfile.settings")
    at, zone = value.get("digest_time"), value.get("timezone", "Europe/Kyiv")
    if at is not None and not (isinstance(at, str) and _TIME.fullmatch(at)):
        return Refused("settings", "subfile.settings")
    if not isinstance(zone, str) or not _zone(zone):
        return Refused("settings", "subfile.settings")
    flags = [value.get("quiet", False), value.get("instant", True)]
    if not all(isinstance(f, bool) for f in flags):
        return Refused("settings", "subfile.settings")
    return Settings(flags[0], at, zone, flags[1])


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
