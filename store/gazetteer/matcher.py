"""Find places in text and in what users type, against the compiled gazetteer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from store.gazetteer.compile import FOLD_MARK
from store.gazetteer.folding import fold
from store.gazetteer.names import normalise_name
from store.gazetteer.rules import MATCH_RULES
from store.models import Place

_WORD = re.compile(r"[A-ZА-ЯІЇЄҐ][\w'’`]*(?:-[\w'’`]+)*")
_UNIT_WORD = re.compile(r"\s+(oblast|region|province|oblast')\b", re.I)
_SITE_WORDS = re.compile(
    r"\s+(?:nuclear\s+power\s+(?:plant|station)|nuclear\s+plant|NPP|airport|airfield"
    r"|air\s+base|steel\s+plant|steelworks|military\s+range"
    r"|(?:military\s+)?training\s+(?:ground|area)|military\s+base)\b",
    re.I,
)
# "the Hirska community", "Bashtanska territorial community": a hromada named by its adjective,
# which the compiled names know as "<adjective> community" of the hromada's seat.
_COMMUNITY_WORDS = re.compile(
    r"\s+(?:(?:united\s+)?(?:territorial|city|town|village|settlement|rural|urban)\s+)?"
    r"(?:community|hromada)\b",
    re.I,
)
# "the Beryslav mayor", "the Hola Prystan community": a town's office or community vouches for
# the town as much as "in" before it does.
_OFFICE_AFTER = re.compile(
    r"\s+(?:city\s+|town\s+|village\s+)?(?:mayor|council|community|hromada"
    r"|military\s+administration)\b",
    re.I,
)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|at|of|outside|into|from|to|on|around|village|town|settlement|city"
    # headlines tell it in the present: "Russian invaders shell Makariv outside Kyiv"
    r"|shell(?:s|ed)?|strikes|struck|hits?|attack(?:s|ed|ing)?|captur(?:e|es|ed|ing)"
    r"|seiz(?:e|es|ed|ing)"
    r"|liberat(?:es|ed)|recaptur(?:es|ed)|bomb(?:s|ed)|enter(?:s|ed)|over|towards?"
    r"|retook|retakes|took|regain(?:s|ed)|reach(?:es|ed)|approach(?:es|ed)|besieg(?:es|ed)"
    r"|storm(?:s|ed)|between"
    # "in Donetsk Region's Zaitseve"
    r"|region's|oblast's)"
    r"|\bvillage of|\btown of)\s+(?:the\s+)?$",
    re.I,
)
# "Zolote, Luhansk", "Hlyboke (Chernihiv)", "Yahidne village, Chernihiv region": the oblast
# named right after a small place vouches for it as a place.
_OBLAST_AFTER = re.compile(r"^(?:\s+(?:village|town|settlement))?(?:,\s+|\s+\()([A-Z][\w'-]+)")
_LISTED_AFTER = re.compile(r"\b([A-Z][\w'-]+)(?:,\s+|,?\s+and\s+)$")
# (pattern, a word every match contains, the place): the regex runs only where the word is.
_ALIASES = [
    (
        re.compile(
            r"\b(?:Ukraine'?s|Ukrainian|the)\s+(?:main\s+)?capital(?:\s+city)?\b"
            r"|\bcapital of Ukraine\b",
            re.I,
        ),
        "capital",
        "kyiv",
    ),
    # the Yavoriv range's name since 2007, a name of lower-case words the runs of capitalised
    # words miss
    (
        re.compile(
            r"\bInternational\s+(?:Center\s+for\s+Peacekeeping\s+and\s+Security"
            r"|Peacekeeping\s+and\s+Security\s+Cent(?:er|re))\b",
            re.I,
        ),
        "peacekeeping",
        "international center for peacekeeping and security",
    ),
    (
        re.compile(r"\b(?:Ukraine'?s|country'?s|nation'?s|its)\s+second[- ]largest\s+city\b", re.I),
        "second",
        "kharkiv",
    ),
]


# "the Donetsk and Luhansk regions", "in Luhansk, Donetsk regions", "Kyiv, Chernihiv and Sumy
# oblasts": every name in the list is an oblast.
_PLURAL_UNITS = re.compile(
    r"\b[A-Z][\w'-]+(?:(?:,\s+|,?\s+and\s+)[A-Z][\w'-]+)+\s+(?:regions|oblasts|provinces|areas)\b"
)
# ("ground attack in Kharkiv, Kherson, Chernihiv, Sumy, Luhansk, Donetsk areas": the regions)
_PLURAL_UNIT_WORDS = ("regions", "oblasts", "provinces", "areas")
_LISTED_NAME = re.compile(r"[A-Z][\w'-]+")


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int
    end: int
    surface: str
    # exact | fuzzy | alias
    how: str
    # Text right after the name: "-based", "governor", ... tell a name that only qualifies.
    suffix: str = ""


class Gazetteer:
    """Every place we can name, indexed by normalised spelling."""

    def __init__(
        self,
        places: Iterable[Place],
        names: Iterable[tuple[str, int]],
        chosen: Mapping[str, int] | None = None,
    ) -> None:
        """`names`: every (name, place id); `chosen`: the place each name means, as
        rank_names gives it for these names (a stored gazetteer keeps it), else ranked here."""
        self.places = {p.id: p for p in places}
        names = list(names)
        if chosen is None:
            chosen = rank_names(self.places, names)
        self.by_name: dict[str, Place] = {}
        # Folded keys (store.gazetteer.folding): "Harkiv", "Mykolayiv", "Sievierodonetsk"
        # spelt any of the usual ways, tried when the exact spelling is unknown.
        self.by_fold: dict[str, Place] = {}
        stop = MATCH_RULES.stop_names
        for name, place_id in chosen.items():
            place = self.places.get(place_id)
            if place is None or name in stop:
                continue
            if name[0] == FOLD_MARK:
                self.by_fold[name[1:]] = place
            else:
                self.by_name[name] = place
        # Every Ukrainian town of a name, for "Zolochiv, Kharkiv Region" when the best-known
        # Zolochiv is in Lviv Oblast.
        self._namesakes: dict[str, list[Place]] = {}
        for name, place_id in names:
            place = self.places.get(place_id)
            if place is None or name in stop or place.kind != "city" or place.country != "UA":
                continue
            self._namesakes.setdefault(name.removeprefix(FOLD_MARK), []).append(place)
        # The words that can begin a name of several words ("bila" of "bila tserkva"): a run
        # of capitalised words is looked up whole only from one of them.
        self._run_starts = {
            " ".join(parts[:k])
            for parts in (name.split(" ") for name in self.by_name if " " in name)
            for k in range(1, len(parts))
        }
        # Each oblast's settlement names, built when a text first needs them (fuzzy_in).
        self._oblast_keys: dict[str, tuple[str, ...]] = {}
        self._place_named = lru_cache(maxsize=65_536)(self._lookup_surface)
        # Wire copy, boilerplate and a story indexed again repeat sentences word for word.
        self.find = lru_cache(maxsize=8192)(self._find)
        # Misspellings recur across articles; rapidfuzz runs once per distinct word.
        self._fuzzy_cache: dict[str, str | None] = {}
        self._fuzzy_names = tuple(
            sorted(
                n
                for n, p in self.by_name.items()
                if p.country == "UA"
                and (p.kind == "oblast" or p.population >= MATCH_RULES.fuzzy_min_population)
            )
        )
        # The names by first letter and length: a misspelling is one of those few (_fuzzy_match).
        self._fuzzy_shapes: dict[tuple[str, int], list[int]] = {}
        for i, n in enumerate(self._fuzzy_names):
            self._fuzzy_shapes.setdefault((n[0], len(n)), []).append(i)

    def lookup(self, name: str) -> Place | None:
        """The place a name means, ignoring case, accents, possessives and unit words, spelt
        any of the usual ways (kh/h, ia/ya, -ovka/-ivka, Cyrillic)."""
        return self.by_name.get(normalise_name(name)) or self.by_fold.get(fold(name))

    def namesake_in(self, name: str, admin1s: set[str], raion: str = "") -> Place | None:
        """The Ukrainian town called `name` in one of these oblasts: the one in `raion` if the
        text names it, else the most populous."""
        found = [
            p
            for key in (normalise_name(name), fold(name))
            for p in self._namesakes.get(key, ())
            if p.admin1 in admin1s
        ]
        return max(found, key=lambda p: (p.raion == raion != "", p.population)) if found else None

    def namesakes(self, name: str) -> list[Place]:
        """Every Ukrainian settlement called `name` (spelt any usual way), most populous first."""
        found = {
            p.id: p
            for key in (normalise_name(name), fold(name))
            for p in self._namesakes.get(key, ())
        }
        return sorted(found.values(), key=lambda p: -p.population)

    def resolve(self, name: str) -> Place | None:
        """What a user typed: exact spelling first, then a close misspelling of a big place."""
        return self.lookup(name) or self._fuzzy(normalise_name(name))

    def suggest(self, name: str, limit: int = 3) -> list[Place]:
        """Places whose names look like what a user typed, best first."""
        norm = normalise_name(name)
        if not norm:
            return []
        found = process.extract(norm, self._fuzzy_names, scorer=fuzz.WRatio, limit=limit * 4)
        seen: dict[int, Place] = {}
        for match, score, _ in found:
            place = self.by_name[match]
            if score >= 70 and place.id not in seen:
                seen[place.id] = place
        return list(seen.values())[:limit]

    def _find(self, text: str) -> tuple[PlaceMention, ...]:
        """Every place named in text, in order; misspellings of big places included (`find`)."""
        mentions: list[PlaceMention] = []
        # An IGNORECASE regex can match non-ASCII letters that lower() does not turn into the
        # word ("ſ" is "s"), so only ASCII text skips a regex whose word it lacks.
        lowered = text.lower() if text.isascii() else None
        for pattern, word, name in _ALIASES:
            if lowered is not None and word not in lowered:
                continue
            for m in pattern.finditer(text):
                mentions.append(
                    PlaceMention(self.by_name[name], m.start(), m.end(), m.group(0), "alias")
                )
        plural_units = any(word in text for word in _PLURAL_UNIT_WORDS)
        for m in _PLURAL_UNITS.finditer(text) if plural_units else ():
            for listed in _LISTED_NAME.finditer(text, m.start(), m.end()):
                place = self.by_name.get(normalise_name(listed.group(0)) + " region")
                if place is not None:
                    mentions.append(
                        PlaceMention(place, listed.start(), listed.end(), listed.group(0), "exact")
                    )
        taken = [(m.start, m.end) for m in mentions]
        words = list(_WORD.finditer(text))
        i = 0
        while i < len(words):
            match = self._longest_match(text, words, i)
            if match is None:
                i += 1
                continue
            mention, used = match
            if mention is not None and not any(
                mention.start < e and s < mention.end for s, e in taken
            ):
                mentions.append(mention)
            i += used
        return tuple(sorted(mentions, key=lambda m: m.start))

    def _longest_match(
        self, text: str, words: list[re.Match[str]], i: int
    ) -> tuple[PlaceMention | None, int] | None:
        longest = (
            min(4, len(words) - i) if normalise_name(words[i].group()) in self._run_starts else 1
        )
        for n in range(longest, 0, -1):
            run = words[i : i + n]
            if any(
                text[a.end() : b.start()] not in (" ", "-")
                for a, b in zip(run, run[1:], strict=False)
            ):
                continue
            start, end = run[0].start(), run[-1].end()
            unit = _UNIT_WORD.match(text, end)
            site = _SITE_WORDS.match(text, end)
            candidates = [(end, text[start:end])]
            community = _COMMUNITY_WORDS.match(text, end)
            if community:
                candidates.insert(0, (community.end(), f"{text[start:end]} community"))
            if unit:
                candidates.insert(0, (unit.end(), text[start : unit.end()]))
            if site:
                # "the Zaporizhzhia nuclear power plant", "Hostomel airport": the site.
                candidates.insert(0, (site.end(), text[start : site.end()]))
            for stop, surface in candidates:
                found = self._match_surface(surface, text, start, stop)
                if found is not None:
                    if unit and stop == end and found.place.kind == "city":
                        # "Zaporizhia region" spelt unlike any oblast name: the city's oblast.
                        found = self._as_oblast(found, unit.end(), text)
                    return found, n
            if n > 1 and self._place_named(text[start:end]) is not None:
                # "Ruska Lozova" where the text does not vouch for the village is no place,
                # and not "Lozova" either: the name's words are used up
                return None, n
        return None

    def _as_oblast(self, mention: PlaceMention, stop: int, text: str) -> PlaceMention:
        """ "Zaporizhia region": the oblast of its capital; "Berdiansk region": the raion of a
        town that is no oblast's capital, if it has one."""
        norm = normalise_name(mention.place.name)
        oblast = self.by_name.get(f"{norm} region")
        if oblast is None or oblast.kind != "oblast":
            oblast = self.by_name.get(f"{normalise_name(mention.surface)} district")
        if oblast is None or oblast.kind not in ("oblast", "raion") or oblast.country != "UA":
            return mention
        surface = text[mention.start : stop]
        return PlaceMention(
            oblast,
            mention.start,
            stop,
            surface,
            mention.how,
            text[stop : stop + MATCH_RULES.suffix_length],
        )

    def _match_surface(self, surface: str, text: str, start: int, stop: int) -> PlaceMention | None:
        core, _, tail = surface.partition("-based")
        if tail or core != surface:
            surface_end = start + len(core)
            suffix = "-based"
        else:
            surface_end = stop
            suffix = text[stop : stop + MATCH_RULES.suffix_length]
        found = self._place_named(core)
        if found is None:
            return None
        place, how = found
        small = place.kind == "city" and place.population < MATCH_RULES.small_place_population
        before = text[max(0, start - 40) : start]
        vouched = (
            _LOCATIVE.search(before[-20:])
            or _OFFICE_AFTER.match(text, stop)
            # "(Yavoriv military training area)": the site's words say which place it is
            or _SITE_WORDS.search(surface)
            or core.endswith(" community")
            or (small and (self._oblast_follows(text, stop) or self._listed_after_place(before)))
        )
        if (small or how == "fuzzy") and not vouched:
            # Thousands of villages share names with words and surnames, and a misspelling
            # looks like a surname ("Sergei Lavrov" is not Lviv): we believe a small place or
            # a misspelt one only where the text puts it after "in", "near", "city of" and such.
            return None
        return PlaceMention(place, start, surface_end, text[start:surface_end], how, suffix)

    def _lookup_surface(self, core: str) -> tuple[Place, str] | None:
        """(the place, exact | folded | fuzzy) a name in text spells, before its context is
        weighed: the same words come back in every article, hence `_place_named`'s cache."""
        norm = normalise_name(core)
        place = self.by_name.get(norm)
        how = "exact"
        if place is None and norm not in MATCH_RULES.stop_names:
            place = self.by_fold.get(fold(core))
            how = "folded"
        if place is None and " " not in norm and norm not in MATCH_RULES.stop_names:
            place = self._fuzzy(norm)
            how = "fuzzy"
        return None if place is None else (place, how)

    def fuzzy_in(self, name: str, admin1: str) -> Place | None:
        """A settlement of one oblast whose name is spelt close to `name` (one letter off):
        only where the text says a place of that oblast is meant."""
        key = fold(name)
        if len(key) < MATCH_RULES.fuzzy_min_length:
            return None
        if admin1 not in self._oblast_keys:
            self._oblast_keys[admin1] = tuple(
                k
                for k, places in self._namesakes.items()
                if any(p.admin1 == admin1 for p in places)
            )
        found = process.extractOne(
            key, self._oblast_keys[admin1], scorer=fuzz.ratio, score_cutoff=MATCH_RULES.fuzzy_cutoff
        )
        if found is None:
            return None
        return self.namesake_in(found[0], {admin1})

    def _listed_after_place(self, before: str) -> bool:
        """ "in Irpin and Hostomel", "Bucha, Irpin": a name listed right after a place is one."""
        m = _LISTED_AFTER.search(before)
        return m is not None and normalise_name(m.group(1)) in self.by_name

    def _oblast_follows(self, text: str, stop: int) -> bool:
        m = _OBLAST_AFTER.match(text, stop)
        oblast = self.by_name.get(f"{normalise_name(m.group(1))} region") if m else None
        return oblast is not None and oblast.is_ua_oblast

    def _fuzzy(self, norm: str) -> Place | None:
        if norm not in self._fuzzy_cache:
            self._fuzzy_cache[norm] = _fuzzy_match(norm, self._fuzzy_names, self._fuzzy_shapes)
        name = self._fuzzy_cache[norm]
        return self.by_name[name] if name else None


