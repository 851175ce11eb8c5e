"""Staff search of the skills bank: consenting, non-erased profiles, ranked full-text and name search.

One selector serves the search page, the API and exports, so all three see the same profiles in the same order:

- every word of the query must match the stored ``search_vector`` in one of the 'simple' (names), 'english',
  'french' or 'arabic' configurations (``websearch_to_tsquery`` per configuration, OR'ed);
- or the whole query is close to the person's names by trigram word similarity (``<%`` on ``search_names``),
  so "Mohammed" finds "Mohamed"; the query is lowered and unaccented like the stored column.

Both conditions use GIN indexes (``profile_search_gin``, ``profile_names_trgm``). Results are ranked by
``ts_rank`` plus the name similarity.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import BooleanField, F, FloatField, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from ..filters import profile_filter_apply, profile_filter_clean
from ..models import DiasporaProfile, ProfileLanguage, ProfileSkill
from ..permissions import can_search_profiles, searchable_origin_countries

MAX_QUERY_WORDS = 8
_TABLE = '"skills_diasporaprofile"'
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def query_words(query: str) -> list[str]:
    """The words of a query (letters and digits), at most ``MAX_QUERY_WORDS``."""
    return _WORD.findall(query or "")[:MAX_QUERY_WORDS]


def _word_tsquery_sql(count: int) -> str:
    """Every word must match in one of the configurations; a stop word of any language is left out."""
    one = (
        "(CASE WHEN numnode(websearch_to_tsquery('english', %s)) = 0"
        " OR numnode(websearch_to_tsquery('french', unaccent(%s))) = 0"
        " OR numnode(websearch_to_tsquery('arabic', %s)) = 0 THEN ''::tsquery"
        " ELSE websearch_to_tsquery('simple', unaccent(lower(%s)))"
        " || websearch_to_tsquery('english', %s)"
        " || websearch_to_tsquery('french', unaccent(%s))"
        " || websearch_to_tsquery('arabic', %s) END)"
    )
    return "(" + " && ".join([one] * count) + ")"


_PARAMS_PER_WORD = 7


def search_sql_parts(query: str) -> tuple[str, list, str, list] | None:
    """(match SQL, params, rank SQL, params) for a free-text query, or None when it has no words."""
    words = query_words(query)
    if not words:
        return None
    # Scalar subqueries: PostgreSQL computes the query once (an InitPlan), not once per candidate row.
    tsquery = f"(SELECT {_word_tsquery_sql(len(words))})"
    names = "(SELECT unaccent(lower(%s)))"
    ts_params = [word for word in words for _ in range(_PARAMS_PER_WORD)]
    text = " ".join(words)
    match = f'({_TABLE}."search_vector" @@ {tsquery} OR {names} <%% {_TABLE}."search_names")'
    rank = f'(ts_rank({_TABLE}."search_vector", {tsquery}) + word_similarity({names}, {_TABLE}."search_names"))'
    return match, [*ts_params, text], rank, [*ts_params, text]


def listed_profiles(user) -> QuerySet[DiasporaProfile]:
    """Profiles ``user`` may find: consented to be listed, not erased, within the user's countries."""
    if not can_search_profiles(user):
        return DiasporaProfile.objects.none()
    queryset = DiasporaProfile.objects.filter(consent_listed=True, erased_at__isnull=True)
    countries = searchable_origin_countries(user)
    if countries is not None:
        queryset = queryset.filter(origin_country_id__in=sorted(countries))
    return queryset


@dataclass
class ProfileSearch:
    queryset: QuerySet[DiasporaProfile]
    query: str
    words: list[str]
    filters: dict


def profile_search(*, user, params) -> ProfileSearch:
    """Search the profiles ``user`` may see. ``params``: a QueryDict or dict with ``q`` and the filters.

    Raises ``ValidationError`` with field errors for bad parameters. The result is not evaluated: paginate it,
    then call :func:`profile_search_prefetch` on the page's profiles.
    """
    data = profile_filter_clean(params)
    query = (data.get("q") or "").strip()
    queryset = profile_filter_apply(listed_profiles(user), data)
    parts = search_sql_parts(query)
    if parts is not None:
        match, match_params, rank, rank_params = parts
        queryset = (
            queryset.filter(RawSQL(match, match_params, output_field=BooleanField()))
            .alias(rank=RawSQL(rank, rank_params, output_field=FloatField()))
            .order_by("-rank", "-id")
        )
    else:
        queryset = queryset.order_by(F("last_confirmed_at").desc(nulls_last=True), "-id")
    return ProfileSearch(queryset=queryset, query=query, words=query_words(query), filters=data)


def profile_search_prefetch(queryset: QuerySet[DiasporaProfile]) -> QuerySet[DiasporaProfile]:
    """What a result list shows of each profile, in a constant number of queries."""
    return queryset.select_related("residence_country", "origin_country").prefetch_related(
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill").order_by("id")),
        Prefetch("languages", queryset=ProfileLanguage.objects.select_related("language").order_by("language_id")),
        "occupations",
        "sectors",
    )


# Highlighting ----------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents (what ``unaccent(lower())`` does), keeping one character per character."""
    folded = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)) or char
        folded.append(base[0].lower() if len(base[0].lower()) == 1 else char)
    return "".join(folded)


def _stem_prefix(word: str) -> str:
    folded = _fold(word)
    if len(folded) <= 4:
        return folded
    return folded[: max(4, len(folded) - 3)]


def highlight(text: str | None, words: list[str]) -> SafeString:
    """``text`` escaped, with the words that match the query (same start, any ending) in ``<mark>``."""
    text = text or ""
    if not words or not text:
        return mark_safe(html.escape(text))  # noqa: S308 - escaped just above
    prefixes = {_stem_prefix(word) for word in words if word}
    folded = _fold(text)
    out, position = [], 0
    for match in _WORD.finditer(folded):
        token = match.group(0)
        if any(token.startswith(prefix) for prefix in prefixes):
            start, end = match.span()
            out.append(html.escape(text[position:start]))
            out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
            position = end
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped
