"""Who reports or claims what a sentence says ("according to Reuters", "the governor said")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from store.extract.lexicon import (
    ACCORDING_TO,
    REPORT_VERB,
    REPORT_VERBS,
    ascii_lower,
    may_contain,
)
from store.extract.rules import RULES, Rules

_SOURCE = r"[A-Z\w'’.\- ]{2,80}?"
_ACCORDING = re.compile(
    rf"{ACCORDING_TO}({_SOURCE})(?=[,.;:]|\s+(?:news|which|who|that)\b|$)", re.I
)
_VERB = REPORT_VERB
# "Recent missile strikes say a lot about Russia": a figure of speech, not a source.
_SUBJECT_BEFORE = re.compile(
    rf"(?:^|[,;:\"“]\s*|\bthat\s+)((?:the\s+)?[^,;:\"“]{{2,70}}?)\s+{_VERB}\b"
    r"(?!\s+(?:a\s+lot|much|little|nothing|something|volumes)\b)",
    re.I,
)
_SUBJECT_AFTER = re.compile(rf"[,\"”]\s*{_VERB}\s+((?:the\s+)?[^,.;]{{2,70}}?)\s*(?:[.,;]|$)", re.I)
# Headlines name their source last: "... in Luhansk, Donetsk regions – General Staff".
# Not after a full stop: "... Luhansk Region. — Ukrinform." signs the wire's own item.
_TRAILING = re.compile(
    r"(?<![.!?])(?:,\s*|\s)[–—-]\s+([A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,4}"
    r"|(?:regional|city|local|military|state)\s+(?:administration|authorities|governor|council)"
    # "Bucha liberated from Russian occupiers, - mayor", "... – governor Kyrylenko"
    r"|(?:mayor|governor|head\s+of\s+\w+)(?:\s+[A-Z][\w'’.]*){0,3})"
    # (a site's stamp and name may follow: "..., - City Council (01.04.22 10:00) « War in
    # Ukraine | Censor.NET")
    r"\s*\.?(?:\s*\(\d\d\.\d\d\.\d\d(?:\d\d)?\s+\d\d?:\d\d\)\s*«[^«»]*»?)?\s*$"
)
# Each pattern with words one of which its every match contains: most sentences name no source.
_SOURCES = (
    (_ACCORDING, ("according",)),
    (_SUBJECT_BEFORE, REPORT_VERBS),
    (_SUBJECT_AFTER, REPORT_VERBS),
    (_TRAILING, ("-", "–", "—")),
)
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\b", re.I)
_NOT_SOURCES = re.compile(
    r"^(?:(?:it|he|she|they|this|that|there|which|who|we|i|you|one|no|nobody|none)\b|(?:statement|video"
    r"|footage|reports?)$"
    # "During an air raid alert announced earlier", "According to preliminary reports": a
    # phrase of time or of hearsay, not who speaks
    r"|(?:during|in|on|at|after|before|for|with|from|over|amid|despite|since|according)\b"
    # "Another two injured were reported Thursday morning": what is reported, not who reports
    r"|.*\b(?:was|were|is|are|been|being)$)",
    re.I,
)
# "Fighting continued in Ukraine as Russia claimed ...": who speaks is the last clause's subject.
_CLAUSE_BEFORE = re.compile(
    r"^.*\b(?:as|while|after|when|because|since|but|where|whereas)\s+", re.I
)
# Belligerents' own announcements are claims, however phrased.
_PARTY = re.compile(
    r"\b(?:russia|russian|moscow|kremlin)\w*.{0,20}\b(?:ministry|military|army|forces)\b"
    # and Ukraine's military: "the General Staff", "the Armed Forces of Ukraine", "OC North"
    r"|\bgeneral\s+staff\b|\barmed\s+forces\s+of\s+ukraine\b|\boperational\s+command\b"
    r"|\bukrain\w*.{0,20}\b(?:defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e|military|army"
    r"|armed\s+forces)\b",
    re.I,
)

# ... and so are its government's, named by its country or capital: "Moscow says its missiles
# destroyed an arms depot", "Kyiv says it retook the town".
_GOVERNMENT = re.compile(r"(?:russia|moscow|kremlin|kyiv|kiev|ukraine)", re.I)


# A side telling its own successes or the enemy's losses makes a claim, even when the sentence
# names no one who says so: "Ukrainian defenders shot down an enemy plane", "Azov destroyed
# three enemy tanks", "the invaders lost 40 soldiers"; and "Russian forces destroyed a Ukrainian
# air defence system", "took full control of Kherson". (Fire on towns and civilians is the
# other side's account, not a success claimed.)
_SUCCESS = (
    r"(?:destroy\w*|shot\s+down|shoots?\s+down|downed|down\s+(?:an?\s+)?enemy|repel\w*|repuls\w*"
    r"|liberat\w*|eliminat\w*|neutrali[sz]\w*|recaptur\w*|regain\w*|counter-?attack\w*"
    r"|(?:launched|began|started)\s+(?:a\s+)?counter-?offensive"
    r"|took\s+(?:\w+\s+)?prisoner|pushed\s+(?:\w+\s+)?back|hit\s+(?:\w+\s+){0,2}?(?:tanks?|enemy))"
)
_SIDES = (
    (
        "Ukrainian forces",
        re.compile(
            r"\b(?:ukrain\w*\s+(?:\w+\s+){0,2}?(?:forces|troops|military|army|defenders|soldiers"
            r"|paratroopers|units?|navy|artillery|brigade|marines|air\s+defen[cs]e|pilots?)"
            r"|armed\s+forces|defen[cs]e\s+forces|azov(?:\s+regiment)?|national\s+guard|territorial\s+defen[cs]e"
            r"|(?:our\s+)?defenders|paratroopers|air\s+defen[cs]e\s+(?:units|forces|systems))\b"
            # ("Soldiers of the Defense Forces of the Zaporizhia Region continue the military
            # operation and systematically destroy enemy equipment")
            rf"(?:\s+\S+){{0,10}}?\s+{_SUCCESS}"
            r"|\b(?:enemy|invaders|occupiers|russians?)\s+(?:\w+\s+){0,3}?(?:lost|losses)\b"
            # "Ukraine says Russian forces pushed back around Kyiv", "more territory retaken"
            r"|\b(?:russian|enemy)\s+(?:\w+\s+){0,2}?(?:forces|troops)\s+(?:(?:were|have\s+been)\s+"
            r"(?:pushed\s+back|repelled|repulsed|driven\s+(?:back|out))"
            r"|pushed\s+back\s+(?:around|from|near|in|out)\b)"
            r"|\b(?:territory|territories|villages|settlements|towns)\s+(?:\w+\s+){0,5}?"
            r"(?:retaken|recaptured|regained)\b",
            re.I,
        ),
    ),
    (
        "Russian forces",
        re.compile(
            r"\b(?:russia\w*\s+(?:\w+\s+){0,2}?(?:forces|troops|military|army|units?)"
            r"|(?:DPR|LPR|people's\s+militia|allied\s+forces))\b(?:\s+\S+){0,6}?\s+"
            r"(?:(?:destroy\w*|hit|struck|shot\s+down|downed)\s+(?:\S+\s+){0,4}?(?:ukrainian\s+)?"
            r"(?:military\s+\w+|tanks?|positions|depots?|air\s+defen[cs]e|radars?|aircraft|drones?"
            r"|weapons|equipment|nationalists|battalions?|command\s+posts?|s-300|bayraktar)"
            # "Russia says its forces clear most of Mariupol"
            r"|took\s+(?:full\s+)?control|(?:have\s+|has\s+)?(?:taken|gained|established)\s+(?:full\s+)?control"
            r"|clear(?:s|ed)?\b|liberat\w*|repel\w*|repuls\w*)",
            re.I,
        ),
    ),
)


# Who speaks for a side in the war: its officials and armed forces, not the press.
_OFFICIAL = re.compile(
    r"\b(?:mayor|governor|head|administration|council|ministry|minister|general\s+staff"
    r"|military|army|forces|command|president|zelensk\w*|spokes\w+|regiment|brigade)\b",
    re.I,
)


def official_source(source: str) -> bool:
    """Whether the source is a side's official or armed force ("mayor Markushin", "the
    General Staff"), whose account of its own side's gains is that side's claim."""
    return bool(_OFFICIAL.search(source))


