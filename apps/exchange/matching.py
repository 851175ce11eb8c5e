"""Matching experts from the skills bank to an expert assignment, and open calls to a member (the same scorer).

Candidates are skills-bank profiles that are not erased and whose consent to be contacted for expert missions is
current (``DiasporaProfile.consent_expert_contact`` mirrors the latest consent record of that purpose), and that
share at least an ISCO-08 sub-major group or a vocabulary skill with the request. Each candidate is scored:

=========================================================  ======
reason                                                      points
=========================================================  ======
same ISCO-08 unit group as an occupation sought (4 digits)   40
same minor group (3 digits)                                  25
same sub-major group (2 digits)                              10
each vocabulary skill sought (at most 3 count)               10
speaks the working language                                  10
each other language sought (at most 2 count)                  5
years of experience at least the minimum asked               10
availability window covers the proposed dates                10
resident in or national of the provider country              15
=========================================================  ======

Only the best occupation level counts. The order is score (highest first), then profile id.

The ranking runs in SQL: the candidate set comes from the indexed many-to-many tables (profiles by occupation,
profiles by skill), then each component is a correlated ``EXISTS``/count on the profile's own rows (indexed by
profile), so one query ranks a page and one counts, whatever the size of the bank. The same weights score one
member against a handful of open requests in Python (:func:`open_calls_for`), and the reasons shown are built
from the components, so what the coordinator reads is what was counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.names import explain
from apps.skills.models import DiasporaProfile, Occupation
from apps.skills.selectors.ranking import HELD_CTES, RankedRows
from apps.skills.selectors.search import name_match_ids_named, profile_names

from .models import ExchangeRequest, ExpertSelection, Kind, State

OCCUPATION_POINTS = {4: 40, 3: 25, 2: 10}
SKILL_POINTS, MAX_SKILLS_COUNTED = 10, 3
WORKING_LANGUAGE_POINTS = 10
OTHER_LANGUAGE_POINTS, MAX_OTHER_LANGUAGES_COUNTED = 5, 2
YEARS_POINTS = 10
AVAILABILITY_POINTS = 10
PROVIDER_POINTS = 15

# Expert assignments members may offer themselves for: selection is still open (the coordinator can select
# before approval only) and both ministries have agreed.
OPEN_CALL_STATES = (State.ENDORSED, State.ACCEPTED)
# How many open requests are scored for one member (the newest first).
OPEN_CALLS_SCANNED = 200


@dataclass(frozen=True)
class Criteria:
    """What an expert assignment seeks, in the terms profiles are compared with."""

    isco_codes: tuple[str, ...]
    skill_ids: frozenset[str]
    working_language_id: str | None
    other_language_ids: frozenset[str]
    min_years: int | None
    start_date: object
    end_date: object
    provider_country_id: str | None

    @property
    def is_empty(self) -> bool:
        return not self.isco_codes and not self.skill_ids


def occupation_level(sought: str, held: str) -> int:
    """How close an occupation held is to one sought: 4 unit group, 3 minor, 2 sub-major, 0 farther."""
    shared = 0
    for a, b in zip(sought, held, strict=False):
        if a != b:
            break
        shared += 1
    return shared if shared >= 2 else 0


def best_occupation_level(sought_codes, held_codes) -> int:
    return max((occupation_level(s, h) for s in sought_codes for h in held_codes), default=0)


def provider_country_id(request: ExchangeRequest) -> str | None:
    """The country the experts come from: that of the experts already selected, else the host country."""
    for selection in request.expert_selections.all():
        if selection.status == ExpertSelection.Status.SELECTED:
            return selection.provider_country_id
    return request.host_country_id


def criteria_for(request: ExchangeRequest) -> Criteria:
    """The criteria of ``request`` (its skills and languages prefetched or two small queries)."""
    languages = {language.pk for language in request.languages_sought.all()}
    return Criteria(
        isco_codes=tuple(dict.fromkeys(code for code in request.isco_codes or [] if len(code) >= 2)),
        skill_ids=frozenset(skill.pk for skill in request.skills.all()),
        working_language_id=request.working_language_id,
        other_language_ids=frozenset(languages - {request.working_language_id}),
        min_years=request.min_years_experience,
        start_date=request.start_date,
        end_date=request.end_date,
        provider_country_id=provider_country_id(request),
    )


# Components -> score and reasons (shared by the SQL ranking and the Python scoring) -----------------------------


@dataclass
class Components:
    occupation_level: int = 0
    skills: int = 0
    working_language: bool = False
    other_languages: int = 0
    years_ok: bool = False
    available: bool = False
    resident: bool = False
    national: bool = False

    @property
    def score(self) -> int:
        return (
            OCCUPATION_POINTS.get(self.occupation_level, 0)
            + SKILL_POINTS * min(self.skills, MAX_SKILLS_COUNTED)
            + (WORKING_LANGUAGE_POINTS if self.working_language else 0)
            + OTHER_LANGUAGE_POINTS * min(self.other_languages, MAX_OTHER_LANGUAGES_COUNTED)
            + (YEARS_POINTS if self.years_ok else 0)
            + (AVAILABILITY_POINTS if self.available else 0)
            + (PROVIDER_POINTS if self.resident or self.national else 0)
        )


def reasons(components: Components, *, profile: DiasporaProfile, criteria: Criteria, countries: dict) -> list[str]:
    """Why a profile scored what it did, one translated line per component that counted."""
    lines = []
    level = components.occupation_level
    if level == 4:
        lines.append(_("Same occupation (ISCO-08 unit group)"))
    elif level == 3:
        lines.append(_("Same ISCO-08 minor group"))
    elif level == 2:
        lines.append(_("Same ISCO-08 sub-major group"))
    if components.skills:
        lines.append(
            ngettext("%(count)d of the skills sought", "%(count)d of the skills sought", components.skills)
            % {"count": components.skills}
        )
    if components.working_language:
        lines.append(_("Speaks the working language"))
    if components.other_languages:
        lines.append(
            ngettext(
                "Speaks %(count)d other language sought",
                "Speaks %(count)d other languages sought",
                components.other_languages,
            )
            % {"count": components.other_languages}
        )
    if components.years_ok:
        lines.append(
            ngettext(
                "%(years)d year of experience (at least %(min)d sought)",
                "%(years)d years of experience (at least %(min)d sought)",
                profile.years_experience,
            )
            % {"years": profile.years_experience, "min": criteria.min_years}
        )
    if components.available:
        lines.append(_("Available over the proposed dates"))
    country = countries.get(criteria.provider_country_id, criteria.provider_country_id)
    if components.resident:
        lines.append(_("Resident in the provider country (%(country)s)") % {"country": country})
    elif components.national:
        lines.append(_("National of the provider country (%(country)s)") % {"country": country})
    return lines


# SQL ranking -----------------------------------------------------------------------------------------------------


def _occupation_codes_by_level(criteria: Criteria) -> dict[int, list[str]]:
    """The ISCO-08 codes (any level) held by profiles that would match at each level. One query on a small table."""
    prefixes = {code[:2] for code in criteria.isco_codes}
    if not prefixes:
        return {}
    near = Q()
    for prefix in sorted(prefixes):
        near |= Q(code__startswith=prefix)
    by_level: dict[int, list[str]] = {4: [], 3: [], 2: []}
    for code in Occupation.objects.filter(near).values_list("code", flat=True).order_by("code"):
        level = best_occupation_level(criteria.isco_codes, [code])
        if level:
            by_level[level].append(code)
    return by_level


def expert_contact_profiles() -> QuerySet[DiasporaProfile]:
    return DiasporaProfile.objects.filter(
        consent_expert_contact=True, erased_at__isnull=True, user__is_active=True, user__erased_at__isnull=True
    )


# One ranking query, set-based: the link tables are aggregated once for the codes sought (``HELD_CTES``), joined
# to the candidate profiles, scored and sorted. Identifiers are fixed here; every value is a bound parameter.
RANKING_SQL = (
    HELD_CTES
    + """
