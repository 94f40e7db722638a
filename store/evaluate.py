"""Score the extractor against hand-labelled gold events: pure, no database writes.

Gold file format
----------------
JSON Lines, one article or sentence per line::

    {"id": "date-weekday-02",
     "text": "A Russian missile struck a residential area of Zhytomyr on Tuesday, ...",
     "published": "2022-03-03",
     "events": [{"place": "Zhytomyr", "date": "2022-03-01",
                 "event_type": "Explosions/Remote violence",
                 "sub_event_type": "Shelling/artillery/missile attack",
                 "killed": 2, "injured": 16,
                 "target": "residential area", "note": "why this is the answer"}],
     "note": "optional, for people"}

`published` is YYYY-MM-DD or null; `events` may be empty (a text that reports no event).
`place` is a name as people write it ("Mykolaiv", "Kharkiv Oblast"); `date` is YYYY-MM-DD;
`killed` and `injured` are the lower bound of the figure the text gives, or null when it gives
none. `target` and `note` are for readers and are not scored.

What is predicted
-----------------
Each item becomes `Article(id, text, published)` and goes through `extract_events`. Candidates
the bot hides (`store.extract.rules.is_trusted`) are dropped. The rest are merged the way
the store merges them (`store.cluster`): one predicted event per (place id, date,
`taxonomy.family(sub_event_type)`, target), its type being the one most candidates give, and
its figures the lower bound (`Count.low`, else `Count.high`) of the article's whole toll: where
its candidates differ, the greater figure is the whole and the smaller a part of it ("injuring
three children" over "seven civilians, including three children, were injured").

Matching
--------
Within one item only. A gold place is resolved with `Gazetteer.lookup` and compared by place
id, never by spelling, so "Mykolaiv" matches GeoNames' "Mykolayiv"; "Kharkiv Oblast" is the
oblast, and an oblast predicted for a gold city (or a city for a gold oblast) is a different
place. A gold name the gazetteer does not know matches no place.

Every (gold, predicted) pair is ranked by (same place, same date, same sub-event type, same
event type), compared in that order, then by same killed and same injured, which only break
ties (when the extractor splits one happening in two, the half with the figures is scored);
pairs are taken greedily from the best rank down (remaining ties in gold order, then predicted
order), each event at most once. A pair may match only if it has the same place, or the same
date and the same event type: otherwise the gold event is missed and the prediction spurious.

Scores
------
For place, date, event_type and sub_event_type, a true positive is a matched pair that agrees
on the field; precision = TP / predicted events, recall = TP / gold events, so a missed or a
spurious event counts against every field.

Killed and injured are scored only where a figure is given: TP = matched pairs with the same
non-null number; precision = TP / predicted events with a number (a wrong number, or a number
where the gold has none, is a false positive); recall = TP / gold events with a number (no
number or a wrong one is a false negative).

"overall" is event level: a predicted event is right when it is matched with the same place,
the same date and the same event type.

A ratio with nothing to divide by is 1.0 (nothing was to be found, or nothing was claimed);
F1 is 0.0 when precision and recall are both 0.

Every miss is kept in `Scores.mistakes`: missed gold events, spurious predictions, and each
field a matched pair disagrees on. `python -m store.evaluate GOLD` prints them after the table.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from store.cluster import candidate_key, mention_row, merge_mentions
from store.extract import extract_events
from store.extract.rules import is_trusted
from store.gazetteer import Gazetteer
from store.models import Article, Candidate

TYPE_FIELDS = ("place", "date", "event_type", "sub_event_type")
FIGURE_FIELDS = ("killed", "injured")
FIELDS = (*TYPE_FIELDS, *FIGURE_FIELDS)
_REQUIRED_KEYS = ("id", "text", "events")
_SENTENCE_CHARS = 90  # enough of the evidence sentence to recognise it in a mistake list


@dataclass(frozen=True)
class GoldEvent:
    place_name: str
    place_id: int | None  # None: the gazetteer does not know the name
    date: str | None
    event_type: str
    sub_event_type: str
    killed: int | None = None
    injured: int | None = None


@dataclass(frozen=True)
class PredictedEvent:
    place_id: int
    place_name: str
    date: str | None
    event_type: str
    sub_event_type: str
    killed: int | None = None
    injured: int | None = None
    target: str = ""
    sentence: str = ""


@dataclass(frozen=True)
class ItemResult:
    """One gold item's events, the predicted events, and which were matched (indices)."""

    item_id: str
    gold: list[GoldEvent]
    predicted: list[PredictedEvent]
    pairs: list[tuple[int, int]]


@dataclass(frozen=True)
class FieldScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Mistake:
    """What went wrong in one item: `field` is "missed", "spurious" or a field name."""

    item_id: str
    field: str
    expected: str
    predicted: str
    # The gold event a field mistake is about, so the line can be read on its own.
    event: str = ""


@dataclass
class Scores:
    per_field: dict[str, FieldScore]
    items: int = 0
    items_without_events: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    mistakes: list[Mistake] = field(default_factory=list)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# --- gold and predicted events -------------------------------------------------------------


