"""One clause read once by every per-field step: when, where, what, how many, who says so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.extract.attribution import Attribution, find_attribution
from store.extract.casualties import Casualties, find_casualties
from store.extract.discourse import Discourse
from store.extract.sentences import Sentence
from store.extract.taxonomy import Classification, classify
from store.extract.where import choose_places, find_places, is_named_ukrainian
from store.gazetteer import Gazetteer, PlaceMention
from store.models import ResolvedDate


@dataclass(frozen=True)
class Clause:
    sentence: Sentence
    index: int  # the sentence's position in the article's story sentences
    number: int  # 0 for the main clause, then each trailing "which saw ..." or "; ..." clause
    offset: int  # where the clause starts in its sentence
    text: str


@dataclass
class Reading:
    clause: Clause
    when: ResolvedDate
    report_only: bool  # the clause's date is only the day it was reported
    casualties: Casualties
    kind: Classification | None
    attribution: Attribution | None
    # The clause with its sources' words blanked: "Mariupol besieged – Donetsk Regional
    # Administration" names no place, target or actor in "Donetsk Regional".
    unsourced: str
    places: list[PlaceMention]
    how: str  # exact | inferred (the place in context)

    @property
    def has_figures(self) -> bool:
        return self.casualties.killed is not None or self.casualties.injured is not None

    @property
    def named(self) -> list[PlaceMention]:
        return [m for m in self.places if is_named_ukrainian(m.place)]


_AFTER_WHICH = re.compile(r"\bwhich\s*$", re.I)


def read_clause(clause: Clause, story: Discourse, gazetteer: Gazetteer) -> Reading:
    """Every field of the clause, with what it inherits from the story so far."""
    rules = story.rules
    when, report_only = story.date_clause(
        clause.text, clause.number, clause.sentence.kind == "story"
    )
    mentions = find_places(clause.text, gazetteer, story.article_oblasts, rules)
    casualties = find_casualties(clause.text, rules)
    figures = casualties.killed is not None or casualties.injured is not None
    # Without a place, a place in context or a figure no event can come of the clause: the
    # classifier, the costliest step, is not run on it.
    placeable = mentions or story.place_in_context() or (figures and clause.number > 0)
    kind = classify(clause.text, rules) if placeable else None
    attribution = find_attribution(clause.sentence.text, rules) if kind or figures else None
    unsourced = blank_sources(clause.text, clause.offset, attribution)
    mentions = [m for m in mentions if unsourced[m.start] != " "]
    places = _where(clause, mentions, kind, figures, gazetteer, story)
    trailing = clause.number > 0 and _AFTER_WHICH.search(clause.sentence.text, 0, clause.offset)
    if figures and (kind is None or trailing):
        # "At least 17 people were killed" after "Another strike ...": the same story; and
        # "A missile attack on the station, which killed more than 50 people": the toll of
        # the clause before, not a killing of its own.
        kind = story.kind_in_context() or kind
    reading = Reading(
        clause, when, report_only, casualties, kind, attribution, unsourced, places, "exact"
    )
    in_context = story.place_in_context()
    if not places and kind and in_context:
        reading.places, reading.how = [in_context], "inferred"
    elif reading.named:
        story.remember_place(reading.named[0])
    return reading


def _where(
    clause: Clause,
    mentions: list[PlaceMention],
    kind: Classification | None,
    figures: bool,
    gazetteer: Gazetteer,
    story: Discourse,
) -> list[PlaceMention]:
    """The clause's own places; a trailing clause with a toll and no place has its sentence's:
    "..., which saw dozens of civilian killings"."""
    abduction = kind is not None and kind.sub_event_type.startswith("Abduction")
    places = choose_places(clause.text, mentions, abduction, story.rules)
    if not places and clause.number > 0 and figures:
        text = clause.sentence.text
        found = find_places(text, gazetteer, story.article_oblasts, story.rules)
        places = choose_places(text, found, abduction, story.rules)
    return places


def blank_sources(clause: str, offset: int, attribution: Attribution | None) -> str:
    """The clause with each source's words replaced by spaces (offsets kept)."""
    if attribution is None:
        return clause
    chars = list(clause)
    for start, end in attribution.spans:
        for i in range(max(start - offset, 0), min(end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)
