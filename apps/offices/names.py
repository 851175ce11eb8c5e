"""Normalised names for the duplicate warning: unaccented, lower case, Arabic diacritics removed, and the Arabic
script transliterated to Latin letters so that "Mohamed" and "محمد" land near each other in trigram space."""

from __future__ import annotations

import re
import unicodedata

# A plain, lossy transliteration: only to bring spellings close for trigram similarity.
_ARABIC_TO_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "ch", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "ou",
    "ي": "i", "ى": "a", "ة": "a", "ء": "", "ئ": "i", "ؤ": "ou", "ڤ": "v", "پ": "p", "ڨ": "g", "گ": "g",
}  # fmt: skip

_ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def transliterate_arabic(text: str) -> str:
    latin = "".join(_ARABIC_TO_LATIN.get(ch, ch) for ch in text)
    # "mhmd" → "mohamed" cannot be recovered; collapse doubled letters so spellings converge.
    return re.sub(r"(.)\1+", r"\1", latin)


def search_name(text: str) -> str:
    """The value stored in ``Person.search_name`` (and used as the query term)."""
    plain = strip_marks(text or "").lower()
    words = re.sub(r"[^\w\s]", " ", plain).split()
    out = []
    for word in words:
        out.append(word)
        if _ARABIC_LETTERS.search(word):
            out.append(transliterate_arabic(word))
    return " ".join(out)


def person_search_name(name_latin: str, name_arabic: str) -> str:
    return search_name(f"{name_latin} {name_arabic}")
