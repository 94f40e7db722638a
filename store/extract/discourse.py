"""What a sentence inherits from the ones around it.

The date in force (a paragraph's "on Tuesday" dates the sentences after it), the place in
context ("the city" after a sentence that names Kharkiv), the last kind of event ("At least 17
were killed" after "Another strike hit ..."), and, once every sentence is read, what mentions
of one story share: a headline's date from its lead, a target from the sentence before, a
source from "according to Reuters" in the sentence after.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from store.extract.dates import back_reference, date_of_sentence, publication_phrase_date
from store.extract.lexicon import ACCORDING_TO
from store.extract.rules import Rules
from store.extract.sentences import Sentence
from store.extract.taxonomy import (
    AIR_STRIKE,
    DISRUPTED,
    LOOTING,
    SHELLING,
    TRANSFER,
    Classification,
    family,
    fought,
    is_control_change,
    protest_strength,
    unfought,
)
from store.gazetteer import PlaceMention
from store.models import Candidate, Place, ResolvedDate

_ANAPHOR = re.compile(
    r"\b(?:the\s+(?:city|town|village|region|area|settlement|regional\s+centre)|there|local|"
    r"regional)\b",
    re.I,
)
_ACCORDING = re.compile(ACCORDING_TO + r"([A-Z][\w'.&-]*(?:\s+[A-Z][\w'.&-]*){0,3})")


@dataclass
class Discourse:
    """The state a reader carries from sentence to sentence of one article."""

    published: date | None
    # The oblasts the article names anywhere: a town's namesake is looked for there.
    article_oblasts: set[str]
    rules: Rules
    index: int = 0
    paragraph: int = 0
    in_force: ResolvedDate = field(init=False)
    # The date of the current sentence's main clause: its trailing clauses inherit it.
    main_when: ResolvedDate = field(init=False)
    context: tuple[PlaceMention, int] | None = None
    # The paragraph the place in context was named in: a toll later in it is that story's.
    context_paragraph: int = -1
    # The last trusted event's kind, with the sentence and paragraph it was told in.
    last_kind: tuple[Classification, int, int] | None = None

    def __post_init__(self) -> None:
        self.in_force = self.main_when = publication_phrase_date(self.published)

    def enter(self, sentence: Sentence, index: int) -> None:
        """Start reading a sentence: a new paragraph without a date of its own is about the news
        of the day again."""
        self.index = index
        if sentence.paragraph != self.paragraph:
            self.paragraph = sentence.paragraph
            self.in_force = publication_phrase_date(self.published)
        self.main_when = self.in_force

    def date_clause(self, clause: str, number: int, story: bool) -> tuple[ResolvedDate, bool]:
        """(the clause's date, is it only the day it was reported); a story's main clause with
        a date of its own moves the clock."""
        when, report_only, sets_clock = date_of_sentence(
            clause, self.published, self.main_when, self.rules
        )
        if number == 0:
            # "Ukraine news from March 20: Zelensky seeks Israel's help; Moscow bombs Mariupol
            # art school": what a report's day dates is known to that day only, approximately
            reported = report_only and when.value is not None
            self.main_when = (
                ResolvedDate(when.value, "approximate", when.phrase) if reported else when
            )
            if sets_clock and story:
                self.in_force = when
        return when, report_only

    def report_day(
        self, when: ResolvedDate, number: int, next_sentence: str | None
    ) -> ResolvedDate:
        """A clause dated only by its report: "..., the service said on Thursday" takes the main
        clause's day; "claimed Wednesday that ..." the day of "Tuesday's strike" next. Else
        the report's day is only when it was told, as a publication day is: "The attack hit a
        high-rise and killed one person, the mayor said Friday" may tell Thursday's strike."""
        if number > 0:
            return self.main_when
        told = back_reference(next_sentence, self.published) if next_sentence else None
        return told or ResolvedDate(when.value, "approximate", when.phrase)

    def place_in_context(self) -> PlaceMention | None:
        if self.context and self.index - self.context[1] <= self.rules.context_span:
            return self.context[0]
        return None

    def kind_in_context(self) -> Classification | None:
        """The kind of the last event told, for a toll that follows it: within a few
        sentences, or anywhere in its paragraph ("X was shelled. Officials reported damage.
        A shop burned. Two people died.")."""
        if self.last_kind is None:
            return None
        kind, index, paragraph = self.last_kind
        if self.index - index <= self.rules.kind_span or paragraph == self.paragraph:
            return kind
        return None

    def follows_place(self) -> bool:
        """Whether the place in context was named in this sentence, the one before, or earlier
        in this paragraph ("X was shelled. A shop burned. Two people died.")."""
        if self.context is None:
            return False
        near = self.index - self.context[1] <= self.rules.follow_up_span
        return near or self.context_paragraph == self.paragraph

    def remember_place(self, mention: PlaceMention) -> None:
        self.context = (mention, self.index)
        self.context_paragraph = self.paragraph

    def remember_kind(self, kind: Classification) -> None:
        self.last_kind = (kind, self.index, self.paragraph)


def refers_back(clause: str) -> bool:
    """ "the city", "there", "local": the clause points at a place named before."""
    return bool(_ANAPHOR.search(clause))


def pass_on_source(
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


def share_targets(candidates: list[Candidate], text: str) -> None:
    """A follow-up sentence without a target ("Two people were killed") right after the
    sentence that names one, about the same place, day and kind of event, shares its target."""
    for candidate in candidates:
        if candidate.target:
            continue
        targets = {
            other.target
            for other in candidates
            if other.target
            and _adjacent(other, candidate, text)
            and other.place.id == candidate.place.id
            and other.date.value == candidate.date.value
            and family(other.sub_event_type) == family(candidate.sub_event_type)
        }
        if len(targets) == 1:
            candidate.target = targets.pop()


def _adjacent(other: Candidate, candidate: Candidate, text: str) -> bool:
    """Another clause of the same sentence, or the sentence right before in its paragraph."""
    if other.start == candidate.start:
        return True
    between = text[other.end : candidate.start]
    return other.end <= candidate.start and not between.strip() and "\n" not in between


def date_headlines(candidates: list[Candidate], headline_ends: set[int]) -> None:
    """A headline rarely dates its event; the lead that tells the same event does. The lead
    also says better what it was and what was hit: "Invaders attack Kharkiv" over a lead that
    tells a missile strike on a residential building is that strike."""
    for candidate in candidates:
        if candidate.end not in headline_ends:
            continue
        # "Russian troops use cluster munitions in Donetsk Region" over "shelled the village of
        # Zaitseve, Donetsk Region, last night": a headline's oblast is its lead's town
        leads = [
            other
            for other in candidates
            if other.end not in headline_ends
            and (
                other.place.id == candidate.place.id
                or (candidate.place.is_ua_oblast and other.place.admin1 == candidate.place.admin1)
            )
        ]
        dated = [o for o in leads if o.date.precision == "day"]
        same_kind = [
            o
            for o in dated
            if family(o.sub_event_type) == family(candidate.sub_event_type)
            or _fire_on_protest(candidate.sub_event_type, o.sub_event_type)
        ]
        if candidate.date.precision != "day" and same_kind:
            candidate.date = same_kind[0].date
        told = [o for o in leads if o.date.value == candidate.date.value]
        if told and not _more_precise(candidate.sub_event_type, told[0].sub_event_type):
            candidate.event_type, candidate.sub_event_type = (
                told[0].event_type,
                told[0].sub_event_type,
            )
        elif told and (
            told[0].sub_event_type == LOOTING
            or (candidate.sub_event_type == DISRUPTED and bool(_SHOOTABLE.search(told[0].sentence)))
            or (candidate.sub_event_type, told[0].sub_event_type) == _CAPTIVE
            or _fire_on_protest(candidate.sub_event_type, told[0].sub_event_type)
        ):
            # and the lead's "damaged" is what the headline's shelling did, its missile "fired
            # towards Kramatorsk" the one the headline says was shot down, and its torture what
            # befell the one the headline says was abducted
            told[0].event_type, told[0].sub_event_type = (
                candidate.event_type,
                candidate.sub_event_type,
            )
        if told:
            candidate.target = candidate.target or told[0].target


# What a headline's "shot down" can be of in its lead: not "the shells fell short into the
# water" (a shelling that missed, told beside the missile shot down over the city).
_SHOOTABLE = re.compile(
    r"\b(?:missiles?|rockets?|drones?|UAVs?|kalibrs?|iskanders?|cruise|aircraft|planes?"
    r"|jets?|helicopters?|su-\d+|ka-52|mi-\d+)\b",
    re.I,
)


def _fire_on_protest(own: str, lead: str) -> bool:
    """ "Soldiers fire on a rally in the town" over "Loud blasts rang out across the town": the
    blasts are the force used on the rally."""
    return own == "Excessive force against protesters" and family(lead) == "strike"


# "Invaders abduct secretary of Nova Kakhovka Town Council" over "he is being subjected to
# torture": the abduction is the happening, the torture what it is like
_CAPTIVE = ("Abduction/forced disappearance", "Attack")


def _more_precise(own: str, lead: str) -> bool:
    """The headline's kind says more than its lead's: "Russia's airstrike on Malyn kills five"
    over "killed in Russian bombardment of Malyn"; "Russian military disperse rally in
    Berdyansk" over "hundreds of locals went to a rally"."""
    if (own, lead) == (AIR_STRIKE.sub_event_type, SHELLING.sub_event_type):
        return True
    # "Ukrainian forces shoot down Iskander missile near Kramatorsk" over "Russian troops fired a
    # missile towards Kramatorsk": what became of the missile
    if own == DISRUPTED and family(lead) == "strike" or (own, lead) == _CAPTIVE:
        return True
    if _fire_on_protest(own, lead):
        return True
    # "Russian forces shell two districts in Kyiv" over "damaged a shopping center": the
    # damage is what the shelling did
    if lead == LOOTING and family(own) == "strike" and own != LOOTING:
        return True
    own_strength, lead_strength = protest_strength(own), protest_strength(lead)
    return own_strength is not None and lead_strength is not None and own_strength > lead_strength


def absorb_roll_ups(candidates: list[Candidate]) -> list[Candidate]:
    """ "Russian forces shelled Vuhledar. ... the shelling of the Donetsk region ...": a report
    about an oblast in a story that tells the same kind of event in a town of that oblast on
    the same day is that event told again, or the day's total for the region ("5 civilians
    were killed in the Luhansk region"): not another event, and its toll belongs to no one
    event, so it is not shown as one."""
    towns = {
        (c.place.admin1, c.date.value, family(c.sub_event_type))
        for c in candidates
        if c.place.kind == "city" and c.place.country == "UA"
    }
    return [
        c
        for c in candidates
        if not (
            c.place.is_ua_oblast
            and (c.place.admin1, c.date.value, family(c.sub_event_type)) in towns
        )
    ]


# "Another two injured were reported", "two more people died": a figure added to one told before
# (the words before the figure, and the figure's own).
_ADDED_BEFORE = re.compile(r"\b(?:another|further)\s+$", re.I)
_ADDED = re.compile(r"^\S+\s+(?:more|further)\b", re.I)


def drop_additions(candidates: list[Candidate]) -> None:
    """ "Eleven civilians sustained injuries ... Another two injured were reported": a figure
    told as more of an earlier one of the story is part of a total the text does not give,
    so it is no figure of its own (nor a second source's disagreeing one)."""
    for name, other_name in (("killed", "injured"), ("injured", "killed")):
        told = False
        for c in sorted(candidates, key=lambda c: c.start):
            count = getattr(c, name)
            if count is not None and told and _added(c.sentence, count.words):
                # ("1 person was killed and 14 more were injured": the rest of this toll)
                other = getattr(c, other_name)
                if not (other is not None and _told_before(c.sentence, other.words, count.words)):
                    setattr(c, name, None)
            told = told or count is not None


def _told_before(sentence: str, first: str, then: str) -> bool:
    at = sentence.find(first)
    return 0 <= at < sentence.find(then)


def _added(sentence: str, words: str) -> bool:
    at = sentence.find(words)
    return bool(_ADDED.match(words)) or (at > 0 and bool(_ADDED_BEFORE.search(sentence, 0, at)))


def headlines_of_no_event(
    candidates: list[Candidate], headline_ends: set[int], looked_back: list[Place]
) -> list[Candidate]:
    """ "Murders of civilians: Victims of Russians in Kyiv region" over "Since the beginning of
    the war, more than 3,050 criminal proceedings have been recorded in Kyiv region": a headline
    is the label of its story, and a story that only looks back (a running total, history, a
    reaction) at a place tells no event there. A headline with figures of its own is kept, and
    so is one whose place the story also tells an event in."""
    if not looked_back:
        return candidates  # most stories: nothing was dropped as looking back

    def region(place: Place) -> str:
        return place.admin1 if place.country == "UA" else str(place.id)

    back = {region(p) for p in looked_back}
    told = {region(c.place) for c in candidates if c.end not in headline_ends}
    return [
        c
        for c in candidates
        if c.end not in headline_ends
        or c.killed is not None
        or c.injured is not None
        or region(c.place) not in back
        or region(c.place) in told
    ]


def placed_by_their_leads(candidates: list[Candidate], headline_ends: set[int]) -> list[Candidate]:
    """ "Russian invaders shell airport near Vinnytsia" over "missiles hit a military facility
    near the village of Havryshivka, not far from Vinnytsia": the headline's town is where
    the lead's village lies, so the headline is the lead's event, told less exactly."""
    leads = [c for c in candidates if c.end not in headline_ends]

    def told_better(h: Candidate) -> bool:
        return h.place.kind == "city" and any(
            lead.place.id != h.place.id
            and lead.place.admin1 == h.place.admin1
            and family(lead.sub_event_type) == family(h.sub_event_type)
            and h.place.name.lower() in lead.sentence.lower()
            for lead in leads
        )

    return [c for c in candidates if c.end not in headline_ends or not told_better(c)]


def placed_in_headline_towns(
    candidates: list[Candidate],
    headline_ends: set[int],
    named: Sequence[PlaceMention],
    rules: Rules,
) -> None:
    """ "'An abomination': World reacts to deadly Kramatorsk attack" over "the bombing of the
    train station in the eastern Donetsk region killed at least 52": the one thing hit that the
    lead places only in its region is in the headline's town of that region."""
    for c in candidates:
        if c.end in headline_ends or c.place.kind != "oblast" or not c.target:
            continue
        if c.target in rules.vague_targets:
            continue
        inside = {
            m.place.id: m.place
            for m in named
            if m.place.kind == "city" and m.place.admin1 == c.place.admin1
        }
        if len(inside) == 1:
            (c.place,) = inside.values()
            c.place_precision = "exact"


def upgrade_kinds(candidates: list[Candidate], text: str) -> None:
    """What a later sentence says of an event decides its kind: "Ukrainian forces retook X.
    There was no fighting." is a non-violent transfer; "Hundreds protested in X. Soldiers
    fired shots in the air." one protest with intervention, not a peaceful one beside it."""
    changes = [c for c in candidates if is_control_change(c.sub_event_type)]
    if changes and unfought(text):  # (most articles tell no change of control: no search)
        for c in changes:
            c.event_type, c.sub_event_type = TRANSFER.event_type, TRANSFER.sub_event_type
    strongest: dict[tuple[int, object], tuple[int, Candidate]] = {}
    for c in candidates:
        strength = protest_strength(c.sub_event_type)
        key = (c.place.id, c.date.value)
        if strength is not None and strength > strongest.get(key, (-1, c))[0]:
            strongest[key] = (strength, c)
    for c in candidates:
        found = strongest.get((c.place.id, c.date.value))
        if found is not None and protest_strength(c.sub_event_type) is not None:
            c.event_type, c.sub_event_type = found[1].event_type, found[1].sub_event_type
    _attacks_are_strikes(candidates)


# What an unfought "attack" that hit a building is: shelling, as ACLED codes it.
_STRUCTURES = frozenset(
    {"hospital", "administration building", "police department", "TV tower", "school",
     "residential building", "civilian infrastructure", "railway station", "airport",
     "power plant", "fuel depot", "theatre", "shopping centre", "church"}
)  # fmt: skip


_ATTACKS = re.compile(r"\battack(?:s|ed)?\b", re.I)
_CIVILIAN_TOLL = re.compile(
    r"\b(?:people|civilians|residents|children|persons)\b[^.;]{0,40}?\b(?:killed|wounded|injured|died)\b"
    r"|\b(?:killed|wounded|injured|killing|wounding|injuring)\s+(?:\S+\s+){0,3}?"
    r"(?:people|civilians|residents|children|persons)\b",
    re.I,
)


def _attacks_are_strikes(candidates: list[Candidate]) -> None:
    """ "Russian invaders attack Myrhorod" beside "fired at an infrastructure facility in
    Myrhorod" is that strike, and "attacks on the region, damaging 25 houses" shelling: a clash
    is a fight between forces, which the sentence must tell (taxonomy's `fought` cues)."""
    strikes = {c.place.id: c for c in candidates if family(c.sub_event_type) == "strike"}
    # "Russian soldiers opened fire on two civilians ... One of them was killed in the attack"
    shootings = {c.place.id: c for c in candidates if c.sub_event_type == "Attack"}
    for c in candidates:
        if c.sub_event_type != "Armed clash" or fought(c.sentence):
            continue
        strike = strikes.get(c.place.id) or shootings.get(c.place.id)
        # a headline dated only by its publication tells the strike its lead dates
        if strike is not None and (
            strike.date.value == c.date.value or c.date.precision == "approximate"
        ):
            c.event_type, c.sub_event_type = strike.event_type, strike.sub_event_type
            c.date = strike.date
        elif c.target in _STRUCTURES or (
            _ATTACKS.search(c.sentence) and _CIVILIAN_TOLL.search(c.sentence)
        ):
            # "25 people have been wounded as a result of Russian attacks over the past day":
            # civilians hurt by attacks no one fought are shelled, as ACLED codes it
            c.event_type, c.sub_event_type = SHELLING.event_type, SHELLING.sub_event_type
