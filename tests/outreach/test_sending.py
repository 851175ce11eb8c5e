"""Sending blocks into a real local SMTP sink and a local HTTP SMS stub (no worker: the task body is called)."""

import base64
import json

import pytest

from apps.outreach import services
from apps.outreach.models import AddressHold, Campaign, Delivery
from apps.outreach.sending import TemporarySendError, deliveries_send_block
from tests.factories import UserFactory
from tests.factories.outreach import CampaignFactory, member

pytestmark = pytest.mark.django_db


def started(campaign):
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    return list(Delivery.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))


def test_each_recipient_gets_the_message_in_their_language_with_unsubscribe_headers(sink):
    fr, ar = member("fr"), member("ar")
    campaign = CampaignFactory()
    ids = started(campaign)
    result = deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert sorted(result.sent) == ids
    french = sink.to(fr.user.email)[0]
    arabic = sink.to(ar.user.email)[0]
    assert french["Subject"] == f"Nouvelles pour {fr.first_name}"
    assert arabic["Subject"] == f"أخبار إلى {ar.first_name}"
    html = arabic.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Bonjour" in french.get_body(("plain",)).get_content()
    assert french["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = french["List-Unsubscribe"].strip()
    assert header.startswith("<http") and "/fr/outreach/unsubscribe/" in header
    delivery = Delivery.objects.get(profile=fr)
    assert french["Message-ID"] == f"<delivery-{delivery.pk}.{campaign.pk}@portal.localhost>"
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_re_running_a_block_sends_nothing_twice(sink):
    for _ in range(3):
        member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    again = deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert again.sent == [] and len(sink.messages) == 3
    assert set(sink.message_ids().values()) == {1}


def test_a_paused_campaign_claims_nothing_and_sends_after_resume(sink):
    member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    services.campaign_pause(actor=campaign.created_by, campaign=campaign)
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == []
    services.campaign_resume(actor=campaign.created_by, campaign=campaign)
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == ids


def test_html_in_a_message_is_escaped_in_the_html_part(sink):
    member("en")
    campaign = CampaignFactory(messages=[])
    services.campaign_message_set(
        actor=campaign.created_by,
        campaign=campaign,
        language="en",
        subject="News",
        body="Hello <script>alert(1)</script>",
    )
    deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    html = sink.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_arabic_message_greets_with_the_names_in_arabic_script_and_the_others_with_the_latin_ones(sink):
    from apps.outreach.models import CampaignMessage

    rashid = member("ar", first_name="Rashid", last_name="Benali", first_name_ar="راشد", last_name_ar="بنعلي")
    latin_only = member("ar", first_name="Awa", last_name="Diop", first_name_ar="", last_name_ar="")
    french = member("fr", first_name="Mohamed", last_name="Salem", first_name_ar="محمد", last_name_ar="سالم")
    campaign = CampaignFactory(messages=[])
    for language, body in (("en", "Hello {first_name},"), ("ar", "مرحبا {first_name} ({full_name})،"),
                           ("fr", "Bonjour {first_name} ({full_name}),")):  # fmt: skip
        CampaignMessage.objects.create(campaign=campaign, language=language, subject=f"{language} {{first_name}}",
                                       body=body)  # fmt: skip
    for _index in range(3):  # the block's first message is composed the standard way, the others directly
        member("ar", first_name="Lina", first_name_ar="لينا", last_name_ar="")
    deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)

    def text(profile):
        return sink.to(profile.user.email)[0].get_body(("plain",)).get_content()

    assert "مرحبا راشد (راشد بنعلي)،" in text(rashid) and sink.to(rashid.user.email)[0]["Subject"] == "ar راشد"
    assert "مرحبا Awa (Awa Diop)،" in text(latin_only)
    assert "Bonjour Mohamed (Mohamed Salem)," in text(french)  # a French message keeps the Latin names
    assert sum(m["Subject"] == "ar لينا" for m in sink.messages) == 3  # composed directly, the same


@pytest.mark.parametrize("pipelining", [False, True])
def test_a_refused_recipient_fails_with_the_reason_and_the_others_are_sent(sink, pipelining):
    sink.pipelining = pipelining
    refused, fine = member("en"), member("en")
    sink.refuse[refused.user.email] = "550 No such user"
    campaign = CampaignFactory()
    deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    assert Delivery.objects.get(profile=refused).state == "failed"
    assert "550" in Delivery.objects.get(profile=refused).reason
    assert Delivery.objects.get(profile=fine).state == "sent"


