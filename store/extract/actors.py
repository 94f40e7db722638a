"""Who acted and against whom, as the sentence says it: never guessed from the war at large."""

from __future__ import annotations

import re
from functools import lru_cache

_RUSSIAN = re.compile(
    r"\b(?:russian\s+(?:occupation\s+|occupying\s+)?(?:forces|troops|military|army|army's"
    r"|aggressors?|aviation|air\s+forces?|paratroopers|soldiers|servicemen|units|tanks|invaders"
    r"|occupiers|missiles?|shelling|strikes?|airstrikes?|artillery|bombers?|jets|warplanes"
    r"|aircraft|navy|side|bombs?|bombing|bombardment|air\s+strikes?|rockets?|shells?|fire"
    r"|attacks?|offensive|warships|helicopters)|russia|occupiers|occupants?|invaders|occupation\s+(?:forces|troops)"
    r"|russian-backed|separatists|kadyrovites|[DL]PR|(?:people's\s+)?militia)\b",
    re.I,
)
_UKRAINIAN = re.compile(
    r"\b(?:ukrainian\s+(?:forces|troops|military|army|defenders|soldiers|servicemen|units|"
    r"air\s+defen[cs]e|artillery|navy|side|armed\s+forces|air\s+force|aviation|marines"
    r"|paratroopers)|ukraine(?:'s)?\s+(?:army|armed\s+forces|military|forces|troops)"
    r"|armed\s+forces\s+of\s+ukraine|territorial\s+defen[cs]e"
    r"|(?<!sea\sof\s)azov(?:s|ites)?)\b",
    re.I,
)
_CIVILIANS = re.compile(
    r"\b(?:civilians?|residents|children|people|residential|hospital|school|homes?|evacuees)\b",
    re.I,
)


_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.I)
# "equipment was destroyed": the event word is the passive's subject
_PASSIVE_AFTER = re.compile(r"\S+\s+(?:was|were|has\s+been|have\s+been|had\s+been)\s", re.I)


_OTHER_SIDE = {"Russian forces": "Ukrainian forces", "Ukrainian forces": "Russian forces"}


# (repeated sentences: see casualties.find_casualties)
@lru_cache(maxsize=8192)
def find_actors(text: str, before: int | None = None) -> tuple[str, str]:
    """(actor1, actor2): the side that acted and the side acted on; "" where the text is silent.

    With `before` (where the event word is), the side named last before it acted: "Despite the
    invasion of the Russian aggressor, Azov fighters destroy enemy equipment" was done by Azov.
    The caller blanks the attribution first: "the Ukrainian army said" names a source, not an
    actor.
    """
    russian = _RUSSIAN.search(text)
    ukrainian = _UKRAINIAN.search(text)
    # ("Russian military equipment was destroyed": before a passive verb is who was hit)
    passive = before is None or bool(
        _PASSIVE.search(text, 0, before) or _PASSIVE_AFTER.match(text, before)
    )
    actor1 = "" if before is None or passive else acting_side(text, before)
    if not actor1 and (russian or ukrainian):
        first_russian = russian and (not ukrainian or russian.start() < ukrainian.start())
        actor1 = "Russian forces" if first_russian else "Ukrainian forces"
    other_named = {"Russian forces": ukrainian, "Ukrainian forces": russian}.get(actor1)
    actor2 = _OTHER_SIDE[actor1] if other_named else ""
    if not actor2 and actor1 and _CIVILIANS.search(text):
        actor2 = "Civilians"
    return actor1, actor2


def acting_side(text: str, before: int) -> str:
    """The side named last before `before` (the event word) as a subject, not as a
    preposition's or a verb's object: "following clashes with the Ukrainian forces, Russian
    forces seized Tokmak" was done by Russian forces, and "stopped the movement of Russian
    forces, as a result of which ... was destroyed" by whoever stopped them."""
    sides = [
        (m.start(), side)
        for pattern, side in ((_RUSSIAN, "Russian forces"), (_UKRAINIAN, "Ukrainian forces"))
        for m in pattern.finditer(text, 0, before)
        if not _OBJECT_BEFORE.search(text, 0, m.start())
    ]
    return max(sides)[1] if sides else ""


# A side named right after a preposition or a verb is its object: "the invasion of the Russian
# aggressor", "the Ukrainian army counter-attacked Russian troops and hit five tanks".
_OBJECT_BEFORE = re.compile(
    r"\b(?:of|by|against|with|on|at|from|to|for|into|\w+ed|\w+ing|hit|hits|beat|fought)"
    r"\s+(?:the\s+|a\s+)?$",
    re.I,
)
