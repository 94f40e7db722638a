"""Text and publication metadata in, candidate events out: pure, no database, no clock."""

from __future__ import annotations

import re
from datetime import date

from store.actors import find_actors
from store.attribution import Attribution, find_attribution
from store.casualties import find_casualties
from store.dates import back_reference, date_of_sentence, publication_phrase_date
from store.gazetteer import Gazetteer, PlaceMention, oblast_id
from store.models import Article, Candidate, ExtractionResult, Place, ResolvedDate
from store.sentences import Sentence, split_sentences
from store.settings import BACKGROUND_PATTERNS, MIN_CONFIDENCE
from store.taxonomy import Classification, classify, family, find_target

# Same length as what it replaces, so offsets into the cleaned text are offsets into the article.
_APOSTROPHES = ("’", "‘", "`", "ʼ")
_TITLE_AFTER = re.compile(
    r"^'?s?\s+(?:regional\s+|city\s+|oblast\s+|state\s+|military\s+)?(?:governor|mayor|officials?"
    r"|authorities|administration\s+(?:head|chief)|council\s+(?:authorities|officials)"
    r"|police\s+chief|head|spokes(?:man|woman|person))\b"
    # "the Kyiv regional administration said": a source, not a place where something happened
    r"|^'?s?\s+(?:regional\s+|city\s+|oblast\s+|state\s+|military\s+)*(?:administration|police"
    r"|council|prosecutor'?s?\s+office|emergency\s+service)\b(?=[^.]{0,40}\b(?:said|says|reported"
    r"|reports|stated|told|announced)\b)",
    re.I,
)
# "Podilskyi district", "Saltivka neighbourhood": a part of a city, which is named as well.
_DIRECTION_AFTER = re.compile(
    r"^\s+(?:and\s+[A-Z][\w'-]+\s+)?(?:operational\s+)?(?:directions?|axis|axes|front)\b", re.I
)
_DISTRICT_AFTER = re.compile(
    r"^(?:\s+and\s+[A-Z][\w'-]+)?\s+(?:districts?|neighbou?rhoods?|raions?|micro-?districts?)\b",
    re.I,
)
# "north of Mariupol", "on the outskirts of Kyiv": a reference point when another place is named.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?\s+of|outside|outskirts\s+of|edge\s+of"
    r"|from|towards?|advanc\w*\s+on|direction\s+of|road\s+to|route)\s+(?:the\s+)?"
    r"(?:occupied\s+|annexed\s+)?$",
    re.I,
)
_TITLE_BEFORE = re.compile(
    r"\b(?:governor|mayor|head|officials?|authorities|spokes\w+|embassy)\s+(?:of|in)\s+"
    r"(?:[\w']+\s+){0,4}$",
    re.I,
)
_REPORTED_CONTENT = re.compile(
    r"\b(?:said|says|claimed|claims|confirmed|reported|announced|stated)\b[^.]*?\bthat\b", re.I
)
_ANAPHOR = re.compile(
    r"\b(?:the\s+(?:city|town|village|region|area|settlement|regional\s+centre)|there|local|"
    r"regional)\b",
    re.I,
)
_CONTEXT_SPAN = 3  # sentences a place stays in force for "the city" without a name


def _is_title_only(mention: PlaceMention, sentence: str) -> bool:
    """ "the Kherson governor", "governor of ... Kherson", "a Kyiv-based analyst"."""
    if mention.suffix == "-based" or _TITLE_AFTER.match(mention.suffix):
        return True
    return bool(_TITLE_BEFORE.search(sentence[max(0, mention.start - 60) : mention.start]))


def choose_places(
    sentence: str, mentions: list[PlaceMention], victims_named: bool = False
) -> list[PlaceMention]:
    """Where the sentence says its event happened, at most three places, in order.

    With `victims_named` (an abduction), "the Melitopol mayor" is where it happened.
    """
    kept = [
        m
        for m in mentions
        if (victims_named or not _is_title_only(m, sentence))
        and not _DISTRICT_AFTER.match(m.suffix)
    ]
    main = [
        m for m in kept if not _REFERENCE_BEFORE.search(sentence[max(0, m.start - 30) : m.start])
    ]
    if main and len(main) < len(kept):
        kept = main
    content = _REPORTED_CONTENT.search(sentence)
    if content:
        after = [m for m in kept if m.start >= content.end()]
        if after:
            kept = after
    local = [m for m in kept if m.place.country == "UA" and m.place.kind != "country"]
    if local:
        cities_admin1 = {m.place.admin1 for m in local if m.place.kind == "city"}
        local = [m for m in local if m.place.kind == "city" or m.place.admin1 not in cities_admin1]
        chosen: dict[int, PlaceMention] = {}
        for m in local:
            chosen.setdefault(m.place.id, m)
        return list(chosen.values())[:3]
    abroad = [m for m in kept if m.place.country != "UA"]
    return abroad[:1] if abroad else kept[:1]


