"""Which named places are where it happened.

The gazetteer finds every name; this module drops the ones that only qualify (a title, a
source, a dateline, a front "direction", a district of a named city, a place abroad that is no
location), picks a town's namesake in the oblast the text names, and keeps the main places of a
clause over its reference points ("north of Mariupol").
"""

from __future__ import annotations

import re

from store.extract.lexicon import REPORT_VERB, WEEKDAYS, ascii_lower, may_contain
from store.extract.rules import RULES, Rules
from store.extract.sentences import TOPIC
from store.gazetteer import Gazetteer, PlaceMention, oblast_id
from store.gazetteer.folding import fold
from store.gazetteer.rules import MATCH_RULES
from store.models import Place

_TITLE_AFTER = re.compile(
    r"^'?s?\s+(?:regional\s+|city\s+|oblast\s+|state\s+|military\s+)?(?:governor|mayor|officials?"
    r"|authorities|administration\s+(?:head|chief)|council\s+(?:authorities|officials)"
    r"|police\s+chief|head|spokes(?:man|woman|person))\b"
    # "the Kyiv regional administration said": a source, not a place where something happened
    r"|^'?s?\s+(?:regional\s+|city\s+|oblast\s+|state\s+|military\s+)*(?:administration|police"
    rf"|council|prosecutor'?s?\s+office|emergency\s+service)\b(?=[^.]{{0,40}}\b{REPORT_VERB}\b"
    # "..., five are wounded, - Zaporizhia regional military administration": the sign-off
    r"|\.?\s*(?:\(|$))",
    re.I,
)
# "the Luhansk People's Militia", "Donetsk rebels": an armed group's name, not a location.
_GROUP_AFTER = re.compile(
    r"^(?:\s+people'?s\s+(?:militia|republic'?s?\s+(?:forces|militia|army|troops|militants))"
    r"|\s+(?:rebels?|separatists?|militants|militia(?:men)?)\b)",
    re.I,
)
_SPEAKS_AFTER = re.compile(
    r"^\s+(?:has\s+|have\s+)?(?:said|says|accused|accuses|claimed|claims|denied|denies|warned"
    r"|warns|urged|urges|demanded|demands|responded|rejected|rejects|blamed|blames|insisted"
    r"|saying|stated|states)\b"
)
# "the Luch Design Bureau", "Motor Sich plant": the name of an organisation.
_ORGANISATION_AFTER = re.compile(
    r"^\s+(?:Design\s+Bureau|Bureau|Plant|Factory|Works|Company|Corporation|Stadium|Hotel"
    r"|Airlines|Bank|Group|Holding|University|Institute|Fleet"
    # "Luhansk Regional Military Administration: the Russians fired on a bus from Lysychansk"
    r"|(?i:regional|city|oblast)\s+(?:(?i:military|state|civil)\s+)?(?i:administration|council)"
    # "the Vinnytsia Scythians Motorized Infantry Battalion destroyed a convoy in ...": a unit
    r"|(?:[A-Z][\w'-]+\s+){0,3}(?:Battalion|Brigade|Regiment|Division|Corps)"
    # "Lviv paratroopers shot down a missile in the Mykolaiv area": the unit's home town
    r"|(?i:paratroopers|marines|tankmen|gunners|pilots|border\s+guards|territorial\s+defen[cs]e"
    r"|defenders|air\s+defen[cs]e\s+(?:unit|forces)))\b"
)
# "the Kakhovka Reservoir", "the Irpin River": a body of water named after a town is not it.
_WATER_AFTER = re.compile(r"^\s+(?:Reservoir|River|Lake|Estuary|Lagoon)\b", re.I)
_FOREIGN_BEFORE = re.compile(
    r"\b(?:Belarusian|Russian|Polish|Moldovan|Romanian|Hungarian|Slovak)\s+"
    r"(?:settlement|village|town|city|region|border\s+town)\s+(?:of\s+)?$"
)
# "the strategic Black Sea port": a port named by its sea, not an event at sea.
_SEA_ADJECTIVE = re.compile(r"^\s+(?:port|city|town|coast|resort|harbou?r)\b", re.I)
# "the Donetsk People's Republic": the self-proclaimed entity's area, at oblast level.
_REPUBLIC_AFTER = re.compile(r"^\s+people'?s\s+republic\b", re.I)
# "the Donetsk direction" is a front line across an oblast, not the city.
_DIRECTION_AFTER = re.compile(
    r"^\s+(?:and\s+[A-Z][\w'-]+\s+)?(?:operational\s+)?(?:directions?|axis|axes|front"
    r"|operational\s+(?:area|zone))\b",
    re.I,
)
# "Podilskyi district", "Saltivka neighbourhood", "the Oleksiivka, Pyatykhaty and Saltivka
# neighbourhoods": parts of a city, which is named as well.
_DISTRICT_AFTER = re.compile(
    r"^(?:(?:,\s+(?:and\s+)?|\s+and\s+)(?-i:[A-Z])[\w'-]+(?:\s+(?-i:[A-Z])[\w'-]+)?)*,?"
    r"\s+(?:districts?|neighbou?rhoods?|raions?|micro-?districts?)\b",
    re.I,
)
# "north of Mariupol", "on the outskirts of Kyiv": a reference point when another place is named.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?\s+of|outside|outskirts\s+of|edge\s+of"
    r"|from|towards?|direction\s+of|road\s+to|route"
    # "seize the Chernobyl plant and advance on capital Kyiv": where troops head, not are
    r"|advanc\w*\s+on|clos\w*\s+in\s+on|march\w*\s+on|approach(?:ed|es|ing)?"
    # "the railway connection with Kyiv was cut": where a line leads
    r"|(?:connection|link|links|communication)\s+(?:with|to)"
    # "residents of Rubizhne were evacuated from Toshkivka"; "a rocket aimed at Kropyvnytskyi
    # was shot down over the Mykolaiv region"; "fighting between Vasylivka and Polohy" (the
    # coders' rule: the first town of a stretch between two)
    # "the situation is not better than in Mariupol", "the same atrocities as in Bucha": a
    # comparison names another place's story
    r"|than\s+in|(?:as|like)\s+in|similar\s+to\s+(?:those\s+|that\s+)?in"
    r"|residents?\s+of|natives?\s+of|suburbs?\s+of|aim(?:ed|ing)\s+at|between\s+(?-i:[A-Z])[\w'-]+(?:\s+(?-i:[A-Z])[\w'-]+)?\s+and)"
    r"\s+(?:the\s+)?"
    r"(?:occupied\s+|annexed\s+)?(?:(?:capital|city|town|village)\s+(?:of\s+)?)?$",
    re.I,
)
_LEFT_FROM = re.compile(
    r"\b(?:evacuat\w+|fled|flee\w*|escaped|deported)\b[^.;]*\bfrom\s+(?:the\s+)?$", re.I
)
_DESTINATION_BEFORE = re.compile(
    r"\b(?:evacuat\w+|fled|flee\w*|arriv\w+|brought|transported|relocated|moved"
    # "bodies were taken to Bila Tserkva", not "taken control of the towers in Melitopol"
    r"|taken(?!\s+(?:full\s+)?control|\s+place)"
    # "pushing Russian forces back to Novyi Buh": where the enemy was driven, not the battle
    r"|push\w*|drove|driven|retreat\w*)\b"
    r"[^.;]*\b(?:to|in)\s+(?:the\s+)?(?:(?:city|town|village|settlement)\s+(?:of\s+)?)?$",
    re.I,
)
_LEFT_FOR_BEFORE = re.compile(
    r"\b(?:left|leave|leaves|leaving|departed|headed)\b[^.;]*\bfor\s+(?:the\s+)?$", re.I
)
# "Zaporizhzhia welcomes 2,000 more people evacuated from Mariupol": the town that takes
# people in is where they arrived.
_TAKES_IN_AFTER = re.compile(
    r"\s+(?:welcom\w*|receiv\w*|hosts?|hosted|took\s+in|takes\s+in|sheltered|shelters)\s"
    r"[^.;]*\b(?:evacuat\w+|evacuees|refugees|displaced)\b",
    re.I,
)
_RESIDENTS_AFTER = re.compile(r"^\s+(?:residents|inhabitants|evacuees|refugees|citizens)\b", re.I)
_MOVED = re.compile(r"\b(?:evacuat\w+|left|leave|leaving|fled|flee\w*|arriv\w+|reached)\b", re.I)
# "people in Varash gathered in support of the protesters in Enerhodar": the place supported.
_SUPPORT_BEFORE = re.compile(
    r"\b(?:in\s+support\s+of|in\s+solidarity\s+with|support\s+for)\b[^.;:]*$", re.I
)
# "to hold the land corridor between these territories and the occupied Crimea": where a
# corridor leads is no place of the fighting.
_CORRIDOR_BEFORE = re.compile(
    r"\bcorridor\s+(?:to|with|between\b[^.;]*\band)\s+(?:the\s+)?(?:occupied\s+|annexed\s+)?$",
    re.I,
)
# "a column evacuating from Mariupol came under fire near Stepnohirsk": where it happened.
_NEAR_BEFORE = re.compile(
    r"\b(?:near|outside)\s+(?:the\s+)?(?:(?:village|town|city)\s+of\s+)?$", re.I
)
# "the village of Makariv near Kyiv", "Havryshivka, not far from Vinnytsia": the second town
# only says where the first one lies.
_NEAR_WORDS = (
    r"(?:near|outside|not\s+far\s+from|close\s+to|on\s+the\s+outskirts\s+of"
    r"|(?:just\s+)?(?:north|south|east|west)\w*\s+of)"
)
_LIES_NEAR = re.compile(
    rf",?\s+(?:{_NEAR_WORDS}"
    # "Bucha, a city on the outskirts of Kyiv", "Vilkhivka, a few kilometers from Kharkiv"
    rf"|(?:an?\s+)?(?:\w+\s+)?(?:city|town|village|suburb|settlement)\s+{_NEAR_WORDS}"
    rf"|(?:a\s+few|several|\d+)\s*(?:km|kilomet(?:er|re)s?)\s+(?:from|of|{_NEAR_WORDS}))"
    r"\s+(?:the\s+)?(?:(?:capital|city|town|village)\s+(?:of\s+)?)?",
    re.I,
)
_TITLE_BEFORE = re.compile(
    r"\b(?:governor|mayor|head|officials?|authorities|spokes\w+|embassy)\s+(?:of|in)\s+"
    r"(?:[\w']+\s+){0,4}$",
    re.I,
)
# "officials said that ...": the places after "that" are what was reported.
_REPORTED_CONTENT = re.compile(rf"\b{REPORT_VERB}\b[^.]*?\bthat\b", re.I)
_DATELINE = re.compile(r"^(?:,[^.:]{0,40})?\s*(?:\([A-Za-z ]+\)\s*)?(?::|—|–|-)\s")
_ABROAD_LOCATIVE = re.compile(r"\b(?:in|near|at|to|from|into|over|outside)\s+(?:the\s+)?$", re.I)
_OBLAST_NAMED = re.compile(r"\b([A-Z][\w'-]+)\s+(?:[Rr]egion|[Oo]blast|[Pp]rovince)\b")
_REGION_AFTER = re.compile(r"^,\s+([A-Z][\w'-]+\s+(?:region|oblast|province))\b", re.I)
# Between a town and the oblast that qualifies it: "Zolote, Luhansk", "Hlyboke (Chernihiv)".
_UNIT = (
    r"(?:\s+(?:districts?|raions?|rayons?|community|hromada|municipality|village|town|city"
    r"|settlement))?"
)
_QUALIFIER_GAP = re.compile(_UNIT + r"(?:,\s+|\s+\()", re.I)
# A capitalised name the gazetteer does not know, then ", ": "near Sakhanka, Donetsk".
# Characters before an oblast's name searched for the town it qualifies: a name of up to
# four words and a unit word.
_TOWN_REACH = 80
_UNIT_TAIL = re.compile(
    r"\s+(?:districts?|raions?|rayons?|community|hromada|municipality|village|town|settlement)$",
    re.I,
)
_UNKNOWN_TOWN_BEFORE = re.compile(
    r"\b([A-Z][\w'-]+)(?:[ -][A-Z][\w'-]+)*" + _UNIT + r"(?:,\s+|\s+\()$"
)
# ... or before "of the X region", or a unit's name before "in X region": "the temporarily
# occupied Dniprorudny of the Zaporizhia region", "the Ocheretyn community in Donetsk region".
_UNKNOWN_TOWN_OF_REGION = re.compile(
    r"\b([A-Z][\w'-]+)(?:[ -][A-Z][\w'-]+)*(?:" + _UNIT + r"(?:,\s+|\s+\(|\s+of\s+the\s+)"
    r"|\s+(?:community|hromada|district|raion)\s+in\s+(?:the\s+)?)$"
)
_LINK_TAIL = re.compile(r"\s+(?:of\s+the|in(?:\s+the)?)$")
_NOT_TOWNS = frozenset(WEEKDAYS) | frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "meanwhile", "however", "also", "ukraine", "russia"}
)  # fmt: skip
# After "Town, Oblast": the list of places goes on, so "Oblast" was a city of the list.
_LIST_GOES_ON = re.compile(r"(?:,\s+(?:and\s+)?|\s+and\s+|\s*/\s*)[A-Z]")
_SEGMENT_BREAK = re.compile(r"[,;]\s+|\s+(?:and|while|as)\s+")