, candidate AS MATERIALIZED (
    SELECT p.id, p.user_id, f.level, f.held, p.years_experience, p.available_from, p.available_to,
           p.residence_country_id, p.nationality_id
    FROM skills_diasporaprofile p
    JOIN found f ON f.id = p.id
    JOIN accounts_user u ON u.id = p.user_id
    WHERE p.id = ANY(ARRAY(SELECT id FROM found))
      AND p."consent_expert_contact" AND p."erased_at" IS NULL
      AND u."is_active" AND u."erased_at" IS NULL
      /* name */
), language AS (
    SELECT profile_id AS id, bool_or(language_id = %(working)s) AS working,
           count(DISTINCT language_id) FILTER (WHERE language_id = ANY(%(others)s::varchar[])) AS others
    FROM skills_profilelanguage
    WHERE profile_id = ANY(ARRAY(SELECT id FROM candidate)) AND language_id = ANY(%(languages)s::varchar[])
    GROUP BY profile_id
), component AS (
    SELECT c.id, c.user_id, c.level AS m_occupation, c.held AS m_skills,
           coalesce(l.working, false) AS m_working, coalesce(l.others, 0) AS m_other_languages,
           coalesce(c.years_experience >= %(min_years)s, false) AS m_years,
           coalesce(%(dated)s AND (c.available_from IS NOT NULL OR c.available_to IS NOT NULL)
                    AND (c.available_from IS NULL OR c.available_from <= %(start)s::date)
                    AND (c.available_to IS NULL OR c.available_to >= %(end)s::date), false) AS m_available,
           coalesce(c.residence_country_id = %(country)s, false) AS m_resident,
           coalesce(c.nationality_id = %(country)s, false) AS m_national
    FROM candidate c LEFT JOIN language l ON l.id = c.id
)
SELECT *, count(*) OVER () AS m_total,
       CASE m_occupation WHEN 4 THEN %(points_4)s WHEN 3 THEN %(points_3)s WHEN 2 THEN %(points_2)s ELSE 0 END
       + %(skill_points)s * least(m_skills, %(max_skills)s)
       + CASE WHEN m_working THEN %(working_points)s ELSE 0 END
       + %(other_points)s * least(m_other_languages, %(max_others)s)
       + CASE WHEN m_years THEN %(years_points)s ELSE 0 END
       + CASE WHEN m_available THEN %(available_points)s ELSE 0 END
       + CASE WHEN m_resident OR m_national THEN %(provider_points)s ELSE 0 END AS m_score
