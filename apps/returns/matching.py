"""Labour matching (reads only): for a vacancy, the consenting skills-bank profiles and the return plans that fit it,
each with the reasons it matched; for a profile, an office's client or a return plan, the open vacancies that fit.

Points — one table (``POINTS``), used both by the SQL that ranks profiles and by the reasons shown beside each match:

- occupation (ISCO-08): the deepest group the two codes share — unit group 8, minor group 6, sub-major group 4,
  major group 2 (codes are prefixes of one another: 2 ⊃ 22 ⊃ 221 ⊃ 2211);
- each skill the vacancy requires that the person has: 3;
- each language the vacancy requires that the person speaks (any level): 1;
- place: the vacancy is in the person's country of origin (a profile, a client) or the plan's destination: 2, and
  in the same region as well: 1 more;
- the same sector: 1.

Ties go to the fresher profile (last confirmed), then the newest; vacancies tie on the closing date.

Candidates. Profiles: consented to be listed, not erased, within the staff member's countries (the skills bank's
own rule: ``can_search_profiles`` and ``searchable_origin_countries``), and sharing at least one required skill or
at least the ISCO sub-major group. One set-based query ranks them (:data:`VACANCY_RANKING_SQL`): the candidate ids
come from the indexes on ``ProfileSkill (skill, profile)`` and on the occupations table's ``occupation_id``, the
candidates' own columns from a covering index of the listed profiles, and languages and sector are aggregated for
those candidates only, so the work grows with the number of people who share a skill or an occupation group,
never with the size of the bank. Languages, place and sector only add points.
Plans: the open plans of the user's desks whose destination is the vacancy's country (index
``returnplan_match_idx``). A plan's person is known through the plan's profile, or the client record's profile,
used only while it is listed and not erased; the client record's languages count too.
Vacancies: open ones (closing date not passed); for a plan those in its destination country, for a profile or a
client those sharing a skill or an occupation group (sub-major or finer), or in their country and sector or
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.core.formatting import format_list
from apps.skills.models import DiasporaProfile, Occupation, ProfileLanguage, ProfileSkill
from apps.skills.permissions import can_search_profiles, searchable_origin_countries
from apps.skills.selectors.ranking import HELD_CTES, RankedRows

from .models import ReturnPlan, Vacancy
from .permissions import can_match_vacancies, plan_desk_ids
from .services.plans import OPEN_STAGES

POINTS = {"occupation_level": 2, "skill": 3, "language": 1, "country": 2, "region": 1, "sector": 1}
# An occupation makes a candidate from the sub-major group (two digits) down; a major group only adds points.
CANDIDATE_ISCO_LEVEL = 2

OCCUPATION_TEXT = {
    4: gettext_noop("Same ISCO-08 unit group (%(code)s)"),
    3: gettext_noop("Same ISCO-08 minor group (%(code)s)"),
    2: gettext_noop("Same ISCO-08 sub-major group (%(code)s)"),
    1: gettext_noop("Same ISCO-08 major group (%(code)s)"),
}


@dataclass(frozen=True)
class Facts:
    """What matching compares, for a person (profile, client, plan) or a vacancy."""

    occupations: tuple[str, ...] = ()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    country: str | None = None
    region: str = ""
    # "origin" for a profile or a client, "destination" for a plan: only the wording of the reason differs.
    place: str = "origin"


@dataclass
class Reason:
    kind: str
    text: str
    points: int


@dataclass
class Match:
    obj: object
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def shared_isco_level(a: str, b: str) -> int:
    """The level of the deepest ISCO-08 group both codes belong to (0: none)."""
    level = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        level += 1
    return level


def _occupation_levels(codes) -> dict[str, int]:
    """Every ISCO code sharing at least the major group with one of ``codes``, with the deepest level shared."""
    codes = [c for c in codes if c]
    if not codes:
        return {}
    majors = sorted({c[0] for c in codes})
    return {
        other: max(shared_isco_level(other, code) for code in codes)
        for other in Occupation.objects.filter(code__regex=rf"^[{''.join(majors)}]").values_list("code", flat=True)
    }


def _usable_profile(profile: DiasporaProfile | None) -> DiasporaProfile | None:
    """A profile counts for matching only while it is listed (consent) and not erased."""
    if profile is None or not profile.consent_listed or profile.erased_at is not None:
        return None
    return profile


# Facts ------------------------------------------------------------------------------------------------------

PROFILE_PREFETCH = ("occupations", "skills", "languages", "sectors")


def profile_facts(profile: DiasporaProfile | None, *, extra_languages=()) -> Facts:
    """Facts of a profile whose occupations, skills, languages and sectors are prefetched."""
    if profile is None:
        return Facts(languages=frozenset(extra_languages))
    return Facts(
        occupations=tuple(o.pk for o in profile.occupations.all()),
        skills=frozenset(s.skill_id for s in profile.skills.all() if s.skill_id),
        languages=frozenset({pl.language_id for pl in profile.languages.all()} | set(extra_languages)),
        sectors=frozenset(s.pk for s in profile.sectors.all()),
        country=profile.origin_country_id,
        region=profile.origin_region,
    )


def person_facts(person) -> Facts:
    """An office's client: their listed profile, their languages, and their nationality as the country."""
    base = profile_facts(_usable_profile(person.profile), extra_languages=[lang.pk for lang in person.languages.all()])
    return Facts(
        occupations=base.occupations,
        skills=base.skills,
        languages=base.languages,
        sectors=base.sectors,
        country=person.nationality_id or base.country,
        region=base.region if base.country == person.nationality_id else "",
    )


