"""Killed and injured figures exactly as a sentence gives them, never more."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from store.extract.lexicon import MONTH_NAME, NEGATOR, ascii_lower, may_contain
from store.extract.rules import RULES, Rules
from store.models import Count

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100, "one hundred": 100,
    "a": 1, "an": 1, "the": 1, "another": 1,
}  # fmt: skip
_VAGUE = ("dozens", "hundreds", "scores", "several", "many", "a number", "thousands", "some")
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|a dozen|a hundred|one hundred|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven"
    r"|eight|nine|ten)"
)
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})"
_VAGUE_RE = r"(?:dozens|hundreds|scores|several|many|thousands)"
_QUALIFIER = (
    r"(?:at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|as\s+many\s+as"
    r"|approximately|roughly|an\s+estimated)"
)
# The day of a date is never a figure.
_AFTER_MONTH = re.compile(rf"\b{MONTH_NAME}\b\.?\s+$")
_AMOUNT = (
    rf"(?P<q>{_QUALIFIER}\s+)?(?:(?P<lo>\d+)\s*(?:-|–|to|and)\s*)?(?P<n>{_NUMBER}"
    rf"|{_VAGUE_RE})(?!\d|,\d)(?![-\s]*(?:year|month|week|day|storey|story|km|kilomet|metre|meter|mile|hour|minute)s?\b)"
    rf"(?!\s+(?:of\s+)?{MONTH_NAME}\b)"
)
_WHO = (
    # ("Over 300 Bucha residents murdered": the town's name before its residents)
    r"(?:\s+(?:(?-i:[A-Z][\w'-]{2,})(?=\s+(?:residents|civilians|people|citizens)\b)"
    r"|of\s+(?:them|whom|(?:the|its|their)\s+\w+|people|civilians|residents|children)|(?:more|other|local|ukrainian|russian|civilian"
    r"|innocent|military|police|peaceful)\b|people|persons|civilians|residents|children|kids"
    r"|women|soldiers|servicemen|troops|fighters|officers|policemen|personnel|others"
    r"|citizens|journalists|workers|men|patients|person|woman|women|man|girls?|boys?|child|bodies"
    r"|teenagers?|including|soldier|serviceman|civilian|worker|medics?|drivers?|minors?|pilots?"
    r"|militants?|resident|volunteers?|policeman|officers?|pensioners?|aid|rescuers?|firefighters?"
    r"|elderly|adults?|residents|municipal|security|emergency|marines?|paratroopers?|guards?"
    r"|border|employees?|students?|teachers?|doctors?|nurses?|family|members|relatives)){0,3}"
    # ", including three children," / " including a small child": part of the figure before
    r"(?:,\s+(?:including|aged)\s+[^,]{1,40},|\s+including(?:\s+\S+){1,3}?(?=\s+(?:were|was|have|has|had|died|are)\b))?"
)
_KILLED = (
    r"(?:killed|dead|died|perished|deaths|lost\s+their\s+lives|shot\s+dead|found\s+dead|executed"
    r"|murdered"
    r"|eliminated|lost\s+(?:his|her)\s+life"
    # "two people burned to death in their car", "a family was burnt alive"
    r"|burn(?:ed|t)\s+(?:to\s+death|alive))"
)
_INJURED = r"(?:injured|wounded|hurt|injuries|casualties|hospitali[sz]ed)"
# Nouns for one victim: "a/an/the" before them counts one ("the pilot died").
_ONE_VICTIM = (
    r"(?:civilian|woman|man|child|boy|girl|pilot|victim|soldier|serviceman|servicewoman|worker|medic"
    r"|driver|minor|teenager|resident|person|militant|journalist|volunteer|policeman|officer|priest"
    r"|pensioner|fighter|rescuer|firefighter|guard|marine|paratrooper|commander|mayor|deputy|head"
    r"|professor|student|teacher|doctor|nurse|farmer|cyclist|employee|physicist|documentalist"
    r"|filmmaker|photographer|reporter|cameraman|operator|citizen|local|driver|passenger|navigator"
    r"|actor|member|educator|chaplain|prisoner|owner|husband|wife|father|mother|son|daughter|brother|sister"
    r"|correspondent|photojournalist|producer|writer|poet|athlete|coach"
    r"|grandmother|grandfather|neighbou?r|veteran)"
)
_BE = r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|got|reportedly|reported|been))*"

# Every pattern's match contains one of its words (lower case), most often the verb that names
# the toll: a pattern runs only on a sentence that has one (lexicon.may_contain), and most
# sentences with a casualty word have no "bodies", "fatalities" or "sustained".
# (every word of _KILLED and _INJURED holds one of these)
_KILLED_OR_INJURED_WORDS = (
    "kill", "dead", "died", "perish", "death", "lost", "execut", "eliminat", "burn", "murder",
    "injur", "wound", "hurt", "casualt", "hospitali",
)  # fmt: skip
_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    # "21 people were killed", "at least 112 wounded", "dozens were wounded"
    (
        re.compile(rf"\b{_AMOUNT}(?P<who>{_WHO}){_BE}\s+(?P<what>{_KILLED}|{_INJURED})\b", re.I),
        _KILLED_OR_INJURED_WORDS,
    ),
    # "32 Russian servicemen, 2 tanks, 2 Grad launchers eliminated": a side's losses listed
    # before the verb, the soldiers first
    (
        re.compile(
            rf"\b{_AMOUNT}\s+(?:russian\s+|enemy\s+|ukrainian\s+)?"
            r"(?P<who>servicemen|soldiers|troops|occupiers|invaders|militants)"
            r"(?:,\s+(?:and\s+)?\d+[^,.;]{1,30}){1,6}"
            r"(?:\s+(?:were|have\s+been))?\s+(?P<what>eliminated|destroyed|killed)\b",
            re.I,
        ),
        ("eliminat", "destroy", "kill"),
    ),
    # "Eleven civilians, including four children, sustained injuries"
    (
        re.compile(
            rf"\b{_AMOUNT}(?P<who>{_WHO})\s+(?:have\s+|had\s+|has\s+)?"
            r"(?P<what>(?:sustained|suffered|received)\s+(?:\S+\s+)?(?:injuries|wounds))\b",
            re.I,
        ),
        ("sustained", "suffered", "received"),
    ),
    # "killed 21 people", "killing at least 3", "left 100 injured", "wounding 5"
    (
        re.compile(
            r"\b(?P<what>killed|killing|kills|kill|wounded|wounding|injured|injuring|left|leaving"
            r"|eliminated|eliminating|executed|executing|murdered|murdering)\s+"
            # ("eliminated six units of enemy equipment": things, no one killed)
            rf"{_AMOUNT}(?!\s+(?:units?|pieces?|items?)\s+of\b)"
            rf"(?P<who>{_WHO})(?:\s+(?P<left>dead|injured|wounded|hurt))?\b",
            re.I,
        ),
        ("kill", "wound", "injur", "left", "leaving", "eliminat", "execut", "murder"),
    ),
    # "destroyed an entire company of tanks, six armored vehicles and about 40 invaders": the
    # people in a list of what was destroyed are killed (told as a claim of enemy losses)
    (
        re.compile(
            r"\b(?P<what>destroyed|destroying)\s+(?:[^.;]{0,80}?(?:,\s+|\s+and\s+))??"
            rf"{_AMOUNT}\s+(?:russian\s+|enemy\s+)?(?:invaders|occupiers|soldiers|servicemen|troops"
            r"|personnel|militants|paratroopers|fighters|mercenaries)\b",
            re.I,
        ),
        ("destroy",),
    ),
    # "death toll rose to 9", "toll of at least 10"
    (
        re.compile(
            # "the number of killed people in the district grew to eight"
            rf"\b(?P<what>death\s+toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities"
            r"|(?:killed|injured|wounded)(?:\s+people)?|people\s+(?:killed|injured|wounded)))"
            rf"\s+(?:\S+\s+){{0,14}}?(?:to|of|at|is|reached|hit)\s+{_AMOUNT}",
            re.I,
        ),
        ("toll", "number"),
    ),
    # "Ten people waiting in a queue for bread were killed"
    (
        re.compile(
            rf"\b{_AMOUNT}\s+(?:people|civilians|persons|residents)\b[^.;]{{0,50}}?\b(?:were|have\s+been)"
            rf"\s+(?P<what>{_KILLED}|{_INJURED})\b",
            re.I,
        ),
        ("were", "have"),
    ),
    # "Three educators died", "all five family members were killed": any plural noun before a
    # passive "were killed" or "died" is a group of victims, since only people are killed or
    # wounded; an active "two missiles killed" is no toll of two, nor is a year "2014".
    (
        re.compile(
            rf"\b(?!(?:19|20)\d\d\b){_AMOUNT}\s+(?:[a-z][\w'-]*\s+){{0,2}}?[a-z][\w'-]*s\b"
            # "two employees of the postal service"
            r"(?:\s+of\s+(?:the\s+)?(?:[a-z][\w'-]*\s+){0,2}?[a-z][\w'-]*)?"
            r"(?:(?:\s+(?:were|have\s+been|had\s+been|reportedly|reported))+\s+"
            rf"(?P<what>{_KILLED}|{_INJURED})|\s+(?P<died>died|perished|lost\s+their\s+lives))\b",
            re.I,
        ),
        _KILLED_OR_INJURED_WORDS,
    ),
    # "A family, both parents and their 3-year-old child, has been killed": three
    (
        re.compile(
            r"\b(?P<n>)(?P<three>(?:both\s+)?parents\s+and\s+their\s+(?:[\w-]+\s+){0,2}?"
            r"(?:child|son|daughter|baby|boy|girl))\b,?(?:\s+\w+){0,2}?"
            r"\s+(?:has|have|had|was|were)\s+(?:been\s+)?(?P<what>killed|shot\s+dead)\b",
            re.I,
        ),
        ("parents",),
    ),
    # "a family of three was killed": the family's members
    (
        re.compile(
            rf"\bfamily\s+of\s+(?P<n>{_NUMBER})\b(?:\s+\w+){{0,3}}?{_BE}\s+(?P<what>{_KILLED}|{_INJURED})\b",
            re.I,
        ),
        ("family",),
    ),
    # "the bodies of 45 soldiers", "five bodies were found"
    (re.compile(rf"\b(?P<what>bodies)\s+of\s+{_AMOUNT}", re.I), ("bodies",)),
    (re.compile(rf"\b{_AMOUNT}\s+(?P<what>bodies)\b", re.I), ("bodies",)),
    # "rescuers found the body of a victim", "found dead body in a house": one dead
    (re.compile(r"\bfound\s+(?P<n>an?|the|one)\s+(?:dead\s+)?(?P<what>body)\b", re.I), ("body",)),
    # "a civilian woman died", "the pilot died", "One municipal worker was killed": one victim
    (
        re.compile(
            rf"\b(?P<n>an?|the|one)\s+(?:[\w'-]+\s+){{0,3}}?(?P<who>{_ONE_VICTIM})"
            # "The navigator of the enemy aircraft died", "an officer of the emergency service"
            r"(?:\s+of\s+(?:the\s+|an?\s+)?(?:[\w'-]+\s+){0,2}?[\w'-]+)?"
            # passive for "killed" ("a soldier killed three" is no toll of one), plain for "died"
            r"(?:(?:\s+(?:was|has\s+been|had\s+been|reportedly))+\s+"
            r"(?P<what>killed|shot\s+dead|executed|injured|wounded|hurt)"
            r"|\s+(?P<died>died|was\s+found\s+dead|perished|lost\s+(?:his|her)\s+life))\b",
            re.I,
        ),
        ("kill", "shot", "execut", "injur", "wound", "hurt", "died", "dead", "perish", "lost"),
    ),
    # "Veteran Fox News cameraman Pierre Zakrzewski has died", "Major Yuri Timus died": a person
    # named is one victim
    (
        re.compile(
            # (an empty "n": the count is the name's, one)
            rf"\b(?P<n>)(?P<who>{_ONE_VICTIM}|major|colonel|lieutenant|captain|sergeant)\s+"
            # ("actor Pavlo Lee (Pasha Lee) was killed": the name he is known by)
            r"(?P<one>(?-i:[A-Z][\w'’-]+)(?:\s+(?-i:[A-Z][\w'’-]+)){1,2})(?:\s+\([^()]{1,40}\))?,?"
            # ("ATO veteran Nazar Kovalenko from Abrykosivka died from torture": where he was from)
            r"(?:\s+from\s+(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+)?)?"
            r"\s+(?:has\s+|had\s+)?"
            r"(?:(?:was|has\s+been)\s+(?P<what>killed|shot\s+dead)|(?P<died>died|was\s+found\s+dead))\b",
            re.I,
        ),
        ("killed", "died", "dead"),
    ),
    # "a veteran of the anti-terrorist operation from the village of Abrykosivka, Kherson region,
    # Nazar Kovalenko, died from the torture": what he was, then his name, is one victim
    (
        re.compile(
            rf"\b(?P<n>)an?\s+(?:[\w'-]+\s+){{0,2}}?(?P<who>{_ONE_VICTIM})\b[^.;]{{0,160}}?,\s+"
            r"(?P<one>(?-i:[A-Z][\w'’-]+)(?:\s+(?-i:[A-Z][\w'’-]+)){1,2}),\s+"
            r"(?:(?:was|has\s+been)\s+(?P<what>killed|shot\s+dead)|(?P<died>died))\b",
            re.I,
        ),
        ("killed", "died", "dead"),
    ),
    # "Yurii Chabakh, an operative of the district police, was shot dead by a Russian sniper":
    # a person named at the sentence's start, with what he was, is one victim
    (
        re.compile(
            r"^(?P<n>)(?P<one>(?-i:[A-Z][\w'’-]+)(?:\s+(?-i:[A-Z][\w'’-]+)){1,2})(?:,[^,]{1,160},)?"
            r"\s+(?:was|has\s+been|had\s+been)\s+(?P<what>killed|shot\s+dead|executed|murdered)\b",
            re.I,
        ),
        ("killed", "dead", "executed", "murdered"),
    ),
    # a headline's one victim, with no article: "NYT journalist shot dead by Russian military in
    # Irpin", "Pregnant woman, injured in airstrike on maternity hospital, dies"
    (
        re.compile(
            # ("Houses damaged, man injured in Russian airstrikes": after a headline's comma)
            rf"(?:^[^,]{{1,60}},\s+|^)(?P<n>)(?P<one>(?:[\w'-]+\s+){{0,3}}?(?P<who>{_ONE_VICTIM}))(?:,[^,]{{1,80}},)?\s+"
            r"(?:(?P<what>killed|shot\s+dead|injured|wounded)|(?P<died>dies|died))(?=\s+(?:in|by|near|at|after|as|during|while)\b|\s*[,.;:]|\s*$)",
            re.I,
        ),
        ("killed", "dead", "dies", "died", "injured", "wounded"),
    ),
    # "killed a man", "executed a civilian", "killing the pilot", "injuring a 12-year-old
    # child": one victim
    (
        re.compile(
            r"\b(?P<what>killed|killing|shot\s+dead|shooting\s+dead|executed|executing|murdered"
            rf"|murdering|injuring|wounding)\s+(?P<n>an?|the)\s+(?:[\w'-]+\s+){{0,3}}?(?P<who>{_ONE_VICTIM})\b",
            re.I,
        ),
        ("kill", "dead", "execut", "murder", "injuring", "wounding"),
    ),
    # "one of the pregnant women injured in the strike died": a death among the injured
    (
        re.compile(
            r"\b(?P<n>one|two|three)\s+of\s+the\s+(?:[\w'-]+\s+){0,3}?(?:injured|wounded)\b"
            r"(?:\s+[\w'-]+){0,8}?\s+(?:later\s+|has\s+|have\s+)?(?P<what>died)\b",
            re.I,
        ),
        ("died",),
    ),
    # "one person was killed, another was injured": another is one more
    (
        re.compile(
            r"\b(?P<n>another)(?:\s+(?:person|one|man|woman|civilian|soldier|child))?"
            r"(?:\s+(?:was|has\s+been))?\s+(?P<what>killed|injured|wounded|hurt|died)\b",
            re.I,
        ),
        ("another",),
    ),
    # "the killing of 12 civilians", "the deaths of at least five people"
    (
        re.compile(
            rf"\b(?P<what>killing|deaths)\s+of\s+{_AMOUNT}\s+(?:[\w'-]+\s+)?"
            r"(?:people|persons|civilians|residents|children|soldiers|servicemen|men|women)\b",
            re.I,
        ),
        ("killing", "deaths"),
    ),
    # "There were at least three fatalities"
    (re.compile(rf"\b{_AMOUNT}\s+(?P<what>fatalities)\b", re.I), ("fatalities",)),
    # "dozens of civilian killings"
    (
        re.compile(rf"\b(?P<n>{_VAGUE_RE})\s+of\s+(?:\w+\s+)?(?P<what>killings|deaths)\b", re.I),
        ("killings", "deaths"),
    ),
]
_TALLY = re.compile(
    r"\b(?:so\s+far|since\s+the\s+(?:start|beginning)|since\s+(?:february|feb\.?)\s+24"
    r"|since\s+the\s+invasion|in\s+total|in\s+a\s+week|total\s+of|overall)\b",
    re.I,
)
# "No one was killed", "no casualties were reported": zero is a figure the text gives.
_NONE_KILLED = re.compile(
    r"\b(?:no\s+one|nobody|no\s+(?:people|civilians))\s+(?:was|were|has\s+been|have\s+been)\s+killed"
    r"|\bno\s+(?:casualties|deaths|fatalities|victims)\s+(?:were|was|have\s+been|has\s+been)?\s*"
    r"(?:reported|recorded)|\b(?:there\s+(?:were|are)|with)\s+no\s+(?:casualties|deaths|fatalities|victims)\b",
    re.I,
)
_NONE_HURT = re.compile(
    r"\b(?:no\s+one|nobody)\s+(?:was|were|has\s+been)\s+(?:injured|hurt|wounded)"
    r"|\bno\s+(?:casualties|injuries|victims)\s+(?:were|was|have\s+been|has\s+been)?\s*"
    r"(?:reported|recorded)|\b(?:there\s+(?:were|are)|with)\s+no\s+(?:casualties|injuries|victims)\b",
    re.I,
)
_MILITARY = re.compile(r"\b(?:servicemen|soldiers|troops|personnel|military)\b", re.I)
_VICTIMS = re.compile(
    r"\b(civilians?|children|soldiers|servicemen|troops|police(?:men)?|journalists?)\b", re.I
)


_NEGATED = re.compile(rf"\b{NEGATOR}\s+$", re.I)
# "Two more children have died": the rise of a toll told elsewhere, not the toll. (The object
# of "injuring three more" is a count of its own and does not start the match.) After a figure
# of the other kind it is the second half of one toll: "two were killed and four more were
# injured" is four injured.
_INCREMENT = re.compile(
    rf"(?:{_QUALIFIER}\s+)?{_NUMBER}\s+(?:more|additional|further)\s+(?!than\b)\w", re.I
)
_KILLED_BEFORE = re.compile(r"\b(?:killed|dead|died|lost\s+their\s+lives),?\s+(?:and\s+)?$", re.I)
_INJURED_BEFORE = re.compile(r"\b(?:injured|wounded|hurt),?\s+(?:and\s+)?$", re.I)


@dataclass(frozen=True)
class Casualties:
    killed: Count | None
    injured: Count | None
    victims: str = ""
    tally: bool = False


# A toll that rises is told about a happening of days before: "Death toll from Kramatorsk
# missile strike rises to 57", "the number of victims in Podilskyi district grows to eight".
TOLL_UPDATE = re.compile(
    r"\btoll\b[^.;]{0,60}?\b(?:ris\w*|rose|grow\w*|grew|climb\w*|increas\w*|jump\w*|reach\w*)"
    r"|\bnumber\s+of\s+(?:victims|dead|deaths|killed|casualties|injured|wounded)\b[^.;]{0,50}?"
    r"\b(?:ris\w*|rose|grow\w*|grew|increas\w*|reach\w*)",
    re.I,
)
_NONE = Casualties(None, None)
# Every pattern above needs one of these words, or "lost their"; a sentence without them has
# no figure.
_CASUALTY_WORDS = (
    "kill", "dead", "died", "dies", "death", "perish", "wound", "injur", "hurt", "casualt",
    "hospitali", "bodies", "body", "toll", "execut", "eliminat", "murder", "fatalit", "alive",
    "destroy",
)  # fmt: skip
_ANY_CASUALTY_WORD = re.compile("|".join(_CASUALTY_WORDS) + r"|lost\s+their", re.I)


def _may_give_figures(sentence: str, lowered: str | None) -> bool:
    """The cheap test before every pattern: the words as substrings, and the regex only where
    they cannot tell (the gap in "lost their", non-ASCII text)."""
    if lowered is not None:
        if may_contain(lowered, _CASUALTY_WORDS):
            return True
        if "lost" not in lowered:
            return False
    return _ANY_CASUALTY_WORD.search(sentence) is not None


def _value(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS[word]
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return _UNITS[parts[0]] + _UNITS[parts[1]]
    return None


def _count(m: re.Match[str]) -> Count | None:
    if m.groupdict().get("one"):
        return Count(1, 1, "exact", m.group(0))
    if m.groupdict().get("three"):
        return Count(3, 3, "exact", m.group(0))
    n = m.group("n")
    if n is None:
        return None
    qualifier_words = (m.groupdict().get("q") or "").strip().lower()
    if n.lower() in _VAGUE:
        return Count(None, None, "vague", n.lower())
    value = _value(n)
    if value is None:
        return None
    lo = m.groupdict().get("lo")
    low = _value(lo) if lo else None
    if low is not None and low < value:
        return Count(low, value, "exact", m.group(0))
    if qualifier_words in ("at least", "more than", "over"):
        return Count(value, None, "at_least", m.group(0))
    if qualifier_words.startswith("up to") or qualifier_words == "as many as":
        return Count(None, value, "up_to", m.group(0))
    if qualifier_words:
        return Count(value, value, "approximate", m.group(0))
    return Count(value, value, "exact", m.group(0))


# "killing four soldiers and one civilian": a second group of the same toll
_MORE_VICTIMS = re.compile(
    # "killing two men and a boy": "a" counts one
    rf"(?:,\s+|,?\s+and\s+)(?P<n>{_NUMBER}|an?)\s+(?:[\w'-]+\s+){{0,2}}?"
    r"(?:civilians?|soldiers?|servicem[ae]n|people|persons?|children|child|women|woman|men|man"
    r"|residents?|troops|policem[ae]n|volunteers?|boys?|girls?|teenagers?|defenders?|fighters?)\b"
    r"(?!\s+(?:were|was)\s+(?:injured|wounded|hurt))",
    re.I,
)

# "killed three children and their parents": the family of the victims named, counted
_KIN = re.compile(
    r",?\s+(?:and|with)\s+(?:their|his|her)\s+(?P<kin>parents|mother|father|wife|husband|son|daughter)\b",
    re.I,
)
_KIN_COUNT = {
    "parents": 2,
    "mother": 1,
    "father": 1,
    "wife": 1,
    "husband": 1,
    "son": 1,
    "daughter": 1,
}


def _and_more(count: Count, m: re.Match[str], sentence: str) -> Count:
    """ "killing four Ukrainian soldiers and one civilian" is five killed: one toll told in
    two groups, the verb before both."""
    verb_first = m.groupdict().get("what") is not None and m.start("what") < m.start("n")
    if not verb_first or count.low is None or count.low != count.high:
        return count
    more = _MORE_VICTIMS.match(sentence, m.end())
    extra = _value(more.group("n")) if more else None
    if more is None or extra is None:
        more = _KIN.match(sentence, m.end())
        extra = _KIN_COUNT[more.group("kin").lower()] if more else None
    if more is None or extra is None:
        return count
    total = count.low + extra
    return Count(total, total, count.qualifier, count.words + more.group(0))


_KILLED_WORD = re.compile(
    r"kill|dead|died|dies|perish|death|lost|shot|fatalit|bod(?:y|ies)|eliminat|execut|murder|alive"
    r"|destroy"
)


# "Three Ukrainian soldiers and one civilian were killed": one toll told in two groups, the
# subject before the verb (the verb-first form is _MORE_VICTIMS').
_GROUP = (
    r"(?:[\w'-]+\s+){0,2}?(?:civilians?|soldiers?|servicem[ae]n|people|persons?|children|child"
    r"|women|woman|men|man|residents?|policem[ae]n|volunteers?|boys?|girls?|adults?|troops"
    r"|defenders?)"
)
_TWO_GROUPS = re.compile(
    rf"\b(?P<a>{_NUMBER})\s+{_GROUP}\s+and\s+(?P<b>{_NUMBER}|an?)\s+{_GROUP}"
    rf"{_BE}\s+(?P<what>{_KILLED}|{_INJURED})\b",
    re.I,
)
# "20 civilians, 12 troops killed by shelling": a headline's comma for "and", between
# civilians and soldiers only ("Seven people, two children" are the seven and some of them)
_CIVIL_GROUP = r"(?:[\w'-]+\s+){0,2}?(?:civilians?|residents?)"
_MILITARY_GROUP = r"(?:[\w'-]+\s+){0,2}?(?:troops|soldiers?|servicem[ae]n|defenders?|fighters?)"
_COMMA_GROUPS = re.compile(
    rf"\b(?P<a>{_NUMBER})\s+(?:{_CIVIL_GROUP},\s+(?P<b>{_NUMBER})\s+{_MILITARY_GROUP}"
    rf"|{_MILITARY_GROUP},\s+(?P<c>{_NUMBER})\s+{_CIVIL_GROUP})"
    rf"{_BE}\s+(?P<what>{_KILLED}|{_INJURED})\b",
    re.I,
)


def _two_groups(sentence: str, lowered: str | None) -> tuple[bool, Count, tuple[int, int]] | None:
    """(is it killed, the sum, its span) of a toll told as two groups before the verb."""
    # (the two groups are joined by "and")
    m = _TWO_GROUPS.search(sentence) if may_contain(lowered, ("and",)) else None
    if m is None and may_contain(lowered, (",",)):
        m = _COMMA_GROUPS.search(sentence)
    a, b = (_value(m.group("a")), _value(m["b"] or m["c"])) if m else (None, None)
    if m is None or a is None or b is None:
        return None
    return _is_killed(m.group("what").lower()), Count(a + b, a + b, "exact", m.group(0)), m.span()


def _is_killed(what: str) -> bool:
    return bool(_KILLED_WORD.search(what))


def _second_half(m: re.Match[str], sentence: str) -> bool:
    """ "N more" right after a figure of the other kind: "one killed and one more wounded"."""
    what = (m.groupdict().get("what") or m.groupdict().get("died") or "").lower()
    before = _INJURED_BEFORE if _is_killed(what) else _KILLED_BEFORE
    return before.search(sentence, max(0, m.start() - 40), m.start()) is not None


def _matches(sentence: str, lowered: str | None) -> Iterator[re.Match[str]]:
    """The matches of every pattern in turn, of the patterns whose words the sentence has."""
    for pattern, words in _PATTERNS:
        if may_contain(lowered, words):
            yield from pattern.finditer(sentence)


# Wire copy, boilerplate and a story indexed again repeat sentences word for word (two
# thirds of the clauses of the real-text corpus): what depends only on the text is read once.
@lru_cache(maxsize=8192)
def find_casualties(sentence: str, rules: Rules = RULES) -> Casualties:
    """Killed and injured in a sentence; a nationwide running tally is flagged, not a city toll."""
    killed: Count | None = None
    injured: Count | None = None
    lowered = ascii_lower(sentence)
    if not _may_give_figures(sentence, lowered):
        return _NONE  # most sentences: one cheap scan instead of every pattern
    spans: list[tuple[int, int]] = []
    grouped = _two_groups(sentence, lowered)
    if grouped is not None:
        is_killed, total, span = grouped
        killed, injured = (total, None) if is_killed else (None, total)
        spans.append(span)
    for m in _matches(sentence, lowered):
        if _NEGATED.search(
            sentence[max(0, m.start() - rules.figure_negation_reach) : m.start()]
        ) or re.match(r"no\s+one\b", m.group(0), re.I):
            continue
        if _INCREMENT.match(m.group(0)) and not _second_half(m, sentence):
            continue
        # "on March 9 died" is a date; "on 9 March 5 people died" names who.
        dated = m.group("n") and _AFTER_MONTH.search(sentence, 0, m.start("n"))
        if dated and not (m.groupdict().get("who") or "").strip():
            continue
        count = _count(m)
        if count is None:
            continue
        count = _and_more(count, m, sentence)
        what = (m.groupdict().get("left") or m.group("what") or m.groupdict()["died"]).lower()
        if what in ("left", "leaving"):
            continue
        is_killed = _is_killed(what)
        if is_killed and killed is None:
            killed = count
            spans.append(m.span())
        elif not is_killed and injured is None and what != "casualties":
            injured = count
            spans.append(m.span())
    if killed is None and _NONE_KILLED.search(sentence):
        killed = Count(0, 0, "exact", "no one killed")
    if injured is None and _NONE_HURT.search(sentence):
        injured = Count(0, 0, "exact", "no one injured")
    # Who the figures are about is said next to them: "Russian troops ... injuring four people"
    # is about four people, not troops.
    near = " ".join(sentence[start : end + rules.victims_reach] for start, end in spans)
    victims_m = _VICTIMS.search(near)
    tally = bool(_TALLY.search(sentence)) and bool(_MILITARY.search(sentence))
    return Casualties(killed, injured, victims_m.group(1).lower() if victims_m else "", tally)
