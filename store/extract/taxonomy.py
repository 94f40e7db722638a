"""ACLED event and sub-event types, and the target, from the words a sentence uses.

The rules are data (data/taxonomy.toml): each with its words, its few patterns and the example
sentences that justify it. This module compiles them and applies them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from store.extract.lexicon import NEGATOR, alternation
from store.extract.prefilter import Prefilter
from store.extract.rules import RULES, Rules

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
CIVILIANS = "Violence against civilians"
STRATEGIC = "Strategic developments"
PROTESTS = "Protests"
RIOTS = "Riots"


@dataclass(frozen=True)
class Classification:
    event_type: str
    sub_event_type: str
    trigger: str
    start: int


@dataclass(frozen=True)
class Rule:
    """One row of the taxonomy: a kind of event (or a target) and what tells it."""

    name: str
    event_type: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


def _source(table: dict[str, Any]) -> str:
    """A table's patterns, then its words, as one alternation."""
    parts = [*table.get("patterns", ())]
    if table.get("words"):
        parts.append(alternation(table["words"]))
    return "|".join(parts)


@cache
def taxonomy() -> dict[str, Any]:
    """The rule tables as shipped in the package."""
    text = resources.files("store.extract").joinpath("data", "taxonomy.toml").read_text("utf-8")
    return tomllib.loads(text)


def _rule(table: dict[str, Any], name: str, event_type: str = "") -> Rule:
    return Rule(
        name,
        event_type,
        re.compile(rf"\b(?:{_source(table)})\b", re.I),
        tuple(table.get("examples", ())),
        tuple(table.get("not_examples", ())),
    )


KINDS = tuple(_rule(t, t["sub_event_type"], t["event_type"]) for t in taxonomy()["rule"])
TARGETS = tuple(_rule(t, t["name"]) for t in taxonomy()["target"])
# Which rules a sentence could match, from its words: most sentences name the trigger of none,
# and a rule's regex runs only where one of its words is.
_KIND_CUES = Prefilter.of_tables(taxonomy()["rule"])
_TARGET_CUES = Prefilter.of_tables(taxonomy()["target"])


# One pass over the sentence for every target it could name.
@lru_cache(maxsize=512)
def _targets_regex(mask: int) -> re.Pattern[str]:
    """The targets of the mask in one regex, in table order (group "t3" is the fourth target):
    a target whose words the sentence lacks could never match, so leaving it out changes no
    match."""
    tables = taxonomy()["target"]
    wanted = [rf"(?P<t{i}>\b(?:{_source(t)})\b)" for i, t in enumerate(tables) if mask >> i & 1]
    return re.compile("|".join(wanted) or r"(?!)", re.I)


_CUES = taxonomy()["cues"]
_NEGATION = re.compile(
    rf"\b(?:{NEGATOR}|{_source(_CUES['negation'])})\b[^.,;]{{0,30}}$",
    re.I,
)
_IRREALIS = re.compile(rf"\b(?:{_source(_CUES['irrealis'])})\s+(?:\S+\s+){{0,2}}[\"“'‘]?$", re.I)
# What a statement is about or answers (cues.cause), told elsewhere: at most one word between,
# in lower case (not "over 1000 civilians were evacuated", "ran over a mine").
_CAUSE = re.compile(
    rf"\b(?:{_source(_CUES['cause'])})\s+(?:the\s+)?(?:(?!an?\s)(?-i:[a-z][a-z-]*)\s+)?$", re.I
)
_CONCESSION = re.compile(_source(_CUES["concession"]), re.I)
_LOST_BEFORE = re.compile("|".join(_CUES["equipment_lost"]["patterns"]), re.I)
_LOST_WEAPON = re.compile(alternation(_CUES["equipment_lost"]["words"]), re.I)
_NO_FIGHTING = re.compile(rf"\b(?:{_source(_CUES['no_fighting'])})\b", re.I)
_FOUGHT = re.compile(rf"\b(?:{_source(_CUES['fought'])})\b", re.I)
# "Tuesday's strike" points back at an event told elsewhere; it is not a new one.
_BACK_REFERENCE = re.compile(r"\b(?:\w+day|yesterday)'s\s+$", re.I)
# "the Russian military that captured the plant uses it as a base", "the plant that has fallen
# under their control": what a relative clause says of someone or something happened before.
_RELATIVE = re.compile(
    r"\b(?:(?:forces|troops|military|army|soldiers|occupiers|invaders|units?|brigade|regiment)"
    r"\s+(?:who|that|which)|(?:that|which|who)\s+(?:has|had|have))\s+(?:already\s+)?(?:\S{0,4})$",
    re.I,
)


# "Mayor of Russian-bombed Okhtyrka saves city": the trigger as an adjective of the place says
# what the place went through, not what happened that day.
_ATTRIBUTIVE = re.compile(r"\b(?:Russian|Russia|enemy|war)-$", re.I)


def _asserted(before: str) -> bool:
    """Whether the words before a trigger leave it asserted: not negated, planned, pointed
    back at or made an adjective."""
    return not (
        _NEGATION.search(before)
        or _IRREALIS.search(before)
        or _BACK_REFERENCE.search(before)
        or _ATTRIBUTIVE.search(before)
        or _CAUSE.search(before)
    )


