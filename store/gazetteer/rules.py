"""The matcher's knobs, with the reason beside each, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass

# Names of places that are also words or names in English news.
STOP_NAMES = frozenset(
    {
        "russian", "ukrainian", "march", "may", "april", "june", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "president", "victory", "peace", "union",
        "nato", "european", "zelensky", "putin", "sea", "nova", "bila", "volodymyr", "azov",
        "zhdanov", "oleksandr", "mykola", "ivan", "petro", "andriy", "yuriy", "serhiy",
        # Kyiv's square, not the villages called Maidan
        "maidan",
        # the villages Niu-York and Toretsk's old names are not the city in the United States
        "new york", "niu york",
        # "Human Rights" folds to Uman
        "human",
        # "in the Port of Olviya": the English word, not the hamlet called Port
        "port",
    }
)  # fmt: skip


@dataclass(frozen=True)
class MatchRules:
    # Misspellings are matched only against places this big, so that a typo in a common word
    # does not become a village.
    fuzzy_min_population: int = 50_000
    fuzzy_cutoff: int = 84
    fuzzy_min_length: int = 5
    # Below this population a name must follow "in", "near", "village of", ...
    small_place_population: int = 15_000
    # A town's former or alternate name still means it in the news when the town is a city
    # this big ("Kirovograd", "Dnipropetrovsk"); a smaller town's old name ("Oleksiivka" for
    # Chystiakove) is today the own name of villages, and they win it.
    former_name_population: int = 100_000
    # Characters after a name kept to tell a name that only qualifies ("-based", "governor").
    suffix_length: int = 60
    stop_names: frozenset[str] = STOP_NAMES


MATCH_RULES = MatchRules()
