"""Cyrillic to Latin: Ukrainian by the national rules of 2010, Russian for Russian forms.

Ukrainian follows the Cabinet of Ministers resolution No. 55 of 27 January 2010, the spelling
on road signs and in today's English news (Kyiv, Mykolaiv, Zaporizhzhia): є ї й ю я are
ye yi y yu ya at the start of a word and ie i i iu ia elsewhere, зг is zgh, the soft sign and
the apostrophe are dropped. Russian follows the common English-press romanisation
(Kharkov, Nikolayev, Severodonetsk), which is how Russian forms reach English text.
"""

from __future__ import annotations

import re
from functools import lru_cache

_APOSTROPHES = "'’ʼʹ`‘´"

_UK_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
    # Russian letters in a Ukrainian name are a typo for their Ukrainian neighbours.
    "ы": "y", "э": "e", "ё": "io", "ъ": "",
}  # fmt: skip
# Letters spelt one way at the start of a word and another inside it.
_UK_POSITIONAL = {
    "є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia"),
}  # fmt: skip

_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Ukrainian letters in a Russian form: read them as a Russian speaker would.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
# Russian е is ye at the start of a word and after a vowel or a sign (Yenakiyevo, Zaporozhye).
_RU_IOTATED = {"е": "ye"}
_RU_VOWELS_AND_SIGNS = set("аеёиоуыэюяіїєьъ")

_RU_YY = re.compile(r"(?<=[yY])[yY]\b")
_CYRILLIC = re.compile(r"[Ѐ-ӿ]")


def has_cyrillic(text: str) -> bool:
    """Whether any letter of the text is Cyrillic."""
    return _CYRILLIC.search(text) is not None


def _cased(latin: str, word_upper: bool) -> str:
    """The Latin for a capital letter: Shch, or SHCH inside a word in capitals."""
    if not latin:
        return latin
    return latin.upper() if word_upper else latin[0].upper() + latin[1:]


def _word_upper(text: str, i: int) -> bool:
    """Whether the letter at i stands in an all-capitals run (ЩОРС gives SHCHORS, not ShchORS)."""
    neighbours = [text[j] for j in (i - 1, i + 1) if 0 <= j < len(text) and text[j].isalpha()]
    return bool(neighbours) and all(ch.isupper() for ch in neighbours)


@lru_cache(maxsize=65_536)
def translit_uk(text: str) -> str:
    """Ukrainian Cyrillic to Latin by the 2010 national rules; other characters are kept."""
    out = []
    at_word_start = True
    previous = ""
    for i, ch in enumerate(text):
        low = ch.lower()
        if low in _APOSTROPHES:
            continue  # dropped, and the next letter is not at a word's start
        if low in _UK_POSITIONAL:
            latin = _UK_POSITIONAL[low][0 if at_word_start else 1]
        elif low == "г" and previous == "з":
            latin = "gh"
        elif low in _UK_COMMON:
            latin = _UK_COMMON[low]
        else:
            out.append(ch)
            at_word_start = not ch.isalpha()
            previous = ""
            continue
        out.append(latin if ch == low else _cased(latin, _word_upper(text, i)))
        at_word_start = False
        previous = low
    return "".join(out)


@lru_cache(maxsize=65_536)
def translit_ru(text: str) -> str:
    """Russian Cyrillic to Latin as the English press spells Russian names."""
    out = []
    previous = ""
    for i, ch in enumerate(text):
        low = ch.lower()
        if low in _RU_IOTATED and (previous == "" or previous in _RU_VOWELS_AND_SIGNS):
            latin = _RU_IOTATED[low]
        elif low in _RU:
            latin = _RU[low]
        else:
            out.append(ch if low not in _APOSTROPHES else "")
            previous = "" if not ch.isalpha() else "?"
            continue
        out.append(latin if ch == low else _cased(latin, _word_upper(text, i)))
        previous = low
    return _RU_YY.sub("", "".join(out))  # Yuzhny, not Yuzhnyy


_RUSSIAN_ONLY = re.compile(r"[ыэёъЫЭЁЪ]")
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")


def looks_russian(text: str) -> bool:
    """Cyrillic with a letter only Russian has and none only Ukrainian has (Сумы, Южный)."""
    return _RUSSIAN_ONLY.search(text) is not None and _UKRAINIAN_ONLY.search(text) is None
