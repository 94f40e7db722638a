"""Candidates from many articles become one event per (place, day, happening, target)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from store.extract.casualties import TOLL_UPDATE
from store.extract.rules import is_trusted
from store.extract.sentences import clean_summary
from store.extract.taxonomy import family
from store.models import Candidate, Count

# A bare "attack" is read as a clash: beside reports that name the weapon of the same happening
# (store.identity joins them), it is the least informative word.
_SUB_TYPE_WEIGHT = {
    # a rally the forces broke up is that, however many reports told only the rally
    "Peaceful protest": 0.9,
    "Looting/property destruction": 0.1,
    "Armed clash": 0.3,
    "Shelling/artillery/missile attack": 1.01,
}
_PRECISION_ORDER = {"day": 0, "approximate": 1, "unknown": 2}
_PLACE_ORDER = {"exact": 0, "oblast": 1, "inferred": 2, "country": 3}


def event_key(
    place_id: int, day: str | None, sub_event_type: str, target: str, sentence: str = ""
) -> str:
    """The identity of a happening: where, which day, what kind, against what."""
    return f"{place_id}|{day or 'unknown'}|{family(sub_event_type, sentence)}|{target}"


def candidate_key(candidate: Candidate) -> str:
    # An approximate date never joins a neighbouring day's event: that would move a figure to
    # a day no source gave it.
    day = candidate.date.value
    return event_key(
        candidate.place.id,
        day.isoformat() if day else None,
        candidate.sub_event_type,
        candidate.target,
        candidate.sentence,
    )


def mention_row(candidate: Candidate, key: str) -> dict[str, Any]:
    """The database row of one candidate, as `mentions` stores it."""
    row: dict[str, Any] = {
        "event_key": key,
        "article_id": candidate.article_id,
        "sentence": candidate.sentence,
        "start": candidate.start,
        "end": candidate.end,
        "date": candidate.date.value.isoformat() if candidate.date.value else None,
        "date_precision": candidate.date.precision,
        "date_phrase": candidate.date.phrase,
        "place_id": candidate.place.id,
        "place_precision": candidate.place_precision,
        "event_type": candidate.event_type,
        "sub_event_type": candidate.sub_event_type,
        "target": candidate.target,
        "actor1": candidate.actor1,
        "actor2": candidate.actor2,
        "victims": candidate.victims,
        "claimed_by": candidate.claimed_by,
        "is_claim": int(candidate.is_claim),
        "confidence": candidate.confidence,
        # Why the mention joined an event of another key (store.identity), "" when it did not.
        "joined": "",
    }
    for name in ("killed", "injured"):
        count: Count | None = getattr(candidate, name)
        row[f"{name}_low"] = count.low if count else None
        row[f"{name}_high"] = count.high if count else None
        row[f"{name}_qualifier"] = count.qualifier if count else None
    return row


def _shown_figure(
    name: str, qualifiers: set[str], low: int | None, high: int | None
) -> dict[str, Any]:
    """The figure shown from the qualifiers the sources give and the least and greatest of
    their numbers (None when none gives a number)."""
    if not qualifiers:
        return {f"{name}_low": None, f"{name}_high": None, f"{name}_qualifier": None}
    if low is None:
        return {f"{name}_low": None, f"{name}_high": None, f"{name}_qualifier": "vague"}
    numeric = qualifiers - {"vague"}
    if numeric == {"up_to"}:
        # "up to 50" is a ceiling, never a count: there is no lower bound to show.
        return {f"{name}_low": None, f"{name}_high": high, f"{name}_qualifier": "up_to"}
    if numeric == {"at_least"}:
        qualifier = "at_least"
    elif "approximate" in numeric:
        qualifier = "approximate"
    else:
        qualifier = "exact"
    if qualifier == "at_least" and low == high:
        high = None
    return {f"{name}_low": low, f"{name}_high": high, f"{name}_qualifier": qualifier}


def _numbers(mention: dict[str, Any], name: str) -> list[int]:
    return [v for v in (mention[f"{name}_low"], mention[f"{name}_high"]) if v is not None]


def merge_figures(mentions: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """One figure from every source's: a range when they disagree, never one picked silently."""
    given = [m for m in mentions if m[f"{name}_qualifier"]]
    numbers = [v for m in given for v in _numbers(m, name)]
    return _shown_figure(
        name,
        {m[f"{name}_qualifier"] for m in given},
        min(numbers, default=None),
        max(numbers, default=None),
    )


