"""What an event is called in an answer: ACLED's sub-event type as a journalist would write it
("Shelling", "Drone strike", "Capture"), and its target in plain words ("Shelling of a
hospital"). The table is data (bot/data/kinds.toml); the database and `sitrep export` keep
ACLED's names, and `/event` shows them too, for analysts.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("data") / "kinds.toml"


@dataclass(frozen=True)
class KindLabel:
    """One row of the table: a sub-event type (refined by words, if any) and its labels."""

    sub_event_type: str
    en: str
    uk: str
    preposition: str = "on"
    words: re.Pattern[str] | None = None
    examples: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.uk if lang == "uk" else self.en


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case; "evacuat*" for any ending (as taxonomy.toml writes)."""
    if not words:
        return None
    parts = [
        r"\s+".join(re.escape(w.rstrip("*")) for w in phrase.split())
        + (r"[\w-]*" if phrase.endswith("*") else "")
        for phrase in words
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])", re.I)


@cache
def table() -> tuple[tuple[KindLabel, ...], dict[str, dict[str, str]]]:
    """(the rows in order, the targets' phrases by language), read once."""
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    rows = tuple(
        KindLabel(
            row["sub_event_type"],
            row["en"],
            row["uk"],
            row.get("preposition", "on"),
            _pattern(row.get("words", [])),
            tuple(row.get("examples", [])),
        )
        for row in data["kind"]
    )
    return rows, data["targets"]


def kind_of(sub_event_type: str, text: str = "") -> KindLabel | None:
    """The first row for this sub-type whose words `text` has (or that needs none)."""
    for row in table()[0]:
        if row.sub_event_type == sub_event_type and (row.words is None or row.words.search(text)):
            return row
    return None


def _text(event: dict[str, Any]) -> str:
    return f"{event.get('summary') or ''} {event.get('target') or ''}"


def kind_label(event: dict[str, Any], lang: str = "en", with_target: bool = True) -> str:
    """ "Missile strike on the administration building", "Обстріл: лікарня"; a sub-type the table
    lacks shows as ACLED writes it."""
    row = kind_of(event["sub_event_type"] or "", _text(event))
    name = row.name(lang) if row else (event["sub_event_type"] or "")
    target = event.get("target") or ""
    if not (with_target and target):
        return name
    phrases = table()[1].get(target, {})
    if lang == "uk":
        return f"{name}: {phrases.get('uk', target)}"
    return f"{name} {row.preposition if row else 'on'} {phrases.get('en', target)}"


def acled_line(event: dict[str, Any]) -> str:
    """ "ACLED: Explosions/Remote violence · Shelling/artillery/missile attack", for /event."""
    parts = [p for p in (event.get("event_type"), event.get("sub_event_type")) if p]
    return "ACLED: " + " · ".join(parts)


def count_kinds(
    rows: Iterable[tuple[str, str, str, int]], lang: str = "en"
) -> list[tuple[str, int]]:
    """(label, events) for /stats from (sub-event type, summary, target, events) rows, most
    first: "Drone strike" and "Air strike" apart although ACLED has one sub-type for both."""
    counts: Counter[str] = Counter()
    for sub_event_type, summary, target, n in rows:
        event = {"sub_event_type": sub_event_type, "summary": summary, "target": target}
        counts[kind_label(event, lang, with_target=False)] += n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
