"""Normalisation, name words, keys and matching (see the package's docstring for the method)."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

MAX_KEYS = 16
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
MAX_KEY_LENGTH = 24

# Normalisation -------------------------------------------------------------------------------------------------

_ARABIC_FOLD = str.maketrans(
    {
        "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ڭ": "ق", "گ": "ق", "ڨ": "ق",
        "ڤ": "ف", "پ": "ب", "چ": "ش", "ـ": None,
        # marks apostrophes stand for (ʿayn, hamza) join the word instead of splitting it
        "'": None, "’": None, "ʿ": None, "ʾ": None, "`": None, "ʼ": None,
    }
)  # fmt: skip
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")  # with supplements, forms
_NOT_LETTER = re.compile(r"[^\w]|[\d_]")


def normalise(text: str) -> str:
    """Lower case, no accents or harakat, one spelling for the Arabic letters that vary; words separated by one
    space. Characters that are not letters (digits, punctuation, controls) separate words."""
    text = unicodedata.normalize("NFKD", (text or "").replace("ç", "s").replace("Ç", "s"))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
    text = unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_FOLD)
    return " ".join(_NOT_LETTER.sub(" ", text).split())


def is_arabic(word: str) -> bool:
    return bool(_ARABIC.search(word))


# Name words ----------------------------------------------------------------------------------------------------

LATIN_ARTICLES = frozenset({"el", "al", "ul", "il", "ed", "ad", "es", "as", "er", "ar", "et", "en", "ez", "ech"})
ARABIC_ARTICLE = "ال"
# A particle is joined to the word it introduces ("Ben Ali" is one word with "Benali").
_ABD = frozenset({"abd", "abdel", "abdal", "abdul", "abdoul", "abdol", "abdil", "عبد"})
_CANONICAL = {"bin": "ben", "ibn": "ben", "ابن": "بن"}
_PARTICLES = (
    _ABD
    | {"ben", "bin", "ibn", "ould", "ag", "bou", "abou", "abu", "ait"}
    | {"بن", "ابن", "ولد", "بو", "ابو", "ايت", "اغ"}
)


def name_words(text: str) -> list[str]:
    """The words of a name, normalised, with particles joined to the next word and a lone article dropped."""
    words = normalise(text).split()[: MAX_WORDS * 2]
    out: list[str] = []
    pending = ""
    for index, word in enumerate(words):
        last = index == len(words) - 1
        if not last and word in _PARTICLES:
            pending += _CANONICAL.get(word, word)
            continue
        if not last and (word in LATIN_ARTICLES or word == ARABIC_ARTICLE):
            if pending[-3:] in ("abd", "عبد") or pending in _ABD:
                pending += word  # "Abd el Kader": the article stays inside the compound
            continue
        out.append((pending + word)[:MAX_WORD_LENGTH])
        pending = ""
    return out[:MAX_WORDS]


# Keys ----------------------------------------------------------------------------------------------------------
# One alphabet for both scripts. Consonants: B T J H K D R Z S C(ش) G(غ) F L M N; W and Y for و ي and the Latin
# spellings of them; A marks a word that starts with a vowel (ا, ع, or a Latin vowel).

_ARABIC_LETTERS = {
    "ب": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "J", "ح": "H", "خ": "K", "ق": "K", "ك": "K", "د": "D",
    "ذ": "D", "ض": "D", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S", "ص": "S", "ش": "C", "غ": "G", "ف": "F",
    "ل": "L", "م": "M", "ن": "N",
}  # fmt: skip

# Latin spellings, longest first: (spelling, readings). A reading is a string of key letters; several readings
# are alternatives ("th" is ث in Othmane, ت+ه in Fathi). Lower-case readings are vowels: "w"/"y" a long vowel
# for sure, "w?"/"y?" maybe a long vowel, "" a short vowel.
_LATIN_UNITS = [
    ("tch", ("C",)), ("sch", ("C",)), ("ch", ("C",)), ("sh", ("C",)), ("kh", ("K",)), ("gh", ("G",)),
    ("dh", ("D",)), ("th", ("S", "TH", "T")), ("ph", ("F",)), ("dj", ("J",)), ("ck", ("K",)), ("qu", ("K",)),
    ("ou", ("w",)), ("oo", ("w",)), ("ee", ("y",)), ("ei", ("y",)), ("ai", ("y",)), ("ie", ("y",)),
    ("ii", ("y",)), ("ay", ("y",)), ("ey", ("y",)), ("aa", ("",)), ("ae", ("y?",)),
    ("a", ("",)), ("e", ("",)), ("o", ("",)), ("u", ("w?",)), ("i", ("y?",)), ("y", ("y",)), ("w", ("w",)),
    ("b", ("B",)), ("p", ("B",)), ("t", ("T",)), ("j", ("J",)), ("g", ("J", "G")), ("h", ("H",)),
    ("k", ("K",)), ("q", ("K",)), ("d", ("D",)), ("r", ("R",)), ("z", ("Z",)), ("s", ("S",)), ("f", ("F",)),
    ("v", ("F",)), ("l", ("L",)), ("m", ("M",)), ("n", ("N",)), ("x", ("KS",)),
]  # fmt: skip
_LATIN_VOWELS = set("aeiouy")


def _latin_units(word: str) -> list[tuple[str, tuple[str, ...]]]:
    units, i = [], 0
    while i < len(word):
        rest = word[i:]
        if rest[:1] == "d" and rest[1:2] in ("i", "y") and rest[2:3] in ("a", "o", "u", "e"):
            units.append(("di", ("D", "J", "DY")))  # Diallo / Jallo / ديالو, Diop / Jop
            i += 2
            continue
        if rest[:1] == "c" and rest[1:2] not in ("h", "k"):
            soft = rest[1:2] in ("e", "i", "y")
            between_vowels = i > 0 and word[i - 1] in _LATIN_VOWELS and rest[1:2] in _LATIN_VOWELS
            units.append(("c", ("S",) if soft else ("K", "S") if between_vowels else ("K",)))  # Faycal / Fayçal
            i += 1
            continue
        for spelling, readings in _LATIN_UNITS:
            if word.startswith(spelling, i):
                if (spelling == "qu" and rest[2:3] not in _LATIN_VOWELS) or (spelling == "ae" and rest[2:3] == "e"):
                    continue
                units.append((spelling, readings))
                i += len(spelling)
                break
        else:
            i += 1  # a letter of another alphabet: no key letter
    return units


def _is_vowel(readings: tuple[str, ...]) -> bool:
    return all(r == "" or r.islower() for r in readings)


# Sahel endings (Mali, Niger, Senegal, Mauritania): -atou is the -a of a feminine name with its t (Aïchatou,
# Aminatou, Fatoumatou), -aye / -ahi after a consonant the final a-sound of -allah (Abdoulaye, Abdoullahi).
_SAHEL_ENDINGS = ((re.compile(r"(?<=...at)ou$"), "a"), (re.compile(r"(?<=[^aeiouy]a)(?:ye|hi)$"), ""))
_SAHEL_FINAL_A = re.compile(r"[iy]a[^aeiouy]a$")


def _latin_symbols(word: str, partial: bool = False) -> list[tuple[str, ...]]:
    """Per sound of a Latin word, its readings, with the rules of the word's start and end applied."""
    units = _latin_units(word)
    symbols: list[tuple[str, ...]] = []
    consonants = 0
    for index, (spelling, readings) in enumerate(units):
        vowel = _is_vowel(readings)
        before_vowel = index + 1 < len(units) and _is_vowel(units[index + 1][1])
        previous = units[index - 1][0] if index else ""
        vowel_before = bool(index) and _is_vowel(units[index - 1][1])
        final = index == len(units) - 1 and not partial
        if index == 0 and (spelling in ("w", "y", "ou") and before_vowel or word.startswith(("ould", "ouled"))):
            readings = ("W",) if spelling != "y" else ("Y",)
        elif index == 0 and vowel:
            readings = ("A",)
        elif final and spelling == "h" and previous in ("a", "aa"):
            symbols[-1] = ("E",)  # Abdallah, Fatimah: the final a-sound (ة, ى, ا)
            continue
        elif final and spelling == "h" and units[index - 1][1] in (("",), ("y?",), ("w?",)):
            readings = ("H", "")
        elif final and spelling in ("a", "aa") and previous == "t" and index > 1:
            symbols[-1] = ("T", "E", "TE")  # Aminata / Amina: ة read as t; Keita / كيتا: the t and a final ا
            continue
        elif final and spelling in ("a", "aa"):
            # Ibrahima / Ibrahim, Mariama / Mariam (an -a after -iam, -yam); not Karima / Karim
            readings = ("E", "") if _strong(symbols) >= 4 or _SAHEL_FINAL_A.search(word) else ("E",)
        elif final and spelling == "e" and index > 1 and units[index - 2][0] in ("o", "ou", "u") and not vowel_before:
            readings = ("", "y")  # Traoré / تراوري, Touré / توري, Koné / كوني: a final é (its accent lost) is ي
        elif final and spelling == "t" and previous in ("a", "e"):
            readings = ("T", "D")  # Mohamet, Ahmat
        elif final and vowel and readings != ("",):
            readings = ("w?",) if readings[0].startswith("w") else ("y",)  # Abdou / عبده; Fathi / فتحي
        elif consonants == 1 and spelling in ("ou", "oo"):
            readings = ("w?",)  # the first syllable's vowel: Mouhamed / محمد, Youssef / يوسف
        else:
            readings = _medial(units, index, readings, partial)
        consonants += not vowel
        symbols.append(readings)
    return symbols