def is_title_only(mention: PlaceMention, sentence: str, rules: Rules = RULES) -> bool:
    """ "the Kherson governor", "governor of ... Kherson", "a Kyiv-based analyst"."""
    if mention.suffix == "-based" or _TITLE_AFTER.match(mention.suffix):
        return True
    before = sentence[max(0, mention.start - rules.title_reach) : mention.start]
    return bool(_TITLE_BEFORE.search(before))


def choose_places(
    sentence: str,
    mentions: list[PlaceMention],
    victims_named: bool = False,
    rules: Rules = RULES,
) -> list[PlaceMention]:
    """Where the sentence says its event happened, at most `rules.max_places`, in order.

    With `victims_named` (an abduction), "the Melitopol mayor" is where it happened.
    """
    if not mentions:
        return []  # most clauses name no place: none of the searches below could find one
    kept = _not_titles(
        [
            m
            for m in mentions
            if not _DISTRICT_AFTER.match(m.suffix)
            and not (m.place.kind == "sea" and _SEA_ADJECTIVE.match(m.suffix))
        ],
        sentence,
        victims_named,
        rules,
    )
    # "evacuated from Sumy to Poltava": where people arrive goes first, then other reference
    # points ("north of Mariupol") when a place of the event itself is named.
    kept = _not_only_locating(_not_where_people_went(kept, sentence, rules), sentence)
    near = [m for m in kept if _NEAR_BEFORE.search(sentence, 0, m.start)]
    main = [m for m in kept if not _is_reference_point(m, sentence, rules, near)]
    if main and len(main) < len(kept) and not _qualifiers_only(main, kept):
        kept = main
    # every match has "that" in it: most sentences are spared the search
    content = (
        _REPORTED_CONTENT.search(sentence)
        if may_contain(ascii_lower(sentence), ("that",))
        else None
    )
    if content:
        after = [m for m in kept if m.start >= content.end()]
        if after:
            kept = after
    kept = [m for m in kept if not _namesake_abroad(m, kept, sentence)]
    local = _in_ukraine(kept)
    if local:
        return local[: rules.max_places]
    # "officers of the Russian National Guard from Dagestan": where they come from
    abroad = [
        m
        for m in kept
        if m.place.country != "UA" and not _is_reference_point(m, sentence, rules, near)
    ]
    # "Ukraine" itself is no place of an event: a nationwide count or a war-wide summary
    return abroad[:1]


