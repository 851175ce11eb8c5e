"""Forgiving search of the vocabulary (ISCO-08 unit groups, sectors, skills) in English, French and Arabic.

What a person types is folded the same way as every label and everyday title: accents and Arabic diacritics
go, Arabic letter variants meet (أ/إ/آ → ا, ة → ه, ى → ي), hyphens are spaces, the Arabic article and common
prefixes and plural/feminine endings are cut (الممرضات → ممرض), French feminine and plural forms meet the
masculine singular (infirmières → infirmier, coiffeuse → coiffeur) and English plurals their singular. Each
typed word then matches a word of an entry exactly, as the start of a word (type-ahead), or within one or two
typing mistakes. Occupations also carry everyday titles (``data/occupation_titles.json``: "nurse", "sage-femme",
"ممرضة") so the right unit group comes first.

The vocabulary is a few thousand words: it is indexed in memory, per process, and rebuilt when its table's
fingerprint (count and largest code, one aggregate query per search) changes, and after ``INDEX_TTL`` seconds.
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Case, Count, Max, QuerySet, Value, When
from rapidfuzz.distance import Levenshtein

from ..models import Occupation, Sector, Skill

TITLES_FILE = Path(__file__).resolve().parent.parent / "data" / "occupation_titles.json"
INDEX_TTL = 600  # seconds
LANGUAGES = ("en", "fr", "ar")
KINDS = ("occupation", "skill", "sector")

_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None}
)
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ات", "ون", "ين", "ه")
# Feminine and plural endings of French (and English) job titles, longest first: (ending, replacement).
_LATIN_ENDINGS = (
    ("trices", "teur"), ("trice", "teur"), ("euses", "eur"), ("euse", "eur"), ("iennes", "ien"), ("ienne", "ien"),
    ("ieres", "ier"), ("iere", "ier"), ("eres", "er"), ("ere", "er"), ("onnes", "on"), ("onne", "on"),
    ("ives", "if"), ("ive", "if"), ("ies", "y"), ("aux", "al"), ("esses", "e"), ("esse", "e"),
)  # fmt: skip
STOPWORDS = frozenset(
    "a an and the of in for on at to with de du des d la le les l en et au aux un une pour par sur dans "
    "في من و على الى ل".split()
)


def fold(text: str) -> str:
    """Lower case, without accents or Arabic diacritics, Arabic letter variants joined, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text or "").lower()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("œ", "oe").replace("æ", "ae").translate(_ARABIC_FOLD)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def stem(word: str) -> str:
    """A folded word reduced so that feminine, plural and article forms meet (lossy; for matching only)."""
    if _ARABIC.search(word):
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        for suffix in _ARABIC_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    if len(word) <= 3:
        return word
    for ending, replacement in _LATIN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    if word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in fold(text).split() if w not in STOPWORDS)


@dataclass(frozen=True)
class Hit:
    code: str
    label: str  # in the language asked for
    score: float
    matched: str  # the label or everyday title that matched, as written


@dataclass
class _Index:
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> language -> label
    terms: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)  # (code, words, text)
    postings: dict[str, set[int]] = field(default_factory=dict)  # word -> term numbers
    vocabulary: list[str] = field(default_factory=list)

    def add(self, code: str, text: str) -> None:
        term_words = words(text)
        if not term_words:
            return
        number = len(self.terms)
        self.terms.append((code, term_words, text))
        for word in term_words:
            self.postings.setdefault(word, set()).add(number)

    def seal(self) -> None:
        self.vocabulary = list(self.postings)


def _everyday_titles() -> dict[str, dict[str, list[str]]]:
    return json.loads(TITLES_FILE.read_text(encoding="utf-8"))["titles"]


def _build(kind: str) -> _Index:
    index = _Index()
    if kind == "occupation":
        rows = Occupation.objects.filter(level=4).values("code", *(f"label_{lang}" for lang in LANGUAGES))
    elif kind == "skill":
        rows = Skill.objects.values("code", *(f"label_{lang}" for lang in LANGUAGES))
    else:
        rows = Sector.objects.values("code", *(f"label_{lang}" for lang in LANGUAGES))
    for row in rows:
        index.labels[row["code"]] = {lang: row[f"label_{lang}"] or "" for lang in LANGUAGES}
        for lang in LANGUAGES:
            if row[f"label_{lang}"]:
                index.add(row["code"], row[f"label_{lang}"])
    if kind == "occupation":
        for code, by_language in _everyday_titles().items():
            if code in index.labels:
                for titles in by_language.values():
                    for title in titles:
                        index.add(code, title)
    index.seal()
    return index


