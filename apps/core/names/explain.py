"""Why a record matched a name query, in words staff can check ("Arabic name محمد matches Mohamed")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.formatting import isolate

from .keys import NameMatch, is_arabic, match, name_words, normalise


def _as_written(word: str, text: str) -> str:
    """The word as the record or the query wrote it (its letters and marks; a compound written in two or three
    words, "عبد القادر", as written), else its normalised form."""
    written = text.split()
    for size in (1, 2, 3):
        for start in range(len(written) - size + 1):
            span = " ".join(written[start : start + size])
            if normalise(span).replace(" ", "") == word or name_words(span) == [word]:
                return span
    return word


def describe(found: NameMatch | None, *, query: str, name: str) -> str:
    """One sentence for the first word that matched as another script or spelling; "" for the same words."""
    if found is None:
        return ""
    for pair in found.differing():
        # Each name isolated (FSI … PDI): a Latin name inside an Arabic sentence, or the reverse, keeps its place.
        values = {
            "name": isolate(_as_written(pair.name, name)),
            "query": isolate(_as_written(pair.query, query)),
        }
        if pair.cross_script and is_arabic(pair.name):
            return _("Arabic name %(name)s matches %(query)s") % values
        if pair.cross_script:
            return _("Latin name %(name)s matches %(query)s") % values
        return _("Spelling %(name)s matches %(query)s") % values
    return ""


def explain(query: str, name: str, *, prefix: bool = False) -> str:
    """:func:`describe` of :func:`match` (empty when the query has no name words or does not match)."""
    if not name_words(query):
        return ""
    return describe(match(query, name, prefix=prefix), query=query, name=name)
