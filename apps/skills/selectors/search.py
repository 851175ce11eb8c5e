"""Staff search of the skills bank: consenting, non-erased profiles, ranked full-text and name search.

One selector serves the search page, the API and exports, so all three see the same profiles in the same order:

- every word of the query must match the stored ``search_vector`` in one of the 'simple' (names), 'english',
  'french' or 'arabic' configurations (``websearch_to_tsquery`` per configuration, OR'ed);
- or the query names the person: each word typed is close, by trigram similarity, to one of the words of the
  person's names (or the whole query, run together, is: "Ben Ali" finds "Benali"), so "Mohammed" finds
  "Mohamed"; the query is lowered and unaccented like the stored names. The close words are looked up in the
  small table of the bank's name words (``NameToken``, trigram GIN index), then the profiles carrying them in
  ``ProfileNameToken`` from its primary key alone (:func:`name_match_ids_sql`).

Both conditions use indexes (``profile_search_gin``; ``name_token_trgm`` and the name words' primary key).
Results are ranked by ``ts_rank`` plus the trigram word similarity of the query to the names.

A search returns at most ``SKILLS_SEARCH_MAX_RESULTS`` profiles (default 1,000). A common word can match a tenth
of a national bank; scoring every match before the first page would cost seconds of database time per request,
so only the first matches found are ranked and the page says that there are more (``ProfileSearch.truncated``),
asking for more words or filters. Without a query the newest confirmations come first, and the same cap applies
to the count.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, F, FloatField, Prefetch, QuerySet
from django.db.models.expressions import Expression
from django.utils.safestring import SafeString, mark_safe

from apps.core.names import keys_literal, lookup_keys, name_words

from ..filters import profile_filter_apply, profile_filter_clean
from ..models import NAME_SEPARATORS, DiasporaProfile, ProfileLanguage, ProfileSkill
from ..permissions import can_search_profiles, searchable_origin_countries

MAX_QUERY_WORDS = 8
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


class ProfileSQL(Expression):
    """SQL over a profile's ``search_vector``, ``search_names`` and ``id``, written with ``{vector}``,
    ``{names}`` and ``{id}``.

    Unlike ``RawSQL`` the columns are real column references, so the expression stays right when Django renames
    the table inside a subquery (``U0``).
    """

    def __init__(self, template: str, params: list, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, params
        self.vector, self.names, self.id = F("search_vector"), F("search_names"), F("id")

    def get_source_expressions(self):
        return [self.vector, self.names, self.id]

    def set_source_expressions(self, exprs):
        self.vector, self.names, self.id = exprs

    def as_sql(self, compiler, connection):
        columns = {}
        for name in ("vector", "names", "id"):
            columns[name], column_params = compiler.compile(getattr(self, name))
            assert not column_params  # noqa: S101 - plain columns, no parameters
        return self.template.format(**columns), list(self.params)


# A name word is close enough to a word typed at this trigram similarity ("mohamed" / "mohammed": 0.7); the words
# typed run together must be closer, or "mohamed diop" → "mohameddiop" would already be near "mohamed" (0.54).
NAME_WORD_SIMILARITY = 0.5
NAME_RUN_TOGETHER_SIMILARITY = 0.7
# The profiles carrying a name word close to one typed word: the close words from the small word table (trigram
# index: another spelling in the same script; keys index: the same name in the other script or another
# transcription, apps.core.names), then the profiles from the primary key (token, profile) of the name words,
# without reading profiles.
_NAME_WORD_SQL = (
    "SELECT n.profile_id FROM skills_profilenametoken n WHERE n.token = ANY(ARRAY("
    "SELECT t.token FROM skills_nametoken t, (SELECT regexp_replace(unaccent(lower(%s)), %s, '', 'g') AS w) q "
    "WHERE t.token %% q.w AND similarity(t.token, q.w) >= %s "
    "UNION SELECT t.token FROM skills_nametoken t WHERE t.keys && %s::varchar[])){listed}"
)


def name_match_ids_sql(words: list[str], *, listed: bool = False) -> tuple[str, list]:
    """An SQL array of the ids of the profiles the words name: every word is close to a word of the person's
    names or has the same key (any script), or (for several words) the words run together are close to one or
    have its key ("ben ali" → "benali", "عبد الله" → "Abdallah").

    ``listed``: only the profiles listed in the bank (consented, not erased), read from the name words' own flag
    (one range of the partial index ``profile_name_token_listed`` per word, no probe into the profiles)."""
    word_sql = _NAME_WORD_SQL.format(listed=" AND n.listed" if listed else "")

    def one(word: str, similarity: float = NAME_WORD_SIMILARITY) -> tuple[str, list]:
        return word_sql, [word, NAME_SEPARATORS, similarity, keys_literal(lookup_keys(word))]

    parts = [one(word) for word in words]
    sql = " INTERSECT ".join(f"({part})" for part, _ in parts)
    params = [value for _, part_params in parts for value in part_params]
    if len(words) > 1:
        together, together_params = one("".join(words), NAME_RUN_TOGETHER_SIMILARITY)
        sql = f"({sql}) UNION ({together})"
        params += together_params
    return f"ARRAY(SELECT profile_id FROM ({sql}) AS named)", params


def name_query_words(query: str) -> list[str]:
    """The words a name query is looked up by (particles joined, as the matcher reads them)."""
    return name_words(query) or query_words(query)


def name_match_ids_named(query: str, *, prefix: str = "name") -> tuple[str, dict] | None:
    """:func:`name_match_ids_sql` of a name query with named parameters (``%(name_0)s`` …), for SQL written
    with named parameters (the exchange's expert ranking); None when the query has no name words."""
    words = name_query_words(query)
    if not words:
        return None
    sql, params = name_match_ids_sql(words)
    pieces = sql.split("%s")
    assert len(pieces) == len(params) + 1  # noqa: S101 - the fixed SQL above has only %s and %% markers
    named = {f"{prefix}_{index}": value for index, value in enumerate(params)}
    return "".join(
        piece + (f"%({prefix}_{index})s" if index < len(params) else "") for index, piece in enumerate(pieces)
    ), named


def profile_names(profile: DiasporaProfile) -> str:
    """A profile's names in both scripts, as the name matcher compares them."""
    return f"{profile.full_name} {profile.full_name_ar}"


def search_sql_parts(query: str) -> tuple[str, list, str, list] | None:
    """(match, params, rank, params) templates for :class:`ProfileSQL`, or None when the query has no words."""
    words = query_words(query)
    if not words:
        return None
    # Scalar subqueries: PostgreSQL computes the query once (an InitPlan), not once per candidate row.
    tsquery = f"(SELECT {_word_tsquery_sql(len(words))})"
    names = "(SELECT unaccent(lower(%s)))"
    ts_params = [word for word in words for _ in range(_PARAMS_PER_WORD)]
    text = " ".join(words)
    # The staff search only ever shows listed profiles (listed_profiles): the words' flag narrows the ids early.
    named, named_params = name_match_ids_sql(name_query_words(query), listed=True)
    match = f"({{vector}} @@ {tsquery} OR {{id}} = ANY({named}))"
    rank = f"(ts_rank({{vector}}, {tsquery}) + word_similarity({names}, {{names}}))"
    return match, [*ts_params, *named_params], rank, [*ts_params, text]


def listed_profiles(user) -> QuerySet[DiasporaProfile]:
    """Profiles ``user`` may find: consented to be listed, not erased, within the user's countries."""
    if not can_search_profiles(user):
        return DiasporaProfile.objects.none()
    queryset = DiasporaProfile.objects.filter(consent_listed=True, erased_at__isnull=True)
    countries = searchable_origin_countries(user)
    if countries is not None:
        queryset = queryset.filter(origin_country_id__in=sorted(countries))
    return queryset


def search_max_results() -> int:
    return int(getattr(settings, "SKILLS_SEARCH_MAX_RESULTS", 1000))


@dataclass
class ProfileSearch:
    """A search, not yet run. ``queryset``: the (at most ``limit``) results in order, to paginate."""

    queryset: QuerySet[DiasporaProfile]
    query: str
    words: list[str]
    filters: dict
    limit: int
    _unlimited: QuerySet[DiasporaProfile] = field(repr=False)

    def truncated(self, count: int) -> bool:
        """Whether more profiles match than the ``count`` listed (one bounded query, only when at the cap)."""
        return count >= self.limit and self._unlimited[self.limit : self.limit + 1].exists()


def profile_search(*, user, params) -> ProfileSearch:
    """Search the profiles ``user`` may see. ``params``: a QueryDict or dict with ``q`` and the filters.

    Raises ``ValidationError`` with field errors for bad parameters. The result is not evaluated: paginate it,
    then call :func:`profile_search_prefetch` on the page's profiles.
    """
    data = profile_filter_clean(params)
    query = (data.get("q") or "").strip()
    limit = search_max_results()
    queryset = profile_filter_apply(listed_profiles(user), data)
    parts = search_sql_parts(query)
    results: QuerySet[DiasporaProfile]
    if parts is not None:
        match, match_params, rank, rank_params = parts
        matches = queryset.filter(ProfileSQL(match, match_params, BooleanField()))
        # The first ``limit`` matches found (the index order), then ranked: the cost is bounded by the cap,
        # not by how common the words are.
        results = (
            DiasporaProfile.objects.filter(pk__in=matches.values("pk")[:limit])
            .alias(rank=ProfileSQL(rank, rank_params, FloatField()))
            .order_by("-rank", "-id")
        )
        unlimited = matches
    else:
        unlimited = queryset.order_by(F("last_confirmed_at").desc(nulls_last=True), "-id")
        results = unlimited[:limit]
    return ProfileSearch(
        queryset=results,
        query=query,
        words=query_words(query),
        filters=data,
        limit=limit,
        _unlimited=unlimited,
    )


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
