"""Who acted and against whom, as the sentence says it: never guessed from the war at large."""

from __future__ import annotations

import re

_RUSSIAN = re.compile(
    r"\b(?:russian\s+(?:occupation\s+|occupying\s+)?(?:forces|troops|military|army|army's|aggressors?|"
    r"aviation|air\s+forces?|paratroopers|soldiers|servicemen|units|tanks|invaders|occupiers|"
    r"missiles?|shelling|strikes?|airstrikes?|artillery|bombers?|jets|warplanes|aircraft|navy|"
    r"side)|russia|occupiers|occupants?|invaders|occupation\s+(?:forces|troops)|russian-backed|separatists|kadyrovites|[DL]PR|(?:people's\s+)?militia)\b",
    re.I,
)
_UKRAINIAN = re.compile(
    r"\b(?:ukrainian\s+(?:forces|troops|military|army|defenders|soldiers|servicemen|units|"
    r"air\s+defen[cs]e|artillery|navy|side)|armed\s+forces\s+of\s+ukraine|territorial\s+defen[cs]e"
    r"|azov)\b",
    re.I,
)
_CIVILIANS = re.compile(
    r"\b(?:civilians?|residents|children|people|residential|hospital|school|homes?|evacuees)\b",
    re.I,
)


def find_actors(text: str) -> tuple[str, str]:
    """(actor1, actor2): the side that acted and the side acted on; "" where the text is silent.

    The caller blanks the attribution first: "the Ukrainian army said" names a source, not an
    actor.
    """
    russian = _RUSSIAN.search(text)
    ukrainian = _UKRAINIAN.search(text)
    if russian and (not ukrainian or russian.start() < ukrainian.start()):
        actor1 = "Russian forces"
        actor2 = "Ukrainian forces" if ukrainian else ""
    elif ukrainian:
        actor1 = "Ukrainian forces"
        actor2 = "Russian forces" if russian else ""
    else:
        actor1 = actor2 = ""
    if not actor2 and actor1 and _CIVILIANS.search(text):
        actor2 = "Civilians"
    return actor1, actor2


def acting_side(text: str, before: int) -> str:
    """The side named last before `before` (the event word): "following clashes with the
    Ukrainian forces, Russian forces seized Tokmak" was done by Russian forces."""
    sides = [(m.start(), "Russian forces") for m in _RUSSIAN.finditer(text, 0, before)]
    sides += [(m.start(), "Ukrainian forces") for m in _UKRAINIAN.finditer(text, 0, before)]
    return max(sides)[1] if sides else ""
