"""Which event a new mention tells: the one its own key names, or one already told that it is
another report of.

A mention's key (store.cluster.candidate_key) is its place, day, kind family and target. Two
reports of one happening often differ in one of those, and the rules below say when that still
makes them one happening, each with the reports that justify it:

- "Kramatorsk attack kills 50" (no target, no day: dated by its publication) is the strike on
  the railway station of the day before that killed 50: a report that does not say when or what
  was hit follows up the event of the day before whose figure it gives;
- "The death toll from the attack on the Kramatorsk train station has risen to 59" (published six
  days later) is that strike: the same named target within `follow_up_days`;
- a report of the same target the day after an event many sources told is that event (a
  weekday read a day off, the aftermath told as the news of the day);
- "Russian forces attacked the railway station" and "a missile hit the railway station" the same
  day are one happening: a bare "attack" (read as a clash or an attack on civilians) is
  compatible with any violent kind when the target agrees;
- "A missile struck Kramatorsk" the same day as "the strike on the railway station": a report
  with no target joins the one with a target, when it does not give its own day (it repeats the
  news) or shares its figures, and gives no figures the event does not have.

What never joins: two different named targets (the station and a hospital), a report that gives
its own day at another day, a report with no target and its own day and figures of its own (the
coded ACLED notes are all of that kind, and each is a distinct event).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.extract.taxonomy import family

# What a bare "attack" is read as: it says nothing of the weapon, so it agrees with any.
GENERIC_KINDS = frozenset({"Armed clash", "Attack"})
VIOLENT_KINDS = GENERIC_KINDS | {
    "Shelling/artillery/missile attack",
    "Air/drone strike",
    "Looting/property destruction",
}


@dataclass(frozen=True)
class IdentityRules:
    # The Mariupol theatre's toll was published nine days after the strike.
    follow_up_days: int = 10
    # A report with no target follows up only an event of that day or the day before...
    untargeted_follow_up_days: int = 1
    # A report of the same target the next day follows up only an event this many told.
    big_event_sources: int = 3


IDENTITY_RULES = IdentityRules()


@dataclass(frozen=True)
class Joined:
    key: str
    # Which rule joined it (the `joined.*` strings of bot.catalogue say it to users):
    # target.same_day | target.later | target.day_before | no_target.same_day | follow_up
    why: str


def window(day: date, rules: IdentityRules = IDENTITY_RULES) -> tuple[date, date]:
    """The days of the events a mention of `day` may join."""
    return day - timedelta(days=rules.follow_up_days), day


def kinds_agree(a: str, b: str) -> bool:
    """Same family, or a bare "attack" and any violent kind."""
    if family(a) == family(b):
        return True
    return (a in GENERIC_KINDS or b in GENERIC_KINDS) and a in VIOLENT_KINDS and b in VIOLENT_KINDS


def _shares_figure(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """A figure of the mention is the event's, or within the range its sources give."""
    for name in ("killed", "injured"):
        value, low = mention[f"{name}_low"], event[f"{name}_low"]
        if value is None or low is None:
            continue
        if low <= value <= (event[f"{name}_high"] or low):
            return True
    return False


def _why(mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules) -> str | None:
    """Why the mention is a report of the event, or None when it is not."""
    if mention["event_key"] == event["key"]:
        return "same"
    if not kinds_agree(mention["sub_event_type"], event["sub_event_type"]):
        return None
    day, event_day = date.fromisoformat(mention["date"]), date.fromisoformat(event["date"])
    undated = mention["date_precision"] == "approximate"
    target = mention["target"]
    if target and target == event["target"]:
        if event_day == day:
            return "target.same_day"
        if undated and event_day < day:
            return "target.later"
        # "Saturday" in a story of the day after: a big event's target the next day is it.
        big = event["n_sources"] >= rules.big_event_sources
        if big and (day - event_day).days == 1:
            return "target.day_before"
        return None
    if target or event_day > day:
        return None
    # With no target, figures of its own that the event does not have make it another
    # happening, or a toll of the whole city ("1,582 civilians killed in Mariupol so far").
    shared = _shares_figure(mention, event)
    if _has_figures(mention) and not shared:
        return None
    if event_day == day and event["target"] and (undated or shared):
        return "no_target.same_day"
    # A besieged city has news every day that names no happening ("air strikes are hitting the
    # centre of Mariupol" the day after the maternity hospital): a report with no day and no
    # target follows up an event of the day before only when it gives the event's figure.
    recent = (day - event_day).days <= rules.untargeted_follow_up_days
    if undated and recent and shared:
        return "follow_up"
    return None


def _has_figures(mention: Mapping[str, Any]) -> bool:
    return mention["killed_low"] is not None or mention["injured_low"] is not None


def resolve(
    mention: Mapping[str, Any],
    nearby: Sequence[Mapping[str, Any]],
    rules: IdentityRules = IDENTITY_RULES,
) -> Joined | None:
    """The event among `nearby` (events of the mention's place in its `window`) that the
    mention reports, or None for the event its own key names. Of several, the one with the
    mention's target, then one with a target, then the same day, then the most sources."""
    if mention["date"] is None:
        return None
    own = next((e for e in nearby if e["key"] == mention["event_key"]), None)
    if own is not None and own.get("date_precision") == "day" and not mention["target"]:
        # Another report gave this happening a day of its own ("paratroopers landed in Kharkiv
        # on Wednesday"): it is not the targeted event beside it ("attacked a hospital").
        return None
    found = [(event, why) for event in nearby if (why := _why(mention, event, rules))]
    if not found:
        return None
    event, why = max(
        found,
        key=lambda pair: (
            bool(mention["target"]) and pair[0]["target"] == mention["target"],
            bool(pair[0]["target"]),
            pair[0]["date"] == mention["date"],
            pair[0]["n_sources"],
            pair[0]["key"] == mention["event_key"],
        ),
    )
    if event["key"] == mention["event_key"]:
        return None
    return Joined(event["key"], why)
