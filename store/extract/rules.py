"""Every extraction knob in one frozen object, with the reason beside it.

`extract_events` passes `RULES` down to each step; tests and `sitrep eval` may pass another
(`dataclasses.replace(RULES, context_span=2)`). The rule tables themselves (words, patterns,
example sentences) are data in data/; this is the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

# The least confidence an event needs to be shown in answers by default.
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Rules:
    # --- discourse: what a sentence inherits from the ones before it
    # Sentences a named place stays in force for "the city" without a name.
    context_span: int = 3
    # Sentences after an event sentence whose bare toll ("At least 17 were killed") is its toll.
    kind_span: int = 2
    # A toll this many sentences after its place's sentence is a follow-up of it, not a guess.
    follow_up_span: int = 1
    # --- where: which named places are where it happened
    max_places: int = 3
    # Characters before a name that can make it a title ("governor of ... Kherson").
    title_reach: int = 60
    # Characters before a name that can make it a reference point ("north of Mariupol").
    reference_reach: int = 30
    # Characters before a name searched for "evacuated ... to", where people arrived.
    destination_reach: int = 80
    # A capitalised name this close to the start of the text may be a dateline ("KYIV:").
    dateline_reach: int = 25
    # Characters before a foreign name that must make it a location ("in Moscow").
    abroad_locative_reach: int = 12
    # This many regions and no town in one clause are a summary of a front, no happening
    # ("ground attack in Kharkiv, Kherson, Chernihiv, Sumy, Luhansk, Donetsk areas").
    front_wide_regions: int = 3
    # Hundreds killed in a region, with no town and no day, are a count of the war so far.
    regional_total_killed: int = 300
    # Hundreds killed in a town "during the occupation" or "during the fighting", with no day,
    # are a count of those weeks ("200-300 civilians killed ... during fighting in Irpin").
    period_total_killed: int = 100
    # Targets every town and every day of a siege has ("residential areas shelled in the
    # Kharkiv region"): no sign of which town the headline's is, nor, to store.identity, of
    # which happening across days.
    vague_targets: frozenset[str] = frozenset({"residential building", "civilian infrastructure"})
    # --- when
    # A date more days than this after publication is a plan or a forecast, not an event.
    plan_horizon_days: int = 1
    # A yearless date this far after publication is last year's ("December 25" in March).
    year_back_days: int = 180
    # Characters before a date searched for a verb of reporting ("said on Wednesday").
    report_verb_reach: int = 25
    # How far into an article a publication date is looked for: a stamp at its head, a dated
    # lead in its first paragraphs.
    publication_head_chars: int = 200
    publication_search_chars: int = 2000
    # --- sentences: a line this short without closing punctuation is a headline.
    headline_max_words: int = 25
    # --- casualties
    # Characters after a figure that can still say who the victims were.
    victims_reach: int = 40
    # Characters before a figure searched for "no", "not", "never".
    figure_negation_reach: int = 12
    # --- attribution: a "source" of more words is a clause, not a name.
    source_max_words: int = 7
    # --- taxonomy: characters before a trigger searched for "not", "plans to", "Tuesday's".
    cue_reach: int = 45
    # ... and for "destroying" before a list of the enemy's lost equipment ("destroying six
    # tanks, four armoured vehicles, two trucks, a howitzer and a mortar").
    losses_list_reach: int = 160
    target_negation_reach: int = 30
    # --- confidence of a candidate: 0.9, less for each reason to doubt it
    confidence_base: float = 0.9
    headline_penalty: float = 0.1  # a headline rarely says which day or which part of a city
    inferred_penalty: float = 0.15  # the place came from "the city", not a name
    # "says an investigation must hold accountable everyone complicit in the killings", "did not
    # fire on the airport, although explosions were heard" (data/summaries.toml): a sentence
    # that tells its event that way is the weaker summary of it
    weak_summary_penalty: float = 0.1
    # "continued to shell Kharkiv, Mariupol and Okhtyrka": a round-up, the weaker summary of each
    round_up_places: int = 3
    fuzzy_penalty: float = 0.05  # a misspelt name
    approximate_penalty: float = 0.1  # dated only by the publication day
    unknown_date_penalty: float = 0.2
    country_cap: float = 0.3  # "in Ukraine" says nothing a user can ask about
    # An inferred place with neither "the city"/"there" nor a follow-up toll stays hidden.
    unanchored_cap: float = 0.45
    min_confidence: float = MIN_CONFIDENCE


RULES = Rules()

M = TypeVar("M", bound=Mapping[str, Any])


def is_trusted(confidence: float, rules: Rules = RULES) -> bool:
    """Whether a mention is confident enough to be shown in answers."""
    return confidence >= rules.min_confidence


def trusted(mentions: Sequence[M]) -> list[M]:
    """The mentions an event is told from: the trusted ones, or all when none is (an event the
    user asked to see below the cut still has its sources)."""
    return [m for m in mentions if is_trusted(m["confidence"])] or list(mentions)