@pytest.mark.parametrize("pipelining", [False, True])
def test_in_a_block_a_refused_message_or_recipient_fails_alone_between_messages_that_are_sent(sink, pipelining):
    # The next envelope goes with a message's dot: a refusal of either must fail that message only.
    sink.pipelining = pipelining
    members = [member("en") for _ in range(5)]
    sink.refuse_data[members[1].user.email] = "554 Message refused"
    sink.refuse[members[2].user.email] = "550 No such user"
    campaign = CampaignFactory()
    result = deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    states = [Delivery.objects.get(profile=m) for m in members]
    assert [d.state for d in states] == ["sent", "failed", "failed", "sent", "sent"]
    assert "554" in states[1].reason and "550" in states[2].reason
    assert len(result.sent) == 3 and len(sink.messages) == 3


@pytest.mark.parametrize("pipelining", [False, True])
def test_in_a_block_a_message_that_cannot_be_rendered_fails_alone(sink, pipelining, monkeypatch):
    from apps.outreach import sending

    sink.pipelining = pipelining
    members = [member("fr") for _ in range(4)]
    campaign = CampaignFactory()
    ids = started(campaign)
    broken = Delivery.objects.get(profile=members[2]).pk
    original = sending.campaign_message_bytes

    def compose(delivery, *args, **kwargs):
        if delivery.pk == broken:
            raise ValueError("a template that cannot render")
        return original(delivery, *args, **kwargs)

    monkeypatch.setattr(sending, "campaign_message_bytes", compose)
    result = deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert result.failed == [broken] and len(result.sent) == 3 and len(sink.messages) == 3
    assert "cannot render" in Delivery.objects.get(pk=broken).reason


@pytest.mark.parametrize("pipelining", [False, True])
def test_a_temporary_refusal_gives_the_unsent_deliveries_back_for_a_retry(sink, pipelining):
    sink.pipelining = pipelining
    first, second = member("en"), member("en")
    sink.refuse[second.user.email] = "451 Try again later"
    campaign = CampaignFactory()
    ids = started(campaign)
    with pytest.raises(TemporarySendError):
        deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert Delivery.objects.get(profile=first).state == "sent"
    assert Delivery.objects.get(profile=second).state == "pending"
    # Waiting for its retry, the worker stops beating: the row is nobody's, so the sweep leaves it to the backoff.
    assert Delivery.objects.get(profile=second).claimed_by == ""
    sink.refuse.clear()
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == [
        Delivery.objects.get(profile=second).pk
    ]


def test_an_unreachable_smtp_server_is_a_temporary_failure(sink, settings):
    member("en")
    settings.OUTREACH_EMAIL_PORT = 1  # nothing listens there
    campaign = CampaignFactory()
    ids = started(campaign)
    with pytest.raises(TemporarySendError):
        deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert Delivery.objects.get().state == "pending"


def test_sms_goes_through_the_http_gateway_with_the_opt_out_text(sms_stub):
    person = member("ar")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    result = deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert result.sent == ids
    request = sms_stub.requests[0]
    assert request["authorization"] == "Bearer stub-token"
    assert request["body"]["to"] == person.phone
    assert request["body"]["text"].startswith(f"مرحبا {person.first_name}")
    assert Delivery.objects.get().provider_message_id == "sms-1"


def test_sms_gateway_errors_are_temporary_on_5xx_and_permanent_on_4xx(sms_stub):
    member("en"), member("en")
    campaign = CampaignFactory(channel="sms")
    ids = started(campaign)
    sms_stub.statuses = [400, 503]
    with pytest.raises(TemporarySendError):
        deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert list(Delivery.objects.order_by("id").values_list("state", flat=True)) == ["failed", "pending"]


def test_notifications_ignore_newsletter_consent_but_never_reach_an_erased_account(sink):
    from django.utils import timezone

    person = member("fr", consent_newsletter_email=False)
    delivery = services.notification_send(
        user=person.user, kind="decision", context={"title": "Dossier 12", "decision": "approuvé"}, idempotency_key="k1"
    )
    assert services.notification_send(user=person.user, kind="decision", context={}, idempotency_key="k1") == delivery
    deliveries_send_block(delivery_ids=[delivery.pk], campaign_id=None)
    message = sink.to(person.user.email)[0]
    assert "Dossier 12" in message["Subject"] and "Décision" in message["Subject"]
    assert message["List-Unsubscribe"] is None
    erased = UserFactory(erased_at=timezone.now())
    assert services.notification_send(user=erased, kind="decision", context={"title": "x", "decision": "y"}) is None


