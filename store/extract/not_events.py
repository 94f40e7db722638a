"""Why a clause that reads like an event is none: each reason a named check.

A check takes the clause's reading and says whether it is no event; `why_not_an_event` names
the first that does. A new "not an event" rule is a new check here, or a new row of
data/not_events.toml when it is a matter of words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from store.extract.lexicon import phrase_rules
from store.extract.prefilter import AnyOf
from store.extract.reading import Reading
from store.extract.rules import Rules

BACKGROUND = phrase_rules("not_events.toml", "background")
# Any row's pattern: each pattern runs only where a word it needs is (prefilter.AnyOf).
_BACKGROUND = AnyOf(b.pattern.pattern for b in BACKGROUND)
NAMED = phrase_rules("not_events.toml", "named")
_NAMED = AnyOf(n.pattern.pattern for n in NAMED)
_SINCE_THE_WAR = re.compile(
    r"\bsince\s+(?:february\s+24|24\s+february|the\s+(?:war|invasion)\s+(?:began|started)"
    r"|the\s+(?:start|beginning)\s+of|the\s+(?:full-scale\s+|russian\s+)?invasion)",
    re.I,
)
_FIGURE = re.compile(r"\b\d")
# "For the first time since the beginning of the aggression, Russian troops have attacked
# Mariupol with Tu-22M3 bombers": a first since the war began is a happening, not a count.
_FIRST_SINCE = re.compile(r"\bfirst\s+(?:\w+\s+)?since\b", re.I)
# "... have shelled a consulate and an OSCE office": what was done since, told as a record
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:\w+\s+)?\w+ed\b", re.I)
_PAST_YEAR = re.compile(r"\b(?:in|since|of)\s+((?:19|20)\d\d)\b")
# "killed during the occupation, street fighting and shelling", "during the battles for the
# city": a period of the war, not one happening
_OVER_A_PERIOD = re.compile(
    r"\b(?:during|throughout|over)\s+(?:the\s+)?(?:month\s+of\s+|weeks\s+of\s+)?"
    r"(?:occupation|fighting|battles?|hostilities|siege)\b",
    re.I,
)
_GOES_ON = re.compile(r"\bcontinu\w*\s+(?:\w+\s+){0,2}?(?:offensive|advance|assault)s?\b", re.I)


def no_kind(reading: Reading, published: date | None, rules: Rules) -> bool:
    return reading.kind is None


def no_place(reading: Reading, published: date | None, rules: Rules) -> bool:
    return not reading.places


def background(reading: Reading, published: date | None, rules: Rules) -> bool:
    """Looking back, reacting, forecasting (data/not_events.toml)."""
    return _BACKGROUND.search(reading.clause.text)


def named_happening(reading: Reading, published: date | None, rules: Rules) -> bool:
    """A reaction to a happening named as a known story ("after Bucha killings"), with no
    figures of its own (data/not_events.toml, `named`)."""
    return not reading.has_figures and _NAMED.search(reading.clause.text)


def history(reading: Reading, published: date | None, rules: Rules) -> bool:
    """ "in 2014": history told as background."""
    years = [int(y) for y in _PAST_YEAR.findall(reading.clause.text)]
    return published is not None and any(y < published.year for y in years)


def after_publication(reading: Reading, published: date | None, rules: Rules) -> bool:
    """A date after publication is a plan or a forecast, not an event."""
    day = reading.when.value
    return bool(day and published and (day - published).days > rules.plan_horizon_days)


def running_total(reading: Reading, published: date | None, rules: Rules) -> bool:
    """ "Since February 24, 300 civilians have been killed in Chernihiv", "200-300 civilians
    killed during fighting in Irpin": a count since the war began, or over a town's weeks of
    fighting, not a happening (a clause with "since the invasion" and no figure may be one:
    "the first city to fall since the invasion began")."""
    text = reading.clause.text
    since = _SINCE_THE_WAR.search(text)
    if since:
        return bool(
            (_FIGURE.search(text) or _PERFECT.search(text))
            and not _FIRST_SINCE.search(text, 0, since.end())
        )
    # "200-300 civilians killed under shelling, during fighting in Irpin": a town's hundreds
    # killed over its weeks of fighting or occupation, told with no day, are a count so far
    killed = reading.casualties.killed
    many = killed is not None and (killed.high or killed.low or 0) >= rules.period_total_killed
    return many and reading.when.precision != "day" and bool(_OVER_A_PERIOD.search(text))


def front_wide(reading: Reading, published: date | None, rules: Rules) -> bool:
    """ "continue to repel attacks in the Donetsk and Luhansk directions", "goes on offensive
    in Kharkiv, Luhansk, Donetsk regions", "continues offensive in Donetsk and Luhansk
    regions": a summary of a front, with no settlement where anything happened."""
    places = reading.places
    if all(m.how == "direction" for m in places):
        return True
    if not _regions_only(reading):
        return False  # a town is named: something happened there
    # "Russia continues offensive in Donetsk and Luhansk regions": an offensive goes on, no
    # happening is told
    return len(places) >= rules.front_wide_regions or bool(_GOES_ON.search(reading.clause.text))


def national_tally(reading: Reading, published: date | None, rules: Rules) -> bool:
    """A nationwide running total is no event in a place, nor is a region's count of
    hundreds killed that names no town and no day ("Russian military killed about 900
    civilians in Kyiv region - police")."""
    if reading.casualties.tally and not reading.named:
        return True
    killed = reading.casualties.killed
    many = killed is not None and (killed.low or killed.high or 0) >= rules.regional_total_killed
    return many and _regions_only(reading) and reading.when.precision != "day"


def _regions_only(reading: Reading) -> bool:
    """The clause names places, and every one is a region: no town where it happened."""
    return bool(reading.places) and all(m.place.kind == "oblast" for m in reading.places)


CHECKS: tuple[Callable[[Reading, date | None, Rules], bool], ...] = (
    no_kind,
    no_place,
    background,
    named_happening,
    history,
    after_publication,
    national_tally,
    running_total,
    front_wide,
)


def counts_or_looks_back(reading: Reading, published: date | None, rules: Rules) -> bool:
    """A count since the war began, a nationwide tally or another year's history, whatever
    its words of events: what a story that tells nothing else at its place is about."""
    return bool(reading.places) and (
        running_total(reading, published, rules)
        or national_tally(reading, published, rules)
        or history(reading, published, rules)
    )


def why_not_an_event(reading: Reading, published: date | None, rules: Rules) -> str | None:
    """The name of the first check that finds the reading is no event, or None for an event."""
    for check in CHECKS:
        if check(reading, published, rules):
            return check.__name__
    return None