def _not_where_people_went(
    kept: list[PlaceMention], sentence: str, rules: Rules
) -> list[PlaceMention]:
    """Without where people arrive, and without the town of residents who moved ("Mariupol
    residents have left Berdiansk"), unless nothing else is named ("About 500 Mariupol
    residents evacuated to Zaporizhzhia" is an evacuation from Mariupol)."""
    kept = [m for m in kept if not _is_destination(m, sentence, rules)] or kept
    return [m for m in kept if not _residents_moved(m, sentence)] or kept


def _not_only_locating(kept: list[PlaceMention], sentence: str) -> list[PlaceMention]:
    """Without the towns that only place another ("Makariv near Kyiv") and those named in what
    an operation is for ("in order to establish control over the Donetsk region") or a side
    pledged to do ("despite pledge to pull back from Kyiv")."""
    kept = [m for m in kept if not _locates_the_town_before(m, kept, sentence)]
    purpose = _PURPOSE_BEFORE.search(sentence)
    return [m for m in kept if m.start < purpose.start()] if purpose else kept


def _not_titles(
    kept: list[PlaceMention], sentence: str, victims_named: bool, rules: Rules
) -> list[PlaceMention]:
    """Without the towns named only in a title ("the Kherson governor"). In an abduction,
    "abducted the vice-mayor of Tokmak at a checkpoint in Vasylivka" happened in Vasylivka, and
    with no other place the victim's town is where ("the Melitopol mayor was abducted")."""
    untitled = [m for m in kept if not is_title_only(m, sentence, rules)]
    if not victims_named or (untitled and not _qualifiers_only(untitled, kept)):
        return untitled
    return kept