FROM component
ORDER BY m_score DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""
)


def _ranking_params(criteria: Criteria, by_level: dict[int, list[str]]) -> dict:
    """The bound values of :data:`RANKING_SQL`: what is sought, and the points table (the one scoring rule)."""
    return {
        "level_4": by_level.get(4, []),
        "level_3": by_level.get(3, []),
        "codes": [code for level_codes in by_level.values() for code in level_codes],
        "skills": sorted(criteria.skill_ids),
        "working": criteria.working_language_id,
        "others": sorted(criteria.other_language_ids),
        "languages": sorted(criteria.other_language_ids | ({criteria.working_language_id} - {None})),
        "min_years": criteria.min_years,
        "dated": bool(criteria.start_date and criteria.end_date),
        "start": criteria.start_date,
        "end": criteria.end_date,
        "country": criteria.provider_country_id,
        **{f"points_{level}": points for level, points in OCCUPATION_POINTS.items()},
        "skill_points": SKILL_POINTS,
        "max_skills": MAX_SKILLS_COUNTED,
        "working_points": WORKING_LANGUAGE_POINTS,
        "other_points": OTHER_LANGUAGE_POINTS,
        "max_others": MAX_OTHER_LANGUAGES_COUNTED,
        "years_points": YEARS_POINTS,
        "available_points": AVAILABILITY_POINTS,
        "provider_points": PROVIDER_POINTS,
    }


class RankedCandidates(RankedRows):
    """The ranked candidates of a request (:class:`RankedRows` over :data:`RANKING_SQL`); the rows are profiles
    (id and ``user_id`` loaded) carrying the components (``m_occupation`` … ``m_national``), ``m_score`` and the
    window count ``m_total``. With ``name``, only the candidates that name names, in any script or spelling
    (the staff search's name words, apps.core.names)."""

    def __init__(self, criteria: Criteria, by_level: dict[int, list[str]], name: str = ""):
        sql, params = RANKING_SQL, _ranking_params(criteria, by_level)
        named = name_match_ids_named(name) if name else None
        if named is not None:
            condition, name_params = named
            sql = sql.replace("/* name */", f"AND p.id = ANY({condition})")
            params.update(name_params)
        super().__init__(sql, params, total_column="m_total")


def candidate_queryset(request: ExchangeRequest, criteria: Criteria | None = None, *, name: str = ""):
    """The ranked candidates of ``request`` (not evaluated), those ``name`` names when given: paginate them, then
    :func:`candidates_page`."""
    criteria = criteria or criteria_for(request)
    if request.kind != Kind.EXPERT_ASSIGNMENT or criteria.is_empty:
        return DiasporaProfile.objects.none()
    return RankedCandidates(criteria, _occupation_codes_by_level(criteria), name=name)


@dataclass
class Candidate:
    profile: DiasporaProfile
    score: int
    components: Components
    reasons: list[str] = field(default_factory=list)
    selection: ExpertSelection | None = None
    name_match: str = ""  # why the name searched for found this candidate ("Arabic name محمد matches Mohamed")


def _components_from_row(row: DiasporaProfile) -> Components:
    return Components(
        occupation_level=row.m_occupation,
        skills=row.m_skills,
        working_language=row.m_working,
        other_languages=row.m_other_languages,
        years_ok=row.m_years,
        available=row.m_available,
        resident=row.m_resident,
        national=row.m_national,
    )


