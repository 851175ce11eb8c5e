"""Every read of the return information desk beyond get(), scoped to what the user may see."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.roles import Role

from .models import (
    Event,
    EventRegistration,
    FundingAlert,
    FundingOpportunity,
    InfoSheet,
    NetworkPartner,
    ReturnPlan,
    Vacancy,
)
from .permissions import (
    can_edit_content,
    can_manage_plan,
    can_view_event,
    can_view_funding,
    can_view_info_sheet,
    plan_desk_ids,
)
from .services._common import SEARCH_CONFIG

# Information library ----------------------------------------------------------------------------------------


def _sheet_filters(qs: QuerySet, filters: dict, language: str) -> QuerySet:
    for name in ("kind", "topic"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    text = (filters.get("q") or "").strip()
    if text:
        config = SEARCH_CONFIG.get(language, "simple")
        query = SearchQuery(text, config=config, search_type="websearch")
        column = f"search_{language}"
        qs = qs.filter(**{column: query}).annotate(rank=SearchRank(F(column), query)).order_by("-rank", "id")
    return qs


def info_sheet_public_list(*, language: str, filters: dict | None = None) -> QuerySet[InfoSheet]:
    """Published sheets; a search looks in the current language's text only (other languages are offered)."""
    qs = InfoSheet.objects.filter(status=InfoSheet.Status.PUBLISHED).select_related("country")
    return _sheet_filters(qs, filters or {}, language)


def info_sheet_editor_list(*, user, language: str, filters: dict | None = None) -> QuerySet[InfoSheet]:
    """Every sheet, drafts included, for content editors; ``stale`` keeps those past their review date."""
    if not can_edit_content(user):
        return InfoSheet.objects.none()
    filters = filters or {}
    qs = InfoSheet.objects.select_related("country", "reviewed_by").order_by("review_due_on", "id")
    if filters.get("stale"):
        qs = qs.filter(review_due_on__lte=timezone.localdate())
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return _sheet_filters(qs, filters, language)


def info_sheet_stale_list(*, today: datetime.date | None = None) -> QuerySet[InfoSheet]:
    today = today or timezone.localdate()
    return InfoSheet.objects.filter(review_due_on__lte=today).select_related("country").order_by("review_due_on", "id")


def info_sheet_get(*, user, pk: int) -> InfoSheet:
    sheet = InfoSheet.objects.select_related("country", "reviewed_by").filter(pk=pk).first()
    if sheet is None or not can_view_info_sheet(user, sheet):
        raise Http404
    return sheet


def content_editors() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=Role.CONTENT_EDITOR, is_active=True, erased_at__isnull=True)
        .distinct()
        .order_by("pk")
    )


# Funding ----------------------------------------------------------------------------------------------------


def funding_public_list(*, filters: dict | None = None) -> QuerySet[FundingOpportunity]:
    """Published opportunities whose deadline has not passed, soonest deadline first."""
    filters = filters or {}
    qs = FundingOpportunity.objects.filter(
        status=FundingOpportunity.Status.PUBLISHED, deadline__gte=timezone.localdate()
    )
    return _funding_filters(qs, filters)


def funding_editor_list(*, user, filters: dict | None = None) -> QuerySet[FundingOpportunity]:
    if not can_edit_content(user):
        return FundingOpportunity.objects.none()
    return _funding_filters(FundingOpportunity.objects.order_by("-created_at", "-id"), filters or {})


def _funding_filters(qs: QuerySet, filters: dict) -> QuerySet:
    if filters.get("country"):
        qs = qs.filter(countries=filters["country"])
    if filters.get("sector"):
        qs = qs.filter(Q(sectors=filters["sector"]) | Q(sectors__isnull=True))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.distinct().prefetch_related("countries", "sectors")


def funding_get(*, user, pk: int) -> FundingOpportunity:
    opportunity = FundingOpportunity.objects.prefetch_related("countries", "sectors").filter(pk=pk).first()
    if opportunity is None or not can_view_funding(user, opportunity):
        raise Http404
    return opportunity