def gold_events(item: dict[str, Any], gazetteer: Gazetteer) -> list[GoldEvent]:
    """The item's labelled events, each place resolved to a gazetteer id."""
    events = []
    for raw in item["events"]:
        place = gazetteer.lookup(raw["place"])
        events.append(
            GoldEvent(
                place_name=raw["place"],
                place_id=place.id if place else None,
                date=raw.get("date"),
                event_type=raw["event_type"],
                sub_event_type=raw["sub_event_type"],
                killed=raw.get("killed"),
                injured=raw.get("injured"),
            )
        )
    return events


def predicted_events(candidates: Iterable[Candidate]) -> list[PredictedEvent]:
    """Trusted candidates merged into events exactly as the store would merge them."""
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if is_trusted(candidate.confidence):
            groups.setdefault(candidate_key(candidate), []).append(candidate)
    return [_merged(key, group) for key, group in groups.items()]


def _merged(key: str, group: list[Candidate]) -> PredictedEvent:
    event = merge_mentions(key, [mention_row(c, key) for c in group])
    place = group[0].place  # one key, one place id
    return PredictedEvent(
        place_id=place.id,
        place_name=place.name,
        date=event["date"],
        event_type=event["event_type"],
        sub_event_type=event["sub_event_type"],
        # merge_figures' low is the least number any source gives: the lower bound.
        killed=event["killed_low"],
        injured=event["injured_low"],
        target=event["target"],
        sentence=event["summary"],
    )


# --- matching ------------------------------------------------------------------------------


def _agrees(gold: GoldEvent, predicted: PredictedEvent, name: str) -> bool:
    if name == "place":
        return gold.place_id is not None and gold.place_id == predicted.place_id
    return getattr(gold, name) == getattr(predicted, name)


# Compared in this order when ranking pairs. The figures only break ties, so that when the
# extractor splits one happening in two, the half that carries the numbers is the one scored.
_RANK_FIELDS = ("place", "date", "sub_event_type", "event_type", "killed", "injured")


def _rank(gold: GoldEvent, predicted: PredictedEvent) -> tuple[bool, ...]:
    return tuple(_agrees(gold, predicted, name) for name in _RANK_FIELDS)


def can_match(gold: GoldEvent, predicted: PredictedEvent) -> bool:
    """Same place, or the same day and kind: anything less is two different events."""
    if _agrees(gold, predicted, "place"):
        return True
    return _agrees(gold, predicted, "date") and _agrees(gold, predicted, "event_type")


def match_events(gold: list[GoldEvent], predicted: list[PredictedEvent]) -> list[tuple[int, int]]:
    """Greedy one-to-one (gold index, predicted index) pairs, best agreement first."""
    ranked = [
        (_rank(gold_event, predicted_event), g, p)
        for g, gold_event in enumerate(gold)
        for p, predicted_event in enumerate(predicted)
        if can_match(gold_event, predicted_event)
    ]
    # A stable sort: equal ranks stay in gold order, then predicted order.
    ranked.sort(key=lambda entry: entry[0], reverse=True)
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for _, g, p in ranked:
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def compare(item_id: str, gold: list[GoldEvent], predicted: list[PredictedEvent]) -> ItemResult:
    return ItemResult(item_id, gold, predicted, match_events(gold, predicted))


def judge_item(item: dict[str, Any], gazetteer: Gazetteer) -> ItemResult:
    """Run the extractor on one gold item and match what it finds to the labels."""
    published = item.get("published")
    article = Article(
        id=item["id"],
        text=item["text"],
        published=date.fromisoformat(published) if published else None,
    )
    result = extract_events(article, gazetteer)
    return compare(item["id"], gold_events(item, gazetteer), predicted_events(result.candidates))


# --- scoring -------------------------------------------------------------------------------


@dataclass
class _Tally:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def score(self) -> FieldScore:
        return FieldScore(self.tp, self.predicted - self.tp, self.gold - self.tp)


def _count(result: ItemResult, tallies: dict[str, _Tally]) -> None:
    matched = [(result.gold[g], result.predicted[p]) for g, p in result.pairs]
    for name in TYPE_FIELDS:
        tallies[name].tp += sum(_agrees(g, p, name) for g, p in matched)
        tallies[name].predicted += len(result.predicted)
        tallies[name].gold += len(result.gold)
    for name in FIGURE_FIELDS:
        tallies[name].tp += sum(
            getattr(g, name) is not None and _agrees(g, p, name) for g, p in matched
        )
        tallies[name].predicted += sum(getattr(p, name) is not None for p in result.predicted)
        tallies[name].gold += sum(getattr(g, name) is not None for g in result.gold)
    tallies["overall"].tp += sum(
        all(_agrees(g, p, name) for name in ("place", "date", "event_type")) for g, p in matched
    )
    tallies["overall"].predicted += len(result.predicted)
    tallies["overall"].gold += len(result.gold)


