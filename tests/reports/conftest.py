"""A fixture of 24 current members and one erased profile whose every figure is known (see KNOWN below)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.core.roles import Role
from apps.reports.services import report_views_refresh
from apps.skills.models import DiasporaProfile, EducationLevel, Occupation, ProfileEducation, ProfileLanguage, Sector
from tests.factories import user_with_role

MEMBERS = 24


def personal_values(i: int) -> dict[str, str]:
    """Values only a person's own record holds; none may ever appear in a report, export or API answer."""
    return {
        "first_name": f"Firstname{i}q",
        "last_name": f"Lastname{i}q",
        "first_name_ar": f"اسم{i}",
        "job_title": f"Jobtitle{i}q",
        "employer": f"Employer{i}q",
        "phone": f"+22177000{i:04d}",
        "residence_city": f"Hometown{i}q",
        "verification_note": f"Checknote{i}q",
    }


def personal_strings() -> list[str]:
    strings = ["Ndiosmone", "Kolda"]  # regions of origin typed by fewer than 5 members
    for i in range(MEMBERS + 1):
        strings += [v for k, v in personal_values(i).items()]
        strings.append(f"member{i}@private.example")
        strings.append(f"Fullname{i}q")
    return strings


def _taxonomy():
    for code, label in (("2", "Professionals"), ("3", "Technicians and associate professionals")):
        Occupation.objects.update_or_create(code=code, defaults={"level": 1, "label": label, "label_en": label})
    for code, parent in (
        ("22", "2"),
        ("221", "22"),
        ("2211", "221"),
        ("2212", "221"),
        ("31", "3"),
        ("311", "31"),
        ("3111", "311"),
    ):
        Occupation.objects.update_or_create(
            code=code, defaults={"level": len(code), "parent_id": parent, "label": f"Group {code}"}
        )
    for code, label in (("health", "Health"), ("education", "Education"), ("agriculture", "Agriculture")):
        Sector.objects.update_or_create(code=code, defaults={"label": label, "label_en": label})
    for code, label in (("6", "Bachelor's or equivalent level"), ("7", "Master's or equivalent level")):
        EducationLevel.objects.update_or_create(code=code, defaults={"label": label, "label_en": label})


def _member(i: int, now: datetime) -> DiasporaProfile:
    user = User.objects.create_user(email=f"member{i}@private.example", password=None, full_name=f"Fullname{i}q")
    region = (
        ["Dakar", " dakar ", "DAKAR"][i % 3]
        if i < 8
        else "Thiès"
        if i < 14
        else "Ndiosmone"
        if i == 14
        else ("Kolda" if i in (15, 16) else "")
    )
    profile = DiasporaProfile.objects.create(
        user=user,
        origin_country_id="SN" if i < 20 else "MA",
        residence_country_id="FR" if i < 12 else "US" if i < 21 else "CA",
        origin_region=region,
        generation="1" if i < 14 else "2",
        engagement_interests=(["mentoring"] if i < 8 else ["investment"] if i < 13 else [])
        + (["expert_missions"] if i < 3 else []),
        consent_listed=i < 9 or 15 <= i < 18,
        consent_expert_contact=i < 5,
        last_confirmed_at=now - timedelta(days=30 if i < 18 else 400),
        **personal_values(i),
    )
    created = datetime(2026, 1 if i < 10 else 2 if i < 21 else 3, 15, 12, tzinfo=UTC)
    DiasporaProfile.objects.filter(pk=profile.pk).update(created_at=created)
    for level in ["7", "6"] if i < 10 else ["6"] if i < 18 else []:
        ProfileEducation.objects.create(profile=profile, level_id=level, institution=f"School{i}q")
    sectors = (
        (["health"] if i < 10 else [])
        + (["education"] if 5 <= i < 12 else [])
        + (["agriculture"] if i in (22, 23) else [])
    )
    profile.sectors.set(sectors)
    occupations = (["2211"] + (["2212"] if i == 0 else [])) if i < 15 else ["3111"] if i < 21 else []
    profile.occupations.set(occupations)
    for code in ["fr"] + (["ar"] if i < 20 else []) + (["en"] if i >= 18 else []):
        ProfileLanguage.objects.create(profile=profile, language_id=code, level="fluent")
    return profile


def seed_known_members() -> list[DiasporaProfile]:
    """24 current members and one profile erased in April 2026, then the views refreshed."""
    now = timezone.now()
    _taxonomy()
    members = [_member(i, now) for i in range(MEMBERS)]
    erased_user = User.objects.create_user(email=f"member{MEMBERS}@private.example", password=None)
    erased = DiasporaProfile.objects.create(
        user=erased_user,
        origin_country_id="SN",
        first_name="",
        last_name="",
        erased_at=datetime(2026, 4, 2, tzinfo=UTC),
    )
    DiasporaProfile.objects.filter(pk=erased.pk).update(created_at=datetime(2026, 3, 10, tzinfo=UTC))
    report_views_refresh(concurrently=False)
    return members


@pytest.fixture
def known_members(db):
    return seed_known_members()


@pytest.fixture
def analyst(db):
    return user_with_role(Role.ANALYST)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client