def _in_ukraine(kept: list[PlaceMention]) -> list[PlaceMention]:
    """The Ukrainian places, each once: towns over the oblast, raion or site they are in, and a
    sea only when nothing else is named ("Kherson, a port on the Black Sea")."""
    local = [m for m in kept if is_named_ukrainian(m.place)]
    if any(m.place.kind != "sea" for m in local):
        local = [m for m in local if m.place.kind != "sea"]
    cities_admin1 = {m.place.admin1 for m in local if m.place.kind == "city"}
    local = [m for m in local if m.place.kind == "city" or m.place.admin1 not in cities_admin1]
    chosen: dict[int, PlaceMention] = {}
    for m in local:
        chosen.setdefault(m.place.id, m)
    return list(chosen.values())


def _qualifiers_only(main: list[PlaceMention], kept: list[PlaceMention]) -> bool:
    """ "in the direction of Popasna, Luhansk": the only other place is the reference town's
    own oblast, so the town is the place after all."""
    towns = {m.place.admin1 for m in kept if m not in main}
    return all(m.place.is_ua_oblast and m.place.admin1 in towns for m in main)


# "continues offensive operations in order to establish full control over the Donetsk and
# Luhansk regions and maintain the land route with Crimea": what an operation is for.
# "Russia bombs Ukraine cities, despite pledge to pull back from Kyiv": what a side said it
# would do.
_PURPOSE_BEFORE = re.compile(
    r"\bin\s+order\s+to\b|\b(?:pledges?|promises?|vows?|pledged|promised|vowed)\s+to\b", re.I
)


