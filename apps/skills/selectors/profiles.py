"""Reads of a member's own profile: the profile with its rows, completeness, freshness, consents, the data file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import (
    CONSENT_FIELDS,
    ConsentPurpose,
    ConsentRecord,
    DiasporaProfile,
    ProfileEducation,
    ProfileLanguage,
    ProfileSkill,
)

FRESHNESS_PERIOD = timedelta(days=365)
REMINDERS_BEFORE_STALE = 3


def profile_queryset():
    return DiasporaProfile.objects.select_related(
        "user", "origin_country", "nationality", "residence_country", "verified_by"
    ).prefetch_related(
        Prefetch("languages", queryset=ProfileLanguage.objects.select_related("language").order_by("id")),
        Prefetch(
            "education",
            queryset=ProfileEducation.objects.select_related("level", "field", "country").order_by("id"),
        ),
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill", "skill__sector").order_by("id")),
        "registrations__country",
        "associations__organisation",
        "occupations",
        "sectors",
    )


def profile_for_member(*, user) -> DiasporaProfile | None:
    """The signed-in member's own profile with its rows, or None (not yet started, or erased)."""
    if user is None or not user.is_authenticated:
        return None
    return profile_queryset().filter(user=user, erased_at__isnull=True).first()


def profile_cv_for(*, user, profile_id: int) -> DiasporaProfile:
    """The profile whose CV ``user`` may download: only their own for now. Anything else is a 404."""
    profile = DiasporaProfile.objects.filter(pk=profile_id, erased_at__isnull=True).only("pk", "user_id", "cv").first()
    if profile is None or not profile.cv or profile.user_id != user.pk:
        raise Http404
    return profile


# Freshness --------------------------------------------------------------------------------------------------


def stale_q(*, now=None) -> Q:
    """Profiles unconfirmed for over 12 months after three reminders: filter with ``.annotate`` of
    ``confirmed_or_created`` (see :func:`with_freshness`)."""
    now = now or timezone.now()
    return Q(confirmation_reminders_sent__gte=REMINDERS_BEFORE_STALE, confirmed_or_created__lt=now - FRESHNESS_PERIOD)


def with_freshness(queryset):
    return queryset.annotate(confirmed_or_created=Coalesce("last_confirmed_at", "created_at"))


def profile_is_stale(profile: DiasporaProfile, *, now=None) -> bool:
    now = now or timezone.now()
    confirmed = profile.last_confirmed_at or profile.created_at
    return profile.confirmation_reminders_sent >= REMINDERS_BEFORE_STALE and confirmed < now - FRESHNESS_PERIOD


def profile_needs_confirmation(profile: DiasporaProfile, *, now=None) -> bool:
    now = now or timezone.now()
    return (profile.last_confirmed_at or profile.created_at) < now - FRESHNESS_PERIOD


# Completeness -----------------------------------------------------------------------------------------------


@dataclass
class Completeness:
    score: int  # 0–100
    missing: list[tuple[str, str | Promise]] = field(default_factory=list)  # (wizard step, what is missing)


def profile_completeness(profile: DiasporaProfile) -> Completeness:
    """How complete the profile is, and what is missing (each item names the wizard step that fills it).

    Uses the prefetched rows of :func:`profile_queryset`, so it adds no query to a page that used it.
    """
    checks = [
        ("identity", _("Your name"), bool(profile.first_name and profile.last_name)),
        ("origin", _("Your country of origin"), bool(profile.origin_country_id)),
        ("origin", _("Your country of residence"), bool(profile.residence_country_id)),
        ("origin", _("Your generation"), bool(profile.generation)),
        ("phone", _("A phone number"), bool(profile.phone)),
        ("languages", _("The languages you speak"), bool(profile.languages.all())),
        ("education", _("Your education"), bool(profile.education.all())),
        ("work", _("Your occupation"), bool(profile.occupations.all())),
        ("work", _("Your job title"), bool(profile.job_title)),
        ("sectors", _("The sectors you work in"), bool(profile.sectors.all())),
        ("skills", _("Your skills"), bool(profile.skills.all())),
        ("interests", _("How you would like to engage"), bool(profile.engagement_interests)),
        ("availability", _("When you are available"), bool(profile.available_from or profile.days_per_year)),
        ("cv", _("Your CV"), bool(profile.cv)),
        ("consents", _("Your consent to be listed in the skills bank"), profile.consent_listed),
    ]
    done = sum(1 for *_, ok in checks if ok)
    return Completeness(
        score=round(100 * done / len(checks)),
        missing=[(step, label) for step, label, ok in checks if not ok],
    )


