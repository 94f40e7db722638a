"""The extraction loop, read top to bottom: sentences -> clauses -> readings -> candidates.

For each sentence the story is entered (discourse.py: the date in force, the place in context),
each clause is read once by every per-field step (reading.py), a reading that is no event is
dropped for a named reason (not_events.py), and an event yields one candidate per place.
"""

from __future__ import annotations

import re

from store.extract.actors import acting_side, find_actors
from store.extract.attribution import Attribution, official_source, success_claimant
from store.extract.casualties import Casualties, find_casualties
from store.extract.dates import digest_day
from store.extract.discourse import (
    Discourse,
    absorb_roll_ups,
    date_headlines,
    drop_additions,
    headlines_of_no_event,
    pass_on_source,
    placed_by_their_leads,
    placed_in_headline_towns,
    refers_back,
    share_targets,
    upgrade_kinds,
)
from store.extract.lexicon import ascii_lower, contains_any, may_contain
from store.extract.not_events import counts_or_looks_back, why_not_an_event
from store.extract.outlets import outlet_of
from store.extract.reading import Clause, Reading, read_clause
from store.extract.rules import RULES, Rules, is_trusted
from store.extract.sentences import Sentence, split_sentences, weak_summary
from store.extract.taxonomy import LOOTING, OVERTAKES, REGAINS, classify, family, find_target
from store.extract.where import oblasts_named, place_precision, segment
from store.gazetteer import Gazetteer, PlaceMention
from store.models import Article, Candidate, ExtractionResult

# Same length as what it replaces, so offsets into the cleaned text are offsets into the article.
_APOSTROPHES = ("’", "‘", "`", "ʼ")
_HEADER = re.compile(r"^\s*date\s+\d{4}-\d\d-\d\d\s*", re.I)
# A site's rubric that names the war at a place ("Battle for Donbas: War in Donetsk region",
# "Fight for Mariupol: In Azovstal's underground, wounded defenders are being operated on") or
# the crimes of the war ("Murders in Bucha: The occupier from Vladivostok promises to continue
# killing Ukrainians", "Crimes of the Russian Federation in Bucha: ...", "Russian war crimes:")
# is no happening told: the headline after it tells what happened, or nothing. Blanked, at a
# line's start or after a posting stamp ("29.03.22 21:48 - Battle for Donbas: ...").
_RUBRIC = re.compile(
    r"(?:^|(?<=\n)|(?<=\d\d:\d\d - ))[ \t]*(?:"
    r"(?i:(?:the\s+)?(?:battle|fight|struggle|war|defen[cs]e)\s+(?:for|of|in)\s+(?:the\s+)?)"
    r"[A-Z][\w'-]+(?i:\s+region)?"
    r"|(?i:(?:the\s+)?(?:(?:russian|russia's|occupiers'?)\s+)?(?:war\s+)?"
    r"(?:murders?|atrocit(?:y|ies)|crimes?|genocide|torture|massacre|(?:mass\s+)?killings?)"
    r"(?:\s+(?:of|in|by)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+)?)"
    r"):(?=\s)",
)
_RUBRIC_WORDS = (
    *("battle ", "fight ", "struggle ", "war ", "defence ", "defense "),
    *("murder", "atrocit", "crime", "genocide", "torture", "massacre", "killing"),
)
# Where a sentence turns to another happening: "which saw ...", ";", and ", but": "Ukrainian
# troops recaptured Irpin, but Vorzel, Bucha and Hostomel are now under enemy control".
_CLAUSE = re.compile(
    r",?\s+which\s+(?=saw|has\s+seen|had\s+seen|left|killed|in\s+turn)|;\s+"
    # "evacuated from the Azovstal plant, which has been destroyed by shelling": the plant's past
    # is a clause of its own (not_events.toml drops it), so the evacuation keeps its kind
    r"|,\s+(?=which\s+(?:has|had|have)\s+been\b)"
    # ... and so is its state: "evacuated from the town, which is still being shelled"
    r"|,\s+(?=which\s+(?:is|are)\s+(?:\w+\s+)?(?:being\s+)?(?:shelled|bombed|attacked|under)\b)"
    # (not "..., but were repelled", "but also at houses": the same subject goes on)
    r"|,\s+but\s+(?!(?:were|was|also|then|had|have|has|not|later|is|are|only|still)\b)"
    # "... to kill 11 civilians, and in the village of Bohdanivka, a local resident died": the
    # next place's own happening
    r"|,\s+and\s+(?=in\s+(?:the\s+)?(?:village|town|city|settlement)\s+of\s)",
    re.I,
)