def _first_most(weights: dict[str, float]) -> str:
    """The value of the greatest weight, the first seen among equals (as Counter.most_common)."""
    return max(weights.items(), key=lambda kv: kv[1])[0] if weights else ""


def _day_order(day: str | None) -> tuple[bool, str]:
    return (day is None, day or "")


_VOTED = ("target", "actor1", "actor2", "victims")


@dataclass
class Tally:
    """What an event keeps of its mentions so that a new one is added without reading the
    others (events.tally, as JSON): for each merged column, what it is decided from. Folding
    mentions in id order gives the event that merging all of them at once gives."""

    # Whether the folded mentions are the trusted ones (else none is trusted yet).
    trusted: bool = False
    mentions: int = 0
    articles: int = 0
    # (confidence, no claim, gives a figure, -start) of the summary's mention.
    best: list[Any] = field(default_factory=list)
    # "event_type|sub_event_type" -> the sub-type's weight summed over the mentions.
    kinds: dict[str, float] = field(default_factory=dict)
    # target, actor1, actor2, victims -> each value given -> how many mentions give it.
    votes: dict[str, dict[str, int]] = field(default_factory=lambda: {f: {} for f in _VOTED})
    claimants: list[str] = field(default_factory=list)
    # The earliest day of the mentions dated to the day (has_day), and of any mention.
    has_day: bool = False
    day: str | None = None
    any_day: str | None = None
    date_precision: str = ""
    place_precision: str = ""
    is_claim: bool = True
    # killed, injured -> [published, qualifiers, least number, greatest number, revised, article]
    # of the mentions published last that give the figure (revised: by a toll update that day;
    # article: the one article that gave it so far, else ""), or None.
    figures: dict[str, list[Any] | None] = field(
        default_factory=lambda: {"killed": None, "injured": None}
    )

    def dumps(self) -> str:
        # The fields in their order, without their names: half the bytes of an object.
        return json.dumps(list(self.__dict__.values()), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> Tally:
        return cls(*json.loads(text))

    def add(self, m: dict[str, Any], batch: set[str]) -> bool:
        """Fold one mention in (`batch`: the articles already counted in this merge); True
        when its sentence is now the summary."""
        if not is_trusted(m["confidence"]):
            if self.trusted:
                return False
        elif not self.trusted:
            # The first trusted mention: from now on the event is told from those only (an
            # event the user asked to see below the cut still has its sources until then).
            vars(self).update(vars(Tally(trusted=True)))
            batch.clear()
        first = self.mentions == 0
        self.mentions += 1
        if m["article_id"] not in batch:
            batch.add(m["article_id"])
            self.articles += 1
        # Within the "strike" family, the sub-type most sources use wins; "destroyed" alone is
        # the least informative, so it only wins when nothing else is said, and a tie between
        # shelling and an air strike goes to shelling, the commoner in this war's reporting.
        kind = f"{m['event_type']}|{m['sub_event_type']}"
        self.kinds[kind] = self.kinds.get(kind, 0) + _SUB_TYPE_WEIGHT.get(m["sub_event_type"], 1.0)
        for name in _VOTED:
            if value := m[name]:
                self.votes[name][value] = self.votes[name].get(value, 0) + 1
        if m["claimed_by"] and m["claimed_by"] not in self.claimants:
            self.claimants.append(m["claimed_by"])
        # The event keeps its own day: a follow-up dated only by its publication does not move it.
        if m["date_precision"] == "day" and (
            not self.has_day or _day_order(m["date"]) < _day_order(self.day)
        ):
            self.has_day, self.day = True, m["date"]
        if first or _day_order(m["date"]) < _day_order(self.any_day):
            self.any_day = m["date"]
        precision = m["date_precision"]
        if first or _PRECISION_ORDER[precision] < _PRECISION_ORDER[self.date_precision]:
            self.date_precision = precision
        place = m["place_precision"]
        if first or _PLACE_ORDER.get(place, 9) < _PLACE_ORDER.get(self.place_precision, 9):
            self.place_precision = place
        self.is_claim = self.is_claim and bool(m["is_claim"])
        for name in ("killed", "injured"):
            self._add_figure(m, name)
        # The summary is the surest sentence, and among equals one that is no side's claim
        # (Reuters' account beside a party outlet's) and one that gives the figures shown.
        rank = [
            m["confidence"],
            not m["is_claim"],
            m["killed_low"] is not None or m["injured_low"] is not None,
        ]
        rank.append(-m["start"])
        if first or rank > self.best:
            self.best = rank
            return True
        return False

    def _add_figure(self, m: dict[str, Any], name: str) -> None:
        """The figure shown is that of the reports published last: a toll that rises in later
        reports is a revision ("30 killed" on the day, "57" the next), not sources that
        disagree; a range is shown only when reports of one day differ."""
        qualifier = m[f"{name}_qualifier"]
        if not qualifier:
            return
        published, numbers = m.get("published") or "", _numbers(m, name)
        low, high = min(numbers, default=None), max(numbers, default=None)
        shown = self.figures[name]
        # "Kyiv airstrike update: death toll grows to five" beside the morning's "2 killed":
        # the same day's revision, not two sources that disagree
        revised = bool(TOLL_UPDATE.search(m.get("sentence") or ""))
        article = m["article_id"]
        if shown is None or published > shown[0]:
            # "Pregnant woman, injured in the airstrike, dies" days after "at least 17 injured":
            # one victim's story, not a toll that fell
            fewer = shown is not None and high is not None and high < (shown[2] or 0)
            if not fewer or revised:
                self.figures[name] = [published, [qualifier], low, high, revised, article]
        elif revised and published == shown[0] and (low or 0) >= (shown[3] or 0):
            self.figures[name] = [published, [qualifier], low, high, True, article]
        elif published == shown[0] and shown[5:6] == [article]:
            # One article's own figures are one report: "Shelling injures three children" over
            # "Seven civilians, including three children, were injured" is a part of the whole.
            if high is not None and high > (shown[3] or 0):
                self.figures[name] = [published, [qualifier], low, high, shown[4], article]
        elif published == shown[0] and shown[4:5] != [True]:
            shown[5:] = [""]
            if qualifier not in shown[1]:
                shown[1].append(qualifier)
            if low is not None:
                shown[2] = low if shown[2] is None else min(shown[2], low)
                shown[3] = high if shown[3] is None else max(shown[3], high)

    def columns(self) -> dict[str, Any]:
        """The event's merged columns but its summary and place (its best mention's)."""
        event_type, sub_event_type = _first_most(self.kinds).split("|", 1)
        event = {
            "date": self.day if self.has_day else self.any_day,
            "date_precision": self.date_precision,
            "place_precision": self.place_precision,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            **{name: _first_most(self.votes[name]) for name in _VOTED},
            "claimed_by": "; ".join(self.claimants),
            "is_claim": int(self.is_claim),
            "confidence": round(min(1.0, self.best[0] + 0.05 * (self.articles - 1)), 2),
            "n_sources": self.articles,
        }
        for name, shown in self.figures.items():
            if shown is None:
                event.update(_shown_figure(name, set(), None, None))
            else:
                event.update(_shown_figure(name, set(shown[1]), shown[2], shown[3]))
        return event


def merge_mentions(
    key: str, mentions: list[dict[str, Any]], event: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The event that a group of mentions with one key tells, with every source kept.

    The mentions come in the order they were stored (by id). With `event`, a row this function
    returned (its `tally`, summary and place), they are later reports of articles the event
    does not have yet, and the result is the event of all its mentions, read from the tally
    instead of the earlier mentions: the cost of a new source does not grow with the others.
    """
    tally = Tally.loads(event["tally"]) if event else Tally()
    best = None
    batch: set[str] = set()
    for m in mentions:
        if tally.add(m, batch):
            best = m
    merged = {"key": key, **tally.columns()}
    if best is not None:
        merged["summary"], merged["place_id"] = clean_summary(best["sentence"]), best["place_id"]
    elif event is not None:
        merged["summary"], merged["place_id"] = event["summary"], event["place_id"]
    merged["tally"] = tally.dumps()
    return merged