# Consents ---------------------------------------------------------------------------------------------------


def consent_overview(*, profile: DiasporaProfile) -> list[dict]:
    """Every purpose with its current state and its history, newest first (one query)."""
    history: dict[str, list[ConsentRecord]] = {purpose.value: [] for purpose in ConsentPurpose}
    for record in profile.consent_records.order_by("-recorded_at", "-id"):
        history[record.purpose].append(record)
    return [
        {
            "purpose": purpose.value,
            "label": purpose.label,
            "given": getattr(profile, CONSENT_FIELDS[purpose]),
            "history": history[purpose.value],
        }
        for purpose in ConsentPurpose
    ]


# The data file ----------------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def member_data(*, user) -> dict:
    """The account, the profile with its rows, and every consent record, as JSON-ready data."""
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
        },
        "profile": None,
        "consents": [],
    }
    profile = profile_queryset().filter(user=user).first()
    if profile is None:
        return data
    data["profile"] = {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "first_name_ar": profile.first_name_ar,
        "last_name_ar": profile.last_name_ar,
        "date_of_birth": _iso(profile.date_of_birth),
        "gender": profile.gender,
        "origin_country": profile.origin_country_id,
        "origin_region": profile.origin_region,
        "nationality": profile.nationality_id,
        "residence_country": profile.residence_country_id,
        "residence_city": profile.residence_city,
        "generation": profile.generation,
        "phone": profile.phone,
        "languages": [{"language": row.language_id, "level": row.level} for row in profile.languages.all()],
        "education": [
            {
                "level": row.level_id,
                "field": row.field_id,
                "institution": row.institution,
                "country": row.country_id,
                "year": row.year,
            }
            for row in profile.education.all()
        ],
        "occupations": [o.code for o in profile.occupations.all()],
        "job_title": profile.job_title,
        "employer": profile.employer,
        "years_experience": profile.years_experience,
        "sectors": [s.code for s in profile.sectors.all()],
        "skills": [
            {"skill": row.skill_id, "proposed_text": row.proposed_text, "kind": row.kind}
            for row in profile.skills.all()
        ],
        "registrations": [
            {"body": row.body, "number": row.number, "country": row.country_id} for row in profile.registrations.all()
        ],
        "associations": [
            {"organisation": row.organisation.name if row.organisation_id else None, "name": row.name}
            for row in profile.associations.all()
        ],
        "engagement_interests": list(profile.engagement_interests),
        "available_from": _iso(profile.available_from),
        "available_to": _iso(profile.available_to),
        "days_per_year": profile.days_per_year,
        "availability_mode": profile.availability_mode,
        "cv": "uploaded (download it from your profile page)" if profile.cv else None,
        "last_confirmed_at": _iso(profile.last_confirmed_at),
        "confirmation_reminders_sent": profile.confirmation_reminders_sent,
        "verified_at": _iso(profile.verified_at),
        "verification_note": profile.verification_note,
        "source": profile.source,
        "erased_at": _iso(profile.erased_at),
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
    }
    data["consents"] = [
        {
            "purpose": record.purpose,
            "given": record.given,
            "recorded_at": _iso(record.recorded_at),
            "method": record.method,
            "text_version": record.text_version,
        }
        for record in profile.consent_records.order_by("recorded_at", "id")
    ]
    return data