def test_a_notification_to_an_account_erased_after_it_was_queued_is_skipped(sink):
    from django.utils import timezone

    user = UserFactory(preferred_language="ar")
    delivery = services.notification_send(user=user, kind="decision", context={"title": "x", "decision": "y"})
    user.erased_at = timezone.now()
    user.save()
    assert deliveries_send_block(delivery_ids=[delivery.pk], campaign_id=None).skipped == [delivery.pk]
    assert sink.messages == []


def _postmark(client, settings, payload):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    auth = base64.b64encode(b"hook:secret").decode()
    return client.post(
        "/api/v1/outreach/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_provider_webhooks_mark_delivered_and_a_hard_bounce_holds_the_address(sink, client, settings):
    delivered, bounced = member("en"), member("en")
    campaign = CampaignFactory()
    deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    d1, d2 = Delivery.objects.get(profile=delivered), Delivery.objects.get(profile=bounced)
    response = _postmark(
        client,
        settings,
        {
            "RecordType": "Delivery",
            "MessageID": "x",
            "Recipient": d1.address,
            "Metadata": {"delivery_id": str(d1.pk)},
            "DeliveredAt": "2026-11-23T10:00:00Z",
        },
    )
    assert response.status_code == 200
    _postmark(
        client,
        settings,
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "MessageID": "y",
            "Email": d2.address,
            "Metadata": {"delivery_id": str(d2.pk)},
            "Description": "Unknown user",
            "BouncedAt": "2026-11-23T10:00:00Z",
        },
    )
    d1.refresh_from_db(), d2.refresh_from_db()
    assert (d1.state, d2.state) == ("delivered", "bounced")
    assert AddressHold.objects.filter(address=d2.address).exists()
    # The address on hold is no longer a recipient of the next campaign.
    next_campaign = CampaignFactory(segment=campaign.segment)
    assert [d.profile for d in Delivery.objects.filter(pk__in=started(next_campaign))] == [delivered]


def test_a_webhook_without_the_secret_changes_nothing(client, settings, sink):
    member("en")
    campaign = CampaignFactory()
    deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    response = client.post(
        "/api/v1/outreach/anymail/postmark/tracking/",
        data=json.dumps(
            {
                "RecordType": "Bounce",
                "Type": "HardBounce",
                "Email": "x@example.org",
                "Metadata": {"delivery_id": str(Delivery.objects.get().pk)},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code in (400, 401, 403)
    assert Delivery.objects.get().state == "sent"


def test_a_claim_left_by_a_dead_worker_is_given_back_after_the_lease_and_sent_once(sink, settings):
    from datetime import timedelta

    from django.utils import timezone

    from apps.outreach.sending import deliveries_claim, deliveries_recover

    member("en"), member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    claimed, _skipped = deliveries_claim(delivery_ids=ids, campaign=campaign)  # the worker dies here
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == []  # still held
    Delivery.objects.filter(pk__in=claimed).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.OUTREACH_CLAIM_LEASE_SECONDS + 1)
    )
    assert deliveries_recover()["released"] == 2
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == ids
    assert len(sink.messages) == 2


def test_a_pause_takes_effect_between_claim_batches_of_a_block(sink, settings):
    settings.OUTREACH_CLAIM_BATCH = 1
    for _ in range(3):
        member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids[:1], campaign_id=campaign.pk)
    services.campaign_pause(actor=campaign.created_by, campaign=campaign)
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == []
    assert list(Delivery.objects.order_by("id").values_list("state", flat=True)) == ["sent", "pending", "pending"]


def test_the_rate_limit_holds_sending_to_the_configured_messages_per_second(settings):
    import time

    from apps.outreach.sending import RateLimiter

    settings.OUTREACH_RATE_LIMITS = {"sms": 4.0}
    limiter = RateLimiter("sms")
    time.sleep(1 - time.time() % 1)  # start at the beginning of a one-second window
    started = time.monotonic()
    for _ in range(9):  # 4 in this second, 4 in the next, 1 in the third
        limiter.wait()
    assert 1.8 <= time.monotonic() - started < 3.0