def _is_reference_point(
    mention: PlaceMention, sentence: str, rules: Rules, near: list[PlaceMention]
) -> bool:
    """A place named only to say where the event was not: "north of Mariupol", "in support of
    the people of Enerhodar". `near` are the places the sentence puts the event near.
    A site's topic line names the story's subject, not where this happening was: "Offensive on
    Popasna: Assault on Rubizhne"."""
    topic = TOPIC.match(sentence)
    if topic and mention.start < topic.end(1):
        return True
    clause = sentence[max(0, mention.start - rules.destination_reach) : mention.start]
    if _SUPPORT_BEFORE.search(clause) or _CORRIDOR_BEFORE.search(clause):
        return True
    before = sentence[max(0, mention.start - rules.reference_reach) : mention.start]
    if not _REFERENCE_BEFORE.search(before):
        return False
    # "people were evacuated from Mariupol and Berdiansk": where people leave is the place,
    # unless the sentence puts the event near another ("fired on evacuees from Mariupol near
    # Stepnohirsk").
    return any(m is not mention for m in near) or not _LEFT_FROM.search(clause)


_IN_COUNTRY = re.compile(r",?\s+(?:in|,)\s+(?:the\s+)?(?:neighbou?ring\s+)?", re.I)


def _namesake_abroad(mention: PlaceMention, kept: list[PlaceMention], sentence: str) -> bool:
    """ "the village of Kopani in Belarus": a town of ours by that name is not meant."""
    return mention.place.country == "UA" and any(
        m.place.country not in ("UA", "")
        and m.place.kind in ("country", "oblast")
        and _IN_COUNTRY.fullmatch(sentence, mention.end, m.start)
        for m in kept
        if m.start >= mention.end
    )


def _locates_the_town_before(
    mention: PlaceMention, kept: list[PlaceMention], sentence: str
) -> bool:
    """ "a mortar strike on the village of Makariv near Kyiv": Kyiv says where Makariv is."""
    return any(
        m.end <= mention.start
        and m.place.kind == "city"
        and m.place.id != mention.place.id
        # one places a town by a better-known one ("a column from Mariupol near Stepnohirsk")
        and m.place.population < mention.place.population
        and _LIES_NEAR.fullmatch(sentence, m.end, mention.start)
        for m in kept
    )


def _is_destination(mention: PlaceMention, sentence: str, rules: Rules) -> bool:
    """ "were evacuated from Berdiansk to Zaporizhzhia", "left Berdiansk for Zaporizhzhia",
    "Zaporizhzhia welcomes 2,000 more people evacuated from Mariupol": where people arrive."""
    moved = sentence[max(0, mention.start - rules.destination_reach) : mention.start]
    if _DESTINATION_BEFORE.search(moved) or _LEFT_FOR_BEFORE.search(moved):
        return True
    return bool(_TAKES_IN_AFTER.match(sentence, mention.end))


def _residents_moved(mention: PlaceMention, sentence: str) -> bool:
    """ "Mariupol residents" who left or were evacuated: who moved, not where."""
    return bool(_RESIDENTS_AFTER.match(mention.suffix)) and bool(_MOVED.search(sentence))


def is_named_ukrainian(place: Place) -> bool:
    """A place in Ukraine a user can ask about: a town or an oblast, not "Ukraine" itself."""
    return place.country == "UA" and place.kind != "country"


def oblasts_named(text: str, gazetteer: Gazetteer) -> set[str]:
    """The oblasts an article names ("Kharkiv Region"): one scan of the whole text."""
    found = set()
    for m in _OBLAST_NAMED.finditer(text):
        place = gazetteer.lookup(f"{m.group(1)} region")
        if place is not None and place.is_ua_oblast:
            found.add(place.admin1)
    return found


def find_places(
    text: str, gazetteer: Gazetteer, article_oblasts: set[str], rules: Rules = RULES
) -> list[PlaceMention]:
    """Where the text may say things happened; a town takes its namesake in the oblast the
    sentence, else the article, names ("the Zolochiv community" in a Kharkiv Region story)."""
    mentions: list[PlaceMention] = []
    qualifiers: list[tuple[int, int]] = []
    for m in gazetteer.find(text):
        m = _as_front(m, gazetteer, text)
        if any(start <= m.start < end for start, end in qualifiers):
            continue  # "Fastiv District" after "the village of Yasnohorodka": no second place
        if not _names_location(m, text, gazetteer, rules):
            continue
        in_raion = _in_named_raion(m, text, gazetteer)
        if in_raion is not None:
            m, qualifier = in_raion
            qualifiers.append(qualifier)
        before = mentions[-1] if mentions else None
        if (
            _misplaced_qualifier(m, before, text, gazetteer)
            or _city_district(m, before, text)
            or _community_of_town_before(m, before, text)
        ):
            continue
        town, m = _qualified_town(m, before, text, gazetteer)
        if town is not None:
            mentions.append(town)
        mentions.append(m)
    abroad = any(m.place.kind == "oblast" and m.place.country != "UA" for m in mentions)
    if abroad and not any(m.place.is_ua_oblast for m in mentions):
        # "Klimovo ... a village in the Bryansk region": a village name next to a region
        # across the border, and no oblast of ours, is that region's village.
        mentions = [m for m in mentions if not _village(m.place)]
    named = (
        {m.place.admin1 for m in mentions if m.place.is_ua_oblast}
        or article_oblasts
        # "a missile hit Stepanivka in the suburbs of Kherson": the big town's oblast
        or {m.place.admin1 for m in mentions if _is_big_town(m.place)}
    )
    if not named:
        return mentions
    return [_in_named_oblast(m, named, gazetteer) for m in mentions]


