"""Demo skills profiles for `make run`: a complete one for member@demo.example.org and ~20 varied members.

Idempotent (profiles are found by their user's e-mail). Uses whatever taxonomy rows exist, so it works before
the taxonomy is loaded too (those parts are then left empty).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import User
from apps.accounts.services import membership_grant
from apps.core.models import Country, Language
from apps.core.roles import Role

from .models import (
    ConsentPurpose,
    ConsentRecord,
    DiasporaProfile,
    EducationField,
    EducationLevel,
    EngagementInterest,
    Occupation,
    ProfileLanguage,
    ProfileSkill,
    Sector,
    Skill,
)
from .services import consent_give, profile_search_refresh

# (first, last, first in Arabic script, last in Arabic script, origin, residence, city, gender, language)
DEMO_MEMBERS = [
    ("Mohamed", "Benali", "محمد", "بن علي", "MA", "FR", "Lyon", "male", "fr"),
    ("Mohammed", "El Idrissi", "محمد", "الإدريسي", "MA", "BE", "Brussels", "male", "ar"),
    ("Fatima Zahra", "Alaoui", "فاطمة الزهراء", "العلوي", "MA", "ES", "Madrid", "female", "fr"),
    ("Youssef", "Haddad", "يوسف", "حداد", "LB", "CA", "Montréal", "male", "fr"),
    ("Rania", "Khoury", "رانيا", "خوري", "LB", "AE", "Dubai", "female", "ar"),
    ("Ahmed", "Mansour", "أحمد", "منصور", "EG", "DE", "Berlin", "male", "en"),
    ("Mona", "Abdelrahman", "منى", "عبد الرحمن", "EG", "GB", "London", "female", "en"),
    ("Karim", "Bouaziz", "كريم", "بوعزيز", "TN", "FR", "Marseille", "male", "fr"),
    ("Amel", "Trabelsi", "أمل", "الطرابلسي", "TN", "IT", "Milan", "female", "fr"),
    ("Sofiane", "Belkacem", "سفيان", "بلقاسم", "DZ", "FR", "Paris", "male", "fr"),
    ("Nadia", "Cherif", "نادية", "شريف", "DZ", "CA", "Québec", "female", "ar"),
    ("Moussa", "Diop", "موسى", "ديوب", "SN", "FR", "Paris", "male", "fr"),
    ("Awa", "Ndiaye", "", "", "SN", "US", "New York", "female", "fr"),
    ("Mamadou", "Traoré", "", "", "ML", "FR", "Montreuil", "male", "fr"),
    ("Aïssata", "Coulibaly", "", "", "ML", "CI", "Abidjan", "female", "fr"),
    ("Kwame", "Mensah", "", "", "GH", "GB", "Manchester", "male", "en"),
    ("Chiamaka", "Okafor", "", "", "NG", "US", "Houston", "female", "en"),
    ("Abebe", "Tesfaye", "", "", "ET", "SE", "Stockholm", "male", "en"),
    ("Wanjiru", "Kamau", "", "", "KE", "NL", "Amsterdam", "female", "en"),
    ("Ana", "Tavares", "", "", "CV", "PT", "Lisbon", "female", "fr"),
    ("Issoufou", "Maïga", "عيسوفو", "مايغا", "NE", "FR", "Toulouse", "male", "fr"),
]

JOBS = [
    ("Hydraulic engineer", "Veolia"),
    ("Cardiologist", "Hôpital Saint-Louis"),
    ("Software developer", "SAP"),
    ("Secondary school teacher", "Education nationale"),
    ("Agronomist", "FAO"),
    ("Financial analyst", "BNP Paribas"),
    ("Civil engineer", "Bouygues"),
    ("Nurse", "NHS"),
    ("Lawyer", "Cabinet Martin"),
    ("Researcher in renewable energy", "CNRS"),
]


def _member(email: str, full_name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, preferred_language=language
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    membership_grant(user=user, role=Role.MEMBER)
    return user


def _fill(profile: DiasporaProfile, rng: random.Random, *, complete: bool) -> None:
    """Rows from whatever taxonomy exists; nothing when the tables are empty."""
    occupations = list(Occupation.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    sectors = list(Sector.objects.order_by("code").values_list("code", flat=True))
    skills = list(Skill.objects.order_by("code").values_list("code", flat=True))
    levels = list(EducationLevel.objects.order_by("code").values_list("code", flat=True))
    fields = list(EducationField.objects.order_by("code").values_list("code", flat=True))
    languages = [code for code in ("ar", "fr", "en", "es", "pt", "de") if Language.objects.filter(code=code).exists()]
    if occupations:
        profile.occupations.set(rng.sample(occupations, k=min(len(occupations), 2 if complete else 1)))
    if sectors:
        profile.sectors.set(rng.sample(sectors, k=min(len(sectors), 2)))
    for code in rng.sample(skills, k=min(len(skills), 4 if complete else 2)):
        ProfileSkill.objects.create(profile=profile, skill_id=code, kind=rng.choice(ProfileSkill.Kind.values))
    if complete or rng.random() < 0.3:
        ProfileSkill.objects.create(profile=profile, proposed_text="Project management in rural areas", kind="informal")
    for index, code in enumerate(rng.sample(languages, k=min(len(languages), 3))):
        level = ProfileLanguage.Level.NATIVE if index == 0 else rng.choice(ProfileLanguage.Level.values)
        ProfileLanguage.objects.create(profile=profile, language_id=code, level=level)
    if levels:
        profile.education.create(
            level_id=rng.choice(levels[-3:]),
            field_id=rng.choice(fields) if fields else None,
            institution="Université Cheikh Anta Diop" if complete else "University of the residence country",
            country_id=profile.residence_country_id,
            year=rng.randint(1995, 2022),
        )
    if complete:
        profile.registrations.create(body="Ordre des ingénieurs", number="ING-2011-0457", country_id="FR")
        profile.associations.create(name="Association des Sénégalais de Lyon")


def load() -> int:
    rng = random.Random(2026)
    created = 0
    countries = set(Country.objects.values_list("code", flat=True))
    # member@demo.example.org (from the accounts demo): a complete profile
    people = [
        ("member@demo.example.org", ("Aminata", "Diallo", "أميناتا", "ديالو", "SN", "FR", "Lyon", "female", "fr"))
    ]
    for index, row in enumerate(DEMO_MEMBERS, start=1):
        people.append((f"member{index:02d}@demo.example.org", row))

    for index, (email, row) in enumerate(people):
        first, last, first_ar, last_ar, origin, residence, city, gender, language = row
        user = _member(email, f"{first} {last}", language)
        if DiasporaProfile.objects.filter(user=user).exists():
            continue
        complete = index == 0
        job, employer = JOBS[index % len(JOBS)]
        profile = DiasporaProfile.objects.create(
            user=user,
            first_name=first,
            last_name=last,
            first_name_ar=first_ar,
            last_name_ar=last_ar,
            gender=gender,
            date_of_birth=date(1965 + index % 35, 1 + index % 12, 1 + index % 28),
            origin_country_id=origin if origin in countries else None,
            nationality_id=origin if origin in countries else None,
            residence_country_id=residence if residence in countries else None,
            residence_city=city,
            generation=rng.choice(["1", "1", "2", "3"]),
            phone="+33612345678" if complete else "",
            job_title=job,
            employer=employer,
            years_experience=rng.randint(2, 30),
            engagement_interests=rng.sample(EngagementInterest.values, k=3 if complete else 2),
            available_from=date.today() + timedelta(days=30),
            available_to=date.today() + timedelta(days=400),
            days_per_year=rng.choice([10, 20, 30, 60]),
            availability_mode=rng.choice(["remote", "on_site", "both"]),
            last_confirmed_at=timezone.now() - timedelta(days=rng.randint(0, 500)),
            wizard_step="consents",
        )
        _fill(profile, rng, complete=complete)
        method = ConsentRecord.Method.WIZARD
        consent_give(profile=profile, purpose=ConsentPurpose.LISTED, method=method)
        if complete or rng.random() < 0.6:
            consent_give(profile=profile, purpose=ConsentPurpose.EXPERT_CONTACT, method=method)
        if complete or rng.random() < 0.5:
            consent_give(profile=profile, purpose=ConsentPurpose.NEWSLETTER_EMAIL, method=method)
        if rng.random() < 0.2:
            consent_give(profile=profile, purpose=ConsentPurpose.SMS, method=method)
        profile_search_refresh(profile_ids=[profile.pk])
        created += 1
    return created