def funding_alert_recipients(*, opportunity: FundingOpportunity) -> QuerySet:
    """Members to alert: origin in an eligible country, a matching sector (any, when the opportunity names none),
    consent to newsletters by e-mail, profile and account not erased, not already alerted."""
    from apps.skills.models import DiasporaProfile

    profiles = DiasporaProfile.objects.filter(
        origin_country__in=opportunity.countries.all(),
        consent_newsletter_email=True,
        erased_at__isnull=True,
    )
    sector_ids = list(opportunity.sectors.values_list("pk", flat=True))
    if sector_ids:
        profiles = profiles.filter(sectors__in=sector_ids)
    already = FundingAlert.objects.filter(opportunity=opportunity, sent_at__isnull=False).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=profiles.values("user_id"), is_active=True, erased_at__isnull=True)
        .exclude(pk__in=already)
        .order_by("pk")
    )


# Network partners and vacancies -----------------------------------------------------------------------------


def partner_directory(*, filters: dict | None = None) -> QuerySet[NetworkPartner]:
    filters = filters or {}
    qs = NetworkPartner.objects.filter(is_active=True, organisation__is_active=True).select_related(
        "organisation", "organisation__country"
    )
    if filters.get("country"):
        qs = qs.filter(organisation__country=filters["country"])
    if filters.get("service"):
        qs = qs.filter(services__contains=[filters["service"]])
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    return qs.order_by("organisation__country_id", "role", "organisation__name")


def vacancy_list(*, filters: dict | None = None) -> QuerySet[Vacancy]:
    """Open vacancies (closing date not passed), soonest closing first."""
    filters = filters or {}
    qs = (
        Vacancy.objects.filter(closing_date__gte=timezone.localdate())
        .select_related("country", "sector", "occupation")
        .prefetch_related("skills", "languages")
    )
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("sector"):
        qs = qs.filter(sector=filters["sector"])
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(employer__icontains=text) | Q(region__icontains=text))
    return qs.order_by("closing_date", "id")


# Events -----------------------------------------------------------------------------------------------------


def _with_counts(qs: QuerySet, user) -> QuerySet:
    qs = qs.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=EventRegistration.Status.REGISTERED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=EventRegistration.Status.WAITLISTED)),
    )
    qs = qs.annotate(places_left=F("capacity") - F("registered_count"))
    if user is not None and user.is_authenticated:
        mine = EventRegistration.objects.filter(event=OuterRef("pk"), user=user)
        qs = qs.annotate(
            my_status=Subquery(mine.values("status")[:1]), my_registration_id=Subquery(mine.values("pk")[:1])
        )
    return qs.select_related("country", "language")


def event_public_list(*, user, filters: dict | None = None) -> QuerySet[Event]:
    """Published events that have not ended, soonest first, with places taken and the user's registration."""
    filters = filters or {}
    qs = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return _with_counts(qs, user).order_by("starts_at", "id")


def event_editor_list(*, user) -> QuerySet[Event]:
    if not can_edit_content(user):
        return Event.objects.none()
    return _with_counts(Event.objects.all(), None).order_by("-starts_at", "-id")


def event_get(*, user, pk: int) -> Event:
    event = _with_counts(Event.objects.filter(pk=pk), user).first()
    if event is None or not can_view_event(user, event):
        raise Http404
    return event


def event_registrations(*, event: Event) -> QuerySet[EventRegistration]:
    return (
        event.registrations.exclude(status=EventRegistration.Status.CANCELLED)
        .select_related("user", "evaluation")
        .order_by("status", "created_at", "id")
    )


def event_member_registrations(*, user) -> QuerySet[EventRegistration]:
    return (
        EventRegistration.objects.filter(user=user)
        .exclude(status=EventRegistration.Status.CANCELLED)
        .select_related("event", "evaluation")
        .order_by("-event__starts_at")
    )