def score_results(results: Iterable[ItemResult]) -> Scores:
    """Precision, recall and F1 per field over every item, and the mistakes behind them."""
    tallies = {name: _Tally() for name in (*FIELDS, "overall")}
    scores = Scores(per_field={})
    for result in results:
        _count(result, tallies)
        scores.items += 1
        scores.items_without_events += not result.gold
        scores.gold_events += len(result.gold)
        scores.predicted_events += len(result.predicted)
        scores.matched += len(result.pairs)
        scores.mistakes.extend(mistakes(result))
    scores.per_field = {name: tally.score() for name, tally in tallies.items()}
    return scores


def evaluate_items(items: Iterable[dict[str, Any]], gazetteer: Gazetteer) -> Scores:
    """Scores of the extractor over gold items (dicts in the gold file format)."""
    return score_results(judge_item(item, gazetteer) for item in items)


def read_gold(path: Path | str) -> list[dict[str, Any]]:
    """The items of a gold JSONL file; a broken line is an error naming its line number."""
    items = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
            missing = [key for key in _REQUIRED_KEYS if key not in item]
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
            items.append(item)
    return items


def evaluate_file(path: Path | str, gazetteer: Gazetteer) -> Scores:
    return evaluate_items(read_gold(path), gazetteer)


# --- mistakes ------------------------------------------------------------------------------


def _gold_place(event: GoldEvent) -> str:
    if event.place_id is None:
        return f"{event.place_name} (not in the gazetteer)"
    return event.place_name


def describe_gold(event: GoldEvent) -> str:
    figures = f"killed={event.killed} injured={event.injured}"
    return f"{_gold_place(event)} {event.date} {event.sub_event_type} {figures}"


def describe_predicted(event: PredictedEvent) -> str:
    sentence = event.sentence.replace("\n", " ").strip()
    if len(sentence) > _SENTENCE_CHARS:
        sentence = sentence[: _SENTENCE_CHARS - 1] + "…"
    target = f" target={event.target}" if event.target else ""
    return (
        f"{event.place_name} {event.date} {event.sub_event_type}"
        f" killed={event.killed} injured={event.injured}{target} «{sentence}»"
    )


def _value(event: GoldEvent | PredictedEvent, name: str) -> str:
    if name != "place":
        return str(getattr(event, name))
    return _gold_place(event) if isinstance(event, GoldEvent) else event.place_name


def mistakes(result: ItemResult) -> list[Mistake]:
    """Missed gold events, spurious predictions, and every field a matched pair gets wrong."""
    found: list[Mistake] = []
    matched_gold = {g for g, _ in result.pairs}
    matched_predicted = {p for _, p in result.pairs}
    for g, p in result.pairs:
        gold, predicted = result.gold[g], result.predicted[p]
        for name in FIELDS:
            if not _agrees(gold, predicted, name):
                found.append(
                    Mistake(
                        result.item_id,
                        name,
                        _value(gold, name),
                        _value(predicted, name),
                        describe_gold(gold),
                    )
                )
    for g, gold in enumerate(result.gold):
        if g not in matched_gold:
            found.append(Mistake(result.item_id, "missed", describe_gold(gold), ""))
    for p, predicted in enumerate(result.predicted):
        if p not in matched_predicted:
            found.append(Mistake(result.item_id, "spurious", "", describe_predicted(predicted)))
    return found


# --- report --------------------------------------------------------------------------------


def format_scores(scores: Scores, show_mistakes: bool = False) -> str:
    """A fixed-width table of precision, recall and F1 per field, then the counts."""
    lines = [f"{'field':<16}{'precision':>10}{'recall':>8}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, s in scores.per_field.items():
        lines.append(
            f"{name:<16}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )
    lines.append("")
    lines.append(
        f"items: {scores.items} ({scores.items_without_events} without events)"
        f"  gold events: {scores.gold_events}  predicted events: {scores.predicted_events}"
        f"  matched: {scores.matched}"
    )
    kinds = Counter(m.field for m in scores.mistakes)
    lines.append(
        f"mistakes: {len(scores.mistakes)}"
        + "".join(f"  {name}: {count}" for name, count in kinds.most_common())
    )
    if show_mistakes:
        lines.append("")
        lines.extend(format_mistake(m) for m in scores.mistakes)
    return "\n".join(lines)


def format_mistake(mistake: Mistake) -> str:
    if mistake.field == "missed":
        return f"{mistake.item_id}: missed {mistake.expected}"
    if mistake.field == "spurious":
        return f"{mistake.item_id}: spurious {mistake.predicted}"
    return (
        f"{mistake.item_id}: {mistake.field} {mistake.expected!r} predicted as"
        f" {mistake.predicted!r} in [{mistake.event}]"
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m store.evaluate GOLD...`: the scores of each file and every mistake."""
    # Imported here: scoring itself never needs the database, only the gazetteer it compiles.
    from store.db import Store

    paths = argv if argv is not None else sys.argv[1:]
    if not paths:
        print("usage: python -m store.evaluate GOLD.jsonl...", file=sys.stderr)
        return 2
    gazetteer = Store(":memory:").gazetteer()
    for path in paths:
        print(f"== {path}")
        print(format_scores(evaluate_file(path, gazetteer), show_mistakes=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