def plan_profile(plan: ReturnPlan) -> DiasporaProfile | None:
    return _usable_profile(plan.profile) or (_usable_profile(plan.person.profile) if plan.person else None)


def plan_facts(plan: ReturnPlan) -> Facts:
    languages = [lang.pk for lang in plan.person.languages.all()] if plan.person else []
    base = profile_facts(plan_profile(plan), extra_languages=languages)
    return Facts(
        occupations=base.occupations,
        skills=base.skills,
        languages=base.languages,
        sectors=frozenset({plan.sector_id}) if plan.sector_id else base.sectors,
        country=plan.destination_country_id,
        region=plan.destination_region,
        place="destination",
    )


def _profile_prefetches(prefix: str = "") -> list:
    return [
        f"{prefix}occupations",
        Prefetch(f"{prefix}skills", queryset=ProfileSkill.objects.filter(skill__isnull=False)),
        Prefetch(f"{prefix}languages", queryset=ProfileLanguage.objects.all()),
        f"{prefix}sectors",
    ]


PLAN_PREFETCHES = [
    *_profile_prefetches("profile__"),
    *_profile_prefetches("person__profile__"),
    "person__languages",
]


# Reasons ----------------------------------------------------------------------------------------------------


def match_reasons(vacancy: Vacancy, facts: Facts) -> list[Reason]:
    """Why ``vacancy`` fits a person with ``facts`` (the vacancy's skills and languages prefetched)."""
    reasons = []
    if vacancy.occupation_id and facts.occupations:
        level = max(shared_isco_level(vacancy.occupation_id, code) for code in facts.occupations)
        if level:
            reasons.append(
                Reason(
                    "occupation",
                    _(OCCUPATION_TEXT[level]) % {"code": vacancy.occupation_id[:level]},
                    POINTS["occupation_level"] * level,
                )
            )
    skills = [skill for skill in vacancy.skills.all() if skill.pk in facts.skills]
    if skills:
        reasons.append(
            Reason(
                "skills",
                ngettext("Required skill: %(skills)s", "Required skills: %(skills)s", len(skills))
                % {"skills": format_list(skills)},
                POINTS["skill"] * len(skills),
            )
        )
    languages = [language for language in vacancy.languages.all() if language.pk in facts.languages]
    if languages:
        reasons.append(
            Reason(
                "languages",
                ngettext(
                    "Speaks the language required: %(languages)s",
                    "Speaks the languages required: %(languages)s",
                    len(languages),
                )
                % {"languages": format_list(languages)},
                POINTS["language"] * len(languages),
            )
        )
    if facts.country and vacancy.country_id == facts.country:
        text = _("Destination: %(country)s") if facts.place == "destination" else _("Country of origin: %(country)s")
        reasons.append(Reason("country", text % {"country": vacancy.country}, POINTS["country"]))
        if vacancy.region and facts.region and vacancy.region.strip().casefold() == facts.region.strip().casefold():
            reasons.append(
                Reason("region", _("Same region: %(region)s") % {"region": vacancy.region}, POINTS["region"])
            )
    if vacancy.sector_id and vacancy.sector_id in facts.sectors:
        reasons.append(Reason("sector", _("same sector"), POINTS["sector"]))
    return reasons


# A vacancy → profiles and plans -----------------------------------------------------------------------------