def _medial(
    units: list[tuple[str, tuple[str, ...]]], index: int, readings: tuple[str, ...], partial: bool = False
) -> tuple[str, ...]:
    """The readings of a sound inside a Latin word where Sahel and French spellings add or drop one:

    - an ou Arabic may not write: repeating the ou before it (Youssouf / يوسف, Younous / يونس) or opening a
      syllable before -Ca (Fatoumata / فاطمة); an ou that closes the word's last syllable stays long (Mahmoud
      / محمود is not Mohamed);
    - an h before a consonant, which Sahel spellings leave out (Ahmadou / Amadou, Mahmadou / Mamadou), not in
      the letters of a name being typed (three letters "ahm" would be any a…m name);
    - a y between consonants, an i (Myriam / Mariam)."""
    spelling = units[index][0]
    following = [unit[0] for unit in units[index + 1 : index + 3]]
    if not following:
        return readings
    consonant_next = not _is_vowel(units[index + 1][1])
    vowel_before = _is_vowel(units[index - 1][1])
    closes_last = not partial and consonant_next and index + 2 == len(units)  # the last syllable: -ud, -un
    if spelling in ("ou", "u"):
        repeats = any(unit[0] in ("ou", "u") for unit in units[:index])
        opens = consonant_next and following[1:] in (["a"], ["aa"])
        if repeats or opens:
            return ("w?",)
        if closes_last:
            return ("w",)  # the u of a last closed syllable is long as its ou: Mahmud / محمود, not محمد
    if spelling == "o" and not partial and consonant_next and following[1:] == ["e"] and index + 3 == len(units):
        return ("w?",)  # Koné / كوني, Traoré / تراوري: the o of a final -oCé is و
    if spelling == "o" and vowel_before and not partial:
        return ("w?",)  # Traoré: an o after a vowel is و
    if spelling == "e" and not partial and consonant_next and following[1:] in (["a"], ["aa"]):
        if index + 3 == len(units):
            return ("y?",)  # an e for the ي before a final -a: Amena / أمينة, Latefa / لطيفة
    if spelling == "h" and consonant_next and not partial:
        return ("H", "")
    if spelling == "h" and vowel_before and not partial:
        # an h between vowels that Sahel spellings write or leave out (Mouhamadou, Mahamadou / Mamadou); left
        # out, it only counts where two same consonants meet across it (the marked key, see _expand)
        return ("H", ELIDED)
    if spelling == "y" and consonant_next and not _is_vowel(units[index - 1][1]):
        return ("y?",)  # a y between consonants is an i: Myriam / Mariam / مريم
    return readings


