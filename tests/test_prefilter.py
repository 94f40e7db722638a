"""Which rules a sentence could match, from its words: never fewer than the regexes match."""

# Expected values go on the left (`assert expected == actual`), as this project's tests do.
# ruff: noqa: SIM300

from __future__ import annotations

import re
from pathlib import Path

import pytest

from store.extract.not_events import BACKGROUND
from store.extract.prefilter import (
    _CASE_FOLDS,
    AnyOf,
    Cue,
    Prefilter,
    _alternatives,
    cue_of,
    leading_stems,
    needed_words,
)
from store.extract.sentences import WEAK, split_sentences
from store.extract.taxonomy import KINDS, TARGETS, taxonomy

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    ("pattern", "stems"),
    [
        ("fired\\s+(?:\\S+\\s+){0,2}shots", {"fired"}),
        # a quantified last letter may be missing: "mines?" is also "mine"
        ("mines?\\b", {"mine"}),
        ("(?<!the\\s)(?<!in\\s)captur(?:ed|e|es|ing)\\b", {"captur"}),
        ("(?:opened\\s+fire|fired|shot)\\s+(?:\\S+\\s+){0,3}?at", {"opened", "fired", "shot"}),
        ("(?:destroy(?:ed|s)?|damag(?:ed|ing))\\s+the", {"destroy", "damag"}),
        ("(?:(?:air|drone)\\s+strikes?|bomb\\w*)", {"air", "drone", "bomb"}),
        # an optional group that ends in whitespace: a word starts after it either way
        ("(?:heavy\\s+)?shelling", {"shelling"}),
        ("(?:\\b\\w+\\s+)?(?:missiles?|drones?)\\s+were", {"missile", "drone"}),
    ],
)
def test_leading_stems_are_the_letters_every_match_starts_with(pattern, stems):
    assert frozenset(stems) == leading_stems(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "[A-Z]\\w+\\s+fell",  # a character class
        "(?:heavy)?shelling",  # an optional group: the match may start with "heavyshelling"
        "(?:heavy\\s*)?shelling",  # the same: the whitespace may be none
        "(?:a|\\d+)\\s+strikes",  # one alternative starts with a digit
        "(?=\\w)strike",  # a look-ahead
        "\\bhit",
    ],
)
def test_leading_stems_is_none_when_a_match_may_start_otherwise(pattern):
    assert None is leading_stems(pattern)


def test_cue_of_a_table_takes_first_words_stems_and_pattern_starts():
    cue = cue_of(
        {
            "words": ["air strike", "air-launched missile", "recaptur*", "counter-attack*"],
            "patterns": ["retook\\s+\\w+"],
        }
    )
    assert Cue(frozenset({"air", "launched"}), ("counter", "recaptur", "retook"), False) == cue


def test_a_table_with_an_unreadable_pattern_is_always_a_candidate():
    cues = Prefilter.of_tables([{"words": ["shelled"]}, {"patterns": ["[A-Z]\\w+\\s+fell"]}])
    assert 0b10 == cues.candidates("Nothing happened today.")
    assert 0b11 == cues.candidates("Russian forces shelled the town.")


def test_a_stem_lets_through_every_ending_and_a_word_only_itself():
    cues = Prefilter.of_tables([{"words": ["recaptur*"]}, {"words": ["shelled"]}])
    assert 0b01 == cues.candidates("Ukrainian troops Recaptured the village.")
    assert 0 == cues.candidates("The shellfish market reopened.")


def test_a_pattern_with_a_common_start_is_tried_only_where_its_later_words_are():
    cues = Prefilter.of_tables(
        [{"patterns": ["(?:russian|enemy)\\s+aircraft\\s+(?:was\\s+)?downed"]}]
    )
    assert 0 == cues.candidates("Russian forces shelled the town.")
    assert 0 == cues.candidates("A Russian aircraft flew over Kharkiv.")
    assert 0b1 == cues.candidates("A Russian aircraft was downed over Kharkiv.")


def test_letters_that_ignorecase_reads_as_ascii_are_not_missed():
    # Under re.IGNORECASE "ſ" matches "s": the regex matches, so the rule must be a candidate.
    cues = Prefilter.of_tables([{"words": ["shelled"]}])
    assert 0b1 == cues.candidates("Russian forces ſhelled the town.")


