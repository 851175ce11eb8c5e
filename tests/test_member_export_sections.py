"""A member's data export includes the contacts offices logged about them and the messages sent to them."""

import json

import pytest
from django.urls import reverse

from apps.outreach.models import Delivery
from tests.factories.offices import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_export_has_office_contacts_without_restricted_notes_and_deliveries(client):
    from tests.factories.skills import ProfileFactory

    profile = ProfileFactory()
    user = profile.user
    person = PersonFactory(profile=profile)
    ContactFactory(person=person, summary="Asked about pension transfer", notes="very private note")
    Delivery.objects.create(
        user=user,
        profile=profile,
        channel="email",
        language="fr",
        address=user.email,
        state="sent",
        kind="decision",
        subject="Votre demande",
    )
    client.force_login(user)
    response = client.get(reverse("skills:my-data-export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [c["summary"] for c in data["contacts"]] == ["Asked about pension transfer"]
    assert "very private note" not in response.content.decode()
    assert [d["subject"] for d in data["deliveries"]] == ["Votre demande"]
    assert data["not_yet_included"] == {}