def vacancy_match_get(*, user, pk: int) -> Vacancy:
    """An open vacancy, for staff who match (404 for a closed or unknown one)."""
    vacancy = (
        Vacancy.objects.filter(pk=pk, closing_date__gte=timezone.localdate())
        .select_related("country", "sector", "occupation")
        .prefetch_related("skills", "languages")
        .first()
    )
    if vacancy is None or not can_match_vacancies(user):
        raise Http404
    return vacancy


# One ranking query, set-based (as the experts' in apps/exchange/matching.py): the occupations and skills held are
# aggregated once for the codes sought (``HELD_CTES``) to find the candidates; the candidates are read by
# primary key from the covering index of listed profiles (``profile_listed_match_idx``, no visit to the table);
# languages and the sector are aggregated for those candidates only; then scored with ``POINTS`` and sorted.
# Identifiers are fixed here; every value is a bound parameter.
VACANCY_RANKING_SQL = (
    HELD_CTES
    + """
, candidate AS MATERIALIZED (
    SELECT p.id, f.level, f.held, p.origin_country_id, p.origin_region, p.last_confirmed_at
    FROM found f
    JOIN skills_diasporaprofile p ON p.id = f.id
    WHERE p.consent_listed AND p.erased_at IS NULL
      AND (%(every_country)s OR p.origin_country_id = ANY(%(countries)s::varchar[]))
), major AS (
    SELECT DISTINCT o.diasporaprofile_id AS id
    FROM skills_diasporaprofile_occupations o JOIN candidate c ON c.id = o.diasporaprofile_id AND c.level = 0
    WHERE o.occupation_id = ANY(%(level_1)s::varchar[])
), language AS (
    SELECT l.profile_id AS id, count(DISTINCT l.language_id) AS spoken
    FROM skills_profilelanguage l JOIN candidate c ON c.id = l.profile_id
    WHERE l.language_id = ANY(%(languages)s::varchar[])
    GROUP BY l.profile_id
), sector AS (
    SELECT DISTINCT s.diasporaprofile_id AS id
    FROM skills_diasporaprofile_sectors s JOIN candidate c ON c.id = s.diasporaprofile_id
    WHERE s.sector_id = %(sector)s
)
SELECT c.id, c.last_confirmed_at, count(*) OVER () AS match_total,
       %(occupation_points)s * CASE WHEN c.level > 0 THEN c.level WHEN m.id IS NOT NULL THEN 1 ELSE 0 END
       + %(skill_points)s * c.held
       + %(language_points)s * coalesce(l.spoken, 0)
       + CASE WHEN c.origin_country_id = %(country)s THEN %(country_points)s
              + CASE WHEN %(region)s <> '' AND upper(c.origin_region) = upper(%(region)s)
                     THEN %(region_points)s ELSE 0 END
              ELSE 0 END
       + CASE WHEN s.id IS NOT NULL THEN %(sector_points)s ELSE 0 END AS match_score
FROM candidate c
LEFT JOIN major m ON m.id = c.id
LEFT JOIN language l ON l.id = c.id
LEFT JOIN sector s ON s.id = c.id
ORDER BY match_score DESC, c.last_confirmed_at DESC NULLS LAST, c.id DESC
LIMIT %(limit)s OFFSET %(offset)s
"""
)


def profile_candidates(*, user, vacancy: Vacancy):
    """The listed profiles ``user`` may see that share a required skill or an occupation group (sub-major or
    finer) with ``vacancy``, best first (see the module's table): a :class:`RankedRows` over
    :data:`VACANCY_RANKING_SQL`, whose rows are profiles (``id`` and ``last_confirmed_at`` loaded) carrying
    ``match_score`` and ``match_total`` (the number of candidates); no profile when there is nothing to match."""
    skill_ids = sorted(skill.pk for skill in vacancy.skills.all())
    levels = _occupation_levels([vacancy.occupation_id] if vacancy.occupation_id else [])
    by_level = {level: sorted(code for code, lvl in levels.items() if lvl == level) for level in (1, 3, 4)}
    candidate_codes = sorted(code for code, level in levels.items() if level >= CANDIDATE_ISCO_LEVEL)
    if not can_search_profiles(user) or not (skill_ids or candidate_codes):
        return DiasporaProfile.objects.none()
    countries = searchable_origin_countries(user)
    params = {
        "level_4": by_level[4],
        "level_3": by_level[3],
        "level_1": by_level[1],
        "codes": candidate_codes,
        "skills": skill_ids,
        "languages": sorted(language.pk for language in vacancy.languages.all()),
        "sector": vacancy.sector_id,
        "country": vacancy.country_id,
        "region": vacancy.region.strip(),
        "every_country": countries is None,
        "countries": sorted(countries or ()),
        **{f"{name}_points": points for name, points in POINTS.items() if name != "occupation_level"},
        "occupation_points": POINTS["occupation_level"],
    }
    return RankedRows(VACANCY_RANKING_SQL, params, total_column="match_total")