def _sentences() -> list[str]:
    found = [
        sentence
        for table in (*taxonomy()["rule"], *taxonomy()["target"])
        for key in ("examples", "not_examples")
        for sentence in table.get(key, ())
    ]
    for path in sorted(SEEDS.glob("*.txt")):
        found += [s.text for s in split_sentences(path.read_text(encoding="utf-8"))]
    return found


@pytest.mark.parametrize(
    ("rules", "tables"),
    [(KINDS, taxonomy()["rule"]), (TARGETS, taxonomy()["target"])],
    ids=["kinds", "targets"],
)
def test_every_rule_whose_regex_matches_is_a_candidate(rules, tables):
    cues = Prefilter.of_tables(tables)
    missed = [
        (rule.name, sentence)
        for sentence in _sentences()
        for i, rule in enumerate(rules)
        if rule.pattern.search(sentence) and not cues.candidates(sentence) >> i & 1
    ]
    assert [] == missed


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        # each run of letters and digits; a quantified letter or group may be missing
        ("\\bwarn(?:s|ed|ing)?\\s+of\\b", [{"warn"}, {"of"}]),
        ("\\bis\\s+(?:un)?expected\\s+to\\b", [{"is"}, {"expected"}, {"to"}]),
        ("\\bin\\s+(?:19\\d0s|20(?:0\\d|1\\d))\\b", [{"in"}, {"19", "20"}]),
        # a group every match passes through: one of its alternatives, or all it needs
        (
            "\\b(?:that|which)\\s+was\\s+(?:liberated|occupied)\\b",
            [{"that", "which"}, {"was"}, {"liberated", "occupied"}],
        ),
        ("\\b(?:can't|cannot)\\s+say\\b|\\bunable\\b", [{"can", "cannot", "unable"}]),
        # look-arounds, classes and escapes need nothing
        ("(?<!during\\sa\\s)\\bvisits?\\s+(?!heard)[a-z]", [{"visit"}]),
    ],
)
def test_needed_words_are_the_runs_every_match_contains(pattern, needed):
    assert [frozenset(words) for words in needed] == list(needed_words(pattern))


@pytest.mark.parametrize(
    "pattern", ["\\b\\d+\\s+%", "(?:heavy\\s+)?\\w+", "\\b(?:a|\\d+)\\b|\\bthe", "(?=x)\\S"]
)
def test_needed_words_is_empty_when_a_match_may_hold_no_run_of_the_pattern(pattern):
    assert () == needed_words(pattern)


@pytest.mark.parametrize("table", [BACKGROUND, WEAK], ids=["not_events", "summaries"])
def test_any_of_says_what_one_search_of_the_alternation_says(table):
    sources = [row.pattern.pattern for row in table]
    whole = re.compile("|".join(sources), re.I)
    any_of = AnyOf(sources)
    sentences = [*_sentences(), *(example for row in table for example in row.examples)]
    # What each alternative needs is in every match, not only in the sentences tried.
    missed = [
        (alternative, m.group(0))
        for source in sources
        for alternative in _alternatives(source)
        for sentence in sentences
        for m in re.finditer(alternative, sentence, re.I)
        for words in needed_words(alternative)
        if not any(word in m.group(0).lower() for word in words)
    ]
    assert [] == missed
    assert [bool(whole.search(s)) for s in sentences] == [any_of.search(s) for s in sentences]


def test_any_of_reads_the_letters_ignorecase_reads_as_ascii():
    # Under re.IGNORECASE "ſ" matches "s": "ſtill" holds no "still", and the regex matches.
    assert AnyOf([row.pattern.pattern for row in BACKGROUND]).search("Kharkiv is ſtill blockaded.")


def test_the_case_folds_are_every_letter_ignorecase_reads_as_an_ascii_letter_or_digit():
    alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
    everything = "".join(chr(i) for i in range(128, 0x110000) if not 0xD800 <= i < 0xE000)
    read_as_ascii = set(re.findall("|".join(alnum), everything, re.I))
    # each, folded and lower-cased as AnyOf reads a text, is the ASCII character it matches
    matches = {c: [a for a in alnum if re.fullmatch(a, c, re.I)] for c in read_as_ascii}
    assert {c: [c.translate(_CASE_FOLDS).lower()] for c in read_as_ascii} == matches
