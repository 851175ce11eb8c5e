"""Two-way SMS through Twilio and Africa's Talking, tested against local servers speaking their documented
protocols: sending, errors, signed delivery receipts, inbound STOP in three languages (confirmed), segments and
cost before sending, and each gateway's rate limit."""

import time

import pytest

from apps.outreach import services
from apps.outreach.models import Delivery
from apps.outreach.sending import RateLimiter, TemporarySendError, deliveries_send_block
from apps.outreach.sms.twilio import twilio_signature
from apps.outreach.tasks import sms_stop_confirm_task
from tests.factories.outreach import CampaignFactory, member, outreach_manager

from .sms_gateways import FakeAfricasTalking, FakeTwilio

pytestmark = pytest.mark.django_db

BASE_URL = "https://portal.example.org"


def started(campaign):
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    return list(Delivery.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))


@pytest.fixture
def twilio(settings):
    gateway = FakeTwilio("AC" + "1" * 32, "twilio-auth-token")
    settings.OUTREACH_SMS_BACKEND = "apps.outreach.sms.twilio.TwilioSmsBackend"
    settings.OUTREACH_TWILIO_API_URL = gateway.url
    settings.OUTREACH_TWILIO_ACCOUNT_SID = gateway.account_sid
    settings.OUTREACH_TWILIO_AUTH_TOKEN = gateway.auth_token
    settings.OUTREACH_SMS_SENDER = "+15005550006"
    settings.OUTREACH_SMS_WEBHOOK_BASE_URL = BASE_URL
    settings.OUTREACH_SMS_GATEWAY_RATES = {"twilio": 1000.0}
    yield gateway
    gateway.stop()


@pytest.fixture
def africastalking(settings):
    gateway = FakeAfricasTalking("sandbox", "at-api-key")
    settings.OUTREACH_SMS_BACKEND = "apps.outreach.sms.africastalking.AfricasTalkingSmsBackend"
    settings.OUTREACH_AFRICASTALKING_API_URL = gateway.url
    settings.OUTREACH_AFRICASTALKING_USERNAME = gateway.username
    settings.OUTREACH_AFRICASTALKING_API_KEY = gateway.api_key
    settings.OUTREACH_SMS_SENDER = "PORTAL"
    settings.OUTREACH_SMS_WEBHOOK_TOKEN = "at-callback-secret"
    settings.OUTREACH_SMS_GATEWAY_RATES = {"africastalking": 1000.0}
    yield gateway
    gateway.stop()


def twilio_post(client, path, params, signature):
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, HTTP_HOST="portal.example.org", secure=True)


# Twilio ---------------------------------------------------------------------------------------------------------


def test_twilio_signature_matches_the_example_in_twilios_security_documentation():
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030",
              "To": "+18005551212"}  # fmt: skip
    assert twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) == (
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    )


def test_a_campaign_goes_through_twilio_with_basic_auth_and_a_status_callback(twilio):
    reader_ar, reader_fr = member("ar"), member("fr")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == ids
    forms = {r["form"]["To"]: r["form"] for r in twilio.requests}
    assert forms[reader_ar.phone]["Body"].startswith(f"مرحبا {reader_ar.first_name}")
    assert forms[reader_fr.phone]["From"] == "+15005550006"
    assert forms[reader_fr.phone]["StatusCallback"] == f"{BASE_URL}/api/v1/outreach/sms/twilio/receipts/"
    sids = set(Delivery.objects.values_list("provider_message_id", flat=True))
    assert sids == set(twilio.messages) and all(sid.startswith("SM") for sid in sids)


def test_twilio_receipts_mark_delivered_or_failed_and_an_unsigned_one_changes_nothing(twilio, client):
    member("en"), member("en")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    first, second = (Delivery.objects.get(pk=pk) for pk in ids)

    path, params, signature = twilio.status_callback(first.provider_message_id, "delivered")
    assert twilio_post(client, path, params, "forged" + signature[6:]).status_code == 403
    assert twilio_post(client, path, {**params, "MessageStatus": "undelivered"}, signature).status_code == 403
    first.refresh_from_db()
    assert first.state == "sent"
    assert twilio_post(client, path, params, signature).status_code == 200
    first.refresh_from_db()
    assert first.state == "delivered"

    path, params, signature = twilio.status_callback(second.provider_message_id, "undelivered", error_code="30003")
    assert twilio_post(client, path, params, signature).status_code == 200
    second.refresh_from_db()
    assert second.state == "failed" and "30003" in second.reason
    # A receipt for a gateway that is not the configured one is a 404; one missing its fields a 400.
    assert client.post("/api/v1/outreach/sms/africastalking/receipts/", {}).status_code == 404
    bare = {"AccountSid": twilio.account_sid}
    assert twilio_post(client, path, bare, twilio.sign(f"{BASE_URL}{path}", bare)).status_code == 400


def test_twilio_429_and_5xx_are_temporary_and_an_invalid_number_fails_alone(twilio):
    good = member("en")
    bad = member("en")
    bad.phone = "0612345678"  # not international: Twilio answers 400 (21211)
    bad.save(update_fields=["phone"])
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    twilio.statuses = [429]
    with pytest.raises(TemporarySendError):
        deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"pending"}
    deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    states = dict(Delivery.objects.values_list("address", "state"))
    assert states == {good.phone: "sent", bad.phone: "failed"}
    assert "21211" in Delivery.objects.get(address=bad.phone).reason


