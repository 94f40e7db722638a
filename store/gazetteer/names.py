"""One spelling-insensitive form for place names, shared by the gazetteer and the matcher."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "ʹ": "'", "´": "'"})
_SEPARATORS = re.compile(r"[\s\-‐–—_.]+")


@lru_cache(maxsize=100_000)  # the same capitalised words come back in every article
def normalise_name(name: str) -> str:
    """Lower case, no accents, apostrophes unified, hyphens and spaces collapsed.

    Cyrillic keeps its letters (й and ї are letters, not accented и and і).
    """
    text = name.translate(_APOSTROPHES).strip().lower()
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and kept and "a" <= kept[-1] <= "z":
            continue
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = text.replace("'s ", " ").removesuffix("'s")
    return _SEPARATORS.sub(" ", text).strip(" '")