def _fuzzy_match(
    norm: str, names: tuple[str, ...], shapes: dict[tuple[str, int], list[int]]
) -> str | None:
    """A misspelling of a big place ("Kharliv", "Mairupol"): same first letter, close spelling.

    The answer is the closest of all names, kept only when it has the word's first letter and
    a length one letter off at most. Those few names (`shapes`: their indexes by first letter
    and length) are scored first: when none is close enough there is no answer, and scoring them
    costs ~20 µs instead of ~400 µs for all 3,500 names. When one is, all the others are scored
    to check that none beats it, as the closest of all must (a tie goes to the first in order).
    """
    if len(norm) < MATCH_RULES.fuzzy_min_length:
        return None
    lengths = (len(norm) - 1, len(norm), len(norm) + 1)
    shaped = sorted(i for n in lengths for i in shapes.get((norm[0], n), ()))
    found = process.extractOne(
        norm, [names[i] for i in shaped], scorer=fuzz.ratio, score_cutoff=MATCH_RULES.fuzzy_cutoff
    )
    if found is None:
        return None
    name, score, k = found
    taken = set(shaped)
    rest = [i for i in range(len(names)) if i not in taken]
    rival = process.extractOne(norm, [names[i] for i in rest], scorer=fuzz.ratio)
    if rival is not None and (
        rival[1] > score or (rival[1] == score and rest[rival[2]] < shaped[k])
    ):
        return None
    return name


