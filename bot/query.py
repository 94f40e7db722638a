"""What a question asks, as people type it: a place, a day or range, and a kind of event, in any
order, with or without the filler words of a sentence ("what happened in Kharkiv on 2 March?").

Pure: words in, a Query out; which place the words name is the gazetteer's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot.args import AmbiguousDate, ArgumentError, DateRange, parse_date_range

# A kind after the place: the word people type -> (ACLED event or sub-event type, target, killed).
KIND_WORDS: dict[str, tuple[str, str, bool]] = {
    "shelling": ("Shelling/artillery/missile attack", "", False),
    "shelled": ("Shelling/artillery/missile attack", "", False),
    "missile": ("Shelling/artillery/missile attack", "", False),
    "missiles": ("Shelling/artillery/missile attack", "", False),
    "artillery": ("Shelling/artillery/missile attack", "", False),
    "rockets": ("Shelling/artillery/missile attack", "", False),
    "airstrike": ("Air/drone strike", "", False),
    "airstrikes": ("Air/drone strike", "", False),
    "air strike": ("Air/drone strike", "", False),
    "air strikes": ("Air/drone strike", "", False),
    "drone": ("Air/drone strike", "", False),
    "drones": ("Air/drone strike", "", False),
    "clashes": ("Armed clash", "", False),
    "clash": ("Armed clash", "", False),
    "fighting": ("Armed clash", "", False),
    "battles": ("Battles", "", False),
    "captured": ("Non-state actor overtakes territory", "", False),
    "capture": ("Non-state actor overtakes territory", "", False),
    "explosions": ("Explosions/Remote violence", "", False),
    "hospital": ("", "hospital", False),
    "hospitals": ("", "hospital", False),
    "school": ("", "school", False),
    "schools": ("", "school", False),
    "residential": ("", "residential building", False),
    "homes": ("", "residential building", False),
    "tv tower": ("", "TV tower", False),
    "administration": ("", "administration building", False),
    "police": ("", "police department", False),
    "railway": ("", "railway station", False),
    "infrastructure": ("", "civilian infrastructure", False),
    "killed": ("", "", True),
    "dead": ("", "", True),
    "deaths": ("", "", True),
    "casualties": ("", "", True),
}
_WORD_FOR = {v: k for k, v in reversed(KIND_WORDS.items())}  # the first word for each meaning
# The words a sentence wraps a place in; never part of a place's name.
FILLERS = frozenset((
    "what", "whats", "what's", "happened", "happening", "happens", "in", "on", "at", "news",
    "from", "about", "events", "event", "show", "me", "the", "any", "were", "was", "is", "are",
    "there", "tell", "latest", "for", "of",
))  # fmt: skip
_MAX_WORDS = 12  # a date is found among this many words at most


@dataclass(frozen=True)
class Query:
    """A question's meaning; `place` is the words that should name a place ("" for none)."""

    place: str = ""
    days: DateRange | None = None
    kind: str = ""
    target: str = ""
    killed: bool = False
    choices: tuple[date, ...] = ()  # an ambiguous date's readings, to ask which

    @property
    def filters(self) -> str:
        """The kind words back, short, for buttons and headings ("shelling hospital")."""
        words = [_WORD_FOR[(self.kind, "", False)]] if self.kind else []
        words += [_WORD_FOR[("", self.target, False)]] if self.target else []
        return " ".join(words + (["killed"] if self.killed else []))

    def on(self, day: date) -> Query:
        return replace(self, days=DateRange(day, day), choices=())


def _words(text: str) -> list[str]:
    return re.sub(r"[?!;]", " ", text).split()


def _take_kinds(words: list[str]) -> tuple[list[str], str, str, bool]:
    kind, target, killed = "", "", False
    kept: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2]).lower().strip(",.")
        one = words[i].lower().strip(",.")
        found = KIND_WORDS.get(pair) if i + 1 < len(words) else None
        step = 2 if found else 1
        found = found or KIND_WORDS.get(one)
        if found is None or len(words) == 1:
            kept.append(words[i])
        else:
            kind, target, killed = found[0] or kind, found[1] or target, found[2] or killed
        i += step
    return kept, kind, target, killed


def _find_dates(
    words: list[str], today: date, year: int, newest: date | None
) -> tuple[list[str], DateRange | None, tuple[date, ...]]:
    """The longest run of words that reads as a date or range, and the words left around it."""
    n = min(len(words), _MAX_WORDS)
    for length in range(n, 0, -1):
        for start in range(0, n - length + 1):
            phrase = " ".join(words[start : start + length])
            if not re.search(r"\d|week|[a-zа-я]{3}", phrase, re.I):
                continue
            rest = words[:start] + words[start + length :]
            try:
                return rest, parse_date_range(phrase, today, year, newest), ()
            except AmbiguousDate as exc:
                return rest, None, exc.readings
            except ArgumentError as exc:
                if "longer than a year" in str(exc):
                    raise
    return words, None, ()


def read_query(text: str, today: date, year: int, newest: date | None = None) -> Query:
    """Place words, dates and kind from a command's argument or a plain sentence.

    `year` is for dates without one; `newest` the newest day with events ("last week").
    """
    words, kind, target, killed = _take_kinds(_words(text))
    words, days, choices = _find_dates(words, today, year, newest)
    place = [w for w in words if w.lower().strip(",.") not in FILLERS]
    name = " ".join(place).strip(" ,.")
    return Query(name, days, kind, target, killed, choices)


def place_names(name: str) -> list[str]:
    """The names to try for "Kyiv, Ukraine" or "Kharkiv, Kharkiv Oblast": the whole, then the
    part before the comma (news writes "Town, Oblast": the second name says where it is)."""
    names = [" ".join(name.replace(",", " ").split())]
    if "," in name:
        names.append(name.split(",")[0].strip())
    return [n for n in names if n]
