"""The one name-matching component: a person is found by name whatever script or spelling the name was typed in.

Every place that finds or compares a person by name goes through here (the skills staff search and its name words,
the office client search and duplicate warning, the imports' duplicate checks, the exchange and outreach lookups).

How it works (after the name-screening systems: ICU/UNGEGN transliteration folds both scripts to one alphabet,
then a phonetic key per name word is matched by index and the hits are ranked):

1. :func:`normalise` — Unicode NFKC, zero-width and bidi controls dropped, Latin accents dropped and lower case;
   Arabic harakat and tatweel dropped, the hamza forms of alef (أ إ آ ٱ) to ا, ة to ه, ى to ي, ؤ to و, ئ to ي.
2. :func:`name_words` — the words of a name, with the particles of the partner states' names attached to the word
   they introduce: Abd/Abdel/Abdul/عبد (one word or two), Ben/Bin/Ibn/بن/ابن, Ould/ولد, Bou/بو, and the article
   El/Al/ال dropped when it stands alone before a family name.
3. :func:`word_keys` — the keys of one word: a consonant skeleton in one alphabet for both scripts (ج dj j g → J,
   ش ch sh → C, خ ق ك kh k q → K, ث th → S ...), doubled letters once, short vowels left out (Arabic does not
   write them), long vowels kept where Arabic writes them (و → W, ي → Y), so that Mahmoud/محمود (MHMWD) stays
   apart from Mohamed/محمد (MHMD). A Latin spelling that can be read two ways gives both keys (the "i" of Karim
   may be the ي of كريم or a short vowel), never more than :data:`MAX_KEYS`.
   A word in Arabic script stores two forms of its keys: with every ع inside it (``#``, which only other Arabic
   spellings are looked up by: سعيد is not سيد) and without (``~``, which Latin spellings are looked up by: Said,
   Masoud, Jafar show an ع as two vowels, one or none). :func:`lookup_keys` gives what a word typed is looked up
   by.
4. Two words match when what one stores meets what the other is looked up by (:func:`words_match`); a name
   query matches a name when every word of the query matches a word of the name (:func:`match`), and
   :func:`match` says how: same script (ranked first) or across scripts, with the words that met, for the
   explanation shown to staff.

The keys are stored per name word (``NameToken.keys``, ``Person.name_keys``) and looked up by a GIN index.
"""

from .explain import describe, explain
from .keys import (
    MAX_KEY_LENGTH,
    MAX_KEYS,
    NameMatch,
    WordMatch,
    is_arabic,
    lookup_keys,
    match,
    name_index,
    name_keys,
    name_words,
    normalise,
    query_keys,
    same_name,
    token_keys,
    word_keys,
    words_match,
)
from .store import keys_literal, keys_refill

__all__ = [
    "describe",
    "explain",
    "keys_literal",
    "keys_refill",
    "MAX_KEY_LENGTH",
    "MAX_KEYS",
    "NameMatch",
    "WordMatch",
    "is_arabic",
    "lookup_keys",
    "match",
    "name_index",
    "name_keys",
    "name_words",
    "normalise",
    "query_keys",
    "same_name",
    "token_keys",
    "word_keys",
    "words_match",
]