# (a name's match takes its "'s" with it: "Kyiv's")
_POSSESSIVE = re.compile(r"'s\s+(?:the\s+)?")


# "the village of Yasnohorodka, Fastiv District", "Sviatopetrivske, Buchanskyi district": the
# raion the village is in (not a city district, as in "Kyiv's Podilskyi district").
_RAION_AFTER = re.compile(
    r",\s+(?:the\s+)?((?-i:[A-Z])[\w'-]+)\s+(?:district|raion|rayon)\b(?!s)", re.I
)


def _in_named_raion(
    m: PlaceMention, text: str, gazetteer: Gazetteer
) -> tuple[PlaceMention, tuple[int, int]] | None:
    """The village in the raion named after it, and where that raion's name is."""
    after = _RAION_AFTER.match(text, m.end)
    if after is None or m.place.kind != "city" or m.place.country != "UA":
        return None
    raion = gazetteer.lookup(f"{after.group(1)} raion")
    if raion is None or raion.kind != "raion" or raion.country != "UA":
        return None
    town = gazetteer.namesake_in(m.surface, {raion.admin1}, raion.raion)
    if town is None or town.raion != raion.raion:
        return None
    rest = text[after.end() : after.end() + len(m.suffix)]
    return PlaceMention(town, m.start, m.end, m.surface, m.how, rest), (after.start(), after.end())


def _village(place: Place) -> bool:
    small = place.population < MATCH_RULES.small_place_population
    return place.kind == "city" and place.country == "UA" and small


def _is_big_town(place: Place) -> bool:
    big = place.population >= MATCH_RULES.small_place_population
    return place.kind == "city" and place.country == "UA" and big


def _as_front(m: PlaceMention, gazetteer: Gazetteer, text: str) -> PlaceMention:
    """ "the Donetsk direction" is a front line across the oblast, not the city; "the Luhansk
    People's Republic" is an area at oblast level too; and so is a regional desk's topic line
    "Donetsk: Russian Federation fired at 11 settlements"."""
    if m.place.kind != "city" or m.place.country != "UA" or not m.place.admin1:
        return m
    oblast = gazetteer.places.get(oblast_id(m.place.admin1))
    # only a city that names its oblast ("the Izium direction" stays the town)
    if oblast is None or not oblast.name.startswith(m.place.name):
        return m
    if _region_label(m, text):
        return PlaceMention(oblast, m.start, m.end, m.surface, m.how, m.suffix)
    if _DIRECTION_AFTER.match(m.suffix) or _REPUBLIC_AFTER.match(m.suffix):
        how = "direction" if _DIRECTION_AFTER.match(m.suffix) else m.how
        return PlaceMention(oblast, m.start, m.end, m.surface, how, m.suffix)
    if _region_pair(m, text):
        return PlaceMention(oblast, m.start, m.end, m.surface, m.how, m.suffix)
    return m


# "In Donetsk and Luhansk, our troops held off the assaults": the two
# regions of the Donbas named as a pair are the regions, not their capitals (which Russia's
# proxies held): not "the cities of Donetsk and Luhansk".
_DONBAS = "Donetsk|Luhansk|Lugansk"
_PAIR_AFTER = re.compile(rf"^\s+and\s+(?:{_DONBAS})\b(?!'s|\s+(?:cit|town|region|oblast))", re.I)
_PAIR_BEFORE = re.compile(rf"\b(?<!cities\sof\s)(?:{_DONBAS})\s+and\s+$", re.I)
_PAIR_UNIT_AFTER = re.compile(r"^(?:'s|\s+(?:cit|town|region|oblast))", re.I)
_PAIR_NAME = re.compile(_DONBAS, re.I)
_CITIES_BEFORE = re.compile(r"\bcities\s+of\s+$", re.I)


def _region_pair(m: PlaceMention, text: str) -> bool:
    """Donetsk or Luhansk named as one of the pair, with no unit word after it."""
    if not _PAIR_NAME.fullmatch(m.surface):
        return False
    if _PAIR_AFTER.match(m.suffix):
        return not _CITIES_BEFORE.search(text, max(0, m.start - 14), m.start)
    before = _PAIR_BEFORE.search(text, max(0, m.start - 14), m.start)
    return before is not None and not _PAIR_UNIT_AFTER.match(m.suffix)


_UNNAMED_PLACES = re.compile(r"\b(?:settlements|villages|towns|communities|localities)\b", re.I)


