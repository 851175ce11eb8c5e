"""Factories for exchange requests: a study visit from Senegal to Morocco, ready to submit unless told otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.exchange.models import ExchangeRequest, ExpertSelection, Kind, Participant, Schedule, State, Theme

from . import OrganisationFactory, UserFactory


class ExchangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRequest

    kind = Kind.STUDY_VISIT
    state = State.DRAFT
    requesting_institution = factory.SubFactory(OrganisationFactory, country_id="SN")
    requesting_country_id = factory.LazyAttribute(lambda o: o.requesting_institution.country_id)
    created_by = factory.SubFactory(UserFactory)
    host_country_id = "MA"
    title = factory.Sequence(lambda n: f"Study visit on diaspora skills banks {n}")
    theme = Theme.SKILLS_NETWORKS
    objectives = "Learn how the host ministry keeps its skills bank up to date."
    expected_results = "A plan for the home institution's own skills bank."
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4) if o.start_date else None)
    working_language_id = "fr"


class ExpertAssignmentFactory(ExchangeRequestFactory):
    kind = Kind.EXPERT_ASSIGNMENT
    title = factory.Sequence(lambda n: f"Expert assignment on remittance data {n}")
    occupations_sought = "Statistician"
    isco_codes = ["2120"]
    skills_sought = "Household survey design"
    number_of_experts = 1
    delivery_mode = "on_site"
    terms_of_reference = "Two weeks with the statistics unit."


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    request = factory.SubFactory(ExchangeRequestFactory)
    name = factory.Faker("name")
    institution = "Ministry of Senegalese Abroad"
    position = "Head of unit"
    country_id = "SN"
    email = factory.Sequence(lambda n: f"participant{n}@example.org")


class ExpertSelectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertSelection

    request = factory.SubFactory(ExpertAssignmentFactory)
    expert = factory.SubFactory(UserFactory)
    status = ExpertSelection.Status.SELECTED
    provider_country_id = "TN"


class ScheduleFactory(factory.django.DjangoModelFactory):
    """The schedule of an approved request: venue, host contact, an evaluation deadline 30 days after the end."""

    class Meta:
        model = Schedule

    request = factory.SubFactory(ExchangeRequestFactory)
    venue = "Ministry of Moroccans Abroad, meeting room 2"
    city = "Rabat"
    host_contact_name = "Amina Berrada"
    host_contact_email = "amina.berrada@example.org"
    host_contact_phone = "+212 5 37 00 00 00"
    logistics_notes = "Hotel booked by the host."
    evaluation_deadline = factory.LazyAttribute(lambda o: o.request.end_date + timedelta(days=30))