def _arabic_symbols(word: str, partial: bool = False, strict: bool = False) -> list[tuple[str, ...]]:
    symbols: list[tuple[str, ...]] = []
    last = len(word) - 1 if not partial else len(word) + 1
    for index, letter in enumerate(word):
        if letter == "ح" and not partial and 0 < index < len(word) - 1 and word[index + 1] in _ARABIC_LETTERS:
            # ح before a consonant, not written in Sahel spellings: محمد / Mamadou (not while a name is typed:
            # "محم" would be any name starting with m)
            symbols.append(("H", GAP))
        elif letter == "ث":
            symbols.append(("S", "T"))  # ث read t in the Maghreb and the Sahel: كلثوم / Keltoum, عثمان / Otmane
        elif letter in _ARABIC_LETTERS:
            symbols.append((_ARABIC_LETTERS[letter],))
        elif letter == "ا" and index == last and index > 1:
            symbols.append(("E",))  # رضا: the final a-sound
        elif letter == "ع" and index > 0 and strict:
            symbols.append((AYN,))  # only between Arabic spellings: سعيد is not سيد (see _word_keys)
        elif letter in "اعء":
            symbols.append(("A",) if index == 0 else ("",))
        elif letter in "وي":
            upper = "W" if letter == "و" else "Y"
            if index == 0:
                symbols.append((upper,))
            elif index == last and letter == "ي":
                symbols.append(("y", "E"))  # ي or ى (normalised): Ali, Moussa, Mustafa
            elif index == last:
                symbols.append(("w?",))
            else:
                symbols.append((upper.lower(),))
        elif letter == "ه":
            symbols.append(("H", "E", "T") if index == last and index > 0 else ("H",))  # ة is normalised to ه
    return symbols