# (repeated sentences: see casualties.find_casualties)
@lru_cache(maxsize=8192)
def classify(sentence: str, rules: Rules = RULES) -> Classification | None:
    """The most specific event type whose trigger the sentence asserts (not negated, not future)."""
    candidates = _KIND_CUES.candidates(sentence)
    for i, kind in enumerate(KINDS):
        if not candidates >> i & 1:
            continue
        for m in kind.pattern.finditer(sentence):
            before = sentence[max(0, m.start() - rules.cue_reach) : m.start()]
            if _CONCESSION.search(sentence, 0, m.start()):
                continue  # (cues.concession)
            if _LOST_WEAPON.fullmatch(m.group(0)) and _LOST_BEFORE.search(
                sentence, max(0, m.start() - rules.losses_list_reach), m.start()
            ):
                continue  # (cues.equipment_lost)
            if _asserted(before) and not _RELATIVE.search(before + m.group(0)[:4]):
                return Classification(kind.event_type, kind.name, m.group(0), m.start())
    return None


# "Russian missiles hit Lviv airport area": the airport says where, not what was hit (an
# aircraft repair plant beside it). (A "residential area" is homes hit.)
_LOCATOR = re.compile(r"\s+(?:area|vicinity)\b", re.I)
_PLACE_LIKE = re.compile(r"(?:airports?|airfields?|air\s+base|port|station)$", re.I)


@lru_cache(maxsize=8192)
def find_target(sentence: str, after: int = 0, rules: Rules = RULES) -> str:
    """What was hit, when the sentence names it: the first named target after the trigger,
    else the first before it."""
    best: tuple[int, str] | None = None
    for m in _targets_regex(_TARGET_CUES.candidates(sentence)).finditer(sentence):
        if _NEGATION.search(sentence[max(0, m.start() - rules.target_negation_reach) : m.start()]):
            continue
        if _LOCATOR.match(sentence, m.end()) and _PLACE_LIKE.search(m.group(0)):
            continue
        rank = m.start() if m.start() >= after else m.start() + len(sentence)
        if best is None or rank < best[0]:
            best = (rank, TARGETS[int((m.lastgroup or "t0")[1:])].name)
    return best[1] if best else ""


# Sub-types that reporters mix up for the same happening merge into one family.
LOOTING = "Looting/property destruction"
_STRIKE_FAMILY = frozenset({"Shelling/artillery/missile attack", "Air/drone strike", LOOTING})


# "a new wave of looting in Mariupol" is told beside the bombing of the city, not as the damage
# the bombing did: plunder is a happening of its own.
_PLUNDER = re.compile(
    r"\b(?:loot\w*|plunder\w*|pillag\w*|marauder\w*|robb\w*|stole|stolen|steal\w*)\b", re.I
)


# "A Russian warplane was shot down over Mariupol" is coded as shelling, as ACLED codes it, but
# it is not the bombing of the city that day.
# ("Ukrainian defenders down enemy warplane over Mariupol": the headline's verb)
# ("destroyed an enemy helicopter K-52" under "shot down an enemy helicopter": one shoot-down)
_SHOT_DOWN = re.compile(
    r"\b(?:shot|shoots?|shooting)\s+down\b|\bdown(?:ed|s)\b"
    r"|\bdown\s+(?:\S+\s+){0,2}?(?:aircraft|planes?|warplanes?|jets?|helicopters?|bombers?)\b"
    r"|\bdestroy(?:ed|s)?\s+(?:\S+\s+){0,5}?(?:helicopters?|planes?|warplanes?|jets?|bombers?"
    r"|Su-\d+\w*|Ka-\d+\w*|Mi-\d+\w*)\b"
    r"|\b(?:aircraft|planes?|warplanes?|jets?|helicopters?)\s+(?:\w+\s+)?(?:destroyed|downed)\b",
    re.I,
)


def family(sub_event_type: str, sentence: str = "") -> str:
    """Sub-types that reporters mix up for the same happening merge into one family; with the
    sentence, plunder and an aircraft shot down are told apart from a strike."""
    if sub_event_type == LOOTING and _PLUNDER.search(sentence):
        return "looting"
    if sub_event_type == "Shelling/artillery/missile attack" and _SHOT_DOWN.search(sentence):
        return "aircraft down"
    # ("Kherson, Kakhovka, Berdyansk: anti-Russian rallies held" and "Russian military disperse
    # rally in Berdyansk" the same day: one rally, and what the forces did to it)
    if sub_event_type in _PROTEST_STRENGTH:
        return "protest"
    return "strike" if sub_event_type in _STRIKE_FAMILY else sub_event_type


TRANSFER = Classification(STRATEGIC, "Non-violent transfer of territory", "", 0)
SHELLING = Classification(REMOTE, "Shelling/artillery/missile attack", "", 0)
AIR_STRIKE = Classification(REMOTE, "Air/drone strike", "", 0)
OVERTAKES = "Non-state actor overtakes territory"
DISRUPTED = "Disrupted weapons use"
REGAINS = Classification("Battles", "Government regains territory", "", 0)
_CONTROL_CHANGES = frozenset(
    {"Government regains territory", "Non-state actor overtakes territory"}
)
# A protest and, later in the story, what the forces did to it: one protest, the stronger kind.
_PROTEST_STRENGTH = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Excessive force against protesters": 2,
}


def unfought(text: str) -> bool:
    """Whether a story says a change of control came without fighting."""
    return bool(_NO_FIGHTING.search(text))


def fought(sentence: str) -> bool:
    """Whether a sentence tells a fight between forces, not only "an attack"."""
    return bool(_FOUGHT.search(sentence))


def is_control_change(sub_event_type: str) -> bool:
    return sub_event_type in _CONTROL_CHANGES


def protest_strength(sub_event_type: str) -> int | None:
    return _PROTEST_STRENGTH.get(sub_event_type)
