"""Factories for the offices app. Persons and contacts are written through the services where rules matter;
these factories build plain rows for lists, counts and access tests."""

import datetime as dt

import factory
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.core.names import name_index
from apps.core.roles import Role
from apps.offices.crypto import encrypt_notes
from apps.offices.models import Contact, Office, OfficeType, Person, Referral
from tests.factories import OrganisationFactory, UserFactory, user_with_role


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    organisation = factory.SubFactory(OrganisationFactory, type=Organisation.Type.MIGRATION_OFFICE)
    type = OfficeType.MIGRATION_OFFICE
    country_id = factory.SelfAttribute("organisation.country_id")
    municipality = "Dakar"
    hotline = "+221 33 800 00 00"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    office = factory.SubFactory(OfficeFactory)
    name_latin = factory.Sequence(lambda n: f"Client Number{n}")
    name_arabic = ""
    birth_year = 1990
    search_name = factory.LazyAttribute(lambda p: name_index(p.name_latin, p.name_arabic)[0])
    name_keys = factory.LazyAttribute(lambda p: name_index(p.name_latin, p.name_arabic)[1])
    name_key_text = factory.LazyAttribute(lambda p: " ".join(p.name_keys))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    person = factory.SubFactory(PersonFactory)
    office = factory.SelfAttribute("person.office")
    channel = "walk_in"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    staff = factory.SubFactory(UserFactory)
    topics = factory.LazyFunction(lambda: ["pre_departure"])
    summary = "Asked about visas"

    class Params:
        notes = ""

    @factory.lazy_attribute
    def notes_encrypted(self):
        return encrypt_notes(self.notes)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    office = factory.SelfAttribute("person.office")
    organisation = factory.SubFactory(OrganisationFactory, type=Organisation.Type.NGO)
    reason = "Training"
    consent_given = True
    consent_recorded_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


def counsellor(office, **kwargs):
    return user_with_role(Role.OFFICE_STAFF, organisation=office.organisation, **kwargs)


def manager(office, **kwargs):
    return user_with_role(Role.OFFICE_MANAGER, organisation=office.organisation, **kwargs)
