"""Messages name languages and countries in the reader's language, never by their codes ("missing: fr, ar")."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.accounts.models import User
from apps.outreach import services
from apps.outreach.models import CampaignMessage
from apps.outreach.selectors import segment_preview
from tests.factories.outreach import CampaignFactory, member

pytestmark = pytest.mark.django_db


def schedule_errors(campaign, language: str) -> list[str]:
    with translation.override(language), pytest.raises(ValidationError) as raised:
        services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    return raised.value.messages


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Arabic: 2 recipients and French: 1 recipient"),
        ("fr", "arabe\u00a0: 2 destinataires et français\u00a0: 1 destinataire"),
        ("ar", "العربية: مستلمان اثنان والفرنسية: مستلم واحد"),
    ],
)
def test_the_languages_without_a_message_are_named_with_their_recipients(language, expected):
    member("ar")
    member("ar")
    member("fr")
    campaign = CampaignFactory(messages=["en"])
    message = next(m for m in schedule_errors(campaign, language) if "(" in m)
    assert expected in message
    assert ": 2" not in message.replace(expected, "")


def test_a_problem_in_one_message_names_the_messages_language():
    member("fr")
    campaign = CampaignFactory(messages=["en", "fr"])
    CampaignMessage.objects.filter(campaign=campaign, language="fr").update(body="Bonjour {prenom}")
    errors = schedule_errors(campaign, "fr")
    assert any(error.startswith("Français\u00a0: ") for error in errors), errors
    assert not any(error.startswith("fr:") for error in errors)


def test_the_segment_preview_shows_the_sample_countries_by_name_in_the_readers_language():
    member("fr", residence_country_id="SN")
    with translation.override("ar"):
        sample = segment_preview(filters={})["sample"]
    assert [person["residence_country"] for person in sample] == ["السنغال"]


def test_the_no_message_note_of_a_language_keeps_the_pages_direction(client):
    """The preview card of a language without a message says so in the page's language, so it must not take
    the direction of the missing message's language (an Arabic note in a left-to-right French card)."""
    campaign = CampaignFactory(messages=["en"])
    User.objects.filter(pk=campaign.created_by.pk).update(preferred_language="ar")
    client.force_login(campaign.created_by)
    page = client.get(f"/ar/outreach/campaigns/{campaign.pk}/").content.decode()
    french_card = page.split('data-testid="preview-fr"', 1)[1].split('data-testid="preview-', 1)[0]
    assert "لا توجد رسالة بهذه اللغة" in french_card
    assert 'dir="ltr"' not in french_card and 'lang="fr"' not in french_card
