"""Factories for the staff side of the skills bank: taxonomy rows, listed profiles."""

from __future__ import annotations

import factory

from apps.skills.models import DiasporaProfile, EducationLevel, Occupation, Sector, Skill
from apps.skills.services import profile_search_refresh
from tests.factories import UserFactory


def taxonomy() -> dict:
    """A few ISCO groups, sectors, skills and levels with labels in en/fr/ar (get-or-create)."""
    rows = {}
    for code, en, fr, ar in [
        ("2", "Professionals", "Professions intellectuelles et scientifiques", "الاختصاصيون"),
        (
            "21",
            "Science and engineering professionals",
            "Spécialistes des sciences techniques",
            "الاختصاصيون في العلوم والهندسة",
        ),
        ("214", "Engineering professionals", "Spécialistes, sciences techniques", "الاختصاصيون في الهندسة"),
        ("2142", "Civil engineers", "Ingénieurs civils", "المهندسون المدنيون"),
        ("22", "Health professionals", "Spécialistes de la santé", "الاختصاصيون في الصحة"),
        ("221", "Medical doctors", "Médecins", "الأطباء"),
        ("2211", "Generalist medical practitioners", "Médecins généralistes", "الأطباء العامون"),
    ]:
        rows[code], _ = Occupation.objects.get_or_create(
            code=code,
            defaults={
                "level": len(code),
                "parent_id": code[:-1] or None,
                "label": en,
                "label_en": en,
                "label_fr": fr,
                "label_ar": ar,
            },
        )
    for code, en, fr, ar in [
        ("health", "Health", "Santé", "الصحة"),
        ("water", "Water", "Eau", "المياه"),
        ("ict", "Information and communication technology", "Technologies de l'information", "تكنولوجيا المعلومات"),
    ]:
        rows[code], _ = Sector.objects.get_or_create(
            code=code, defaults={"label": en, "label_en": en, "label_fr": fr, "label_ar": ar}
        )
    for code, sector, en, fr, ar in [
        ("water-treatment", "water", "Water treatment", "Traitement de l'eau", "معالجة المياه"),
        ("surgery", "health", "Surgery", "Chirurgie", "الجراحة"),
        ("software-development", "ict", "Software development", "Développement logiciel", "تطوير البرمجيات"),
    ]:
        rows[code], _ = Skill.objects.get_or_create(
            code=code, defaults={"sector_id": sector, "label": en, "label_en": en, "label_fr": fr, "label_ar": ar}
        )
    for code, en, fr, ar in [
        ("6", "Bachelor's or equivalent level", "Niveau licence ou équivalent", "البكالوريوس"),
        ("7", "Master's or equivalent level", "Niveau master ou équivalent", "الماجستير"),
    ]:
        rows[f"isced{code}"], _ = EducationLevel.objects.get_or_create(
            code=code, defaults={"label": en, "label_en": en, "label_fr": fr, "label_ar": ar}
        )
    return rows


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile listed in the skills bank (consent mirror set; records are the member side's business)."""

    class Meta:
        model = DiasporaProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    first_name = factory.Sequence(lambda n: f"Awa{n}")
    last_name = "Diop"
    origin_country_id = "SN"
    residence_country_id = "FR"
    residence_city = "Paris"
    consent_listed = True

    @factory.post_generation
    def refresh(self, create, extracted, **kwargs):
        if create:
            profile_search_refresh(profile_ids=[self.pk])


def listed_profile(*, skills=(), sectors=(), occupations=(), languages=(), **kwargs) -> DiasporaProfile:
    """A listed profile with the given vocabulary links, its search document built."""
    from apps.skills.models import ProfileLanguage, ProfileSkill

    profile = ProfileFactory(**kwargs)
    for code in skills:
        ProfileSkill.objects.create(profile=profile, skill_id=code, kind=ProfileSkill.Kind.FORMAL)
    profile.sectors.add(*sectors)
    profile.occupations.add(*occupations)
    for code in languages:
        ProfileLanguage.objects.create(profile=profile, language_id=code, level=ProfileLanguage.Level.FLUENT)
    profile_search_refresh(profile_ids=[profile.pk])
    profile.refresh_from_db()
    return profile