def _region_label(m: PlaceMention, text: str) -> bool:
    """The topic line is the oblast's name alone and what follows names no one town."""
    topic = TOPIC.match(text)
    return (
        topic is not None
        and topic.group(1).strip() == m.surface
        and bool(_UNNAMED_PLACES.search(text, topic.end()))
    )


def _qualifying_oblast(
    m: PlaceMention, before: PlaceMention | None, text: str, gazetteer: Gazetteer
) -> Place | None:
    """The oblast a name after "Town, " stands for: "shelled Zolote, Luhansk", "near Hlyboke
    (Chernihiv)" name Zolote's and Hlyboke's oblast, not a second place. Not in a list of cities
    ("Kharkiv, Donetsk and Luhansk"): the town before must be in that oblast or have a namesake
    there, or be a name the gazetteer does not know."""
    if m.place.kind != "city" or m.place.country != "UA":
        return None
    oblast = _oblast_named_by(m, gazetteer)
    if oblast is None:
        return None
    gap = _QUALIFIER_GAP.match(text, before.end) if before is not None else None
    if before is not None and gap is not None and gap.end() == m.start:
        in_oblast = before.place.admin1 == oblast.admin1
        if before.place.country == "UA" and (
            in_oblast or gazetteer.namesake_in(before.surface, {oblast.admin1})
        ):
            return oblast
        return None
    unknown = _UNKNOWN_TOWN_BEFORE.search(text, max(0, m.start - _TOWN_REACH), m.start)
    if unknown and unknown.group(1).lower() not in _NOT_TOWNS and unknown.start(1) > 0:
        return oblast
    return None


def _misplaced_qualifier(
    m: PlaceMention, before: PlaceMention | None, text: str, gazetteer: Gazetteer
) -> bool:
    """ "near Oster, Kyiv", "in Syvaske, Luhansk": a town the writer puts in an oblast it is not
    in and has no namesake in. The oblast's name still only qualifies the town: it is neither
    a second place nor its capital city. A list of cities goes on ("Sumy, Kharkiv and Odesa")
    or names a city ("Kherson, Donetsk"): that is no qualifier. So with a region named as one
    ("bombs hit Malyn city, Sumy region", Malyn being Zhytomyr's): a town of some size is
    the place the writer means, and the region no second place beside it."""
    if before is None or before.place.kind != "city" or before.place.country != "UA":
        return False
    gap = _QUALIFIER_GAP.match(text, before.end)
    if gap is None or gap.end() != m.start or _LIST_GOES_ON.match(text, m.end):
        return False
    population = before.place.population
    if m.place.is_ua_oblast:
        sized = MATCH_RULES.small_place_population <= population
        oblast = m.place if sized and population < MATCH_RULES.former_name_population else None
    elif m.place.kind == "city" and population < MATCH_RULES.former_name_population:
        oblast = _oblast_named_by(m, gazetteer)
    else:
        return False
    return (
        oblast is not None
        and oblast.admin1 != before.place.admin1
        and gazetteer.namesake_in(before.surface, {oblast.admin1}) is None
    )


# "the village of Yavkyne of the Bashtanska community", "Yavkyne, Bashtanska hromada": the
# hromada a village is in.
_COMMUNITY_GAP = re.compile(r"(?:,\s+|\s+(?:of|in)\s+)(?:the\s+)?", re.I)
_COMMUNITY_WORD = re.compile(r"\b(?:community|hromada)$", re.I)


def _community_of_town_before(m: PlaceMention, before: PlaceMention | None, text: str) -> bool:
    """A hromada named right after a village says where the village is: no second place."""
    if before is None or before.place.country != "UA" or before.place.kind != "city":
        return False
    gap = _COMMUNITY_GAP.match(text, before.end)
    return gap is not None and gap.end() == m.start and bool(_COMMUNITY_WORD.search(m.surface))


def _oblast_named_by(m: PlaceMention, gazetteer: Gazetteer) -> Place | None:
    """The oblast a city's name can stand for: "Luhansk", "Kirovograd" (spelt as the oblast
    once was, with g)."""
    oblast = (
        gazetteer.lookup(f"{m.surface} region")
        or gazetteer.lookup(f"{m.place.name} region")
        or gazetteer.lookup(f"{fold(m.surface)} region")
    )
    return oblast if oblast is not None and oblast.is_ua_oblast else None


def _city_district(m: PlaceMention, before: PlaceMention | None, text: str) -> bool:
    """ "Kyiv's Podilskyi District": the city's own district, no raion of that name elsewhere."""
    return (
        m.place.kind == "raion"
        and before is not None
        and bool(_POSSESSIVE.fullmatch(text, before.end - 2, m.start))
    )


