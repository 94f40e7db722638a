"""Extraction knobs as data, in one place: thresholds, trigger words, stop lists."""

from __future__ import annotations

PLACE_SETTINGS: dict = {
    # Misspellings are matched only against places this big, so that a typo in a common word
    # does not become a village.
    "fuzzy_min_population": 50_000,
    "fuzzy_cutoff": 84,
    "fuzzy_min_length": 5,
    # Below this population a name must follow "in", "near", "village of", ...
    "small_place_population": 15_000,
    # Names of places that are also words or names in English news.
    "stop_names": frozenset(
        {
            "russian",
            "ukrainian",
            "march",
            "may",
            "april",
            "june",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "president",
            "victory",
            "peace",
            "union",
            "nato",
            "european",
            "zelensky",
            "putin",
            "sea",
            "nova",
            "bila",
            "volodymyr",
            "azov",
            "zhdanov",
            "oleksandr",
            "mykola",
            "ivan",
            "petro",
            "andriy",
            "yuriy",
            "serhiy",
        }
    ),
}

# The least confidence an event needs to be shown in answers by default.
MIN_CONFIDENCE = 0.5

# Sentences that look back at what happened before rather than report a happening.
BACKGROUND_PATTERNS = (
    r"\bnot\s+the\s+first\s+time\b",
    r"\bhave\s+been\s+surfacing\b",
    r"\bit\s+should\s+be\s+mentioned\b",
    # "the Kyiv region that was liberated", "three weeks since the building was shelled"
    r"\b(?:that|which)\s+(?:was|were|had\s+been|has\s+been)\s+(?:liberated|occupied|captured)\b",
    r"\b(?:weeks?|months?)\s+(?:since|after)\b",
    r"\b(?:since|at|from)\s+(?:the\s+)?(?:start|beginning|outset)\s+of\s+(?:the\s+|\S+\s+){1,3}(?:war|invasion)\b",
    # Forecasts and plans are not events.
    r"\bin\s+the\s+coming\s+(?:days|weeks|hours)\b",
    r"\b(?:is|are)\s+(?:likely|expected)\s+to\b",
    r"\bwill\s+(?:unfold|continue|intensify)\b",
    # Reactions to an event told elsewhere.
    r"\bcalled\s+(?:it|the\s+\w+)\s+(?:a\s+)?[\"'“]?war\s+crime",
    r"\bcome\s+down\s+heavily\b",
    r"\b(?:condolences|impunity|held\s+accountable|condemn\w*|ready\s+to\s+negotiate)\b",
    # Funerals, rumours and what could happen are about events, not events.
    r"\b(?:funeral|memorial\s+service|buried|farewell\s+ceremony|mourn\w*)\b",
    r"\b(?:not\s+(?:been\s+)?confirmed|unconfirmed|rumou?rs?)\b",
    # Clearing what an attack left behind is not an attack.
    r"\b(?:unexploded|demining|deminers|sappers|mine\s+clearance)\b",
)