def candidates_page(rows, *, request: ExchangeRequest, criteria: Criteria, name: str = "") -> list[Candidate]:
    """The candidates of one page with their reasons and their place on the list, in a constant number of queries;
    with ``name``, each says how its name matched."""
    from apps.core.models import Country

    rows = list(rows)
    profiles = {
        profile.pk: profile
        for profile in DiasporaProfile.objects.filter(pk__in=[row.pk for row in rows])
        .select_related("user", "residence_country", "nationality")
        .prefetch_related("occupations")
    }
    selections = {s.expert_id: s for s in request.expert_selections.all()}
    countries = {c.pk: c for c in Country.objects.filter(pk=criteria.provider_country_id)}
    page = []
    for row in rows:
        profile = profiles[row.pk]
        components = _components_from_row(row)
        page.append(
            Candidate(
                profile=profile,
                score=row.m_score,
                components=components,
                reasons=reasons(components, profile=profile, criteria=criteria, countries=countries),
                selection=selections.get(profile.user_id),
                name_match=explain(name, profile_names(profile)) if name else "",
            )
        )
    return page


# The same scorer for one member ----------------------------------------------------------------------------------


def profile_components(profile: DiasporaProfile, criteria: Criteria) -> Components:
    """Score one profile (its occupations, skills and languages prefetched) in Python, with the same rules."""
    languages = {row.language_id for row in profile.languages.all()}
    available = False
    if criteria.start_date and criteria.end_date and (profile.available_from or profile.available_to):
        available = (profile.available_from is None or profile.available_from <= criteria.start_date) and (
            profile.available_to is None or profile.available_to >= criteria.end_date
        )
    return Components(
        occupation_level=best_occupation_level(criteria.isco_codes, [o.pk for o in profile.occupations.all()]),
        skills=len({row.skill_id for row in profile.skills.all()} & criteria.skill_ids),
        working_language=criteria.working_language_id in languages,
        other_languages=len(languages & criteria.other_language_ids),
        years_ok=criteria.min_years is not None
        and profile.years_experience is not None
        and profile.years_experience >= criteria.min_years,
        available=available,
        resident=bool(criteria.provider_country_id) and profile.residence_country_id == criteria.provider_country_id,
        national=bool(criteria.provider_country_id) and profile.nationality_id == criteria.provider_country_id,
    )


def fits(components: Components) -> bool:
    """A profile fits a request when it shares an occupation group or a skill with it (what makes a candidate)."""
    return components.occupation_level > 0 or components.skills > 0


def member_profile(user) -> DiasporaProfile | None:
    """The member's profile with what the scorer reads, if they may be contacted for expert missions."""
    return (
        expert_contact_profiles().filter(user_id=user.pk).prefetch_related("occupations", "skills", "languages").first()
    )


def open_call_queryset() -> QuerySet[ExchangeRequest]:
    """Expert assignments still looking for experts (fewer selected than asked for), newest first."""
    selected = Count("expert_selections", filter=Q(expert_selections__status=ExpertSelection.Status.SELECTED))
    return (
        ExchangeRequest.objects.filter(kind=Kind.EXPERT_ASSIGNMENT, state__in=OPEN_CALL_STATES)
        .annotate(selected_count=selected)
        .filter(selected_count__lt=Coalesce(F("number_of_experts"), Value(1)))
        .select_related("requesting_institution", "requesting_country", "host_country", "working_language")
        .prefetch_related(
            "languages_sought",
            "skills",
            Prefetch("expert_selections", queryset=ExpertSelection.objects.order_by("id")),
        )
        .order_by("-state_changed_at", "-id")
    )


@dataclass
class OpenCall:
    request: ExchangeRequest
    score: int
    reasons: list[str]


def open_calls_for(*, user) -> list[OpenCall]:
    """Open calls that fit ``user``'s profile, best first (bounded: the newest ``OPEN_CALLS_SCANNED`` requests).

    Requests the member is already on (shortlisted, invited, answered) are left out: they are in "my calls".
    Members without a consenting profile get nothing.
    """
    from apps.core.models import Country

    profile = member_profile(user)
    if profile is None:
        return []
    scored = []
    for request in open_call_queryset().exclude(expert_selections__expert_id=user.pk)[:OPEN_CALLS_SCANNED]:
        criteria = criteria_for(request)
        components = profile_components(profile, criteria)
        if fits(components):
            scored.append((request, criteria, components))
    countries = Country.objects.in_bulk({criteria.provider_country_id for _r, criteria, _c in scored} - {None})
    calls = [
        OpenCall(
            request=request,
            score=components.score,
            reasons=reasons(components, profile=profile, criteria=criteria, countries=countries),
        )
        for request, criteria, components in scored
    ]
    return sorted(calls, key=lambda call: (-call.score, call.request.pk))


def open_call_fit(*, user, request: ExchangeRequest) -> Components | None:
    """How ``user`` fits the open call ``request``, or None when it is not an open call they fit."""
    if not open_call_queryset().filter(pk=request.pk).exists():
        return None
    profile = member_profile(user)
    if profile is None:
        return None
    components = profile_components(profile, criteria_for(request))
    return components if fits(components) else None
