"""ACLED event and sub-event types, and the target, from the words a sentence uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
CIVILIANS = "Violence against civilians"
STRATEGIC = "Strategic developments"
PROTESTS = "Protests"
RIOTS = "Riots"

# (event type, sub-event type, trigger pattern), most specific first: "airstrike" before
# "strike", "shot down" before "shot".
_RULES: list[tuple[str, str, str]] = [
    (PROTESTS, "Protest with intervention", r"dispers\w+\s+(?:a\s+|the\s+)?(?:rally|protest|crowd|demonstrat\w+)|stun\s+grenades|tear\s+gas|detained\s+(?:\w+\s+)?protesters"),
    (STRATEGIC, "Disrupted weapons use", r"(?:aircraft|helicopters?|drones?|planes?|jets?|missiles?|UAVs?)\s+(?:\w+\s+){0,2}(?:destroyed|downed)(?=\s+(?:over|near|in|above|by)\b|\s*[.,;]|\s*$)|destroyed\s+(?!by\b)(?:\S+\s+){0,4}(?:aircraft|helicopters?|drones?|planes?|jets?|UAVs?|missiles?|rockets?)\b(?!\s+(?:repair|plant|factory|depots?|launchers?|warehouses?|storage|attacks?|strikes?))|(?:anti-aircraft|air\s+defen[cs]e)\b[^.]{0,60}?\b(?:destroyed|downed|shot)|(?:shot|shoots?|shooting)\s+down|intercept(?:ed|ing)|intercepts\s+(?:\S+\s+){0,3}(?:missiles?|rockets?|drones?|aircraft|UAVs?)|downed|air\s+defen[cs]e\s+(?:destroyed|repelled)"),
    (BATTLES, "Government regains territory", r"(?:driven|drove|pushed|kicked)\s+(?:\S+\s+){0,4}out\s+of|expelled|recaptur\w*|liberat(?:ed|es|ing)|regain\w*|retook|retaken|took\s+back|pushed\s+back|counter-?offensive|counter-?attack\w*"),
    (BATTLES, "Non-state actor overtakes territory", r"(?<!the\s)captur(?:ed|e|es|ing)\b(?!\s+(?:by|on)\s+(?:\w+\s+)?(?:cameras?|videos?|eyewitness\w*|footage|cctv))|(?<!the\s)seiz(?:ed|e|es|ing)(?!\s+(?:(?:more\s+than|over|about|some|the|an?)\s+)?[\"“'‘]?(?:\d|weapons|ammunition|explosive|documents|archives?|OSCE|property|assets|cars|vehicles|equipment|passports|phones))|took\s+(?:full\s+)?control|taken\s+(?:full\s+)?control|tak(?:e|es|ing)\s+(?:full\s+)?control|(?<!temporarily\s)(?<!in\s)(?<!of\s)(?<!the\s)occupied(?!\s+(?:areas?|territor\w*|districts?|regions?|parts?|cities|city|towns?|villages?|zones?|lands?|by))|took\s+over|taken\s+over|(?:has|have|had)\s+(?:also\s+|now\s+|already\s+)?fallen|fell\s+to"),
    (REMOTE, "Remote explosive/landmine/IED", r"landmines?|mines?\b|IEDs?|car\s+bombs?|explosive\s+devices?|booby[- ]trap\w*"),
    (REMOTE, "Air/drone strike", r"air\s*strikes?|air\s+raids?(?!\s+(?:sirens?|alerts?|warnings?))|bomb(?:ed|ing|ings|s)?\b(?!\s+shelters?)|aviation|aircraft(?!\s+(?:repair|plant|factory))|warplanes?|jets?|drones?|helicopters?|aerial\s+bombs?"),
    (REMOTE, "Shelling/artillery/missile attack", r"missiles?|rockets?|shell(?:ed|ing)?|(?<!of\s)shells|artillery|mortars?|strikes?(?!\s+groups?)|struck|striking|fired\s+(?:at|on|upon)|hit(?!\s+hard\s+by\s+(?:the\s+)?(?:\w+\s+)?(?:invasion|war|sanctions|crisis))|hits|explosions?|blasts?|grad|MLRS|multiple\s+rocket|cruise|iskander|kalibr|kinzhal|cluster\s+munitions?|bombard\w*"),
    (BATTLES, "Armed clash", r"fight(?:ing|s)?|fought|clash(?:es|ed)?|battles?|battling|attack(?:ed|s|ing)?|assault\w*|offensive|landed|parachut\w*|airborne\s+(?:assault|landing|troops\s+landed)|skirmish\w*|firefights?|entered|advanc(?:ed|ing)\s+on|storm(?:ed|ing)|ambush\w*|repel\w*|encircl\w+|surrounded|under\s+siege"),
    (CIVILIANS, "Abduction/forced disappearance", r"abduct\w*|kidnapp?\w*|forcibly\s+(?:deported|removed|taken|transferred)|taken\s+hostage|detained"),
    (CIVILIANS, "Attack", r"shot\s+dead|executed|executions?|murder\w*|tortur\w*|raped?|shot\s+at\s+civilians|opened\s+fire\s+on|killings?"),
    (STRATEGIC, "Looting/property destruction", r"loot\w*|(?:was|were|been|be|is|are)\s+(?:\w+\s+)?(?:destroyed|damaged|burn(?:ed|t))|(?:destroy(?:ed|s|ing)?|damag(?:ed|ing))\s+(?:the\s+|a\s+|an\s+)?(?:\S+\s+){0,3}(?:buildings?|houses?|homes?|hospitals?|schools?|church(?:es)?|bridges?|plants?|infrastructure|property|facilit(?:y|ies)|depots?|stations?|blocks?|refiner(?:y|ies))|burn(?:ed|t)\s+down|blew\s+up"),
    (PROTESTS, "Peaceful protest", r"human\s+chain|blocked\s+the\s+road|gathered\s+(?:\S+\s+){0,4}to\s+(?:demand|protest)|protest\w*|rall(?:y|ies|ied)|demonstrat\w*(?!\s+(?:their|its|our|his|her)\s+(?:support|solidarity|unity|resolve))"),
    (STRATEGIC, "Non-violent transfer of territory", r"handed\s+(?:over\s+)?control|handed\s+over|withdrew\s+without\s+(?:a\s+)?fight"),
    (STRATEGIC, "Headquarters or base established", r"set\s+up\s+(?:a\s+)?(?:\w+\s+)?(?:base|headquarters|camp)|established\s+(?:a\s+)?(?:\w+\s+)?(?:base|headquarters)"),
    (STRATEGIC, "Agreement", r"agreed\s+(?:to|on)|signed\s+an?\s+agreement|ceasefire\s+(?:was\s+)?agreed|humanitarian\s+corridors?\s+(?:opened|agreed)"),
]  # fmt: skip
# Whole words: "Fighters" is not "fight", "Hitler" not "hit", "attackers" not "attack".
_COMPILED = [(t, s, re.compile(rf"\b(?:{p})\b", re.I)) for t, s, p in _RULES]
# Any trigger at all: one scan rejects the two sentences in three that have none, instead of
# fifteen.
_ANY_TRIGGER = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for _, _, p in _RULES) + r")\b", re.I)
_NEGATION = re.compile(
    r"\b(?:not|no|never|n't|cannot|without|neither|nor|denied|deny|denies|refuted|gave\s+up|give\s+up"
    r"|giving\s+up|abandon\w*|called\s+off|fail(?:ed|s)?\s+to)\b[^.,;]{0,30}$",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|would|could|might|may|plans?(?:\s+to)?|threaten\w*\s+to|set\s+to|going\s+to"
    r"|prepar(?:e|es|ing|ations?)(?:\s+(?:to|for|of))?|plac(?:e|es|ed|ing)|concentrat\w*\s+(?:\S+\s+){0,2}on|intends?\s+to|if|in\s+order\s+to|asked\s+for|attempt(?:s|ed)?\s+(?:by\s+(?:\S+\s+){1,3})?to|possible|potential|expected|planned|imminent|ahead\s+of|allow(?:ed|s)?\s+\S+\s+to|focus(?:es|ed|ing)?\s+(?:on|of)|(?:risk|threat|danger)\s+of)\s+(?:\S+\s+){0,2}[\"“'‘]?$",
    re.I,
)
# "Tuesday's strike" points back at an event told elsewhere; it is not a new one.
_BACK_REFERENCE = re.compile(r"\b(?:\w+day|yesterday)'s\s+$", re.I)

_TARGETS: list[tuple[str, str]] = [
    ("hospital", r"(?:military\s+)?hospitals?|maternity|clinic|medical\s+(?:facility|centre|center)"),
    ("administration building", r"(?:regional\s+|local\s+|city\s+|state\s+)?(?:administration|administrative|government|govt|council)\s+(?:building|headquarters|offices?)|(?:regional|city|state)\s+administration|city\s+(?:hall|council)|local\s+government\s+headquarters"),
    ("police department", r"police\s+(?:department|station|headquarters|building)|regional\s+police"),
    ("TV tower", r"(?:tv|television)(?:\s+and\s+radio)?\s+towers?"),
    ("school", r"schools?|kindergartens?|universit(?:y|ies)"),
    ("residential building", r"residential|apartment|multi-?stor(?:e)?y|homes?|houses|dwellings"),
    ("civilian infrastructure", r"civilian\s+infrastructure|infrastructure"),
    ("railway station", r"(?:railway|train)\s+station|railway"),
    ("airport", r"airports?|airfields?|air\s+base"),
    ("power plant", r"(?:nuclear\s+)?power\s+(?:plant|station)|thermal\s+power|nuclear\s+plant"),
    ("fuel depot", r"(?:oil|fuel)\s+(?:depots?|storage|terminals?)"),
    ("military base", r"military\s+(?:base|unit|facilit\w+)|barracks"),
    ("theatre", r"theat(?:re|er)"),
    ("shopping centre", r"shopping\s+(?:centre|center|mall)|market"),
    ("church", r"church(?:es)?|cathedral"),
    ("bridge", r"bridges?"),
]  # fmt: skip
# One pass over the sentence for every target: group "t3" is the fourth target.
_TARGETS_ONE = re.compile(
    "|".join(rf"(?P<t{i}>\b(?:{p})\b)" for i, (_, p) in enumerate(_TARGETS)), re.I
)


@dataclass(frozen=True)
class Classification:
    event_type: str
    sub_event_type: str
    trigger: str
    start: int


def classify(sentence: str) -> Classification | None:
    """The most specific event type whose trigger the sentence asserts (not negated, not future)."""
    if not _ANY_TRIGGER.search(sentence):
        return None
    for event_type, sub_type, pattern in _COMPILED:
        for m in pattern.finditer(sentence):
            before = sentence[max(0, m.start() - 45) : m.start()]
            if _NEGATION.search(before) or _FUTURE.search(before) or _BACK_REFERENCE.search(before):
                continue
            return Classification(event_type, sub_type, m.group(0), m.start())
    return None


def find_target(sentence: str, after: int = 0) -> str:
    """What was hit, when the sentence names it: the first named target after the trigger,
    else the first before it."""
    best: tuple[int, str] | None = None
    for m in _TARGETS_ONE.finditer(sentence):
        if _NEGATION.search(sentence[max(0, m.start() - 30) : m.start()]):
            continue
        rank = m.start() if m.start() >= after else m.start() + len(sentence)
        if best is None or rank < best[0]:
            best = (rank, _TARGETS[int(m.lastgroup[1:])][0])
    return best[1] if best else ""


def family(sub_event_type: str) -> str:
    """Sub-types that reporters mix up for the same happening merge into one family."""
    if sub_event_type in (
        "Shelling/artillery/missile attack",
        "Air/drone strike",
        "Looting/property destruction",
    ):
        return "strike"
    return sub_event_type
