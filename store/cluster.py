"""Candidates from many articles become one event per (place, day, happening, target)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from store.extract.rules import trusted as trusted_mentions
from store.extract.sentences import clean_summary
from store.extract.taxonomy import family
from store.models import Candidate, Count

# A bare "attack" is read as a clash: beside reports that name the weapon of the same happening
# (store.identity joins them), it is the least informative word.
_SUB_TYPE_WEIGHT = {
    "Looting/property destruction": 0.1,
    "Armed clash": 0.3,
    "Shelling/artillery/missile attack": 1.01,
}
_PRECISION_ORDER = {"day": 0, "approximate": 1, "unknown": 2}
_PLACE_ORDER = {"exact": 0, "oblast": 1, "inferred": 2, "country": 3}


def event_key(place_id: int, day: str | None, sub_event_type: str, target: str) -> str:
    """The identity of a happening: where, which day, what kind, against what."""
    return f"{place_id}|{day or 'unknown'}|{family(sub_event_type)}|{target}"


def candidate_key(candidate: Candidate) -> str:
    # An approximate date never joins a neighbouring day's event: that would move a figure to
    # a day no source gave it.
    day = candidate.date.value
    return event_key(
        candidate.place.id,
        day.isoformat() if day else None,
        candidate.sub_event_type,
        candidate.target,
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


def merge_figures(mentions: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """One figure from every source's: a range when they disagree, never one picked silently."""
    numbers: list[int] = []
    qualifiers: set[str] = set()
    for m in mentions:
        qualifier = m[f"{name}_qualifier"]
        if not qualifier:
            continue
        qualifiers.add(qualifier)
        numbers.extend(v for v in (m[f"{name}_low"], m[f"{name}_high"]) if v is not None)
    if not qualifiers:
        return {f"{name}_low": None, f"{name}_high": None, f"{name}_qualifier": None}
    if not numbers:
        return {f"{name}_low": None, f"{name}_high": None, f"{name}_qualifier": "vague"}
    numeric = qualifiers - {"vague"}
    if numeric == {"up_to"}:
        # "up to 50" is a ceiling, never a count: there is no lower bound to show.
        return {f"{name}_low": None, f"{name}_high": max(numbers), f"{name}_qualifier": "up_to"}
    if numeric == {"at_least"}:
        qualifier = "at_least"
    elif "approximate" in numeric:
        qualifier = "approximate"
    else:
        qualifier = "exact"
    low, high = min(numbers), max(numbers)
    if qualifier == "at_least":
        high = None if low == high else high
    return {f"{name}_low": low, f"{name}_high": high, f"{name}_qualifier": qualifier}


def _most_common(values: list[str]) -> str:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else ""


def merge_mentions(key: str, mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The event that a group of mentions with one key tells, with every source kept."""
    trusted = trusted_mentions(mentions)
    # The summary is the surest sentence, and among equals one that gives the figures shown.
    best = max(
        trusted,
        key=lambda m: (
            m["confidence"],
            m["killed_low"] is not None or m["injured_low"] is not None,
            -m["start"],
        ),
    )
    # Within the "strike" family, the sub-type most sources use wins; "destroyed" alone is
    # the least informative, so it only wins when nothing else is said, and a tie between
    # shelling and an air strike goes to shelling, the commoner in this war's reporting.
    weights: Counter[tuple[str, str]] = Counter()
    for m in trusted:
        weights[(m["event_type"], m["sub_event_type"])] += _SUB_TYPE_WEIGHT.get(
            m["sub_event_type"], 1.0
        )
    event_type, sub_event_type = weights.most_common(1)[0][0]
    articles = sorted({m["article_id"] for m in trusted})
    claimants = list(dict.fromkeys(m["claimed_by"] for m in trusted if m["claimed_by"]))
    # The event keeps its own day: a follow-up dated only by its publication does not move it.
    dated = [m for m in trusted if m["date_precision"] == "day"] or trusted
    event = {
        "key": key,
        "date": min(dated, key=lambda m: (m["date"] is None, m["date"] or ""))["date"],
        "date_precision": min(
            (m["date_precision"] for m in trusted), key=lambda p: _PRECISION_ORDER[p]
        ),
        "place_id": best["place_id"],
        "place_precision": min(
            (m["place_precision"] for m in trusted), key=lambda p: _PLACE_ORDER.get(p, 9)
        ),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "target": _most_common([m["target"] for m in trusted]),
        "actor1": _most_common([m["actor1"] for m in trusted]),
        "actor2": _most_common([m["actor2"] for m in trusted]),
        "victims": _most_common([m["victims"] for m in trusted]),
        "summary": clean_summary(best["sentence"]),
        "claimed_by": "; ".join(claimants),
        "is_claim": int(all(m["is_claim"] for m in trusted)),
        "confidence": round(min(1.0, best["confidence"] + 0.05 * (len(articles) - 1)), 2),
        "n_sources": len(articles),
    }
    for name in ("killed", "injured"):
        event.update(merge_figures(latest_figures(trusted, name), name))
    return event


def latest_figures(mentions: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The mentions whose `name` figure is shown: those published last. A toll that rises in
    later reports is a revision ("30 killed" on the day, "57" the next), not sources that
    disagree; a range is shown only when reports of one day differ."""
    given = [m for m in mentions if m[f"{name}_qualifier"]]
    if not given:
        return mentions
    last = max(m.get("published") or "" for m in given)
    return [m for m in given if (m.get("published") or "") == last]
