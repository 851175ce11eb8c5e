import pytest
from django.core import signing

from apps.outreach import services
from apps.outreach.models import Delivery
from apps.outreach.rendering import unsubscribe_token
from apps.skills.models import ConsentRecord
from tests.factories.outreach import CampaignFactory, member

pytestmark = pytest.mark.django_db


def token_for(profile, purpose="newsletter_email"):
    return unsubscribe_token(profile_id=profile.pk, purpose=purpose, delivery_id=1)


def test_one_click_post_withdraws_the_newsletter_consent_with_a_record(client):
    person = member("fr")
    response = client.post(f"/fr/outreach/unsubscribe/{token_for(person)}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.consent_newsletter_email is False
    record = ConsentRecord.objects.get(profile=person)
    assert (record.purpose, record.given, record.method) == ("newsletter_email", False, "unsubscribe")


def test_opening_the_link_asks_before_changing_anything(client):
    person = member("ar")
    response = client.get(f"/ar/outreach/unsubscribe/{token_for(person)}/")
    assert response.status_code == 200 and 'dir="rtl"' in response.content.decode()
    person.refresh_from_db()
    assert person.consent_newsletter_email is True


def test_an_expired_token_shows_a_clear_page_and_changes_nothing(client, settings):
    person = member("en")
    token = token_for(person)
    settings.OUTREACH_UNSUBSCRIBE_TOKEN_MAX_AGE = -1
    response = client.post(f"/outreach/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode() and "Nothing was changed" in response.content.decode()
    person.refresh_from_db()
    assert person.consent_newsletter_email is True and not ConsentRecord.objects.exists()


def test_a_forged_token_shows_a_clear_page_and_changes_nothing(client):
    person = member("en")
    forged = signing.dumps({"p": person.pk, "c": "newsletter_email", "d": 1}, salt="another-salt", compress=True)
    response = client.post(f"/outreach/unsubscribe/{forged}/")
    assert response.status_code == 400 and "not valid" in response.content.decode()
    tampered = token_for(person)[:-3] + "abc"
    assert client.post(f"/outreach/unsubscribe/{tampered}/").status_code == 400
    person.refresh_from_db()
    assert person.consent_newsletter_email is True


def test_after_unsubscribing_the_pending_delivery_is_skipped(client):
    from apps.outreach.sending import deliveries_claim

    person = member("en")
    campaign = CampaignFactory()
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    delivery = Delivery.objects.get()
    client.post(f"/outreach/unsubscribe/{token_for(person)}/")
    assert deliveries_claim(delivery_ids=[delivery.pk], campaign=campaign) == ([], [delivery.pk])


def test_sms_stop_from_the_gateway_withdraws_sms_consent(client, settings):
    settings.OUTREACH_SMS_INBOUND_TOKEN = "inbound"
    person = member("fr")
    url = "/api/v1/outreach/sms/inbound/"
    assert client.post(url, {"sender": person.phone, "text": "STOP"}).status_code == 403
    response = client.post(url, {"sender": person.phone, "text": " stop "}, HTTP_AUTHORIZATION="Bearer inbound")
    assert response.status_code == 204
    person.refresh_from_db()
    assert person.consent_sms is False
    assert ConsentRecord.objects.get(profile=person).method == "sms_stop"