def extract_events(
    article: Article, gazetteer: Gazetteer, rules: Rules = RULES
) -> ExtractionResult:
    """Every event the article reports, one candidate per (clause, place)."""
    result = ExtractionResult()
    if article.published is None:
        result.warnings.append(f"{article.id}: no publication date; relative dates are unknown")
    text = _clean(article.text)
    sentences = [s for s in split_sentences(text) if s.kind in ("story", "headline")]
    published = digest_day(text, article.published, rules)
    story = Discourse(published, oblasts_named(text, gazetteer), rules)
    # The story's readings that count or look back instead of telling a happening
    looks_back: list[Reading] = []
    for index, sentence in enumerate(sentences):
        story.enter(sentence, index)
        for number, (offset, words) in enumerate(_clauses(sentence)):
            reading = read_clause(Clause(sentence, index, number, offset, words), story, gazetteer)
            if reading.kind is None and number == 0:
                pass_on_source(result.candidates, sentence, sentences[index - 1] if index else None)
            if why_not_an_event(reading, published, rules):
                if sentence.kind == "story" and counts_or_looks_back(reading, published, rules):
                    looks_back.append(reading)
                continue
            if reading.report_only:
                following = sentences[index + 1].text if index + 1 < len(sentences) else None
                reading.when = story.report_day(reading.when, number, following)
            result.candidates.extend(_candidates(reading, article, story))
    headline_ends = {s.end for s in sentences if s.kind == "headline"}
    result.candidates = headlines_of_no_event(
        result.candidates, headline_ends, [m.place for r in looks_back for m in r.places]
    )
    date_headlines(result.candidates, headline_ends)
    result.candidates = placed_by_their_leads(result.candidates, headline_ends)
    placed_in_headline_towns(
        result.candidates, headline_ends, _headline_places(sentences, gazetteer), rules
    )
    upgrade_kinds(result.candidates, text)
    # (after the kinds are settled: "two people were injured in the attack" is the strike's)
    share_targets(result.candidates, text)
    result.candidates = absorb_roll_ups(result.candidates)
    drop_additions(result.candidates)
    return result


def _headline_places(sentences: list[Sentence], gazetteer: Gazetteer) -> tuple[PlaceMention, ...]:
    """Every place the headlines name, whether or not they tell an event (each headline read
    once: `find` keeps the texts it was asked, and the clauses asked it already)."""
    return tuple(m for s in sentences if s.kind == "headline" for m in gazetteer.find(s.text))


def _clean(text: str) -> str:
    """Unified apostrophes, a blanked `date ...` header and blanked rubrics, keeping every
    offset."""
    for apostrophe in _APOSTROPHES:  # str.translate takes ~50 µs a KB once a text has non-ASCII
        text = text.replace(apostrophe, "'")
    header = _HEADER.match(text)
    if header:
        text = " " * header.end() + text[header.end() :]
    if contains_any(text.lower(), _RUBRIC_WORDS):
        text = _RUBRIC.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _clauses(sentence: Sentence) -> list[tuple[int, str]]:
    """(offset in sentence, text) of the main clause and of a trailing "which saw ..." clause."""
    if not may_contain(ascii_lower(sentence.text), ("which", ";", "but", "and in")):
        return [(0, sentence.text)]  # every break has one of them; most sentences neither
    parts, start = [], 0
    for m in _CLAUSE.finditer(sentence.text):
        parts.append((start, sentence.text[start : m.start()]))
        start = m.end()
    parts.append((start, sentence.text[start:]))
    return parts