GAP = "_"  # a sound between two letters that the key leaves out: a Latin short vowel, a ح not written
ELIDED = "^"  # a Latin h between vowels left out: only the marked key (two same consonants met) is given
MET = "*"  # the mark of a key in which two same consonants met across a gap and stay two ("Mamadou": *MMD)


def _expand(symbols: list[tuple[str, ...]], *, latin: bool = False) -> list[str]:
    """Every reading of the word, with the rules that do not depend on the script: a long vowel before the first
    consonant is part of the initial vowel (A), an optional vowel is both kept and dropped, doubled letters are
    one.

    Where a gap (a Latin short vowel, a ح left out) lies between two same consonants, the key is also given with
    both, marked :data:`MET`: Mamadou *MMD meets محمد read without its ح (*MMD), while Mado (MD) does not — a
    reading of محمد without its ح gives only that marked key."""
    keys: list[str] = []
    for combination in itertools.islice(itertools.product(*symbols), 256):
        letters, consonants = [], 0
        elided = ELIDED in combination
        for reading in combination:
            if reading in ("w", "y"):
                if consonants:
                    letters.append(reading.upper())
                continue
            if (reading == "" and latin) or reading == ELIDED:
                reading = GAP
            for letter in reading:
                consonants += letter not in ("A", "E", GAP)
                letters.append(letter)
        written = "".join(letters)
        plain = re.sub(r"(.)\1+", r"\1", written.replace(GAP, ""))
        met = re.sub(r"(.)\1+", r"\1", written).replace(GAP, "")
        found = [plain] if (latin and not elided) or (met == plain and not elided) else []
        if met != plain:
            found.append(MET + met)
        keys += [key for key in found if key not in keys]
    return keys


