"""A small skills bank where the expected order of the candidates is known (see ``build``)."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from apps.core.roles import Role
from apps.exchange.models import State
from apps.skills.models import DiasporaProfile, ProfileLanguage, ProfileSkill
from tests.factories import user_with_role
from tests.factories.exchange import ExpertAssignmentFactory
from tests.factories.skills import occupation, skill


def profile(name, *, codes=(), skills=(), languages=(), consent=True, language="en", **fields):
    user = user_with_role(Role.MEMBER, email=f"{name.lower()}@example.org", full_name=name, preferred_language=language)
    created = DiasporaProfile.objects.create(
        user=user,
        first_name=name,
        last_name="Test",
        origin_country_id="MA",
        consent_expert_contact=consent,
        **{"residence_country_id": "FR", **fields},
    )
    created.occupations.set([occupation(code, f"Occupation {code}") for code in codes])
    for one in skills:
        ProfileSkill.objects.create(profile=created, skill=one, kind=ProfileSkill.Kind.FORMAL)
    for code in languages:
        ProfileLanguage.objects.create(profile=created, language_id=code, level="fluent")
    return created


def build(cast, state=State.ACCEPTED):
    """An expert assignment (Senegal asks Morocco, the provider country) for a systems analyst (ISCO 2511) with
    two vocabulary skills, French as working language, Arabic also sought, 5 years minimum, and five candidates:

    ======  =======================================================================================  =====
    who     what counts                                                                               score
    ======  =======================================================================================  =====
    Amina   2511 unit group 40 + 2 skills 20 + French 10 + Arabic 5 + 10 years 10 + available 10        110
            + resident in Morocco 15
    Bakary  2511 unit group 40 + 1 skill 10 + French 10 + (3 years: 0) + national of Morocco 15           75
    Chloe   2512 same minor group 25 + French 10 + 8 years 10 + resident in Morocco 15                   60
    Driss   2521 same sub-major group 10 + 2 skills 20 + available 10 (lives in France)                   40
    Emma    exactly as Driss; same score, so the higher profile id comes after                            40
    ======  =======================================================================================  =====

    Left out: Farid (a perfect match who has not consented to expert missions), Ghita (erased), Hassan (consents,
    but a physician without any skill sought: nothing in common).
    """
    survey, data = skill("test-survey-design", "Survey design"), skill("test-data-analysis", "Data analysis")
    today = timezone.localdate()
    window = {"available_from": today, "available_to": today + timedelta(days=365)}
    request = ExpertAssignmentFactory(
        requesting_institution=cast.institution,
        created_by=cast.focal,
        state=state,
        isco_codes=["2511"],
        min_years_experience=5,
        working_language_id="fr",
    )
    request.skills.set([survey, data])
    request.languages_sought.set(["fr", "ar"])
    people = SimpleNamespace(
        amina=profile(
            "Amina",
            codes=["2511"],
            skills=[survey, data],
            languages=["fr", "ar"],
            years_experience=10,
            residence_country_id="MA",
            language="fr",
            **window,
        ),
        bakary=profile(
            "Bakary", codes=["2511"], skills=[data], languages=["fr"], years_experience=3, nationality_id="MA"
        ),
        chloe=profile("Chloe", codes=["2512"], languages=["fr"], years_experience=8, residence_country_id="MA"),
        driss=profile("Driss", codes=["2521"], skills=[survey, data], **window),
        emma=profile("Emma", codes=["2521"], skills=[survey, data], **window),
        farid=profile("Farid", codes=["2511"], skills=[survey, data], consent=False, residence_country_id="MA"),
        ghita=profile("Ghita", codes=["2511"], skills=[survey], erased_at=timezone.now()),
        hassan=profile("Hassan", codes=["2211"], languages=["fr"], residence_country_id="MA"),
    )
    return request, people