def _candidates(reading: Reading, article: Article, story: Discourse) -> list[Candidate]:
    """One candidate per place of an event reading."""
    assert reading.kind is not None
    clause, kind = reading.clause, reading.kind
    actor1, actor2 = find_actors(reading.unsourced, kind.start)
    target = find_target(reading.unsourced, kind.start, story.rules)
    follow_up = reading.has_figures and story.follows_place()
    claimed_by, is_claim = _claim(reading.attribution, article, clause.sentence.text)
    found = []
    for mention in reading.places:
        # "shelled Chernihiv overnight, air strikes hit Nizhyn": each place takes the kind of
        # event told in its own part of the clause.
        several = len(reading.places) > 1
        own = segment(clause.text, mention) if several and reading.how == "exact" else None
        place_kind = (classify(own, story.rules) if own else None) or kind
        if place_kind.sub_event_type == LOOTING and family(kind.sub_event_type) == "strike":
            # "fired artillery on the Sumy region, damaging a building in Atynske": the damage
            # the strike did there, not property destroyed by hand
            place_kind = kind
        if (
            place_kind.sub_event_type == OVERTAKES
            and acting_side(reading.unsourced, kind.start) == "Ukrainian forces"
        ):
            # "Ukrainian forces took control of Enerhodar": the government regains it
            place_kind = REGAINS
        # "killed two people in Sumy and four in Okhtyrka", "shelled Donetsk and Luhansk
        # regions, killing two": with several places, a place has only the figures of its own
        # part of the clause; the text gives no toll for it otherwise.
        toll: Casualties = (
            find_casualties(own or "", story.rules) if several else reading.casualties
        )
        if several and _listed(clause.text, mention, reading.places):
            # "killed two civilians in Rubizhne and Sievierodonetsk": the toll of the list,
            # which the text does not split between its towns
            toll = Casualties(None, None)
        # "Irpin liberated from Russian occupiers, - mayor": a town regained, told by the
        # side that regained it, is its claim
        own_gain = place_kind.sub_event_type == REGAINS.sub_event_type and official_source(
            claimed_by
        )
        confidence = _confidence(reading, mention, story.rules)
        if reading.how == "inferred" and not refers_back(clause.text) and not follow_up:
            # "More than 100 others were wounded" right after the named place is kept.
            confidence = min(confidence, story.rules.unanchored_cap)
        if is_trusted(confidence, story.rules):
            story.remember_kind(kind)
        found.append(
            Candidate(
                article_id=article.id,
                place=mention.place,
                place_precision=place_precision(mention.place, reading.how),
                date=reading.when,
                event_type=place_kind.event_type,
                sub_event_type=place_kind.sub_event_type,
                sentence=_told_in(clause, article),
                start=clause.sentence.start,
                end=clause.sentence.end,
                target=target,
                actor1=actor1,
                actor2=actor2,
                killed=toll.killed,
                injured=toll.injured,
                victims=toll.victims,
                claimed_by=claimed_by,
                is_claim=is_claim or own_gain,
                confidence=confidence,
            )
        )
    return found


def _told_in(clause: Clause, article: Article) -> str:
    """The sentence the event is told in, or its own part of it between semicolons: a digest's
    "Missiles hit a repair plant near Lviv airport; Biden and Xi discuss the war" shows the
    first part only."""
    sentence = article.text[clause.sentence.start : clause.sentence.end]
    if ";" not in sentence:
        return sentence
    start = sentence.rfind(";", 0, clause.offset) + 1
    end = sentence.find(";", clause.offset + 1)
    return sentence[start : end if end >= 0 else len(sentence)].strip()


_LIST_GAP = re.compile(r"\s*(?:,\s*and|,|and)\s+")


def _listed(clause: str, mention: PlaceMention, places: list[PlaceMention]) -> bool:
    """The place is named in a list with the next one ("in Rubizhne and Sievierodonetsk")."""
    return any(
        other.start > mention.end and _LIST_GAP.fullmatch(clause, mention.end, other.start)
        for other in places
    )


def _claim(attribution: Attribution | None, article: Article, sentence: str) -> tuple[str, bool]:
    """(who says so, is it a claim): the sentence's source, and a claim when a belligerent
    says it, in the text or as the outlet ("RT (Russian state media)"), or tells its own
    successes ("Ukrainian defenders shot down an enemy plane")."""
    claimed_by = attribution.source if attribution else ""
    is_claim = attribution.is_claim if attribution else False
    if not is_claim and (side := success_claimant(sentence)):
        claimed_by, is_claim = claimed_by or side, True
    outlet = outlet_of(article)
    if outlet is not None and outlet.speaks_for_a_party:
        return (f"{claimed_by} via {outlet.label}" if claimed_by else outlet.label), True
    return claimed_by, is_claim


def _confidence(reading: Reading, mention: PlaceMention, rules: Rules) -> float:
    """0.9 for a named place on a named day, less for each reason to doubt it."""
    score = rules.confidence_base
    if reading.clause.sentence.kind == "headline":
        score -= rules.headline_penalty
    if reading.how == "inferred":
        score -= rules.inferred_penalty
    if weak_summary(reading.clause.sentence.text):
        score -= rules.weak_summary_penalty
    if len(reading.places) >= rules.round_up_places:
        score -= rules.weak_summary_penalty
    if mention.how == "fuzzy":
        score -= rules.fuzzy_penalty
    if reading.when.precision == "approximate":
        score -= rules.approximate_penalty
    elif reading.when.precision == "unknown":
        score -= rules.unknown_date_penalty
    if mention.place.kind == "country":
        score = min(score, rules.country_cap)
    return round(max(score, 0.0), 2)
