import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.core.roles import Role
from apps.outreach.models import Campaign
from tests.factories import user_with_role
from tests.factories.outreach import CampaignFactory, SegmentFactory, member, outreach_manager

pytestmark = pytest.mark.django_db

OTHER_ROLES = [r for r in Role.values if r not in (Role.OUTREACH_MANAGER, Role.ADMINISTRATOR)]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_from_the_api_and_the_pages(role, client):
    user = user_with_role(role)
    campaign = CampaignFactory()
    for url in ("/api/v1/segments/", "/api/v1/campaigns/", f"/api/v1/campaigns/{campaign.pk}/stats/"):
        response = api(user).get(url)
        assert response.status_code == 403 and "error" in response.json()
    assert api(user).post(f"/api/v1/campaigns/{campaign.pk}/schedule/", {}).status_code == 403
    client.force_login(user)
    for url in ("/outreach/", f"/outreach/campaigns/{campaign.pk}/", "/outreach/segments/"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/outreach/").status_code == 302
    assert APIClient().get("/api/v1/campaigns/").status_code in (401, 403)


def test_an_outreach_manager_creates_a_segment_previews_it_and_schedules_a_campaign_through_the_api():
    manager = outreach_manager()
    member("fr", reads=["fr", "ar"]), member("ar", reads=["ar"]), member("en", reads=["en"])
    client = api(manager)
    preview = client.post("/api/v1/segments/preview/", {"filters": {"languages": ["ar"]}}, format="json").json()
    assert preview["count"] == 2 and preview["by_language"] == {"fr": 1, "ar": 1}
    segment = client.post(
        "/api/v1/segments/", {"name": "Arabic readers", "filters": {"languages": ["ar"]}}, format="json"
    ).json()
    assert client.get(f"/api/v1/segments/{segment['id']}/count/?channel=sms").json()["count"] == 2
    created = client.post(
        "/api/v1/campaigns/",
        {
            "name": "Forum",
            "kind": "event_invitation",
            "channel": "email",
            "segment": segment["id"],
            "sender_name": "Ministry",
            "default_language": "fr",
            "messages": [{"language": "fr", "subject": "Forum", "body": "Bonjour {first_name}"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = client.post(f"/api/v1/campaigns/{pk}/schedule/", {}, format="json")
    assert refused.status_code == 400 and "Arabic: 1 recipient" in str(refused.json()["error"])
    scheduled = client.post(f"/api/v1/campaigns/{pk}/schedule/", {"send_default_language": True}, format="json")
    assert scheduled.status_code == 200 and scheduled.json()["state"] == "scheduled"
    stats = client.get(f"/api/v1/campaigns/{pk}/stats/").json()
    assert stats["total"] == 0 and stats["remaining"] == 0


def test_bad_input_gets_the_error_shape_and_nothing_is_created():
    manager = outreach_manager()
    segment = SegmentFactory()
    client = api(manager)
    body = {
        "name": "Bad",
        "kind": "newsletter",
        "channel": "email",
        "segment": segment.pk,
        "sender_name": "Ministry",
        "messages": [{"language": "en", "subject": "Hi", "body": "Hello {favourite_colour}"}],
    }
    response = client.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400
    assert "{favourite_colour}" in str(response.json()["error"]["fields"])
    assert not Campaign.objects.exists()
    past = CampaignFactory(segment=segment)
    member("en")
    response = client.post(f"/api/v1/campaigns/{past.pk}/schedule/", {"send_at": "2020-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 400 and "send_at" in response.json()["error"]["fields"]
    bad_filter = client.post("/api/v1/segments/", {"name": "x", "filters": {"nope": 1}}, format="json")
    assert bad_filter.status_code == 400


def test_pause_resume_cancel_through_the_api_answer_400_when_the_state_does_not_allow_it():
    manager = outreach_manager()
    campaign = CampaignFactory()
    client = api(manager)
    assert client.post(f"/api/v1/campaigns/{campaign.pk}/pause/").status_code == 400
    assert client.post(f"/api/v1/campaigns/{campaign.pk}/cancel/").json()["state"] == "cancelled"
    assert client.post(f"/api/v1/campaigns/{campaign.pk}/resume/").status_code == 400


def test_the_schema_documents_segments_and_campaigns():
    schema = APIClient().get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/segments/",
        "/api/v1/segments/preview/",
        "/api/v1/campaigns/{id}/schedule/",
        "/api/v1/campaigns/{id}/pause/",
        "/api/v1/campaigns/{id}/stats/",
    ):
        assert path in schema["paths"]


def _queries(callable_):
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/campaigns/?page_size=100", "/api/v1/segments/?page_size=100", "/outreach/", "/outreach/segments/"]
)
def test_lists_run_the_same_number_of_queries_for_10_and_100_rows(url, client):
    manager = outreach_manager()
    segment = SegmentFactory(created_by=manager)
    client.force_login(manager)
    getter = (
        (lambda: api(User.objects.get(pk=manager.pk)).get(url)) if url.startswith("/api") else (lambda: client.get(url))
    )
    for _ in range(10):
        CampaignFactory(segment=segment)
        SegmentFactory(created_by=manager)
    at_10 = _queries(getter)
    for _ in range(90):
        CampaignFactory(segment=segment)
        SegmentFactory(created_by=manager)
    assert _queries(getter) == at_10


def test_the_campaign_page_shows_previews_per_language_and_the_progress_fragment(client):
    manager = outreach_manager()
    member("ar")
    campaign = CampaignFactory(created_by=manager, channel="sms")
    client.force_login(manager)
    page = client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "مرحبا Amina" in page and "UCS-2" in page and 'data-testid="campaign-progress"' in page
    fragment = client.get(f"/outreach/campaigns/{campaign.pk}/progress/").content.decode()
    assert fragment.strip().startswith("<div") and "<html" not in fragment


def test_the_message_form_keeps_what_was_typed_and_says_what_is_wrong(client):
    manager = outreach_manager()
    campaign = CampaignFactory(created_by=manager, messages=[])
    client.force_login(manager)
    response = client.post(
        f"/fr/outreach/campaigns/{campaign.pk}/messages/fr/", {"subject": "Salut", "body": "Bonjour {prenom}"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Bonjour {prenom}" in page and "is-invalid" in page
    assert not campaign.messages.exists()


def test_scheduling_from_the_page_in_the_past_shows_the_error_and_keeps_the_draft(client):
    manager = outreach_manager()
    member("en")
    campaign = CampaignFactory(created_by=manager)
    client.force_login(manager)
    response = client.post(
        f"/outreach/campaigns/{campaign.pk}/schedule/", {"when": "later", "send_at": "2020-01-01T10:00"}, follow=True
    )
    assert "past" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_the_navigation_shows_campaigns_to_outreach_managers_only(client):
    client.force_login(outreach_manager())
    assert "/outreach/" in client.get("/dashboard/").content.decode()
    client.force_login(user_with_role(Role.ANALYST))
    assert 'href="/outreach/"' not in client.get("/dashboard/").content.decode()


def test_a_segment_without_filters_is_a_400_naming_the_field_not_a_500():
    client = api(outreach_manager())
    response = client.post("/api/v1/segments/", {"name": "Everyone?"}, format="json")
    assert response.status_code == 400
    assert "filters" in response.json()["error"]["fields"]
    everyone = client.post("/api/v1/segments/", {"name": "Everyone", "filters": {}}, format="json")
    assert everyone.status_code == 201
