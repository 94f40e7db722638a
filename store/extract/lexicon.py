"""Word lists several extraction steps share, and the one helper that turns a list into a pattern.

A list here is English as reporters write it; `alternation` makes the regular expression.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources


def alternation(words: Iterable[str]) -> str:
    """A group matching any of the words, longest first so that a phrase wins over its first word.

    A space matches any run of whitespace; a `*` ending a word any ending ("recaptur*":
    recaptured, recapturing); everything else is literal.
    """
    parts = (
        r"\s+".join(_token(token) for token in word.split())
        for word in sorted(set(words), key=lambda w: (-len(w), w))
    )
    return "(?:" + "|".join(parts) + ")"


def ascii_lower(text: str) -> str | None:
    """The text lower-cased, for `may_contain`; None for non-ASCII text, where an IGNORECASE
    regex also reads a few other letters as ASCII ("ſ" as "s") and only the regex can tell."""
    return text.lower() if text.isascii() else None


def may_contain(lowered: str | None, words: tuple[str, ...]) -> bool:
    """Whether text could hold one of the (lower-case) words: a regex every match of which
    contains one is worth running. `in` is 10-20x cheaper than an IGNORECASE alternation, which
    Python's engine tries at every position."""
    return lowered is None or contains_any(lowered, words)


def contains_any(lowered: str, words: Iterable[str]) -> bool:
    """Whether the lower-case text holds one of the words."""
    # A loop, not `any` over a generator, which costs more than the tests (~0.5M calls a corpus).
    for word in words:  # noqa: SIM110 (a loop: see the comment above)
        if word in lowered:
            return True
    return False


def _token(token: str) -> str:
    return re.escape(token[:-1]) + r"\w*" if token.endswith("*") else re.escape(token)


# The verbs of reporting: "the governor said", "claimed Wednesday that", "..., the army reports".
REPORT_VERBS = (
    "said", "says", "say", "claimed", "claims", "claim", "reported", "reports", "confirmed",
    "announced", "stated", "wrote", "told",
)  # fmt: skip
REPORT_VERB = alternation(REPORT_VERBS)

# Capitalised only: "columns march 20 km" and "losses may 10 times" are not dates.
MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"

# Words that deny what follows them: "not", "no one", "never", "without".
NEGATORS = ("not", "no", "never", "n't", "cannot", "without", "neither", "nor")
NEGATOR = "(?:" + "|".join(NEGATORS) + ")"

# "according to the regional governor": the source of what the sentence says.
ACCORDING_TO = r"\baccording\s+to\s+(?:the\s+)?"


@dataclass(frozen=True)
class PhraseRule:
    """A row of a data table: why it applies, its patterns as one regex, the sentences that
    justify it (tests check each rule reads its own examples)."""

    why: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]


def phrase_rules(filename: str, table: str) -> tuple[PhraseRule, ...]:
    """The rows of `table` in data/`filename`."""
    text = resources.files("store.extract").joinpath("data", filename).read_text("utf-8")
    return tuple(
        PhraseRule(t["why"], re.compile("|".join(t["patterns"]), re.I), tuple(t["examples"]))
        for t in tomllib.loads(text)[table]
    )
