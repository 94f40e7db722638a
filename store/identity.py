"""Which event a new mention tells: the one its own key names, one already told that it is
another report of, or a happening of its own beside an event of the same key.

A mention's key (store.cluster.candidate_key) is its place, day, kind family and target. Two
reports of one happening often differ in one of those, and the rules below say when that still
makes them one happening, each with the reports that justify it:

- "Kramatorsk attack kills 50" (no target, no day: dated by its publication) is the strike on
  the railway station of the day before that killed 50: a report that does not say when or what
  was hit follows up the event of the day before whose figure it gives;
- "The death toll from the attack on the Kramatorsk train station has risen to 59" (published six
  days later) is that strike: the same named target within `follow_up_days`;
- a report of the same target the day after an event many sources told is that event (a
  weekday read a day off, the aftermath told as the news of the day);
- "Russian forces attacked the railway station" and "a missile hit the railway station" the same
  day are one happening: a bare "attack" (read as a clash) is
  compatible with any violent kind when the target agrees;
- "A missile struck Kramatorsk" the same day as "the strike on the railway station": a report
  with no target joins the one with a target when it shares its figures, or gives no day of its
  own and shares its words (`alike`), and gives no figures the event does not have;
- "Rocket attacks hit an oil depot in Lviv" the day three reports told "explosions in Lviv"
  with no target: a report that names what was hit joins the day's event there that named
  nothing, of its kind family, when its target is vague, or that event is big, or the texts are
  alike, and it has no figures of its own (`target.untargeted`);
- within one article, the headline and the lead that tell one place, day and kind are one
  happening (`one_key_per_happening`), unless the article says it is another one;
- "Russian attack causes panic in Kyiv" and "Kyiv residents seek shelter as blasts hit" the same
  day, one dated only by its paper: a bare attack beside the strike told there is that strike;
  "four people killed, 10 wounded over past day" in the day's paper gives the toll of the day's
  strike there that named nothing (or only "houses") and gave none;
- a report of a named target dated only by the next day's paper follows up that target's event;
- "Bucha killings: 'The world cannot be tricked'" days after many reported the killings there:
  a report with no day, target or figure that names killings, torture or bodies retells that
  atrocity (`atrocity`).

What never joins: opposite sides striking (Russian shelling and an Azov strike on a vehicle the
same day; not a fight, nor the sides blaming each other for one thing hit), a later report of a
target that neither shares a figure nor looks back when the event was small news (a siege has a
hospital hit twice), two different named targets (the station and a hospital), a report that gives
its own day at another day, a report with no target and its own day and figures of its own (the
coded ACLED notes are all of that kind, and each is a distinct event), and reports whose texts
name different things hit (`details`: "the seaport" and "the armored plant", the Podilskyi and
the Sviatoshynskyi districts): those stay apart even when their keys are equal, the later one a
happening of its own under the key with a "#2" (told apart, `apart`). A vague target
("residential areas", "infrastructure") is no evidence across days: every day of a siege has one.
At an oblast or the whole country, a key says little ("shelling in Donetsk region"): reports
there are one happening only when their texts say so (shared figures, things or words), or when
one of them is dated only by its paper and their figures do not differ (the day's news of the
region: "Donetsk Region under extensive shelling" and "one civilian killed, six wounded in
shelling in Donetsk region on March 26").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from store.extract.casualties import TOLL_UPDATE
from store.extract.rules import RULES
from store.extract.taxonomy import family, fought

# What a bare "attack" is read as: it says nothing of the weapon, so it agrees with any. (Fire
# at civilians, their cars or an evacuation bus, "Attack", says what was done: it is no strike
# on the town that day.)
GENERIC_KINDS = frozenset({"Armed clash"})
VIOLENT_KINDS = GENERIC_KINDS | {
    "Attack",
    "Shelling/artillery/missile attack",
    "Air/drone strike",
    "Looting/property destruction",
}
# "A firefight near the nuclear plant" and "Russian forces seize the nuclear plant" the same day:
# the fighting for a place and its capture are one happening.
TERRITORY_KINDS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
FIGHTS = TERRITORY_KINDS | {"Armed clash"}
# Families (store.extract.taxonomy.family) that never join another: plunder, a shoot-down.
OWN_FAMILIES = frozenset({"looting", "aircraft down"})


def _wordlist(text: str, stem: bool = False) -> frozenset[str]:
    return frozenset(w[:6] if stem else w for w in text.split())


# Things a report says were hit, to tell two happenings of one place and day apart: "the
# seaport" and "the armored plant" are two, and so are a plane and a helicopter shot down.
# Vague words ("buildings", "streets", "the centre") say nothing of which happening it was
# and are left out.
DETAILS = _wordlist(
    """plant factory refinery depot facility port seaport airport airfield base station hospital
    clinic school kindergarten university theatre theater market mall supermarket bridge tower
    church cathedral mosque column convoy bus train ship cruiser helicopter plane jet warehouse
    pipeline dam mine sanatorium dormitory museum stadium substation reactor nuclear
    outpatient maternity sports orphanage icebreaker vessel boat hotel prison circus"""
)
# Words every war report uses, which say nothing of which happening it tells (stems of six).
COMMON = _wordlist(
    """about after against aggression aggressor aircraft airstrike airstrikes april march
    february armed army artillery attack attacks attacked battle battles been being building
    buildings censor children city civilian civilians continue continues damage damaged defender
    defenders defense defence destroyed destroy destruction donbas down during eastern enemy
    evacuation explosion explosions fighting fire fired firing five four three forces from general
    have hospital houses humanitarian including infrastructure injured invaders killed killing
    launched least liberated military minister missile missiles more near night occupation
    occupiers offensive operation over past people person president railway region report
    reported residential result rocket rockets russia russian russians said says shell shelled
    shelling shot soldiers station strike strikes struck system territory than that their today
    torture town troops ukraine ukrainian ukrinform under village were which will with wounded
    this these those into also such only there what when where while would could they them news
    view photo video latest updates update situation center centre central area district regional
    again hits hit another other according official officials local number several dozens""",
    stem=True,
)
# "Kyiv's Podilskyi district", "the Obolonskyi residential district": a district by its name.
_DISTRICT = re.compile(
    r"\b([A-Z][a-z]+)(?:['’]s)?\s+(?i:residential\s+)?(?i:district|raion|neighbou?rhood)"
)
_SAME_THING = {"theater": "theatre", "seaport": "port", "clinic": "hospital"}
# A thing's other name in two words: "an aircraft repair facility near the airport" is the
# "Lviv Aircraft Repair Plant" (but a "nuclear research facility" is no plant).
_SAME_PHRASE = re.compile(r"\brepair\s+facilit(?:y|ies)\b")
_WORD = re.compile(r"[a-z]+")
# "Another strike occurred later on Tuesday", "attacked the airfield for the tenth time",
# "launches tenth attack": the text itself tells a further happening. ("the second-largest
# city" is no second happening; "cluster bombs on Mykolaiv, again" may retell the day's; and
# "another four missiles hit infrastructure facilities ... after five strikes reported earlier"
# counts the strikes of one attack.)
_ANOTHER = re.compile(
    r"\b(?:another|second)\b(?!-|\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"|\b(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"\s+(?:time|attack|strike|assault)\b",
    re.IGNORECASE,
)
_AGAIN = re.compile(r"\bagain\b", re.IGNORECASE)
# A round-up of the shelling that goes on, not one happening: "Last night, Russian troops
# continued to shell Sumy, Okhtyrka and Trostianets", "shelling and missile strikes continue in
# Chernihiv, British intelligence says", "the city was bombed 90 times in a day".
_ROUND_UP = re.compile(
    r"\bcontinu\w*\s+(?:to\s+)?(?:\w+\s+){0,2}?(?:shell|strik|bomb|attack|fir|pound)\w*"
    r"|\b(?:shelling|strikes|attacks|bombardments?|bombings?)\s+continu\w*"
    r"|\b\d{2,}\s+(?:times|(?:air\s+|missile\s+)?strikes|attacks)\b"
    r"|\b(?-i:[A-Z])[\w'-]+,\s+(?-i:[A-Z])[\w'-]+,?\s+and\s+(?-i:[A-Z])[\w'-]+",
    re.IGNORECASE,
)
# "Several explosions were heard in Lutsk": what was heard is the strike told beside it.
_HEARD = re.compile(
    r"\b(?:explosions?|blasts?|booms?)\b[^.;]{0,40}?\b(?:heard|rang\s+out|rocked|rock)\b"
    r"|\bheard\s+(?:\S+\s+){0,3}?(?:explosions?|blasts?)\b",
    re.IGNORECASE,
)


# "Bucha killings: 'The world cannot be tricked anymore'", "New bodies of civilians killed by
# the occupiers have been found in Bucha", "Torture in Bucha": the words of an atrocity found
# after the fact, which later reports retell for days.
_ATROCITY = re.compile(
    r"\b(?:killings|killing\s+of|massacre|atrocit\w+|murders?|murderers|crimes|tortur\w*"
    r"|executions?|executioners|executed|bodies|corpses|mass\s+graves?)\b",
    re.IGNORECASE,
)


_ONGOING = re.compile(r"\b(?:are|is)\s+(?:now\s+|still\s+)?(?!being\b)\w+ing\b", re.IGNORECASE)


@dataclass(frozen=True)
class IdentityRules:
    # The Mariupol theatre's toll was published nine days after the strike.
    follow_up_days: int = 10
    # A report with no target follows up only an event of that day or the day before...
    untargeted_follow_up_days: int = 1
    # A place that changed hands is still that news for this many days ("Irpin liberated" in a
    # paper three days after the mayor said so): it changes hands once in a week.
    territory_follow_up_days: int = 4
    # A report of the same target the next day follows up only an event this many told.
    big_event_sources: int = 3
    # The reports of an event whose sentences its text rules compare, first told first: enough
    # to tell happenings apart, and a cost that does not grow with an event's reports.
    compared_sentences: int = 60
    # Kinds whose later reports retell one happening found after the fact (_retells_atrocity).
    atrocity_kinds: frozenset[str] = frozenset({"Attack", "Sexual violence"})
    # Killed in the days after a massacre was found, this many are its count, not another one.
    atrocity_toll: int = 100
    # Kinds a town sees once in days: a later report of one there with no day of its own is it.
    rare_kinds: frozenset[str] = frozenset({"Chemical weapon"})
    # Targets every day of a siege has ("residential areas shelled"): no evidence across days.
    vague_targets: frozenset[str] = RULES.vague_targets
    # Places too wide for a key to name a happening: their reports must share figures or words.
    wide_places: frozenset[str] = field(default_factory=lambda: frozenset({"oblast", "country"}))
    # A headline and its lead are one story; further down, a long article tells several
    # happenings of one city and day ("paratroopers landed", then "attacked a hospital").
    lead_chars: int = 400
    details: frozenset[str] = DETAILS
    common_words: frozenset[str] = COMMON
    # How many uncommon words two reports share when they tell one happening ("missile strikes
    # at a military training area in Rivne region" twice: rivne, training, area); the place's
    # own name is one of them, so two are not enough.
    shared_words: int = 3
    # A city this big has several strikes a day: a report that names what was hit by another
    # weapon is not the day's report there that named nothing only because both are dated by
    # their papers ("Civilians, including US citizen, killed in Russian shelling of Chernihiv"
    # and "Three children, their parents killed in Russian airstrike on dormitory in
    # Chernihiv"; but "the enemy launched a missile strike on the Dnipro" and "destroyed an oil
    # terminal in Dnipro as a result of a missile attack" are one).
    busy_city_population: int = 200_000
    # ... and in a city of millions, whatever the weapon: "In Kharkiv, as a result of shelling by
    # Russian aircraft, large-scale fires broke out in 21 buildings in the centre" and "Kharkiv
    # Armored Plant has been fired at from Russian aircraft and MLRS" are two strikes.
    metropolis_population: int = 1_200_000


IDENTITY_RULES = IdentityRules()


@dataclass(frozen=True)
class Joined:
    key: str
    # Which rule joined it (the `joined.*` strings of bot.catalogue say it to users):
    # target.same_day | target.later | target.day_before | target.untargeted |
    # no_target.same_day | follow_up |
    # toll_update | atrocity | heard |
    # dated (gives the day of an event dated only by its reports' publication, the day after) |
    # article (the headline and lead of one article) | apart (told apart from the event of
    # its own key: another happening the same place and day)
    why: str


def window(day: date, rules: IdentityRules = IDENTITY_RULES) -> tuple[date, date]:
    """The days of the events a mention of `day` may join: up to `follow_up_days` before, and
    the day after (an event dated only by its reports' publication that this one gives a day)."""
    return day - timedelta(days=rules.follow_up_days), day + timedelta(days=1)


# (Asked of every event near a mention, of a few dozen sub-types: answered once a pair.)
@lru_cache(maxsize=1024)
def kinds_agree(a: str, b: str) -> bool:
    """Same family, or a bare "attack" and any violent kind."""
    if family(a) == family(b):
        return True
    return (a in GENERIC_KINDS or b in GENERIC_KINDS) and a in VIOLENT_KINDS and b in VIOLENT_KINDS


def details(text: str, rules: IdentityRules = IDENTITY_RULES) -> frozenset[str]:
    """The things a text says were hit, and the city districts it names."""
    return _details(text, rules.details, rules.common_words)


# Each mention is compared with every event near it, and each event with every mention of an
# article: the same texts come back, and reading them was a sixth of a write. Kept by the two
# word lists, not by the rules: hashing a whole IdentityRules is a call into Python each time.
# 8,192 texts (a few MiB): with 2,048, half the texts read again over the real-text corpus had
# been dropped meanwhile.
@lru_cache(maxsize=8192)
def _details(text: str, things: frozenset[str], common: frozenset[str]) -> frozenset[str]:
    lowered = _SAME_PHRASE.sub("repair plant", text.lower())
    words = {w[:-1] if w[:-1] in things else w for w in _WORD.findall(lowered)}
    found = {_SAME_THING.get(w, w) for w in words if w in things}
    for name in _DISTRICT.findall(text):
        if name.lower()[:6] not in common:
            found.add("district:" + name.lower()[:5])
    return frozenset(found)


def apart(a: str, b: str, rules: IdentityRules = IDENTITY_RULES) -> bool:
    """Two texts name different things hit: two happenings. Named districts decide alone
    ("the Podilskyi district" and "the Sviatoshynskyi district" are two strikes on Kyiv)."""
    first, second = details(a, rules), details(b, rules)
    districts = (
        {d for d in first if d.startswith("district:")},
        {d for d in second if d.startswith("district:")},
    )
    if districts[0] and districts[1]:
        return not districts[0] & districts[1]
    return bool(first and second and not first & second)


def _words(text: str, rules: IdentityRules) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if len(w) > 3} - rules.common_words


