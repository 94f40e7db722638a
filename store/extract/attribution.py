"""Who reports or claims what a sentence says ("according to Reuters", "the governor said")."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    r"|(?:regional|city|local|military|state)\s+(?:administration|authorities|governor|council))"
    r"\s*\.?\s*$"
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
    r"|(?:during|in|on|at|after|before|for|with|from|over|amid|despite|since|according)\b)",
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
    is_claim = bool(_CLAIM.search(sentence)) or any(_PARTY.search(n) for n in names)
    return Attribution("; ".join(names), is_claim, tuple((start, end) for start, end, _ in found))