def test_the_provider_webhook_is_refused_without_its_secret_and_unknown_providers_are_404s(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    refused = client.post("/api/v1/outreach/anymail/postmark/tracking/", data="{}", content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_configured"
    other = client.post("/api/v1/outreach/anymail/mailgun/tracking/", data="{}", content_type="application/json")
    assert other.status_code == 404


def test_an_unreadable_provider_payload_is_a_400(client, settings):
    import base64

    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    auth = base64.b64encode(b"hook:secret").decode()
    response = client.post(
        "/api/v1/outreach/anymail/postmark/tracking/",
        data="not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "subject",
    ["News for Awa", "أخبار إلى عائشة " * 5, "Nouvelles pour Aïcha", "x" * 200],
)
def test_the_faster_message_composition_writes_the_same_bytes_as_django(subject):
    """DeliveryEmail skips the boundary scan and writes short ASCII headers directly: the message must stay
    byte for byte what Django's own EmailMultiAlternatives writes (boundary aside)."""
    from django.core.mail import EmailMultiAlternatives

    from apps.outreach.mail import DeliveryEmail

    fields = {
        "subject": subject,
        "body": "Bonjour\n" + "é" * 2000,
        "from_email": "Ministère <no-reply@example.org>",
        "to": ["a@example.org"],
        "headers": {
            "Message-ID": "<delivery-1.2@portal.localhost>",
            "List-Unsubscribe": "<http://localhost:8000/ar/outreach/unsubscribe/" + "x" * 120 + "/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Date": "Mon, 23 Nov 2026 13:00:00 -0000",
        },
    }
    standard, fast = EmailMultiAlternatives(**fields), DeliveryEmail(**fields)
    for email in (standard, fast):
        email.attach_alternative("<p dir='rtl'>é</p>", "text/html")
    expected_message = standard.message()
    fast_message = fast.message()
    boundary = fast_message.get_boundary()
    assert boundary.startswith("=_") and len(boundary) == 26
    expected_message.set_boundary(boundary)
    assert fast_message.as_bytes(linesep="\r\n") == expected_message.as_bytes(linesep="\r\n")
    assert fast.message().get_boundary() != boundary  # random per message


def test_sending_a_block_costs_the_same_few_queries_and_one_mark_per_recipient(sink):
    """Claiming and loading go per claim batch, never per recipient (no lazy loads of a field); the only query
    per recipient is the mark that records at once that the server accepted the message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other_queries = {}
    for size in (5, 40):
        for index in range(size - (5 if size == 40 else 0)):  # the 5 members of the first round stay
            member(("en", "fr", "ar")[index % 3])
        campaign = CampaignFactory()
        ids = started(campaign)
        with CaptureQueriesContext(connection) as queries:
            result = deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
        assert len(result.sent) == size
        marks = [q for q in queries.captured_queries if "INSERT INTO outreach_sentmark" in q["sql"]]
        assert len(marks) == size
        other_queries[size] = len(queries.captured_queries) - size
    assert other_queries[5] == other_queries[40] <= 16


def test_a_claim_finds_its_rows_by_key_and_does_not_read_the_whole_campaign():
    """Planned on the statistics from before the campaign started, the claim of a batch read every delivery of the
    campaign (an index on the campaign or the state, the batch's ids as a filter): O(recipients) per batch of 50."""
    from django.db import connection

    from apps.outreach.sending import _claim_params, _claim_sql

    for index in range(120):
        member(("en", "fr", "ar")[index % 3])
    campaign = CampaignFactory()
    ids = started(campaign)
    assert len(ids) == 120
    with connection.cursor() as cursor:
        # A table of 120 rows is read whole; at a campaign's size it is not: compare the indexes only.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + _claim_sql(campaign),
            _claim_params(delivery_ids=ids[:5], campaign=campaign, owner="test"),
        )
        plan = cursor.fetchone()[0]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    delivery_indexes = {"outreach_delivery_pkey", "delivery_campaign_state_idx", "delivery_once_per_campaign",
                        "outreach_delivery_campaign_id_4f8af1f4"}  # fmt: skip
    used = [node for node in nodes(plan[0]["Plan"]) if node.get("Index Name") in delivery_indexes]
    assert [node["Index Name"] for node in used] == ["outreach_delivery_pkey"], plan
    [heap] = [
        n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") == "outreach_delivery" and "Scan" in n["Node Type"]
    ]
    assert heap.get("Rows Removed by Filter", 0) <= 5


def _worker_holding(campaign, ids, name: str) -> None:
    from django.utils import timezone

    from apps.outreach.models import SendingWorker
    from apps.outreach.sending import deliveries_claim

    SendingWorker.objects.create(name=name, started_at=timezone.now(), heartbeat_at=timezone.now())
    deliveries_claim(delivery_ids=ids, campaign=campaign, owner=name)


def test_a_worker_of_this_host_whose_process_is_gone_gives_its_rows_back_without_waiting_for_its_heartbeat():
    import socket
    import subprocess

    from apps.outreach import workers
    from apps.outreach.sending import workers_dead_release

    member("en"), member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    gone = subprocess.Popen(["true"])
    gone.wait()  # killed and reaped: its process id exists no more
    _worker_holding(campaign, ids, f"{socket.gethostname()[:80]}:{gone.pid}:0badc0de:{workers._PID_NAMESPACE}")
    assert sorted(pk for pk, _campaign in workers_dead_release()) == ids  # its heartbeat is a second old
    assert set(Delivery.objects.values_list("state", "claimed_by")) == {("pending", "")}


@pytest.mark.parametrize("whose", ["alive", "another host", "another process namespace"])
def test_a_worker_that_may_be_alive_keeps_its_rows_until_its_heartbeat_stops(whose):
    import socket
    import subprocess

    from apps.outreach import workers
    from apps.outreach.sending import workers_dead_release

    member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    process = subprocess.Popen(["sleep", "30"])
    if whose != "alive":
        process.kill()
        process.wait()
    host = "elsewhere" if whose == "another host" else socket.gethostname()[:80]
    namespace = "1" if whose == "another process namespace" else workers._PID_NAMESPACE
    try:
        _worker_holding(campaign, ids, f"{host}:{process.pid}:0badc0de:{namespace}")
        assert workers_dead_release() == []
        assert set(Delivery.objects.values_list("state", flat=True)) == {"sending"}
    finally:
        process.kill()
        process.wait()


def test_the_marks_of_a_block_are_folded_into_its_rows_and_none_are_left(sink):
    from apps.outreach.models import SentMark

    for language in ("en", "fr", "ar"):
        member(language)
    campaign = CampaignFactory()
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"sent"}
    assert all(
        d.sent_at and d.provider_message_id.startswith("<delivery-") for d in Delivery.objects.filter(pk__in=ids)
    )
    assert not SentMark.objects.filter(delivery_id__in=ids).exists()
    assert Campaign.objects.get(pk=campaign.pk).state == "sent"


@pytest.mark.parametrize("path", ["dead worker", "lapsed claim", "temporary failure", "claimed again", "resume now"])
def test_a_row_marked_sent_but_not_yet_folded_is_never_given_back_nor_sent_again(sink, settings, path):
    """A worker killed between a mark and its batch's fold leaves marked rows in ``sending``: every path that gives
    claimed rows back (or claims a lapsed one) finds them sent."""
    from django.utils import timezone

    from apps.outreach.marks import delivery_mark_sent
    from apps.outreach.models import SendingWorker
    from apps.outreach.sending import deliveries_claim, deliveries_recover, deliveries_release, workers_dead_release

    marked_profile, other_profile = member("en"), member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    owner = "elsewhere:1:dead:ns"
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    SendingWorker.objects.create(name=owner, started_at=long_ago, heartbeat_at=long_ago)
    Delivery.objects.filter(pk__in=ids).update(state="sending", claimed_by=owner, claimed_at=long_ago)
    marked = Delivery.objects.get(profile=marked_profile)
    delivery_mark_sent(delivery_id=marked.pk, provider_message_id="<m@test>")
    if path == "dead worker":
        released = [pk for pk, _campaign in workers_dead_release()]
    elif path == "lapsed claim":
        SendingWorker.objects.all().delete()
        Delivery.objects.filter(pk__in=ids).update(claimed_by="")
        deliveries_recover()
        released = list(Delivery.objects.filter(pk__in=ids, state="pending").values_list("id", flat=True))
    elif path == "temporary failure":
        deliveries_release(ids)
        released = list(Delivery.objects.filter(pk__in=ids, state="pending").values_list("id", flat=True))
    elif path == "claimed again":
        settings.OUTREACH_CLAIM_LEASE_SECONDS = 60
        released, _skipped = deliveries_claim(delivery_ids=ids, campaign=campaign, owner="me")
    else:
        SendingWorker.objects.all().delete()
        services.campaign_resume_now(actor=campaign.created_by, campaign=Campaign.objects.get(pk=campaign.pk))
        released = list(Delivery.objects.filter(pk__in=ids, state="pending").values_list("id", flat=True))
    assert marked.pk not in released
    assert Delivery.objects.get(profile=other_profile).pk in released
    if path != "claimed again" and path != "temporary failure":
        marked.refresh_from_db()
        assert marked.state == "sent" and marked.provider_message_id == "<m@test>"  # folded first


@pytest.mark.parametrize("pipelining", [False, True])
def test_a_block_goes_out_composed_directly_and_each_message_as_the_standard_composition_writes_it(
    sink, caplog, monkeypatch, pipelining
):
    from django.core import signing

    from apps.outreach import sending
    from apps.outreach.models import CampaignMessage

    sink.pipelining = pipelining
    for index in range(6):
        member(("en", "fr", "ar")[index % 3], first_name="Member", last_name=str(1000 + index))
    campaign = CampaignFactory(messages=[], sender_name="Benchmark")
    for language, subject, body in (
        ("en", "News for {first_name}", "Hello {first_name} {last_name},\n\nThe portal has news for you."),
        ("fr", "Nouvelles pour {first_name}", "Bonjour {first_name} {last_name},\n\nLe portail a des nouvelles."),
        ("ar", "أخبار إلى {first_name}", "مرحبا {first_name} {last_name}،\n\nلدى البوابة أخبار لك."),
    ):
        CampaignMessage.objects.create(campaign=campaign, language=language, subject=subject, body=body)
    seconds = iter(range(10**6))  # every token signed a second after the one before: composing the block's first
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: str(next(seconds)))  # message twice
    direct = []
    original = sending.campaign_message_bytes
    monkeypatch.setattr(sending, "campaign_message_bytes", lambda *a, **k: direct.append(1) or original(*a, **k))
    with caplog.at_level("ERROR", logger="apps.outreach.sending"):
        result = deliveries_send_block(delivery_ids=started(campaign), campaign_id=campaign.pk)
    assert "differs" not in caplog.text
    assert len(result.sent) == 6 and len(direct) == 6  # the first one checked, the other five sent that way
    assert {m["Subject"] for m in sink.messages} >= {"News for Member", "Nouvelles pour Member", "أخبار إلى Member"}