_KIND_RANK = {"country": 4, "oblast": 3, "raion": 2, "site": 1, "sea": 1, "city": 1}
# What rank_names decides from: a stored choice made under other values is ranked again.
NAME_RANKING = f"1 {sorted(_KIND_RANK.items())} {MATCH_RULES.former_name_population}"


def rank_names(places: Mapping[int, Place], names: Iterable[tuple[str, int]]) -> dict[str, int]:
    """The place each name means among the places that bear it (`_rank`; the first in `names`
    among equals), in the order names first appear. Folded keys keep their FOLD_MARK."""
    chosen: dict[str, tuple[Place, tuple[int, int]]] = {}
    for name, place_id in names:
        place = places.get(place_id)
        if place is None:
            continue
        rank = _rank(place, name.removeprefix(FOLD_MARK))
        current = chosen.get(name)
        if current is None or rank > current[1]:
            chosen[name] = (place, rank)
    return {name: place.id for name, (place, _) in chosen.items()}


def _rank(place: Place, name: str) -> tuple[int, int]:
    # A country beats a village of the same name; a Ukrainian town beats a foreign one; a
    # place's own name counts ten times its population against another's alternate name
    # (Chornobyl is Chornobyl, not a bigger town that once shared the name).
    # A smaller town's alternate name counts a tenth of its population (MatchRules).
    weight = place.population * (5 if place.country == "UA" else 1)
    if normalise_name(place.name) == name:
        weight *= 10
    elif place.kind == "city" and place.population < MATCH_RULES.former_name_population:
        weight //= 10
    return (_KIND_RANK[place.kind], weight)