@pytest.mark.parametrize(
    "text", ["STOP", "stop", "Stop.", "ARRET", "Arrêt", "arrêt !", "STOP ALL", "توقف", "إلغاء", "ايقاف", "تَوَقَّف"]
)
def test_stop_in_english_french_or_arabic_withdraws_sms_consent_and_is_confirmed(
    twilio, client, text, django_capture_on_commit_callbacks
):
    person = member("fr")
    path, params, signature = twilio.inbound(BASE_URL, person.phone, text)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = twilio_post(client, path, params, signature)
    assert response.status_code == 200 and b"<Response>" in response.content  # TwiML, no automatic reply
    person.refresh_from_db()
    assert person.consent_sms is False
    assert len(callbacks) == 1  # the confirmation, queued after commit
    sms_stop_confirm_task.apply(args=(person.phone, "fr")).get()
    confirmation = twilio.requests[-1]["form"]
    assert confirmation["To"] == person.phone and "plus de SMS" in confirmation["Body"]


def test_a_message_that_is_not_a_stop_word_changes_nothing_and_an_unsigned_stop_is_refused(twilio, client):
    person = member("en")
    path, params, signature = twilio.inbound(BASE_URL, person.phone, "Stop at the bus station at 8")
    assert twilio_post(client, path, params, signature).status_code == 200
    path, params, _signature = twilio.inbound(BASE_URL, person.phone, "STOP")
    assert twilio_post(client, path, params, "bm90IHNpZ25lZA==").status_code == 403
    person.refresh_from_db()
    assert person.consent_sms is True


# Africa's Talking -----------------------------------------------------------------------------------------------


def test_a_campaign_goes_through_africas_talking_and_its_recipient_status_codes_are_read(africastalking):
    member("en"), member("en"), member("en")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    africastalking.recipient_codes = [101, 403, 405]  # sent; invalid number; insufficient balance (temporary)
    with pytest.raises(TemporarySendError):
        deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    states = list(Delivery.objects.order_by("id").values_list("state", flat=True))
    assert states == ["sent", "failed", "pending"]
    request = africastalking.requests[0]
    assert request["headers"]["apiKey"] == "at-api-key" and request["form"]["username"] == "sandbox"
    assert request["form"]["from"] == "PORTAL"
    assert Delivery.objects.get(pk=ids[0]).provider_message_id.startswith("ATXid_")


def test_africas_talking_delivery_reports_need_the_callback_token(africastalking, client):
    member("en"), member("en")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    first, second = (Delivery.objects.get(pk=pk) for pk in ids)
    url = "/api/v1/outreach/sms/africastalking/receipts/"
    report = africastalking.delivery_report(first.provider_message_id, "Success")
    assert client.post(url, report).status_code == 403
    assert client.post(f"{url}?token=wrong", report).status_code == 403
    assert client.post(f"{url}?token=at-callback-secret", report).status_code == 200
    report = africastalking.delivery_report(second.provider_message_id, "Failed", "UserDoesNotExist")
    assert client.post(f"{url}?token=at-callback-secret", report).status_code == 200
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == ("delivered", "failed") and "UserDoesNotExist" in second.reason


def test_an_arabic_stop_through_africas_talking_withdraws_consent(africastalking, client):
    person = member("ar")
    url = "/api/v1/outreach/sms/africastalking/inbound/?token=at-callback-secret"
    assert client.post(url, africastalking.inbound(person.phone, " توقف ")).status_code == 200
    person.refresh_from_db()
    assert person.consent_sms is False
    sms_stop_confirm_task.apply(args=(person.phone, "ar")).get()
    assert "لن تصلك" in africastalking.requests[-1]["form"]["message"]


# Before sending, and pace -------------------------------------------------------------------------------------


def test_the_confirmation_of_an_sms_campaign_shows_segments_per_language_and_the_cost(client, settings):
    settings.OUTREACH_SMS_SEGMENT_PRICE = "0.10"
    settings.OUTREACH_SMS_CURRENCY = "EUR"
    manager = outreach_manager()
    member("ar"), member("ar"), member("fr")
    campaign = CampaignFactory(created_by=manager, channel="sms")
    client.force_login(manager)
    page = client.post(f"/outreach/campaigns/{campaign.pk}/schedule/", {"when": "now"}).content.decode()
    assert "UCS-2" in page and "GSM-7" in page
    # Arabic "مرحبا Amina" + opt-out: one UCS-2 segment each; French: one GSM-7 segment. 3 segments × 0.10.
    assert "3 SMS segments × 0.10 EUR = 0.30 EUR" in page


def test_each_gateway_has_its_own_rate_in_segments_per_second(settings):
    from apps.outreach.sms.twilio import TwilioSmsBackend

    settings.OUTREACH_SMS_GATEWAY_RATES = {"twilio": 4.0}
    assert TwilioSmsBackend().rate_limit() == 4.0
    limiter = RateLimiter("sms", key=f"test-{time.time()}", limit=4.0)
    started_at = time.monotonic()
    for _ in range(4):
        limiter.wait(3)  # a three-segment message takes three
    # 12 segments at 4 per second span three one-second windows: at least the whole middle one is waited.
    assert time.monotonic() - started_at >= 1.0
