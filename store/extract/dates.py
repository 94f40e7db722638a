"""Dates in news text, resolved against the article's publication date.

We find date phrases ourselves with regular expressions and use dateparser only to normalise an
explicit phrase we found ("2 March", "March 3, 2022"): dateparser's own search finds junk and
resolves weekdays to the wrong week, so it never decides which day a weekday means.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from store.extract.lexicon import (
    MONTH_NAME,
    REPORT_VERB,
    WEEKDAY,
    WEEKDAYS,
    ascii_lower,
    may_contain,
)
from store.extract.rules import RULES, Rules
from store.models import ResolvedDate

UNKNOWN = ResolvedDate(None, "unknown")

_MONTH = rf"{MONTH_NAME}\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

# Order matters: the first pattern that matches a span wins. Each comes with words one of which
# every match contains (lower case; the digits for the dated shapes): a pattern runs only on text
# that has one (lexicon.may_contain), and most sentences have none.
_DIGITS = tuple("0123456789")
_PATTERNS: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("iso", re.compile(r"\b(20\d\d)-([01]\d)-([0-3]\d)\b"), _DIGITS),
    # "05.04.22 17:00 - ..." stamps when a wire posted the item, not when anything happened.
    (
        "dotted",
        re.compile(r"\b([0-3]?\d)[./]([01]?\d)[./](20\d\d|\d\d)\b(?!\s+\d\d?:\d\d)"),
        _DIGITS,
    ),
    (
        "explicit",
        re.compile(
            rf"\b(?:{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+20\d\d)?"
            rf"|{_MONTH}\s+{_DAY}(?:,?\s+20\d\d)?)(?![\w-])",
        ),
        _DIGITS,
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:last|this|early|late)\s+)?({WEEKDAY})(?:'s)?"
            r"(?:\s+(?:night|morning|evening|afternoon))?\b",
            re.I,
        ),
        # (the day's name, rarer than "day": "today", "Sunday" are in half the sentences)
        WEEKDAYS,
    ),
    (
        "yesterday",
        re.compile(r"\b(?:yesterday|last\s+(?:night|evening))\b", re.I),
        ("yesterday", "night", "evening"),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|overnight"
            r"|in\s+the\s+(?:last|past)\s+24\s+hours)\b",
            re.I,
        ),
        ("today", "night", "this", "24"),
    ),
    ("days_ago", re.compile(r"\b(two|three|four|five|six|\d)\s+days\s+ago\b", re.I), ("ago",)),
    (
        "day_before",
        re.compile(
            r"\b(?:a\s+day\s+(?:before|earlier|after)|the\s+(?:previous|day\s+before)\s*day?"
            r"|the\s+day\s+before)\b",
            re.I,
        ),
        # (not "day": "the previous da" matches, "day?" leaving the y optional)
        ("before", "earlier", "after", "previous"),
    ),
    (
        "vague",
        re.compile(
            r"\b(?:earlier(?:\s+(?:this|in\s+the)\s+week)?|last\s+week|recent\s+days"
            r"|in\s+recent\s+days|this\s+week)\b",
            re.I,
        ),
        ("earlier", "week", "recent"),
    ),
]

# Every pattern above needs one of these (a digit for the dated ones): for non-ASCII text, which
# `may_contain` cannot read, one search is cheaper than the nine.
_ANY_DATE_WORD = re.compile(r"\d|day|night|morning|afternoon|evening|earlier|week", re.I)

_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_PARSER_SETTINGS = {
    # The year is ours to decide (see resolve_phrase): "past" would move "March 30" in a
    # March 29 article to the year before.
    "PREFER_DATES_FROM": "current_period",
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month"],
    "PREFER_DAY_OF_MONTH": "first",
}
_PARSER = DateDataParser(languages=["en"], settings=_PARSER_SETTINGS)
# The shapes our explicit pattern finds, tried by dateparser as strptime formats first: 0.02 ms
# a phrase instead of 0.6 ms through its language machinery, which still takes "Sept 5", "Mar. 5".
_FORMATS = ["%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y"]


def _normalise(phrase: str, published: date | None) -> date | None:
    """An explicit phrase as a date; a phrase without a year takes the publication's year.

    The cache key is the phrase with its year, not the publication day, so "March 2" costs
    one dateparser call per year of articles rather than one per publication day.
    """
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", phrase)
    cleaned = " ".join(re.sub(r"\bof\b", " ", cleaned).replace(",", " ").split())
    # "28 April. 2022", "Mar. 5": without the dot the strptime formats read it (0.02 ms), with
    # it dateparser's language machinery does (~4 ms, and ~300 ms to build it on first use).
    cleaned = re.sub(r"(?<=[A-Za-z])\.", "", cleaned)
    if not re.search(r"\b\d{4}\b", cleaned):
        if published is None:
            return None
        cleaned = f"{cleaned} {published.year}"
    return _parse(cleaned)


@lru_cache(maxsize=8192)
def _parse(cleaned: str) -> date | None:
    parsed = _PARSER.get_date_data(cleaned, date_formats=_FORMATS).date_obj
    return parsed.date() if parsed else None


def latest_weekday(weekday: str, published: date) -> date:
    """The latest day with that name on or before publication: news reports the past week."""
    wanted = WEEKDAYS.index(weekday.lower())
    return published - timedelta(days=(published.weekday() - wanted) % 7)


# (sentences repeat: see casualties.find_casualties)
@lru_cache(maxsize=8192)
def find_date_phrases(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(kind, phrase, start, end) for each date phrase in text, in order, spans not overlapping."""
    found: list[tuple[str, str, int, int]] = []
    lowered = ascii_lower(text)
    if lowered is None and not _ANY_DATE_WORD.search(text):
        return ()
    taken: list[tuple[int, int]] = []
    for kind, pattern, words in _PATTERNS:
        if not may_contain(lowered, words):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            found.append((kind, m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    return tuple(sorted(found, key=lambda f: f[2]))


def resolve_phrase(
    kind: str, phrase: str, published: date | None, in_force: ResolvedDate, rules: Rules = RULES
) -> ResolvedDate:
    """The day a phrase means, given publication and the date the text is currently about."""
    if kind in ("iso", "dotted", "explicit"):
        if kind == "dotted":
            day, month, year = re.split(r"[./]", phrase)
            year = year if len(year) == 4 else f"20{year}"
            try:
                return ResolvedDate(date(int(year), int(month), int(day)), "day", phrase)
            except ValueError:
                return UNKNOWN
        value = _normalise(phrase, published)
        if value is None:
            return UNKNOWN
        far_ahead = published is not None and (value - published).days > rules.year_back_days
        if far_ahead and not re.search(r"20\d\d", phrase):
            # "December 25" in a March article is last December; "May 9" in April is a plan.
            value = value.replace(year=value.year - 1)
        return ResolvedDate(value, "day", phrase)
    if published is None:
        if kind in ("day_before", "vague") and in_force.value is not None:
            shift = 1 if kind == "day_before" else 0
            return ResolvedDate(in_force.value - timedelta(days=shift), "approximate", phrase)
        return ResolvedDate(None, "unknown", phrase)
    if kind == "weekday":
        name = re.search(WEEKDAY, phrase, re.I)
        assert name is not None
        return ResolvedDate(latest_weekday(name.group(0), published), "day", phrase)
    if kind == "yesterday":
        return ResolvedDate(published - timedelta(days=1), "day", phrase)
    if kind == "today":
        return ResolvedDate(published, "day", phrase)
    if kind == "days_ago":
        n = phrase.split()[0].lower()
        days = _SMALL_NUMBERS.get(n) or int(n)
        return ResolvedDate(published - timedelta(days=days), "day", phrase)
    base = in_force.value or published
    if kind == "day_before":
        precision = "day" if in_force.precision == "day" else "approximate"
        return ResolvedDate(base - timedelta(days=1), precision, phrase)
    return ResolvedDate(base, "approximate", phrase)


# Phrases that move the story's clock; "a day after", "earlier" and a report's own day do not.
_SETS_CLOCK = {"iso", "dotted", "explicit", "weekday", "yesterday", "today", "days_ago"}


def date_of_sentence(
    sentence: str, published: date | None, in_force: ResolvedDate, rules: Rules = RULES
) -> tuple[ResolvedDate, bool, bool]:
    """(date of this sentence's event, is it only the day it was reported, does it set the clock).

    The first date phrase of the sentence names when its event happened; a sentence without one
    inherits the date in force. In "said on Wednesday that ... on Tuesday" the event's own date
    is the later phrase; "claimed Wednesday that ..." alone names the reporting day, which the
    caller may refine from the next sentence ("Tuesday's strike").
    """
    phrases = find_date_phrases(sentence)
    if not phrases:
        return in_force, False, False
    for kind, phrase, start, end in phrases:
        reported = _REPORT_VERB.search(
            sentence[max(0, start - rules.report_verb_reach) : start]
        ) or _REPORT_AFTER.match(sentence, end)
        if not reported:
            value = resolve_phrase(kind, phrase, published, in_force, rules)
            return value, False, kind in _SETS_CLOCK and value.value is not None
    kind, phrase, _, _ = phrases[0]
    return resolve_phrase(kind, phrase, published, in_force, rules), True, False


# (a live blog's "Ukraine news from March 20:" dates its digest, as "said on" dates a report)
_REPORT_VERB = re.compile(rf"\b(?:{REPORT_VERB}\s+(?:on\s+)?|news\s+from\s+)$", re.I)
_REPORT_AFTER = re.compile(rf",?\s+{REPORT_VERB}\b", re.I)
_BACK_REFERENCE = re.compile(
    rf"\b({WEEKDAY}|yesterday)'s\s+(?:\w+\s+)?(?:strike|attack|shelling|bombing|airstrike"
    r"|missile|assault)",
    re.I,
)


def back_reference(sentence: str, published: date | None) -> ResolvedDate | None:
    """The day named by "Tuesday's strike" in a sentence that refers back to an event."""
    m = _BACK_REFERENCE.search(sentence)
    if m is None or published is None:
        return None
    word = m.group(1)
    kind = "yesterday" if word.lower() == "yesterday" else "weekday"
    return resolve_phrase(kind, word, published, UNKNOWN)


def _real_date(year: int, month: int, day: int) -> date | None:
    """None for a date that does not exist (2022-02-30): a typo must not stop indexing."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def publication_in_text(text: str) -> date | None:
    """A publication date written in an article: a `date YYYY-MM-DD` header or a dated lead."""
    head = text.lstrip()[: RULES.publication_head_chars]
    m = re.match(r"date\s+(20\d\d)-([01]\d)-([0-3]\d)\b", head, re.I)
    if m:
        return _real_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.match(r"([0-3]\d)\.([01]\d)\.(\d\d)\s+[0-2]\d:[0-5]\d\b", head)
    if m:
        return _real_date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for kind, phrase, _, _ in find_date_phrases(text[: RULES.publication_search_chars]):
        if kind in ("iso", "explicit") and re.search(r"20\d\d", phrase):
            value = _normalise(phrase, None)
            if value is not None:
                return value
    return None


# "Ukraine news from March 20: ...": a live blog's digest, labelled with the site's own day.
_DIGEST_LABEL = re.compile(rf"\b[Nn]ews\s+from\s+({MONTH_NAME}\s+\d{{1,2}})\s*:")


def digest_day(text: str, published: date | None, rules: Rules = RULES) -> date | None:
    """The day an article is published on, as its own digest label says: "Ukraine news from
    March 20: ... Moscow bombs Mariupol art school" stamped the 19th is the digest of the 20th
    stamped in another time zone, and its news is of the 20th or the night before."""
    if published is None:
        return None
    m = _DIGEST_LABEL.search(text, 0, rules.publication_search_chars)
    value = _normalise(m.group(1), published) if m else None
    if value is not None and 0 < (value - published).days <= rules.plan_horizon_days:
        return value
    return published


def publication_phrase_date(value: date | None) -> ResolvedDate:
    """The date in force at the start of an article: its publication day, approximately."""
    return ResolvedDate(value, "approximate" if value else "unknown", "published")


def normalise_date_phrase(phrase: str, base: date) -> date | None:
    """A date a user typed ("2 March 2022", "March 2"), read relative to `base`."""
    return _normalise(phrase, base)