# (repeated sentences, and a sentence's every place: see casualties.find_casualties)
@lru_cache(maxsize=8192)
def success_claimant(sentence: str) -> str | None:
    """The side whose own success (or whose enemy's losses) the sentence tells, if any."""
    for side, pattern in _SIDES:
        if pattern.search(sentence):
            return side
    return None


@dataclass(frozen=True)
class Attribution:
    source: str
    is_claim: bool
    # Where each source is named in the sentence: words there name who reports, not what
    # happened, where or to whom.
    spans: tuple[tuple[int, int], ...] = ()


def _clean(source: str) -> str:
    source = re.sub(r"\s+(?:on|in|late|early)\s+\w+$", "", source.strip())
    source = re.sub(r"(?:\s+(?:have|has|had|also|later|reportedly|earlier))+$", "", source)
    source = re.sub(r"^(?:the|a|an)\s+", "", source, flags=re.I)
    return re.sub(r"\s+", " ", source).strip(" .'’")


# (repeated sentences: see find_casualties)
@lru_cache(maxsize=8192)
def find_attribution(sentence: str, rules: Rules = RULES) -> Attribution | None:
    """The sources a sentence names, joined ("regional governor Oleg Synegubov; Reuters")."""
    found: list[tuple[int, int, str]] = []
    lowered = ascii_lower(sentence)
    for pattern, needed in _SOURCES:
        if not may_contain(lowered, needed):
            continue
        for m in pattern.finditer(sentence):
            cut = _CLAUSE_BEFORE.match(m.group(1))
            start = m.start(1) + (cut.end() if cut else 0)
            source = _clean(m.group(1)[start - m.start(1) :])
            words = source.split()
            if not source or _NOT_SOURCES.match(source) or len(words) > rules.source_max_words:
                continue
            if not any(w[:1].isupper() for w in words) and not re.search(
                r"\b(?:army|military|officials?|authorities|governor|mayor|ministry|police|media"
                r"|administration|council)\b",
                source,
                re.I,
            ):
                continue
            found.append((start, m.end(1), source))
    if not found:
        return None
    found.sort()
    names: list[str] = []
    for _, _, source in found:
        if all(source.lower() not in n.lower() and n.lower() not in source.lower() for n in names):
            names.append(source)
    is_claim = bool(_CLAIM.search(sentence)) or any(
        _PARTY.search(n) or _GOVERNMENT.fullmatch(n) for n in names
    )
    return Attribution("; ".join(names), is_claim, tuple((start, end) for start, end, _ in found))
