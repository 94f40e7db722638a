"""Which rules of a table a sentence could match, told from its words before any regex runs.

Each taxonomy rule is one regular expression of `\\b(?:words|patterns)\\b`, 5–25 µs a sentence,
and a sentence that reaches the classifier matches one or two of twenty. Every match of a rule
begins with one of the words it names (or with a stem: "recaptur*", "captur(?:ed|e)"), so the
set of a sentence's words, with each word's rules looked up once per distinct word, says which
regexes are worth running; a pattern that starts with a common word ("russian") and needs a
rarer one later ("aircraft", `needed_words`) counts only where the sentence has that too. The
test only ever lets more through: a rule whose start it cannot read (a leading character
class, an optional group) is always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from store.extract.lexicon import contains_any

# Look-behinds a pattern may start with: "(?<!the\s)captur(?:ed|e)".
_LOOKBEHINDS = re.compile(r"(?:\(\?<[!=][^)]*\))*")
# The letters a pattern starts with, and a quantifier that makes the last one optional.
_LEADING_LETTERS = re.compile(r"([A-Za-z]+)([?*{]?)")
_LETTERS = re.compile(r"[a-z]+")
_TOKENS = re.compile(r"[a-z0-9]+")
# Under re.IGNORECASE these match ASCII letters ("ſ" is "s"); mapped so that no match is missed.
_CASE_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


@dataclass(frozen=True)
class Cue:
    """What one rule's matches start with: a whole word, or a word beginning with a stem."""

    words: frozenset[str]
    stems: tuple[str, ...]
    always: bool  # a start we cannot read: the rule is tried on every sentence
    # Patterns that start with common words and need rarer ones later ("russian ... aircraft",
    # "forces down ... helicopters"): (their stems, what else every match contains), the rule
    # a candidate only where the sentence has both.
    later: tuple[tuple[tuple[str, ...], tuple[frozenset[str], ...]], ...] = ()


