"""Offices and their staff."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Office, StaffPeriod, StaffRole
from ..permissions import staff_organisation_ids


def public_office_list(*, country: str = "", office_type: str = "") -> QuerySet[Office]:
    offices = Office.objects.filter(is_public=True, organisation__is_active=True)
    if country:
        offices = offices.filter(country_id=country)
    if office_type:
        offices = offices.filter(type=office_type)
    return (
        offices.select_related("organisation", "country")
        .prefetch_related("languages")
        .order_by("country__name", "municipality", "organisation__name")
    )


def offices_of(user) -> QuerySet[Office]:
    """Offices in which the user works."""
    return Office.objects.filter(organisation_id__in=staff_organisation_ids(user)).select_related(
        "organisation", "country"
    )


def office_staff(office) -> QuerySet:
    from apps.accounts.models import User

    from ..permissions import STAFF_ROLES

    return (
        User.objects.filter(
            memberships__organisation_id=office.organisation_id,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def office_staff_memberships(*, office) -> QuerySet:
    """The office's current counsellors and managers, with the start of their current period."""
    from apps.accounts.models import Membership

    open_period = StaffPeriod.objects.filter(
        office=office, user_id=OuterRef("user_id"), role=OuterRef("role"), ended_at__isnull=True
    ).values("started_at")[:1]
    return (
        Membership.objects.filter(organisation_id=office.organisation_id, role__in=StaffRole.values, is_active=True)
        .select_related("user")
        .annotate(since=Coalesce(Subquery(open_period), "created_at"))
        .order_by("role", "user__full_name", "user__email")
    )


def office_staff_history(*, office, limit: int = 100) -> QuerySet:
    """Ended periods of the office's staff, most recent first."""
    return (
        StaffPeriod.objects.filter(office=office, ended_at__isnull=False)
        .select_related("user", "started_by", "ended_by")
        .order_by("-ended_at", "-id")[:limit]
    )