def event_evaluation_results(*, event: Event) -> dict:
    from django.db.models import Avg

    from .models import EventEvaluation

    evaluations = EventEvaluation.objects.filter(registration__event=event)
    summary = evaluations.aggregate(
        count=Count("id"),
        average=Avg("rating"),
        recommend=Count("id", filter=Q(would_recommend=True)),
    )
    summary["comments"] = list(evaluations.exclude(comment="").values_list("comment", flat=True)[:50])
    summary["by_rating"] = {r: 0 for r in range(1, 6)} | dict(
        evaluations.values_list("rating").annotate(n=Count("id")).values_list("rating", "n")
    )
    return summary


# Return plans -----------------------------------------------------------------------------------------------


def return_plan_list(*, user, filters: dict | None = None) -> QuerySet[ReturnPlan]:
    """The plans of the desks the user works for."""
    filters = filters or {}
    qs = (
        ReturnPlan.objects.filter(desk_id__in=plan_desk_ids(user))
        .select_related("desk", "destination_country", "sector", "profile", "person__office")
        .prefetch_related("referrals", "matched_funding", "matched_vacancies")
    )
    for name in ("stage", "kind"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("country"):
        qs = qs.filter(destination_country=filters["country"])
    return qs.order_by("-updated_at", "-id")


def return_plan_pipeline(*, user) -> list[dict]:
    """How many plans each stage holds, for the desks the user works for (one query)."""
    counts = dict(
        ReturnPlan.objects.filter(desk_id__in=plan_desk_ids(user))
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return [
        {"stage": stage, "label": label, "count": counts.get(stage, 0)} for stage, label in ReturnPlan.Stage.choices
    ]


def return_plan_get(*, user, pk: int) -> ReturnPlan:
    plan = (
        ReturnPlan.objects.select_related(
            "desk", "destination_country", "sector", "profile", "person__office__organisation"
        )
        .prefetch_related("referrals__organisation", "matched_funding", "matched_vacancies")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not can_manage_plan(user, plan):
        raise Http404
    return plan


# A plan's client, counselling sessions and sheets handed out ------------------------------------------------


def _contacts_with_sheets(contacts: QuerySet) -> QuerySet:
    from .models import SheetHandout

    return contacts.prefetch_related(
        Prefetch(
            "sheet_handouts",
            queryset=SheetHandout.objects.select_related("sheet", "handed_out_by").order_by("created_at", "id"),
        )
    )


def person_contacts(*, user, person, request=None) -> QuerySet | None:
    """The person's contacts with the sheets handed out at each, newest first — or None when ``user`` may not read
    the person (offices rules: staff of the person's office; a flagged record only its counsellor and the office
    manager). Reading them is written to the audit log, as the offices app does for a person's record."""
    from apps.offices.permissions import can_read_person
    from apps.offices.selectors import contact_list

    if person is None or not can_read_person(user, person):
        return None
    audit_record(actor=user, action="offices.person.read", obj=person, request=request, extra={"via": "returns"})
    return _contacts_with_sheets(contact_list(user=user).filter(person=person))


def person_return_plans(*, user, person) -> QuerySet[ReturnPlan]:
    """The person's plans at the desks the user works for."""
    return (
        ReturnPlan.objects.filter(person=person, desk_id__in=plan_desk_ids(user))
        .select_related("destination_country", "sector", "desk")
        .order_by("-updated_at", "-id")
    )


def handout_contact_get(*, user, pk: int):
    """A contact the user may read (404 otherwise), with the sheets already handed out."""
    from apps.offices.selectors import contact_list

    contact = _contacts_with_sheets(contact_list(user=user).filter(pk=pk)).select_related("person__office").first()
    if contact is None:
        raise Http404
    return contact


def sheets_to_hand_out() -> QuerySet[InfoSheet]:
    return (
        InfoSheet.objects.filter(status=InfoSheet.Status.PUBLISHED)
        .select_related("country")
        .order_by("country_id", "kind", "topic", "id")
    )
