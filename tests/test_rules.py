"""Every extraction knob lives in one Rules object that the steps are passed."""

from __future__ import annotations

import dataclasses
from datetime import date

from store.extract import extract_events
from store.extract.rules import MIN_CONFIDENCE, RULES, is_trusted, trusted
from store.models import Article

TWO_SENTENCES = (
    "Russian troops shelled Kharkiv on Tuesday.\n"
    "Another strike hit the city on Tuesday evening, injuring five people."
)


def test_another_rules_object_changes_what_the_steps_decide(gazetteer):
    article = Article("r", TWO_SENTENCES, date(2022, 3, 2))
    default = extract_events(article, gazetteer).candidates
    no_context = dataclasses.replace(RULES, context_span=-1)
    strict = extract_events(article, gazetteer, no_context).candidates
    # "the city" takes Kharkiv from the sentence before only while the place is in force.
    assert 2 == len(default)
    assert "inferred" == default[1].place_precision
    assert 1 == len(strict)


def test_one_trusted_rule_decides_what_is_shown():
    assert is_trusted(MIN_CONFIDENCE)
    assert not is_trusted(MIN_CONFIDENCE - 0.01)
    low, high = {"confidence": 0.3}, {"confidence": 0.9}
    assert [high] == trusted([low, high])
    assert [low] == trusted([low])  # an event below the cut keeps its sources