def _optional(symbols: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """'w?' / 'y?' become the two readings: the long vowel, or nothing."""
    return [
        tuple(
            sorted(
                {r for reading in s for r in ((reading[0], "") if reading.endswith("?") else (reading,))},
                key=lambda r: r == "",
            )
        )
        for s in symbols
    ]  # noqa: E501


def _strong(symbols: list[tuple[str, ...]]) -> int:
    return sum(1 for s in symbols if any(r.isupper() and r not in ("A", "W", "Y") for r in s))


def _reader(arabic: bool, partial: bool, strict: bool):
    """The function reading a word's symbols in its script."""
    if arabic:
        return functools.partial(_arabic_symbols, partial=partial, strict=strict)
    return functools.partial(_latin_symbols, partial=partial)


def _word_symbol_variants(word: str, partial: bool = False, strict: bool = False) -> list[list[tuple[str, ...]]]:
    """The symbol sequences of a word: with a leading article and without, and for a compound with Abd the
    article inside it dropped."""
    arabic = is_arabic(word)
    if not arabic and not partial:
        for ending, replacement in _SAHEL_ENDINGS:
            word = ending.sub(replacement, word)
    if _ABOU.match(word) and len(word) > 5:
        # Abou is also written Bou (أبو بكر / Boubacar, Aboubakr / Boubaker): both readings.
        return [*_plain_variants(word, arabic, partial, strict), *_plain_variants(word[1:], arabic, partial, strict)]
    return _plain_variants(word, arabic, partial, strict)


# Only before the clusters of the Sahel's prenasalised consonants (nd, nj, ng, nk, mb): before other consonants an
# opening alef is a vowel of the name (امجد Amjad is not ماجد, آمنة Amna is not منى).
_PROTHETIC_ALEF = re.compile("^ا(?:ن[جدغقك]|مب)")
_ABOU = re.compile(r"^(?:ابو|ab(?:ou|u|o)(?=[^aeiouy]))")


def _plain_variants(word: str, arabic: bool, partial: bool, strict: bool) -> list[list[tuple[str, ...]]]:
    symbols = _reader(arabic, partial, strict)

    # Abd compounds: abd + (article) + name — the article is not part of the key.
    for abd in ("عبد",) if arabic else ("abd",):
        rest = word[len(abd) :]
        if word.startswith(abd) and _strong(symbols(rest)) >= 1:
            head = symbols(abd)
            tails = _rest_variants(rest, arabic, always=True, partial=partial, strict=strict)
            return [head + (tail[1:] if tail and tail[0] == ("A",) else tail) for tail in tails]
    # An alef written before a Sahel name's opening nd, nj, ng, nk or mb (انجاي / Ndiaye, امباي / Mbaye).
    if arabic and len(word) > 3 and _PROTHETIC_ALEF.match(word):
        return [
            *_plain_variants(word[1:], arabic, partial, strict),
            *_rest_variants(word, arabic, False, partial, strict),
        ]
    # A name run together with an article inside ("نورالدين"): the article dropped.
    if arabic:
        at = word.find(ARABIC_ARTICLE, 2)
        if at > 0 and _strong(symbols(word[:at])) >= 2 and _strong(symbols(word[at + 2 :])) >= 2:
            tails = _rest_variants(word[at:], arabic, always=True, partial=partial, strict=strict)
            return [symbols(word[:at]) + tail for tail in tails]
    return _rest_variants(word, arabic, always=False, partial=partial, strict=strict)


_LATIN_ARTICLE_PREFIX = re.compile(r"^(?:[aeiou]{1,2}l(?=[a-z]{2})|[aeiou]([tdrzsnlcj])(?=\1))")
_LATIN_SUN_PREFIX = re.compile(r"^[aeiou](?=[tdrzsn][aeiou])")


def _rest_variants(
    word: str, arabic: bool, always: bool, partial: bool, strict: bool = False
) -> list[list[tuple[str, ...]]]:
    symbols = _reader(arabic, partial, strict)

    if arabic:
        bare = word[2:] if word.startswith(ARABIC_ARTICLE) and len(word) > 3 else None
    else:
        match = _LATIN_ARTICLE_PREFIX.match(word) or (_LATIN_SUN_PREFIX.match(word) if always else None)
        bare = word[match.end() :] if match and len(word) - match.end() >= 2 else None
    if bare is None:
        return [symbols(word)]
    if always:
        return [symbols(bare)]
    return [symbols(word), symbols(bare)]


# The keys of a word written in Arabic script are stored in two forms (a Latin word's keys as they are):
# ``ARABIC_KEY`` + the key that reads every ع inside the word, which only other Arabic spellings are looked up by,
# and ``ACROSS_KEY`` + the key without the ع, which Latin spellings are looked up by (a Latin spelling may show an ع
# as two vowels, one vowel or nothing: Said, Masoud, Jafar). So سعيد and سيد, which differ by an ع and nothing
# else, do not meet, while Said meets both. ``word_keys`` gives what a word stores, ``lookup_keys`` what a word
# typed is looked up by; two words match when what one stores meets what the other is looked up by.
ARABIC_KEY = "#"
ACROSS_KEY = "~"
AYN = "Q"


def word_keys(word: str, *, partial: bool = False) -> list[str]:
    """The keys a normalised name word stores (see the package docstring and ``ARABIC_KEY``); empty for a word
    with no letters. ``partial``: the word is the start of a name being typed, so its last letter is not read as
    a word's end."""
    word = word[:MAX_WORD_LENGTH]
    if not is_arabic(word):
        return list(_word_keys(word, partial, False))
    arabic = [ARABIC_KEY + key for key in _word_keys(word, partial, True)]
    across = [ACROSS_KEY + key for key in _word_keys(word, partial, False)]
    return arabic[: MAX_KEYS // 2] + across[: MAX_KEYS // 2]


def lookup_keys(word: str, *, partial: bool = False) -> list[str]:
    """The keys a normalised name word typed is looked up by among stored keys (``word_keys``): an Arabic word by
    its Arabic-script keys and by its keys without ع among Latin words; a Latin word by its keys among Latin words
    and among the Arabic words' keys without ع."""
    word = word[:MAX_WORD_LENGTH]
    if not is_arabic(word):
        keys = list(_word_keys(word, partial, False))
        return keys + [ACROSS_KEY + key for key in keys]
    arabic = [ARABIC_KEY + key for key in _word_keys(word, partial, True)]
    return arabic[: MAX_KEYS // 2] + list(_word_keys(word, partial, False))[: MAX_KEYS // 2]


@functools.lru_cache(maxsize=100_000)
def _word_keys(word: str, partial: bool, strict: bool) -> tuple[str, ...]:
    """Cached: names repeat (a refill of a million clients reads a few thousand different words)."""
    keys: list[str] = []
    for symbols in _word_symbol_variants(word, partial, strict):
        for key in _expand(_optional(symbols), latin=not is_arabic(word)):
            key = key[: MAX_KEY_LENGTH - 1]  # room for the mark of an Arabic word's key
            if key and key not in keys:
                keys.append(key)
    return tuple(keys[:MAX_KEYS])


def token_keys(token: str) -> list[str]:
    """The keys of a stored name word in whatever form it was stored (not normalised, possibly with marks)."""
    return word_keys(normalise(token).replace(" ", ""))


def name_keys(text: str) -> list[str]:
    """The keys of every word of a name, and of the name run together (for "Nour Eddine" / "Noureddine")."""
    words = name_words(text)
    keys: list[str] = []
    for word in [*words, "".join(words)] if len(words) > 1 else words:
        for key in word_keys(word):
            if key not in keys:
                keys.append(key)
    return keys


def name_index(*names: str) -> tuple[str, list[str]]:
    """What a record stores to be found by name: its names normalised (both scripts, one text, for trigram
    search in the same script) and the keys of each name's words (for the other script and spellings)."""
    keys: list[str] = []
    for name in names:
        keys += [key for key in name_keys(name) if key not in keys]
    return normalise(" ".join(names)), keys


def query_keys(query: str) -> list[list[str]]:
    """Per word of a query (particles joined), the keys it is looked up by."""
    return [lookup_keys(word) for word in name_words(query)]


# Matching ------------------------------------------------------------------------------------------------------


def words_match(a: str, b: str, *, prefix: bool = False) -> bool:
    """Whether two normalised words are the same name; with ``prefix``, whether ``a`` may be the start of ``b``."""
    if a == b or (prefix and b.startswith(a)):
        return True
    stored = word_keys(b)
    if prefix:
        return len(a) >= 2 and any(kb.startswith(ka) for ka in lookup_keys(a, partial=True) for kb in stored)
    return bool(set(lookup_keys(a)) & set(stored))


@dataclass(frozen=True)
class WordMatch:
    query: str
    name: str
    same: bool = False  # the same word (or, typing ahead, its start)

    @property
    def cross_script(self) -> bool:
        return is_arabic(self.query) != is_arabic(self.name)


@dataclass(frozen=True)
class NameMatch:
    """How a query matched a name: ``exact`` (the same words), ``spelling`` (another spelling in the same
    script) or ``script`` (across scripts). ``rank``: 2, 1, 0 in that order, higher first."""

    kind: str
    words: tuple[WordMatch, ...]

    @property
    def rank(self) -> int:
        return {"exact": 2, "spelling": 1, "script": 0}[self.kind]

    def differing(self) -> list[WordMatch]:
        """The words that matched as other spellings (what the explanation names)."""
        return [pair for pair in self.words if not pair.same]


def match(query: str, name: str, *, prefix: bool = False) -> NameMatch | None:
    """Whether ``name`` (a person's names, any scripts) is named by ``query``: every word of the query is a word
    of the name, or the query run together is one ("Ben Ali" / "Benali"). With ``prefix``, the query's last word
    may be the start of a word (a type-ahead)."""
    query_words, words = name_words(query), name_words(name)
    if not query_words or not words:
        return None
    candidates = [*words, "".join(words)] if len(words) > 1 else words
    pairs = _match_words(query_words, candidates, prefix)
    if pairs is None and len(query_words) > 1:
        pairs = _match_words(["".join(query_words)], candidates, prefix)
    if pairs is None:
        return None
    if all(pair.same for pair in pairs):
        kind = "exact"
    elif any(pair.cross_script for pair in pairs):
        kind = "script"
    else:
        kind = "spelling"
    return NameMatch(kind=kind, words=tuple(pairs))


def same_name(a: str, b: str) -> NameMatch | None:
    """Whether ``a`` and ``b`` are the same name: every word of each is a word of the other, in any script or
    spelling (what the imports call a likely duplicate; "Mohamed" alone is not "Mohamed Diallo"). The match of
    ``a`` in ``b``, or None."""
    found = match(a, b)
    return found if found is not None and match(b, a) is not None else None


def _match_words(query_words: list[str], candidates: list[str], prefix: bool) -> list[WordMatch] | None:
    pairs = []
    for index, word in enumerate(query_words):
        last = prefix and index == len(query_words) - 1
        found = [c for c in candidates if words_match(word, c, prefix=last)]
        if not found:
            return None
        same = [c for c in found if c == word or (last and c.startswith(word))]
        same_script = [c for c in found if is_arabic(c) == is_arabic(word)]
        best = (same or same_script or found)[0]
        pairs.append(WordMatch(query=word, name=best, same=bool(same)))
    return pairs