@pytest.mark.parametrize("by", ["provider id", "delivery id"])
def test_a_receipt_that_arrives_before_its_batch_is_folded_finds_the_delivery_sent(by):
    """An SMS gateway may answer with a receipt while the message's mark still waits for its claim batch's fold
    (a batch of 50 SMS takes tens of seconds at a gateway's pace)."""
    from apps.outreach.marks import delivery_mark_sent
    from apps.outreach.services.tracking import delivery_tracking_record

    profile = member("en")
    campaign = CampaignFactory()
    (pk,) = started(campaign)
    Delivery.objects.filter(pk=pk).update(state="sending", claimed_by="w", claimed_at=timezone_now())
    delivery_mark_sent(delivery_id=pk, provider_message_id="SM0123")
    if by == "provider id":
        found = delivery_tracking_record(event_type="delivered", provider_message_id="SM0123")
    else:
        found = delivery_tracking_record(event_type="delivered", delivery_id=str(pk))
    assert found is not None and found.pk == pk
    assert Delivery.objects.get(profile=profile).state == "delivered"


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_the_campaign_page_counts_a_message_accepted_before_its_batch_is_folded_as_sent():
    """At an SMS gateway's pace a claim batch takes tens of seconds to fold: the page must not lag behind it."""
    from django.utils import timezone

    from apps.outreach.marks import delivery_mark_sent, marks_fold
    from apps.outreach.models import SendingWorker
    from apps.outreach.selectors import campaign_stats

    member("en"), member("en")
    campaign = CampaignFactory()
    first, second = started(campaign)
    SendingWorker.objects.create(name="w", started_at=timezone.now(), heartbeat_at=timezone.now())
    Delivery.objects.filter(pk__in=[first, second]).update(state="sending", claimed_by="w", claimed_at=timezone.now())
    campaign = Campaign.objects.get(pk=campaign.pk)
    before = campaign_stats(campaign=campaign)
    assert (before["sent"], before["remaining"], before["last_sent_at"]) == (0, 2, None)
    delivery_mark_sent(delivery_id=first, provider_message_id="<1@test>")
    stats = campaign_stats(campaign=campaign)
    assert (stats["sent"], stats["remaining"], stats["percent"]) == (1, 1, 50)
    assert stats["last_sent_at"] is not None and stats["seconds_since_last_message"] == 0
    assert stats["health"] == "ok"
    marks_fold([first])
    folded = campaign_stats(campaign=campaign)
    assert (folded["sent"], folded["remaining"], folded["last_sent_at"]) == (1, 1, stats["last_sent_at"])