def _fingerprint(kind: str):
    model = {"occupation": Occupation, "skill": Skill, "sector": Sector}[kind]
    return tuple(model._default_manager.aggregate(n=Count("pk"), last=Max("pk")).values())


_cache: dict[str, tuple[float, object, _Index]] = {}
_lock = threading.Lock()


def _index(kind: str) -> _Index:
    """The kind's index, rebuilt when the table's fingerprint changed (one aggregate query) or it grew old."""
    now = time.monotonic()
    fingerprint = _fingerprint(kind)
    cached = _cache.get(kind)
    if cached and cached[1] == fingerprint and now - cached[0] < INDEX_TTL:
        return cached[2]
    with _lock:
        index = _build(kind)
        _cache[kind] = (now, fingerprint, index)
    return index


def _word_matches(index: _Index, typed: str, last: bool) -> dict[str, float]:
    """Words of the vocabulary that ``typed`` may mean, with how close: exact 1, start of word 0.85, typo."""
    found: dict[str, float] = {}
    if typed in index.postings:
        found[typed] = 1.0
    if len(typed) >= 2 and (last or len(typed) >= 4):
        for word in index.vocabulary:
            if word != typed and word.startswith(typed):
                found[word] = max(found.get(word, 0), 0.85 if len(typed) >= 3 else 0.6)
    if len(typed) >= 4:
        allowed = 1 if len(typed) < 8 else 2
        for word in index.vocabulary:
            if abs(len(word) - len(typed)) > allowed or word in found:
                continue
            distance = Levenshtein.distance(typed, word, score_cutoff=allowed)
            if distance <= allowed:
                found[word] = 0.75 if distance == 1 else 0.6
    return found


def vocabulary_label(kind: str, code: str, language: str = "en") -> str:
    """The label of one entry in ``language`` (in English where that language has none; the code if unknown)."""
    labels = _index(kind).labels.get(code, {})
    return labels.get(language) or labels.get("en") or code


def vocabulary_search(kind: str, query: str, *, language: str = "en", limit: int = 20) -> list[Hit]:
    """Entries of ``kind`` (occupation, skill, sector) for what was typed, best first, labels in ``language``."""
    if kind not in KINDS:
        raise ValueError(kind)
    index = _index(kind)
    language = language if language in LANGUAGES else "en"
    typed = words(query[:100])
    if not typed:
        return []
    code_prefix = query.strip()
    if code_prefix.isdigit():
        codes = [code for code in index.labels if code.startswith(code_prefix)]
        return [Hit(code, index.labels[code][language], 1.0, code) for code in sorted(codes)[:limit]]

    per_word = [_word_matches(index, word, last=(i == len(typed) - 1)) for i, word in enumerate(typed)]
    candidates: set[int] | None = None
    for matches in per_word:
        numbers = set().union(*(index.postings[w] for w in matches)) if matches else set()
        candidates = numbers if candidates is None else candidates & numbers
    best: dict[str, tuple[float, str]] = {}
    for number in candidates or ():
        code, term_words, text = index.terms[number]
        closeness = sum(max((m.get(w, 0) for w in term_words), default=0) for m in per_word) / len(per_word)
        # A title that says only what was typed beats a longer one that also contains it.
        score = closeness + 0.25 * min(1.0, len(per_word) / len(term_words))
        if score > best.get(code, (0, ""))[0]:
            best[code] = (score, text)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    return [Hit(code, index.labels[code][language], round(score, 3), text) for code, (score, text) in ranked[:limit]]


def vocabulary_filter(queryset: QuerySet, kind: str, query: str, *, language: str, limit: int = 100) -> QuerySet:
    """``queryset`` (rows keyed by ``code``) narrowed to what ``query`` finds, best match first."""
    hits = vocabulary_search(kind, query, language=language, limit=limit)
    rank = Case(*(When(code=hit.code, then=Value(i)) for i, hit in enumerate(hits)), default=Value(len(hits)))
    return queryset.filter(code__in=[hit.code for hit in hits]).order_by(rank, "code")