def cue_of(table: dict[str, Any]) -> Cue:
    """The cue of a taxonomy table (its `words` and `patterns`)."""
    words: set[str] = set()
    stems: set[str] = set()
    later: list[tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = []
    always = False
    for word in table.get("words", ()):
        first = word.split()[0]
        if first.endswith("*"):
            # "recaptur*", "counter-attack*": the word begins with the stem's first letters
            letters = _LEADING_LETTERS.match(first)
            if letters is None:
                always = True
            else:
                stems.add(letters.group(1).lower())
            continue
        # "air-strike" is matched where "air" and "strike" are both words of the sentence.
        parts = [p.lower() for p in re.split(r"[^A-Za-z]+", first) if p]
        if not parts:
            always = True
        words.update(parts)
    for pattern in table.get("patterns", ()):
        starts = leading_stems(pattern)
        needs = tuple(n for n in needed_words(pattern) if starts is None or not n <= starts)
        if starts is None:
            always = True
        elif needs:
            later.append((tuple(sorted(starts)), needs))
        else:
            stems.update(starts)
    return Cue(frozenset(words), tuple(sorted(stems)), always, tuple(later))


def leading_stems(pattern: str) -> frozenset[str] | None:
    """The letters every match of a pattern starts with (or the word after an optional group
    that ends in whitespace starts with), one stem for each way it can start:
    "(?:opened\\s+fire|fired|shot)\\s+..." starts with "opened", "fired" or "shot"; None when a
    match can start with something else (a character class, an optional group that a word
    need not follow)."""
    rest = pattern[_LOOKBEHINDS.match(pattern).end() :]  # type: ignore[union-attr]
    letters = _LEADING_LETTERS.match(rest)
    if letters is not None:
        stem = letters.group(1)[:-1] if letters.group(2) else letters.group(1)
        return frozenset({stem.lower()}) if stem else None
    if not rest.startswith("(?:"):
        return None
    close = _closing_paren(rest)
    if close is not None and rest[close + 1 : close + 2] == "?" and _ends_in_space(rest[3:close]):
        # "(?:\\b\\w+\\s+)?missiles?": with the group or without it, what follows it starts a
        # word of the sentence, and a word starting with a stem is all the test needs
        return leading_stems(rest[close + 2 :].removeprefix("?"))
    if close is None or rest[close + 1 : close + 2] in ("?", "*", "{"):
        return None
    stems: set[str] = set()
    for alternative in _alternatives(rest[3:close]):
        found = leading_stems(alternative)
        if found is None:
            return None
        stems.update(found)
    return frozenset(stems)


def _ends_in_space(body: str) -> bool:
    """Whether every alternative of a group's body ends in whitespace that must match."""
    return all(
        alternative.endswith(("\\s+", "\\s")) and not alternative.endswith(("\\\\s+", "\\\\s"))
        for alternative in _alternatives(body)
    )


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of each character that shapes groups and
    alternatives: parentheses and "|", with escapes and character classes skipped."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[char]
            yield i, char, depth
        i += 1


def _closing_paren(pattern: str) -> int | None:
    """Where the group opened at pattern[0] closes."""
    return next((i for i, char, depth in _structure(pattern) if char == ")" and depth == 0), None)


def _alternatives(body: str) -> list[str]:
    """The top-level alternatives of a group's body: "a|(?:b|c)d" is "a" and "(?:b|c)d"."""
    cuts = [i for i, char, depth in _structure(body) if char == "|" and depth == 0]
    starts, ends = [0, *(i + 1 for i in cuts)], [*cuts, len(body)]
    return [body[start:end] for start, end in zip(starts, ends, strict=True)]


class Prefilter:
    """The rules of one table a sentence could match, as a bit mask (bit i: rule i)."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self._cues = tuple(cues)
        self._always = sum(1 << i for i, cue in enumerate(self._cues) if cue.always)
        # (the rule's bit, the pattern's stems, what else it needs) of each `later` pattern
        self._later = tuple(
            (1 << i, stems, needs) for i, cue in enumerate(self._cues) for stems, needs in cue.later
        )
        # A word's rules are worked out once: the same words come back in every article.
        self._word_rules = lru_cache(maxsize=65_536)(self._rules_of_word)
        # bench/index_bench.py empties every cache it finds in store/, so each pass starts cold
        self.cache_clear = self._word_rules.cache_clear

    @classmethod
    def of_tables(cls, tables: Iterable[dict[str, Any]]) -> Prefilter:
        return cls([cue_of(table) for table in tables])

    def candidates(self, sentence: str) -> int:
        """A mask of the rules whose regex could match somewhere in the sentence."""
        if not sentence.isascii():
            sentence = sentence.translate(_CASE_FOLDS)
        lowered = sentence.lower()
        mask, started = self._always, 0
        for word in set(_LETTERS.findall(lowered)):
            rules, patterns = self._word_rules(word)
            mask |= rules
            started |= patterns
        while started:  # each pattern a word started, not all of them
            low = started & -started
            bit, _, needs = self._later[low.bit_length() - 1]
            # (a needed run of letters and digits is in the text lower-cased, as in AnyOf)
            if not mask & bit and _holds(lowered, needs):
                mask |= bit
            started ^= low
        return mask

    def _rules_of_word(self, word: str) -> tuple[int, int]:
        """(the rules the word starts, the `later` patterns it starts)."""
        mask = 0
        for i, cue in enumerate(self._cues):
            if word in cue.words or word.startswith(cue.stems):
                mask |= 1 << i
        patterns = 0
        for k, (_, stems, _) in enumerate(self._later):
            if word.startswith(stems):
                patterns |= 1 << k
        return mask, patterns


def _holds(lowered: str, needs: tuple[frozenset[str], ...]) -> bool:
    """Whether the text holds a word of each set (loops, cheaper than generators: this runs
    for most alternatives AnyOf files under a text's words)."""
    for words in needs:  # noqa: SIM110 (a loop: see the docstring)
        if not contains_any(lowered, words):
            return False
    return True


def needed_words(pattern: str) -> tuple[frozenset[str], ...]:
    """What every match of the pattern contains, as sets of lower-case runs of letters and
    digits, one of each set: "\\bwarn(?:s|ed)?\\s+of\\b" needs "warn" and "of",
    "(?:liberated|occupied)" one of the two; () when the pattern does not say."""
    alternatives = [_needed_in_sequence(a) for a in _alternatives(pattern)]
    if len(alternatives) == 1:
        return alternatives[0]
    if not all(alternatives):
        return ()
    # One of the alternatives matches: one of their words (each its most telling set's).
    return (frozenset().union(*(most_telling(needed) for needed in alternatives)),)


def most_telling(needed: tuple[frozenset[str], ...]) -> frozenset[str]:
    """Of the sets a pattern needs, the one fewest texts hold: the one with the longest words."""
    return max(needed, key=lambda words: min(map(len, words)))


def _needed_in_sequence(sequence: str) -> tuple[frozenset[str], ...]:
    """`needed_words` of a pattern without a top-level "|": its runs of plain letters and
    digits, and what its groups that must match (not optional, not look-arounds) need."""
    needed: list[frozenset[str]] = []
    run = ""
    pieces = _pieces(sequence)
    for piece, following in zip(pieces, [*pieces[1:], ""], strict=True):
        quantified = following[:1] in ("?", "*", "+", "{")
        if piece.isascii() and piece.isalnum() and not quantified:
            run += piece.lower()
            continue
        if run:
            needed.append(frozenset({run}))
            run = ""
        if piece.startswith("(?:") and not quantified:
            needed.extend(needed_words(piece[3:-1]))
    if run:
        needed.append(frozenset({run}))
    return tuple(needed)


def _pieces(pattern: str) -> list[str]:
    """The pattern cut into top-level pieces: a group, a character class, an escape, a
    repetition count "{0,3}", or one character."""
    pieces: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "(":
            end = i + (_closing_paren(pattern[i:]) or len(pattern)) + 1
        elif char == "[":
            end = _class_end(pattern, i)
        elif char == "\\":
            end = i + 2
        elif char == "{":
            end = pattern.index("}", i) + 1
        else:
            end = i + 1
        pieces.append(pattern[i:end])
        i = end
    return pieces


def _class_end(pattern: str, start: int) -> int:
    """Where the character class opened at pattern[start] ends ("]" first in it is a literal)."""
    i = start + 1
    i += pattern.startswith("^", i)
    i += pattern.startswith("]", i)
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


class AnyOf:
    """Whether any of many IGNORECASE patterns matches a text: what one search of their
    alternation says, but that search tries every alternative at every position (~200 µs a
    clause for the not-event table). Here each alternative runs only on a text that holds the
    words it needs (`needed_words`), told from the text lower-cased with the letters that
    IGNORECASE reads as ASCII made ASCII."""

    def __init__(self, sources: Iterable[str]) -> None:
        # Each alternative is filed under the words of its most telling set, with the others.
        self._by_word: dict[str, list[tuple[re.Pattern[str], tuple[frozenset[str], ...]]]] = {}
        self._always: list[re.Pattern[str]] = []
        for source in sources:
            for alternative in _alternatives(source):
                regex = re.compile(alternative, re.I)
                needed = needed_words(alternative)
                if not needed:
                    self._always.append(regex)
                    continue
                telling = most_telling(needed)
                rest = tuple(words for words in needed if words is not telling)
                for word in telling:
                    self._by_word.setdefault(word, []).append((regex, rest))
        # A needed run of letters and digits lies within one of the text's runs (its tokens),
        # and the same tokens come back in every article: each is looked up once.
        self._words_in = lru_cache(maxsize=65_536)(self._filed_words_in)
        # (sentences repeat: see casualties.find_casualties)
        self.search = lru_cache(maxsize=8192)(self._search)

        def cache_clear() -> None:  # an attribute, as a cached function's is
            self._words_in.cache_clear()
            self.search.cache_clear()

        self.cache_clear = cache_clear

    def _filed_words_in(self, token: str) -> tuple[str, ...]:
        return tuple(word for word in self._by_word if word in token)

    def _search(self, text: str) -> bool:
        if any(regex.search(text) for regex in self._always):
            return True
        lowered = text.lower() if text.isascii() else text.translate(_CASE_FOLDS).lower()
        found = {word for token in set(_TOKENS.findall(lowered)) for word in self._words_in(token)}
        return any(
            regex.search(text)
            for word in found
            for regex, rest in self._by_word[word]
            if _holds(lowered, rest)
        )
