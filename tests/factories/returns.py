"""Factories for the return information desk. Rows are written directly (fixtures); rules are tested through
the services."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from apps.returns.models import (
    Event,
    EventRegistration,
    FundingOpportunity,
    InfoSheet,
    NetworkPartner,
    ReturnPlan,
    Vacancy,
)
from apps.returns.services import info_sheet_search_refresh
from apps.returns.services._common import add_months
from apps.skills.models import DiasporaProfile, Sector
from tests.factories import OrganisationFactory, UserFactory


def sector(code: str = "agriculture") -> Sector:
    obj, _created = Sector.objects.get_or_create(
        code=code, defaults={"label": code.title(), "label_en": code.title(), "label_fr": code, "label_ar": code}
    )
    return obj


class InfoSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InfoSheet
        skip_postgeneration_save = True

    kind = InfoSheet.Kind.FIRST
    country_id = "SN"
    topic = InfoSheet.Topic.RETURN
    title_en = factory.Sequence(lambda n: f"Returning home, sheet {n}")
    title_fr = factory.Sequence(lambda n: f"Rentrer au pays, fiche {n}")
    title_ar = factory.Sequence(lambda n: f"العودة إلى الوطن، بطاقة {n}")
    body_en = "Bring your diplomas and your birth certificate."
    body_fr = "Apportez vos diplômes et votre acte de naissance."
    body_ar = "أحضر شهاداتك وشهادة ميلادك."
    status = InfoSheet.Status.PUBLISHED
    reviewed_on = factory.LazyFunction(timezone.localdate)
    review_interval_months = 12
    review_due_on = factory.LazyAttribute(lambda o: add_months(o.reviewed_on, o.review_interval_months))

    @factory.post_generation
    def search(self, create, extracted, **kwargs):
        if create:
            info_sheet_search_refresh(sheet_ids=[self.pk])


class FundingOpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingOpportunity
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Start-up grant {n}")
    title_fr = factory.Sequence(lambda n: f"Subvention de démarrage {n}")
    title_ar = factory.Sequence(lambda n: f"منحة الانطلاق {n}")
    funder = "Rural development fund"
    kind = FundingOpportunity.Kind.GRANT
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = FundingOpportunity.Status.PUBLISHED

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create:
            self.countries.set(extracted if extracted is not None else ["SN"])

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class NetworkPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkPartner

    organisation = factory.SubFactory(OrganisationFactory)
    role = "partner"
    services = factory.LazyFunction(lambda: ["microcredit"])


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    title = factory.Sequence(lambda n: f"Accountant {n}")
    employer = "Dakar Digital Hub"
    country_id = "SN"
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title_en = factory.Sequence(lambda n: f"Job fair {n}")
    title_fr = factory.Sequence(lambda n: f"Salon de l'emploi {n}")
    title_ar = factory.Sequence(lambda n: f"معرض التشغيل {n}")
    kind = Event.Kind.JOB_FAIR
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    capacity = 50
    status = Event.Status.PUBLISHED


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = EventRegistration.Status.REGISTERED


def member_profile(*, origin="SN", sectors=(), newsletter=True, erased=False, language="en", **user_kwargs):
    """A member with a skills-bank profile: origin country, sectors and newsletter consent."""
    from apps.core.roles import Role
    from tests.factories import user_with_role

    user = user_with_role(Role.MEMBER, preferred_language=language, **user_kwargs)
    profile = DiasporaProfile.objects.create(
        user=user,
        first_name="Awa",
        last_name="Diop",
        origin_country_id=origin,
        consent_newsletter_email=newsletter,
        erased_at=timezone.now() if erased else None,
    )
    profile.sectors.set(sectors)
    return profile


class ReturnPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPlan

    desk = factory.SubFactory(OrganisationFactory)
    kind = ReturnPlan.Kind.BUSINESS
    destination_country_id = "SN"
    idea = "A poultry farm near Thiès."
