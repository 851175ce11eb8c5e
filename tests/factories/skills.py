"""Skills bank factories. Taxonomy rows are created with get_or_create, so they coexist with loaded data."""

from __future__ import annotations

import factory

from apps.core.roles import Role
from apps.skills.models import DiasporaProfile, EducationField, EducationLevel, Occupation, Sector, Skill

from . import UserFactory, user_with_role


def occupation(code: str = "2211", label: str = "Generalist medical practitioners") -> Occupation:
    """An ISCO-08 unit group with its parents (major, sub-major, minor)."""
    parent = None
    for level in range(1, 5):
        prefix = code[:level]
        obj, _ = Occupation.objects.get_or_create(
            code=prefix,
            defaults={
                "level": level,
                "parent": parent,
                "label": label if level == 4 else f"Group {prefix}",
                "label_en": label if level == 4 else f"Group {prefix}",
                "label_fr": (f"{label} (fr)" if level == 4 else f"Groupe {prefix}"),
                "label_ar": (f"{label} (ar)" if level == 4 else f"مجموعة {prefix}"),
            },
        )
        parent = obj
    return parent


def sector(code: str = "health", label: str = "Health") -> Sector:
    obj, _ = Sector.objects.get_or_create(
        code=code, defaults={"label": label, "label_en": label, "label_fr": f"{label} (fr)", "label_ar": "صحة"}
    )
    return obj


def skill(code: str = "test-surgery", label: str = "Surgery", sector_code: str = "health") -> Skill:
    obj, _ = Skill.objects.get_or_create(
        code=code,
        defaults={
            "sector": sector(sector_code),
            "label": label,
            "label_en": label,
            "label_fr": f"{label} (fr)",
            "label_ar": "جراحة",
        },
    )
    return obj


def education_level(code: str = "7", label: str = "Master's or equivalent") -> EducationLevel:
    obj, _ = EducationLevel.objects.get_or_create(
        code=code, defaults={"label": label, "label_en": label, "label_fr": "Master", "label_ar": "ماجستير"}
    )
    return obj


def education_field(code: str = "09", label: str = "Health and welfare") -> EducationField:
    obj, _ = EducationField.objects.get_or_create(
        code=code, defaults={"label": label, "label_en": label, "label_fr": "Santé", "label_ar": "الصحة"}
    )
    return obj


def taxonomy() -> dict:
    """A few rows of each taxonomy, enough for the wizard and the API."""
    return {
        "occupation": occupation(),
        "occupation2": occupation("2142", "Civil engineers"),
        "sector": sector(),
        "sector2": sector("water", "Water"),
        "skill": skill(),
        "skill2": skill("test-irrigation", "Irrigation design", "water"),
        "level": education_level(),
        "field": education_field(),
    }


def member(**kwargs):
    return user_with_role(Role.MEMBER, **kwargs)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiasporaProfile

    user = factory.LazyFunction(member)
    first_name = "Mohamed"
    last_name = factory.Sequence(lambda n: f"Diop{n}")
    origin_country_id = "SN"
    residence_country_id = "FR"


__all__ = ["ProfileFactory", "UserFactory", "member", "taxonomy"]


def profile_renamed(profile: DiasporaProfile, first="", last="", first_ar="", last_ar="") -> DiasporaProfile:
    """Give ``profile`` these names (Latin and Arabic script) and store its name words, as the profile pages do."""
    from apps.skills.services import profile_search_refresh

    profile.first_name, profile.last_name, profile.first_name_ar, profile.last_name_ar = first, last, first_ar, last_ar
    profile.save()
    profile_search_refresh(profile_ids=[profile.pk])
    return profile