def _confidence(sentence: Sentence, mention: PlaceMention, how: str, when: ResolvedDate) -> float:
    score = 0.9
    if sentence.kind == "headline":
        score -= 0.1
    if how == "inferred":
        score -= 0.15
    if mention.how == "fuzzy":
        score -= 0.05
    if when.precision == "approximate":
        score -= 0.1
    elif when.precision == "unknown":
        score -= 0.2
    if mention.place.kind == "country":
        score = min(score, 0.3)
    return round(max(score, 0.0), 2)


_HEADER = re.compile(r"^\s*date\s+\d{4}-\d\d-\d\d\s*", re.I)
_DATELINE = re.compile(r"^(?:,[^.:]{0,40})?\s*(?:\([A-Za-z ]+\)\s*)?(?::|—|–|-)\s")
_ABROAD_LOCATIVE = re.compile(r"\b(?:in|near|at|to|from|into|over|outside)\s+(?:the\s+)?$", re.I)
_CLAUSE = re.compile(r",?\s+which\s+(?=saw|has\s+seen|had\s+seen|left|killed|in\s+turn)|;\s+", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?([A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*){0,3})")
_BACKGROUND = re.compile("|".join(BACKGROUND_PATTERNS), re.I)


def _clean(text: str) -> str:
    """Unified apostrophes and a blanked `date ...` header, keeping every offset."""
    for apostrophe in _APOSTROPHES:  # str.translate takes ~50 µs a KB once a text has non-ASCII
        text = text.replace(apostrophe, "'")
    header = _HEADER.match(text)
    return " " * header.end() + text[header.end() :] if header else text


def _clauses(sentence: Sentence) -> list[tuple[int, str]]:
    """(offset in sentence, text) of the main clause and of a trailing "which saw ..." clause."""
    parts, start = [], 0
    for m in _CLAUSE.finditer(sentence.text):
        parts.append((start, sentence.text[start : m.start()]))
        start = m.end()
    parts.append((start, sentence.text[start:]))
    return parts


_OBLAST_NAMED = re.compile(r"\b([A-Z][\w'-]+)\s+(?:[Rr]egion|[Oo]blast|[Pp]rovince)\b")
_REGION_AFTER = re.compile(r"^,\s+([A-Z][\w'-]+\s+(?:region|oblast|province))\b", re.I)


def _region_abroad(suffix: str, gazetteer: Gazetteer) -> bool:
    m = _REGION_AFTER.match(suffix)
    region = gazetteer.lookup(m.group(1)) if m else None
    return region is not None and region.country != "UA"


def _oblasts_named(text: str, gazetteer: Gazetteer) -> set[str]:
    """The oblasts an article names ("Kharkiv Region"): one scan of the whole text."""
    found = set()
    for m in _OBLAST_NAMED.finditer(text):
        place = gazetteer.lookup(f"{m.group(1)} region")
        if place is not None and place.is_ua_oblast:
            found.add(place.admin1)
    return found


def _places(text: str, gazetteer: Gazetteer, article_oblasts: set[str]) -> list[PlaceMention]:
    """Where the text may say things happened; a town takes its namesake in the oblast the
    sentence, else the article, names ("the Zolochiv community" in a Kharkiv Region story)."""
    mentions = []
    for m in gazetteer.find(text):
        if m.place.kind == "city" and m.place.country == "UA" and _DIRECTION_AFTER.match(m.suffix):
            # "the Donetsk direction" is a front line across an oblast, not the city.
            oblast = gazetteer.places.get(oblast_id(m.place.admin1)) if m.place.admin1 else None
            if oblast is not None:
                m = PlaceMention(oblast, m.start, m.end, m.surface, m.how, m.suffix)
        if m.start < 25 and _DATELINE.match(m.suffix) and m.surface.isupper():
            continue  # "KYIV:" says where the reporter filed from
        abroad = m.place.country != "UA" or m.place.kind == "country"
        # "despite Moscow claiming", "Russia began": abroad only where it is a location.
        if abroad and not _ABROAD_LOCATIVE.search(text[max(0, m.start - 12) : m.start]):
            continue
        if m.place.country == "UA" and _region_abroad(m.suffix, gazetteer):
            continue  # "the village of Klimovo, Bryansk Region" is in Russia, not Crimea
        mentions.append(m)
    named = {m.place.admin1 for m in mentions if m.place.is_ua_oblast} or article_oblasts
    if not named:
        return mentions
    for i, m in enumerate(mentions):
        if m.place.kind == "city" and m.place.country == "UA" and m.place.admin1 not in named:
            namesake = gazetteer.namesake_in(m.surface, named)
            if namesake is not None:
                mentions[i] = PlaceMention(namesake, m.start, m.end, m.surface, m.how, m.suffix)
    return mentions


def extract_events(article: Article, gazetteer: Gazetteer) -> ExtractionResult:
    """Every event the article reports, one candidate per (clause, place)."""
    result = ExtractionResult()
    if article.published is None:
        result.warnings.append(f"{article.id}: no publication date; relative dates are unknown")
    text = _clean(article.text)
    article_oblasts = _oblasts_named(text, gazetteer)
    sentences = [s for s in split_sentences(text) if s.kind in ("story", "headline")]
    in_force = publication_phrase_date(article.published)
    context: tuple[PlaceMention, int] | None = None
    last_kind: tuple[Classification, int] | None = None
    paragraph = 0
    headline_ends = {s.end for s in sentences if s.kind == "headline"}
    for index, sentence in enumerate(sentences):
        if sentence.paragraph != paragraph:
            # A new paragraph without a date of its own is about the news of the day again.
            paragraph = sentence.paragraph
            in_force = publication_phrase_date(article.published)
        main_when = in_force
        for number, (offset, clause) in enumerate(_clauses(sentence)):
            when, report_only, sets_clock = date_of_sentence(clause, article.published, main_when)
            if number == 0:
                main_when = when
                if sets_clock and sentence.kind == "story":
                    in_force = when
            mentions = _places(clause, gazetteer, article_oblasts)
            casualties = find_casualties(clause)
            figures = casualties.killed or casualties.injured
            in_context = context is not None and index - context[1] <= _CONTEXT_SPAN
            # Without a place, a place in context or a figure no event can come of the clause:
            # the classifier, the costliest step, is not run on it.
            placeable = mentions or in_context or (figures and number > 0)
            kind = classify(clause) if placeable else None
            abduction = kind is not None and kind.sub_event_type.startswith("Abduction")
            attribution = find_attribution(sentence.text) if kind or figures else None
            # The sources' words, blanked: "Mariupol besieged – Donetsk Regional
            # Administration" names no place, target or actor in "Donetsk Regional".
            unsourced = _blank_sources(clause, offset, attribution)
            mentions = [m for m in mentions if unsourced[m.start] != " "]
            places = choose_places(clause, mentions, abduction)
            if not places and number > 0 and (casualties.killed or casualties.injured):
                # "..., which saw dozens of civilian killings": the toll is the main clause's place.
                places = choose_places(
                    sentence.text, _places(sentence.text, gazetteer, article_oblasts), abduction
                )
            if kind is None and figures and last_kind and index - last_kind[1] <= 2:
                # "At least 17 people were killed" after "Another strike ...": the same story.
                kind = last_kind[0]
            how = "exact"
            if not places and kind and context and index - context[1] <= _CONTEXT_SPAN:
                places, how = [context[0]], "inferred"
            named = [m for m in places if m.place.country == "UA" and m.place.kind != "country"]
            if named and how == "exact":
                context = (named[0], index)
            if kind is None and number == 0:
                _pass_on_source(
                    result.candidates, sentence, sentences[index - 1] if index else None
                )
            if kind is None or not places or _BACKGROUND.search(clause):
                continue
            if _names_past_year(clause, article.published):
                continue  # "in 2014": history told as background
            if when.value and article.published and (when.value - article.published).days > 1:
                continue  # a date after publication is a plan or a forecast, not an event
            if casualties.tally and not named:
                continue  # a nationwide running total is no event in a place
            if report_only and number > 0:
                when = main_when  # "..., the service said on Thursday": the main clause day
            elif report_only and index + 1 < len(sentences):
                when = back_reference(sentences[index + 1].text, article.published) or when
            actor1, actor2 = find_actors(unsourced)
            target = find_target(unsourced, kind.start)
            follow_up = figures and context is not None and index - context[1] <= 1
            for mention in places:
                # "shelled Chernihiv overnight, air strikes hit Nizhyn": each place takes the
                # kind of event told in its own part of the clause.
                own = _segment(clause, mention) if len(places) > 1 and how == "exact" else None
                place_kind = (classify(own) if own else None) or kind
                # "killed two people in Sumy and four in Okhtyrka", "shelled Donetsk and Luhansk
                # regions, killing two": with several places, a place has only the figures of
                # its own part of the clause; the text gives no toll for it otherwise.
                toll = casualties if len(places) == 1 else find_casualties(own or "")
                confidence = _confidence(sentence, mention, how, when)
                if how == "inferred" and not _ANAPHOR.search(clause) and not follow_up:
                    # "More than 100 others were wounded" right after the named place is kept.
                    confidence = min(confidence, 0.45)
                if confidence >= MIN_CONFIDENCE:
                    last_kind = (kind, index)
                result.candidates.append(
                    Candidate(
                        article_id=article.id,
                        place=mention.place,
                        place_precision=_place_precision(mention.place, how),
                        date=when,
                        event_type=place_kind.event_type,
                        sub_event_type=place_kind.sub_event_type,
                        sentence=article.text[sentence.start : sentence.end],
                        start=sentence.start,
                        end=sentence.end,
                        target=target,
                        actor1=actor1,
                        actor2=actor2,
                        killed=toll.killed,
                        injured=toll.injured,
                        victims=toll.victims,
                        claimed_by=attribution.source if attribution else "",
                        is_claim=attribution.is_claim if attribution else False,
                        confidence=confidence,
                    )
                )
    _date_headlines(result.candidates, headline_ends)
    _share_targets(result.candidates, text)
    return result


def _blank_sources(clause: str, offset: int, attribution: Attribution | None) -> str:
    """The clause with each source's words replaced by spaces (offsets kept)."""
    if attribution is None:
        return clause
    chars = list(clause)
    for start, end in attribution.spans:
        for i in range(max(start - offset, 0), min(end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _pass_on_source(
    candidates: list[Candidate], sentence: Sentence, previous: Sentence | None
) -> None:
    """ "Laguta shared the update in an online post, according to Reuters." adds Reuters to what
    the sentence before reported."""
    if previous is None or previous.paragraph != sentence.paragraph:
        return
    m = _ACCORDING.search(sentence.text)
    if m is None:
        return
    for candidate in candidates:
        if candidate.start == previous.start and m.group(1) not in candidate.claimed_by:
            via = m.group(1).strip().rstrip(".")
            candidate.claimed_by = (
                f"{candidate.claimed_by} via {via}" if candidate.claimed_by else via
            )


_SEGMENT_BREAK = re.compile(r"[,;]\s+|\s+(?:and|while|as)\s+")


def _segment(clause: str, mention: PlaceMention) -> str:
    """The comma- or "and"-delimited part of a clause that names a place."""
    start = 0
    for m in _SEGMENT_BREAK.finditer(clause):
        if m.start() >= mention.end:
            break
        if m.end() <= mention.start:
            start = m.end()
    end_m = _SEGMENT_BREAK.search(clause, mention.end)
    return clause[start : end_m.start() if end_m else len(clause)]


def _names_past_year(clause: str, published: date | None) -> bool:
    years = [int(y) for y in re.findall(r"\b(?:in|since|of)\s+((?:19|20)\d\d)\b", clause)]
    return published is not None and any(y < published.year for y in years)


def _share_targets(candidates: list[Candidate], text: str) -> None:
    """A follow-up sentence without a target ("Two people were killed") right after the
    sentence that names one, about the same place, day and kind of event, shares its target."""
    for candidate in candidates:
        if candidate.target:
            continue
        targets = {
            other.target
            for other in candidates
            if other.target
            and (
                other.start == candidate.start  # another clause of the same sentence
                or (
                    other.end <= candidate.start
                    and not text[other.end : candidate.start].strip()
                    and "\n" not in text[other.end : candidate.start]
                )
            )
            and other.place.id == candidate.place.id
            and other.date.value == candidate.date.value
            and family(other.sub_event_type) == family(candidate.sub_event_type)
        }
        if len(targets) == 1:
            candidate.target = targets.pop()


def _date_headlines(candidates: list[Candidate], headline_ends: set[int]) -> None:
    """A headline rarely dates its event; the lead that tells the same event does."""
    for candidate in candidates:
        if candidate.end not in headline_ends or candidate.date.precision == "day":
            continue
        for other in candidates:
            if (
                other.end not in headline_ends
                and other.date.precision == "day"
                and other.place.id == candidate.place.id
                and family(other.sub_event_type) == family(candidate.sub_event_type)
            ):
                candidate.date = other.date
                break


def _place_precision(place: Place, how: str) -> str:
    if place.kind in ("oblast", "country"):
        return place.kind
    return how