def alike(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules = IDENTITY_RULES
) -> bool:
    """The texts say they are one happening: a figure, a thing hit or uncommon words shared."""
    if _shares_figure(mention, event):
        return True
    a, b = mention.get("sentence") or "", event.get("sentences") or ""
    if details(a, rules) & details(b, rules):
        return True
    return _words_shared(mention, event, rules)


def _shares_figure(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """A figure of the mention is the event's, or within the range its sources give. (No one
    hurt is said of every strike that missed: no evidence of which one.)"""
    for name in ("killed", "injured"):
        value, low = mention[f"{name}_low"], event[f"{name}_low"]
        if not value or low is None:
            continue
        if low <= value <= (event[f"{name}_high"] or low):
            return True
    return False


def _twin(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """A targeted event of the mention's day and kind with both of its figures."""
    figures = ("killed_low", "injured_low")
    return (
        event["key"] != mention["event_key"]
        and bool(event["target"])
        and event["date"] == mention["date"]
        and kinds_agree(mention["sub_event_type"], event["sub_event_type"])
        and all(mention[f] is not None and mention[f] == event[f] for f in figures)
    )


def _own_family(row: Mapping[str, Any]) -> bool:
    """The mention (by its sentence) or the event (by its key) is plunder or a shoot-down."""
    if "event_key" in row:
        return family(row["sub_event_type"], row.get("sentence") or "") in OWN_FAMILIES
    return _key_own_family(row["key"])


# An event's key is asked for its base and family by every mention near it: answered once a key.
@lru_cache(maxsize=8192)
def _key_own_family(key: str) -> bool:
    return _base(key).split("|")[2] in OWN_FAMILIES


@lru_cache(maxsize=8192)
def _base(key: str) -> str:
    return key.split("#")[0]


def _same_key(mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules) -> bool:
    """A mention is the happening its key (or a "#n" of it) names unless the texts differ:
    different things hit, or, at an oblast or the whole country, nothing shared at all."""
    if not event.get("sentences"):  # an event whose reports are being replaced: no evidence
        return True
    if _differ(mention, event, rules):
        return False
    wide = mention.get("place_precision") in rules.wide_places
    if not wide or mention["target"] or alike(mention, event, rules):
        return True
    return _regions_day(mention, event)


def _regions_day(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """ "Donetsk Region under extensive shelling by Russians" in the day's paper and "one civilian
    killed, six wounded in Russian shelling in Donetsk region on March 26": told of a region
    with nothing hit named, one of them dated only by its paper, the day's news there is one
    happening, unless their figures differ. (A coder's notes give their days: each is its own.)"""
    return _one_dated_by_paper(mention, event) and not _figures_differ(mention, event)


def _one_dated_by_paper(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """One of the two is dated only by its publication: news, not a coder's note (each of
    those gives its day and is a distinct event)."""
    return "approximate" in (mention["date_precision"], event.get("date_precision"))


def _figures_differ(mention: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Both give a figure of the same kind, and the mention's is not within the event's."""
    for name in ("killed", "injured"):
        value, low = mention[f"{name}_low"], event[f"{name}_low"]
        if value is None or low is None:
            continue
        if not low <= value <= (event[f"{name}_high"] or low):
            return True
    return False


def _differ(mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules) -> bool:
    """The texts tell two happenings: they name different things hit, opposite sides struck,
    or the report says it is another one ("Another Russian shell hits a private house in Kyiv")
    and shares nothing."""
    if opposite_sides(mention, event):
        return True
    text, told = mention.get("sentence") or "", event.get("sentences") or ""
    if apart(text, told, rules):
        return True
    # "In the evening of April 16, Russian troops again shelled the city, leaving one person
    # killed and two injured" beside the day's missile strike with 18 injured
    if _figures_differ(mention, event) and _AGAIN.search(text):
        return True
    wide = mention.get("place_precision") in rules.wide_places
    if not wide and _round_up_beside_one(mention, event, text, told):
        return True
    return _says_another(text) and not alike(mention, event, rules)


def _round_up_beside_one(
    mention: Mapping[str, Any], event: Mapping[str, Any], text: str, told: str
) -> bool:
    """A round-up that names nothing hit and no toll (`_ROUND_UP`) beside a report of one
    happening there, with its figures or the thing it hit ("a warplane bombed a
    barracks in Kharkiv, killing four"): the round-up is not that happening's report. (Of a
    region, the day's news is one: `_regions_day`.)"""
    vague = not mention["target"] and not _has_figures(mention)
    told_vague = not event["target"] and not _has_figures(event)
    if vague and not told_vague:
        return _round_up(text)
    if told_vague and not vague:
        return _round_up(told) and not _round_up(text)
    return False


@lru_cache(maxsize=1024)
def _round_up(text: str) -> bool:
    return bool(_ROUND_UP.search(text))


# A mention's text is asked of every event near it: searched once.
@lru_cache(maxsize=1024)
def _says_another(text: str) -> bool:
    return bool(_ANOTHER.search(text))


def opposite_sides(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """One side struck in one report and the other side in the other: "occupiers fired at an
    icebreaker in Mariupol" and "Azov fighters destroyed an enemy BMP in Mariupol" the same day
    are two happenings. In a fight both sides act, so which one a report names first says
    nothing; and over one thing hit, the sides blame each other ("the missile that struck the
    train station was launched by Ukrainian forces")."""
    sides = {a.get("actor1") or "", b.get("actor1") or ""}
    if "" in sides or len(sides) == 1 or (a["target"] and a["target"] == b["target"]):
        return False
    return not {a["sub_event_type"], b["sub_event_type"]} & FIGHTS


# (Asked of every event near a mention, of a few dozen sub-types: answered once a pair.)
@lru_cache(maxsize=4096)
def _kinds_may_join(kind: str, told_kind: str, same_target: bool) -> bool:
    """The kinds agree, or a fight and a capture, or two violent kinds, tell the same target."""
    fight = "Armed clash" in (kind, told_kind) and bool({kind, told_kind} & TERRITORY_KINDS)
    # "Russians fired on the children's hospital" and "a hospital was shelled" the same day
    violent = {kind, told_kind} <= VIOLENT_KINDS
    return kinds_agree(kind, told_kind) or ((fight or violent) and same_target)


def _why(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules, alone: bool
) -> str | None:
    """Why the mention is a report of the event, or None when it is not. `alone`: the mention
    tells plunder or a shoot-down, happenings of their own, never reports of a strike (nor is a
    strike a report of such an event)."""
    if _base(mention["event_key"]) == _base(event["key"]):
        if not _same_key(mention, event, rules):
            return None
        return "same" if mention["event_key"] == event["key"] else "apart"
    if alone or _own_family(event):
        return None
    same_target = bool(mention["target"]) and mention["target"] == event["target"]
    if not _kinds_may_join(mention["sub_event_type"], event["sub_event_type"], same_target):
        return None
    day, event_day = date.fromisoformat(mention["date"]), date.fromisoformat(event["date"])
    undated = mention["date_precision"] == "approximate"
    target = _named(mention["target"], event["target"], rules)
    if event_day > day:
        # "Russia's airstrike on Malyn kills five" dated Tuesday by a report of Wednesday, and
        # "five people were killed in an airstrike on Malyn" dated only by its Wednesday paper.
        undated_event = event.get("date_precision") == "approximate"
        named = bool(target) and target == event["target"]
        gives_day = mention["date_precision"] == "day" and (event_day - day).days == 1
        other = bool(target) and bool(event["target"]) and not named
        if undated_event and gives_day and not other and (named or _shares_figure(mention, event)):
            return None if _differ(mention, event, rules) else "dated"
        return None
    if target and target == event["target"]:
        if _differ(mention, event, rules):
            return None
        if event_day == day:
            return "target.same_day"
        if target in rules.vague_targets:
            # Houses are hit every day, but "the attack hit a residential high-rise and killed at
            # least one person, the mayor said Friday", the day after big news of a high-rise hit
            # there with one killed, is that strike's follow-up.
            later = undated and (day - event_day).days == 1 and _shares_figure(mention, event)
            big = event["n_sources"] >= rules.big_event_sources
            return "target.day_before" if later and big else None
        if undated and event_day < day and _follows_up(mention, event, rules):
            return "target.later"
        # "Saturday" in a story of the day after: a big event's target the next day is it.
        big = event["n_sources"] >= rules.big_event_sources
        if big and (day - event_day).days == 1:
            return "target.day_before"
        return None
    if target:
        return _names_the_target(mention, event, rules) if event_day == day else None
    # A toll update with no day and no target follows up the big happening of the place in the
    # last days (its new figure is the revision, so it need not share one), or that of the day
    # before there whose district or thing hit it names ("the number of victims in the Podilskyi
    # district grows to eight" the morning after explosions in the Podilskyi district).
    if undated and event_day < day and _toll_update_of(mention, event, day - event_day, rules):
        return None if _differ(mention, event, rules) else "toll_update"
    if undated and event_day < day and _retells_atrocity(mention, event, rules):
        return None if _differ(mention, event, rules) else "atrocity"
    # "Three persons have been affected by Russia's chemical attack on Mariupol" the day after
    # "the occupants used chemical weapons against the defenders and residents of Mariupol"
    rare = mention["sub_event_type"] in rules.rare_kinds
    if (
        undated
        and event_day < day
        and rare
        and mention["sub_event_type"] == event["sub_event_type"]
    ):
        return None if _differ(mention, event, rules) else "follow_up"
    # Explosions heard, with no target and no figures, the day of a strike there or the night
    # before a report dated by its publication: that strike.
    heard_day = event_day == day or (undated and (day - event_day).days == 1)
    heard = heard_day and bool(event["target"]) and not _has_figures(mention)
    if heard and _HEARD.search(mention.get("sentence") or ""):
        return None if _differ(mention, event, rules) else "heard"
    if event_day == day and _gives_the_toll(mention, event, rules):
        return None if _differ(mention, event, rules) else "no_target.same_day"
    # With no target, figures of its own that the event does not have make it another
    # happening, or a toll of the whole city ("1,582 civilians killed in Mariupol so far").
    shared = _shares_figure(mention, event)
    if _has_figures(mention) and not shared:
        return None
    if _differ(mention, event, rules):
        return None
    if event_day == day and _attack_beside_strike(mention, event, rules):
        return "no_target.same_day"
    if (
        event_day == day
        and event["target"]
        # a dated report with no figures retells it when the texts are alike ("Lviv Aircraft
        # Repair Plant destroyed with missile strikes" beside "missiles hit the repair plant")
        and (shared or (_retells if undated else alike)(mention, event, rules))
    ):
        return "no_target.same_day"
    # A besieged city has news every day that names no happening ("air strikes are hitting the
    # centre of Mariupol" the day after the maternity hospital): a report with no day and no
    # target follows up an event of the day before only when it gives the event's figure.
    recent = (day - event_day).days <= rules.untargeted_follow_up_days
    # (at an oblast, a daily tally that gives the number of the day before is the next day's)
    wide = mention.get("place_precision") in rules.wide_places
    if undated and recent and shared and not (wide and not _words_shared(mention, event, rules)):
        return "follow_up"
    # "Two Ukrainian Neptune missiles hit the Moskva earlier this week, a U.S. official said
    # Friday", the day after three reports of the cruiser Moskva burning: a report with no
    # figures that looks back at the day before's big news and names what it names.
    looks_back = bool(_LOOKS_BACK.search(mention.get("sentence") or ""))
    big = event["n_sources"] >= rules.big_event_sources
    later = undated and recent and event_day < day and not wide
    if later and big and looks_back and not _has_figures(mention) and alike(mention, event, rules):
        return "follow_up"
    # "Kyiv region liberated from Russian invaders" in the next day's paper, "Irpin liberated"
    # three days after the mayor said so: a place changes hands once, and the days after it
    # are still that news
    kind = mention["sub_event_type"]
    held = (day - event_day).days <= rules.territory_follow_up_days
    if undated and held and kind in TERRITORY_KINDS and kind == event["sub_event_type"]:
        return "follow_up"
    return None


# "Kharkiv under fresh attack", "Russia renews attacks on Kyiv": an attack on the town, said
# as the news of the day. (Not "enemy advancing on Mykolaiv", nor the ground assault of "the
# occupants continue to attack the plant", "attempts to attack Azovstal".)
_BARE_ATTACK = re.compile(r"\battack(?:s|ed)?\b", re.IGNORECASE)
_ASSAULT = re.compile(r"\b(?:continu\w*|attempt\w*|trying|tried)\s+to\s+attack", re.IGNORECASE)


_BARE_AND_STRIKE = frozenset({*(family(kind) for kind in GENERIC_KINDS), "strike"})


def _attack_beside_strike(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules
) -> bool:
    """ "Russian attack causes panic in Kyiv as people flee" and "Kyiv residents seek shelter as
    blasts hit" the same day, one of them dated only by its publication, neither naming what
    was hit: a bare "attack" says nothing of the weapon, and it is the strike told beside it.
    (A fight told as one, "battles near Kyiv", is a happening of its own; at an oblast a key
    says too little; a coder's note gives its day, and each is a distinct event.)"""
    if event["target"] or mention.get("place_precision") in rules.wide_places:
        return False
    if not _one_dated_by_paper(mention, event):
        return False
    sides = (
        (mention["sub_event_type"], mention.get("sentence") or ""),
        (event["sub_event_type"], event.get("sentences") or ""),
    )
    bare = [kind in GENERIC_KINDS and _bare_attack(text) for kind, text in sides]
    # (fire at civilians, "Attack", says what was done: it is no strike on the town)
    families = {family(kind) for kind, _ in sides}
    return any(bare) and families == _BARE_AND_STRIKE


def _bare_attack(text: str) -> bool:
    return bool(_BARE_ATTACK.search(text)) and not _ASSAULT.search(text) and not fought(text)


def _gives_the_toll(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules
) -> bool:
    """ "Rubizhne under shelling by Russian troops: four people killed, 10 civilians wounded over
    past day", dated by its paper, and "Russians shelled Rubizhne all night, damaging at least
    27 houses" that day: a report that names nothing hit gives the toll of the day's strike
    there that gave none. (At an oblast the day has many; a coder's note gives its day.)"""
    if mention["date_precision"] != "approximate" or not _has_figures(mention):
        return False
    if mention.get("place_precision") in rules.wide_places or _has_figures(event):
        return False
    if event["target"] and event["target"] not in rules.vague_targets:
        return False
    return family(mention["sub_event_type"]) == family(event["sub_event_type"]) == "strike"


def _toll_update_of(
    mention: Mapping[str, Any], event: Mapping[str, Any], later: timedelta, rules: IdentityRules
) -> bool:
    """The mention, a later report, says the toll of the event has risen (see `_why`)."""
    sentence = mention.get("sentence") or ""
    if not TOLL_UPDATE.search(sentence):
        return False
    if event["n_sources"] >= rules.big_event_sources and event["target"]:
        return True
    named = details(sentence, rules) & details(event.get("sentences") or "", rules)
    return later.days <= rules.untargeted_follow_up_days and bool(named)


def _retells_atrocity(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules
) -> bool:
    """A report with no day, no target and no figures (or the massacre's count) that names
    killings, torture or bodies found where many reported an attack on civilians in the days
    before retells that atrocity ("Bucha killings: ..." for days after the town's liberation)."""
    if mention["sub_event_type"] != event["sub_event_type"]:
        return False
    # (a toll of its own is another happening, unless it is the count of the massacre:
    # "Zelenskyy says at least 300 'killed and tortured' in Bucha")
    if _has_figures(mention) and (mention["killed_low"] or 0) < rules.atrocity_toll:
        return False
    if event["sub_event_type"] not in rules.atrocity_kinds:
        return False
    big = event["n_sources"] >= rules.big_event_sources
    return big and bool(_ATROCITY.search(mention.get("sentence") or ""))


# "Survivors emerge from bombed Mariupol theatre", "the death toll from the strike on the
# station has risen", "rescuers recovered more bodies": a later report that looks back.
_LOOKS_BACK = re.compile(
    r"\b(?:bombed|shelled|struck|destroyed|hit\s+(?:by|in)|after|following|aftermath|rubble"
    r"|debris|rescue\w*|survivors?|toll|bodies|victims|recovered|extinguish\w*|days\s+after"
    r"|since|earlier|last\s+week|(?:mon|tues|wednes|thurs|fri|satur|sun)day's)\b",
    re.IGNORECASE,
)


def _follows_up(mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules) -> bool:
    """A later report of a named target is that event's follow-up when the event was big
    news, the report gives one of its figures, it is the next day's paper, or its words look
    back at it: a siege has a
    hospital hit more than once ("Russians bomb operating room in field hospital at
    Azovstal" nine days after a bomb on a hospital there)."""
    if event["n_sources"] >= rules.big_event_sources or _shares_figure(mention, event):
        return True
    # ("Russian forces abduct staff, patients of Mariupol maternity hospital", and the next
    # day's paper: "staff and maternity patients were forcibly taken out to Russia")
    next_day = (date.fromisoformat(mention["date"]) - date.fromisoformat(event["date"])).days == 1
    return next_day or bool(_LOOKS_BACK.search(mention.get("sentence") or ""))


def _words_shared(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules
) -> bool:
    a, b = mention.get("sentence") or "", event.get("sentences") or ""
    return len(_words(a, rules) & _words(b, rules)) >= rules.shared_words


def _names_the_target(
    mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules
) -> str | None:
    """A report with a target is the day's event there that named none ("Explosions reported
    in Lviv", three sources, and "missiles hit the oil depot in Lviv on Saturday"; "launched a
    missile attack on Lviv Aircraft Repair Plant" and "Russian missiles hit Lviv airport area")
    when the texts are alike or many reports told that event, and nothing tells them apart."""
    if event["target"] or _differ(mention, event, rules):
        return None
    if family(mention["sub_event_type"]) != family(event["sub_event_type"]):
        return None  # a shelled street beside a car fired on: a bare "attack" names no strike
    wide = mention.get("place_precision") in rules.wide_places
    # "Russian troops launched missile strikes on Pavlohrad" and "Pavlohrad railway station
    # destroyed in Russian missile strikes, one reported dead", both dated by their papers; or
    # one of them so dated and the report naming the target giving no figures of its own: what
    # the first names nothing of, the second names (a coder's notes give their days, and each
    # is a distinct event)
    both = mention["date_precision"] == event.get("date_precision") == "approximate"
    undated = both or (_one_dated_by_paper(mention, event) and not _has_figures(mention))
    population = mention.get("place_population", 0)
    busy = population >= rules.busy_city_population and (
        mention["sub_event_type"] != event["sub_event_type"]
        or population >= rules.metropolis_population
    )
    if undated and not wide and not busy and not _figures_differ(mention, event):
        return "target.untargeted"
    if _has_figures(mention) and not _shares_figure(mention, event):
        return None  # figures of its own: another happening ("wounding six" beside "five")
    if alike(mention, event, rules):
        return "target.untargeted"
    # At an oblast a key says little: "Russians shell residential areas in Kyiv region" is not
    # the suburban train shelled there that day unless the texts say so.
    if wide:
        return None
    # ("Russians continue shelling the residential neighborhoods of Kharkiv" names no one thing)
    vague = mention["target"] in rules.vague_targets
    big = event["n_sources"] >= rules.big_event_sources
    return "target.untargeted" if vague or big else None


def _named(target: str, other: str, rules: IdentityRules) -> str:
    """The mention's target as evidence against an event's: a vague one ("infrastructure")
    beside another one ("the railway station", "homes") names nothing: "Invaders shell
    Severodonetsk: critical infrastructure almost destroyed" over "shelling damaged residential
    buildings" is one strike."""
    vague = target in rules.vague_targets and other and other != target
    return "" if vague else target


def _retells(mention: Mapping[str, Any], event: Mapping[str, Any], rules: IdentityRules) -> bool:
    """A report with no day and no target retells the day's event with a target when their
    texts are alike, or when the event is the day's big news there ("Kramatorsk attack sparks
    global outrage" beside the strike on the station that 30 articles told)."""
    if alike(mention, event, rules):
        return True
    # ("Russian air strikes are now hitting the centre of Mariupol" the day after the maternity
    # hospital: what is going on now is news of its own)
    sentence = mention.get("sentence") or ""
    if _ONGOING.search(sentence):
        return False
    # ("'Tanks in streets' as fighting hits Mariupol centre" the day of the art school bombed
    # there: a fight told is a happening of its own, no retelling of the strike)
    if family(mention["sub_event_type"]) != family(event["sub_event_type"]) and fought(sentence):
        return False
    big = event["n_sources"] >= rules.big_event_sources
    return big and event["target"] not in rules.vague_targets


def _has_figures(mention: Mapping[str, Any]) -> bool:
    return mention["killed_low"] is not None or mention["injured_low"] is not None


def resolve(
    mention: Mapping[str, Any],
    nearby: Sequence[Mapping[str, Any]],
    rules: IdentityRules = IDENTITY_RULES,
) -> Joined | None:
    """The event among `nearby` (events of the mention's place in its `window`) that the
    mention reports, or None for the event its own key names. Of several, the one with the
    mention's target, then one with a target, then the same day, then the most sources.
    When the event of its own key tells another happening, a new key of its own ("#2")."""
    if mention["date"] is None:
        return None
    own = next((e for e in nearby if e["key"] == mention["event_key"]), None)
    if own is not None and own.get("date_precision") == "day" and not mention["target"]:
        # "As a result of the rocket attack on Kremenchuk on Sunday, one person was killed and
        # seven were injured" beside the strike on its power plant that killed one and injured
        # seven: both figures the same are that strike.
        # (a twin has both figures of the mention: none without them)
        both = mention["killed_low"] is not None and mention["injured_low"] is not None
        twin = next((e for e in nearby if _twin(mention, e)), None) if both else None
        if twin is not None:
            return Joined(twin["key"], "no_target.same_day")
        # Another report gave this happening a day of its own ("paratroopers landed in Kharkiv
        # on Wednesday"): it is not the targeted event beside it ("attacked a hospital").
        return None if _same_key(mention, own, rules) else _apart(mention, nearby, rules)
    # (told once for the mention, not for each event near it)
    alone = _own_family(mention)
    found = [(event, why) for event in nearby if (why := _why(mention, event, rules, alone))]
    if not found and not alone and (only := _the_days_only_target(mention, nearby, rules)):
        return Joined(only["key"], "no_target.only_one")
    if not found:
        return _apart(mention, nearby, rules)
    event, why = max(
        found,
        key=lambda pair: (
            bool(mention["target"]) and pair[0]["target"] == mention["target"],
            bool(pair[0]["target"]),
            # a report dated by its publication tells the event that another report dated
            # ("9 killed in the Kharkiv region last night" the morning after)
            mention["date_precision"] != "approximate" or pair[0].get("date_precision") == "day",
            # a retelling of the massacre found there in the days before, not the day's news
            # that an earlier retelling began ("The mayor described a city filled with corpses
            # of executed people" the day after the Bucha killings were found)
            pair[1] == "atrocity",
            pair[0]["date"] == mention["date"],
            pair[0]["n_sources"],
            pair[0]["key"] == mention["event_key"],
        ),
    )
    if event["key"] == mention["event_key"]:
        return None
    return Joined(event["key"], why)


def _the_days_only_target(
    mention: Mapping[str, Any], nearby: Sequence[Mapping[str, Any]], rules: IdentityRules
) -> Mapping[str, Any] | None:
    """ "Missiles hit an oil depot in Kremenchuk" and "Kremenchuk shaken by Russian strikes
    overnight" in the day's papers: a report with no day, no target and no figures of its own
    that says who struck is the day's one event of its kind family in that town by the same
    side, the one that names what was hit. Not when the town had two that day (which of them,
    the texts must say: `_why`), nor at an oblast (a region has many), nor when the texts tell
    two happenings (`_differ`)."""
    if mention["target"] or mention["date_precision"] != "approximate" or _has_figures(mention):
        return None
    if mention.get("place_precision") in rules.wide_places:
        return None
    kind = mention["sub_event_type"]
    same_day = [
        e
        for e in nearby
        if e["date"] == mention["date"]
        and e["key"] != mention["event_key"]
        and family(kind) == family(e["sub_event_type"])
    ]
    if len(same_day) != 1:
        return None
    only = same_day[0]
    if not only["target"] or _own_family(only) or _differ(mention, only, rules):
        return None
    # ("Four Russian warships shell Mariupol" is not the day's bombs dropped on a school)
    if only["sub_event_type"] != kind:
        return None
    side = mention.get("actor1") or ""
    return only if side and side == only.get("actor1") else None


def _apart(
    mention: Mapping[str, Any], nearby: Sequence[Mapping[str, Any]], rules: IdentityRules
) -> Joined | None:
    """The event told apart under its key ("#2") that this report retells, else a key of its
    own beside the events of its key that tell other happenings, or None when no event has its
    key yet. (A second copy of "Another strike hit the town" is the first copy's "#2".)"""
    base = _base(mention["event_key"])
    siblings = [e for e in nearby if _base(e["key"]) == base]
    taken = {e["key"] for e in siblings}
    if mention["event_key"] not in taken:
        return None
    for event in siblings:
        if event["key"] != mention["event_key"] and _same_key(mention, event, rules):
            return Joined(event["key"], "apart")
    n = 2
    while f"{base}#{n}" in taken:
        n += 1
    return Joined(f"{base}#{n}", "apart")


def resolve_group(
    mentions: Sequence[Mapping[str, Any]],
    nearby: Sequence[Mapping[str, Any]],
    place_population: int = 0,
    rules: IdentityRules = IDENTITY_RULES,
) -> Joined | None:
    """`resolve` for the mentions of one article that share a key: one decision for all,
    on the one with a target and figures, with the words of them all, in a place of
    `place_population` people."""
    told = max(
        mentions,
        key=lambda m: (bool(m["target"]), _has_figures(m), m["date_precision"] == "day"),
    )
    text = " ".join(m.get("sentence") or "" for m in mentions)
    return resolve({**told, "sentence": text, "place_population": place_population}, nearby, rules)


def one_key_per_happening(
    rows: list[dict[str, Any]], rules: IdentityRules = IDENTITY_RULES
) -> list[dict[str, Any]]:
    """Within the headline and lead of one article, the mentions of one place and day and
    agreeing kinds take the key of the one that says most (a target, a weapon): "Russian
    invaders attack Myrhorod" and "fired at an infrastructure facility in Myrhorod" are one
    strike. Not when the article tells two ("another strike", figures of its own, different
    things hit)."""

    def says_most(r: Mapping[str, Any]) -> tuple[bool, bool, bool, bool, int]:
        return (
            bool(r["target"]) and r["target"] not in rules.vague_targets,
            bool(r["target"]),
            r["sub_event_type"] not in GENERIC_KINDS,
            r["date_precision"] == "day",
            -r["start"],
        )

    mains = [
        max(
            [i, *(j for j, r in enumerate(rows) if _tells_same(row, r, rules))],
            key=lambda j: says_most(rows[j]),
        )
        for i, row in enumerate(rows)
    ]
    keys = [r["event_key"] for r in rows]
    for i, row in enumerate(rows):
        j = i
        while mains[j] != j:  # each step says strictly more: no cycle
            j = mains[j]
        if keys[j] != keys[i]:
            row["event_key"], row["joined"] = keys[j], "article"
    return rows


_NIGHT = re.compile(r"\b(?:overnight|night)\b", re.IGNORECASE)


def _same_night(row: Mapping[str, Any], main: Mapping[str, Any]) -> bool:
    """ "Over 30 enemy helicopters destroyed in Kherson region overnight" over "Ukrainian troops
    destroyed more than three dozen enemy helicopters in Kherson region last night": one
    article's night, read as the day it began and the day it ended."""
    if row["date"] is None or main["date"] is None:
        return False
    apart_days = abs((date.fromisoformat(row["date"]) - date.fromisoformat(main["date"])).days)
    both = _NIGHT.search(row["sentence"] or "") and _NIGHT.search(main["sentence"] or "")
    return apart_days == 1 and bool(both)


def _tells_same(row: Mapping[str, Any], main: Mapping[str, Any], rules: IdentityRules) -> bool:
    """`row` is a retelling, in its own article, of the happening `main` tells."""
    if row is main or row["place_id"] != main["place_id"]:
        return False
    if row["date"] != main["date"] and not _same_night(row, main):
        return False
    if max(row["start"], main["start"]) >= rules.lead_chars:
        return False
    if row["date"] is None or not kinds_agree(row["sub_event_type"], main["sub_event_type"]):
        return False
    if _own_family(row) != _own_family(main):
        return False  # "defenders shot down a warplane" is not the bombing told beside it
    if opposite_sides(row, main):
        return False
    # A bare "attack" or "offensive" is the strike beside it only when that one says what was
    # hit or how many died ("Russian invaders attack Myrhorod" and "fired at an infrastructure
    # facility"): "intensified its offensive" and "a missile struck a building" may be two.
    says_more = bool(main["target"]) or _has_figures(main)
    if family(row["sub_event_type"]) != family(main["sub_event_type"]) and (
        # "there was an armed clash in Okhtyrka; Russian forces also shelled the city": a fight
        # the sentence tells is a happening of its own beside the strike
        not says_more or fought(row["sentence"])
    ):
        return False
    if _named(row["target"], main["target"], rules) not in ("", main["target"]):
        return False
    if _ANOTHER.search(row["sentence"]) or apart(row["sentence"], main["sentence"], rules):
        return False
    # "17 people were killed" beside "a missile hit the administration building": a figure the
    # other does not give is another happening's, as between articles.
    figures = _has_figures(row) and not _has_figures(main)
    return not (figures and not row["target"])