def profile_matches(*, user, vacancy: Vacancy, limit: int = 20) -> list[Match]:
    ranked = profile_candidates(user=user, vacancy=vacancy)[:limit]
    loaded = (
        DiasporaProfile.objects.filter(pk__in=[row.pk for row in ranked])
        .select_related("origin_country")
        .prefetch_related(*_profile_prefetches())
        .in_bulk()
    )
    profiles = [loaded[row.pk] for row in ranked if row.pk in loaded]
    return [Match(profile, match_reasons(vacancy, profile_facts(profile))) for profile in profiles]


def plan_matches(*, user, vacancy: Vacancy, limit: int = 20) -> list[Match]:
    """Open plans of the user's desks going to the vacancy's country, best first; ``is_matched`` says whether the
    vacancy is already among the plan's matched vacancies."""
    plans = (
        ReturnPlan.objects.filter(
            desk_id__in=plan_desk_ids(user), destination_country_id=vacancy.country_id, stage__in=OPEN_STAGES
        )
        .annotate(
            is_matched=Exists(
                ReturnPlan.matched_vacancies.through.objects.filter(returnplan_id=OuterRef("pk"), vacancy_id=vacancy.pk)
            )
        )
        .select_related("desk", "sector", "profile", "person__profile", "person__office")
        .prefetch_related(*PLAN_PREFETCHES)
    )
    matches = [Match(plan, match_reasons(vacancy, plan_facts(plan))) for plan in plans]
    matches.sort(key=lambda m: (-m.score, -m.obj.updated_at.timestamp(), -m.obj.pk))
    return matches[:limit]


# A profile, a client or a plan → vacancies ------------------------------------------------------------------


def _open_vacancies() -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(closing_date__gte=timezone.localdate())
        .select_related("country", "sector", "occupation")
        .prefetch_related("skills", "languages")
    )


def _ranked(vacancies, facts: Facts, limit: int) -> list[Match]:
    matches = [Match(vacancy, match_reasons(vacancy, facts)) for vacancy in vacancies]
    matches.sort(key=lambda m: (-m.score, m.obj.closing_date, m.obj.pk))
    return matches[:limit]


def vacancies_fitting(*, facts: Facts, limit: int = 10) -> list[Match]:
    """Open vacancies sharing a skill or an occupation group (sub-major or finer) with ``facts``, or in its country
    and sector or language, best first."""
    qualifying = [c for c, level in _occupation_levels(facts.occupations).items() if level >= CANDIDATE_ISCO_LEVEL]
    condition = Q(skills__in=sorted(facts.skills)) | Q(occupation_id__in=qualifying)
    if facts.country:
        condition |= Q(country_id=facts.country) & (
            Q(sector_id__in=sorted(facts.sectors)) | Q(languages__in=sorted(facts.languages))
        )
    ids = Vacancy.objects.filter(condition).values("pk")
    return _ranked(_open_vacancies().filter(pk__in=ids), facts, limit)


def vacancies_for_plan(*, plan: ReturnPlan, limit: int = 10) -> list[Match]:
    """Open vacancies in the plan's destination country not yet matched to it, best first."""
    plan = (
        ReturnPlan.objects.select_related("profile", "person__profile")
        .prefetch_related(*PLAN_PREFETCHES)
        .get(pk=plan.pk)
    )
    vacancies = _open_vacancies().filter(country_id=plan.destination_country_id).exclude(matched_plans=plan)
    return _ranked(vacancies, plan_facts(plan), limit)


def vacancies_for_profile(*, profile: DiasporaProfile, limit: int = 10) -> list[Match]:
    profile = DiasporaProfile.objects.prefetch_related(*_profile_prefetches()).get(pk=profile.pk)
    return vacancies_fitting(facts=profile_facts(_usable_profile(profile)), limit=limit)


def vacancies_for_person(*, person, limit: int = 10) -> list[Match]:
    from apps.offices.models import Person

    person = (
        Person.objects.select_related("profile")
        .prefetch_related("languages", *_profile_prefetches("profile__"))
        .get(pk=person.pk)
    )
    return vacancies_fitting(facts=person_facts(person), limit=limit)