def _qualified_town(
    m: PlaceMention, before: PlaceMention | None, text: str, gazetteer: Gazetteer
) -> tuple[PlaceMention | None, PlaceMention]:
    """The town a region's name after it qualifies when the gazetteer does not know its
    spelling, and the mention as the region it stands for ("shelled Zolote, Luhansk")."""
    oblast = _qualifying_oblast(m, before, text, gazetteer)
    if oblast is not None:
        town = _misspelt_town(m, before, text, gazetteer, oblast)
        return town, PlaceMention(oblast, m.start, m.end, m.surface, m.how, m.suffix)
    return _misspelt_town_of_region(m, before, text, gazetteer), m


def _misspelt_town_of_region(
    m: PlaceMention, before: PlaceMention | None, text: str, gazetteer: Gazetteer
) -> PlaceMention | None:
    """ "blown up in Novomayorsk, Donetsk region": the town the region qualifies, spelt its
    own way, is that region's."""
    if not m.place.is_ua_oblast or (before is not None and before.end >= m.start - 2):
        return None
    if before is not None and before.place.admin1 == m.place.admin1:
        return None  # "the village of Yavkyne of the Bashtanka community in Mykolaiv region"
    town = _misspelt_town(m, before, text, gazetteer, m.place, _UNKNOWN_TOWN_OF_REGION)
    return town if town is not None and town.surface.lower() not in _NOT_TOWNS else None


def _misspelt_town(
    m: PlaceMention,
    before: PlaceMention | None,
    text: str,
    gazetteer: Gazetteer,
    oblast: Place,
    unknown_before: re.Pattern[str] = _UNKNOWN_TOWN_BEFORE,
) -> PlaceMention | None:
    """The town before ", Oblast" that the gazetteer does not know by that spelling, matched
    closely against that oblast's settlements only ("Dolomytne, Donetsk")."""
    unknown = unknown_before.search(text, max(0, m.start - _TOWN_REACH), m.start)
    if unknown is None or (before is not None and before.end > unknown.start()):
        return None
    name = _UNIT_TAIL.sub("", _LINK_TAIL.sub("", unknown.group(0).rstrip(" ,(")))
    place = gazetteer.fuzzy_in(name, oblast.admin1)
    if place is None:
        return None
    start = unknown.start()
    suffix = text[start + len(name) : start + len(name) + MATCH_RULES.suffix_length]
    return PlaceMention(place, start, start + len(name), name, "fuzzy", suffix)


def _names_location(m: PlaceMention, text: str, gazetteer: Gazetteer, rules: Rules) -> bool:
    if m.start < rules.dateline_reach and _DATELINE.match(m.suffix) and m.surface.isupper():
        return False  # "KYIV:" says where the reporter filed from
    if any(p.match(m.suffix) for p in (_GROUP_AFTER, _ORGANISATION_AFTER, _WATER_AFTER)):
        return False
    if _DIRECTION_AFTER.match(m.suffix) and _village(m.place):
        return False  # "the Polissia direction" is a front named for a land, not a village
    if _SPEAKS_AFTER.match(m.suffix):
        # "Kiev has accused Moscow of terrorism": the government speaks, nothing happened there
        return False
    if _FOREIGN_BEFORE.search(text, max(0, m.start - rules.title_reach), m.start):
        return False  # "the Belarusian settlement of Kopani"
    abroad = m.place.country != "UA" or m.place.kind == "country"
    before = text[max(0, m.start - rules.abroad_locative_reach) : m.start]
    # "despite Moscow claiming", "Russia began": abroad only where it is a location.
    if abroad and not _ABROAD_LOCATIVE.search(before):
        return False
    # "the village of Klimovo, Bryansk Region" is in Russia, not Crimea.
    return not (m.place.country == "UA" and _region_abroad(m.suffix, gazetteer))


def _in_named_oblast(m: PlaceMention, named: set[str], gazetteer: Gazetteer) -> PlaceMention:
    if m.place.kind == "city" and m.place.country == "UA" and m.place.admin1 not in named:
        namesake = gazetteer.namesake_in(m.surface, named)
        if namesake is not None:
            return PlaceMention(namesake, m.start, m.end, m.surface, m.how, m.suffix)
    return m


def _region_abroad(suffix: str, gazetteer: Gazetteer) -> bool:
    m = _REGION_AFTER.match(suffix)
    region = gazetteer.lookup(m.group(1)) if m else None
    return region is not None and region.country != "UA"


def segment(clause: str, mention: PlaceMention) -> str:
    """The comma- or "and"-delimited part of a clause that names a place."""
    start = 0
    for m in _SEGMENT_BREAK.finditer(clause):
        if m.start() >= mention.end:
            break
        if m.end() <= mention.start:
            start = m.end()
    end_m = _SEGMENT_BREAK.search(clause, mention.end)
    return clause[start : end_m.start() if end_m else len(clause)]


def place_precision(place: Place, how: str) -> str:
    """exact | inferred (from "the city") | raion | oblast | country."""
    if place.kind in ("raion", "oblast", "country"):
        return place.kind
    return how
