"""Split article text into sentences with offsets, and mark the parts that are not news."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from store.extract.lexicon import phrase_rules
from store.extract.prefilter import AnyOf
from store.extract.rules import RULES

# Lines that belong to the page, not to the story.
_BOILERPLATE = re.compile(
    r"^\s*(?:also read\b|read more\b|read also\b|follow (?:all|our|the|live)\b|full coverage\b"
    r"|see the video\b|watch\b|subscribe\b|click here\b|related\b|live updates?\b"
    r"|sign up\b|advertisement\b)",
    re.I,
)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Jr|Sr|No|vs|approx|Gov|Sen|Rep)\.|\b[A-Z]\.)$"
)
_BOUNDARY = re.compile(r"[.!?][\"”'’)]*(?=\s+[\"“'‘(]?[A-ZА-ЯІЇЄҐ0-9])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int
    # story | headline | related | boilerplate | repeat (of the headline)
    kind: str = "story"


def _is_headline(line: str) -> bool:
    """A short line without closing punctuation reads as a headline, not as a sentence."""
    stripped = line.strip()
    return (
        bool(stripped)
        and stripped[-1] not in ".!?\"”'’:"
        # words of its own: a site's stamp and name ("(08.04.22 13:49) « War in Ukraine |
        # Censor.NET") make no headline a sentence
        and len(_FURNITURE.sub("", stripped).split()) <= RULES.headline_max_words
    )


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of text in order, each with its character span in text.

    Paragraphs are lines. A lone "-" line starts a block of related-story teasers, which
    we keep out of the story to the end of the article.
    """
    sentences: list[Sentence] = []
    offset = 0
    in_related = False
    paragraph = 0
    first_content_line = True
    for line in text.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            continue
        paragraph += 1
        if body.strip() in ("-", "–", "—", "*"):
            in_related = True
            continue
        if in_related:
            kind = "related"
        elif _BOILERPLATE.match(body):
            kind = "boilerplate"
        elif _is_headline(body):
            # The first line of an article is its own headline, worth reading; a headline
            # further down is a teaser for another story.
            kind = "headline" if first_content_line else "related"
        else:
            kind = "story"
        first_content_line = False
        sentences.extend(_split_line(body, line_start, paragraph, kind))
    return _without_repeated_headline(sentences)


def _without_repeated_headline(sentences: list[Sentence]) -> list[Sentence]:
    """A lead that opens by restating its headline under a posting stamp ("10.04.22 20:58 -
    Shelling of Kramatorsk: Kyrylenko on Kramatorsk.") tells nothing twice: the restatement is
    marked "repeat", so one line is not read as two reports (one dated, one not)."""
    headline = next((s for s in sentences if s.kind == "headline"), None)
    story = next((s for s in sentences if s.kind == "story"), None)
    if headline is None or story is None or _bare(headline.text) != _bare(story.text):
        return sentences
    return [replace(s, kind="repeat") if s is story else s for s in sentences]


def _bare(text: str) -> str:
    # words only: the lead's copy drops the headline's quotes ("Captain Belousov" icebreaker)
    return " ".join(_BARE_WORD.findall(clean_summary(text).lower()))


_BARE_WORD = re.compile(r"\w+")


def _split_line(body: str, line_start: int, paragraph: int, kind: str) -> list[Sentence]:
    parts: list[Sentence] = []
    start = len(body) - len(body.lstrip(" -–—•\t"))
    for m in _BOUNDARY.finditer(body):
        end = m.end()
        if _ABBREVIATIONS.search(body[start:end]):
            continue
        parts.append(_make(body, start, end, line_start, paragraph, kind))
        start = end
    if start < len(body.rstrip()):
        parts.append(_make(body, start, len(body.rstrip()), line_start, paragraph, kind))
    return [p for p in parts if p.text]


def _make(body: str, start: int, end: int, line_start: int, paragraph: int, kind: str) -> Sentence:
    chunk = body[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    text = chunk.strip()
    return Sentence(
        text, line_start + start + lead, line_start + start + lead + len(text), paragraph, kind
    )


# What a site or a wire adds around a sentence: a posting stamp, a section and site name, a
# live-blog prefix, the agency's sign-off. A summary shows the sentence without them.
_FURNITURE = re.compile(
    r"\s*\(\d\d\.\d\d\.\d\d(?:\d\d)?\s+\d\d?:\d\d\)"  # "(31.03.22 10:45)"
    r"|\s*«[^«»]*(?:»|$)"  # "« War in Ukraine | Censor.NET"
    r"|^\s*\d\d\.\d\d\.\d\d(?:\d\d)?\s+\d\d?:\d\d\s*[-–—]\s*"  # "30.04.22 11:44 -"
    # "Latest Ukraine updates:", "Ukraine war update:"
    r"|^\s*(?:(?:latest|live)\s+)?(?:[\w'-]+\s+){0,3}(?:latest\s+)?updates?:\s*"
    r"|^\s*(?:[\w'-]+\s+){0,2}news\s+from\s+\w+\s+\d{1,2}:\s*"  # "Ukraine news from March 20:"
    r"|\s*[-–—]\s*Ukrinform\.?\s*$"  # ". — Ukrinform."
    r"|\s+View\s+(?:photo\s+|video\s+)?news\.?\s*$",  # "... offensive View news."
    re.I,
)


# "shelling of Nova Poshta office in Kharkiv: As a result of shelling of ...": a site's topic
# line before the sentence that restates it.
TOPIC = re.compile(r"^([^:.!?]{3,80}):\s+(?=\S+(?:\s+\S+){3})")
_TOPIC_WORD = re.compile(r"[^\W\d_]{4,}")


def _drop_topic(sentence: str) -> str:
    """Without a topic prefix that is in another script ("Авіаудар по Маріуполю: Russian
    aircraft ..."), a lower-case slug, or words the sentence repeats; "Zelensky: ..." stays."""
    m = TOPIC.match(sentence)
    if m is None:
        return sentence
    topic, rest = m.group(1), sentence[m.end() :]
    # words compared by their first five letters: "Shelling of Okhtyrka: ... shelled Okhtyrka"
    stems = [w.lower()[:5] for w in _TOPIC_WORD.findall(topic)]
    told = {w.lower()[:5] for w in _TOPIC_WORD.findall(rest)}
    foreign = not re.search(r"[A-Za-z]", topic)
    repeated = bool(stems) and sum(w in told for w in stems) >= 0.6 * len(stems)
    return rest if foreign or topic[0].islower() or repeated else sentence


def clean_summary(sentence: str) -> str:
    """The sentence as a summary shows it: without stamps, site names, sign-offs and a topic
    line that the sentence restates."""
    cleaned = _drop_topic(_FURNITURE.sub("", sentence).strip())
    return cleaned or sentence.strip()


WEAK = phrase_rules("summaries.toml", "weak")
_WEAK = AnyOf(w.pattern.pattern for w in WEAK)


def weak_summary(sentence: str) -> bool:
    """The sentence tells its event in a way a summary should not (data/summaries.toml)."""
    return _WEAK.search(sentence)
