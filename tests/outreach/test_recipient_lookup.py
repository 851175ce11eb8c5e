"""The recipient lookup of a campaign (apps.core.names through the skills bank's name words): both scripts and
spellings, same script first, with the explanation, within the campaign, refused to the wrong roles."""

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.outreach.models import Campaign, Delivery
from apps.outreach.selectors import RECIPIENTS_SHOWN, campaign_recipients_named
from tests.factories import user_with_role
from tests.factories.outreach import CampaignFactory, member
from tests.factories.skills import profile_renamed as _named

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_campaign():
    campaign = CampaignFactory(state=Campaign.State.SENT)
    people = {
        "arabic": _named(member(), "", "", "يوسف", "العمراني"),
        "latin": _named(member(), "Youssef", "El Amrani"),
        "sahel": _named(member(), "Youssouf", "Traoré"),
        "other": _named(member(), "Younes", "Amrani"),
    }
    for profile in people.values():
        Delivery.objects.create(
            campaign=campaign, user=profile.user, profile=profile, channel="email", language="fr",
            address=profile.user.email, state=Delivery.State.DELIVERED,
        )  # fmt: skip
    return campaign, people


def test_the_recipient_lookup_finds_both_scripts_and_spellings_same_script_first(sent_campaign):
    campaign, people = sent_campaign
    found, more = campaign_recipients_named(campaign=campaign, query="Youssef")
    assert [r.delivery.profile_id for r in found] == [people["latin"].pk, people["sahel"].pk, people["arabic"].pk]
    assert [r.explanation for r in found] == [
        "",
        "Spelling \u2068Youssouf\u2069 matches \u2068Youssef\u2069",
        "Arabic name \u2068يوسف\u2069 matches \u2068Youssef\u2069",
    ]
    assert more is False
    found, _more = campaign_recipients_named(campaign=campaign, query="يوسف العمراني")
    assert [r.delivery.profile_id for r in found] == [people["arabic"].pk, people["latin"].pk]


def test_the_recipient_lookup_stays_in_its_campaign_and_says_when_there_are_more(sent_campaign):
    campaign, people = sent_campaign
    other = CampaignFactory(state=Campaign.State.SENT)
    assert campaign_recipients_named(campaign=other, query="Youssef") == ([], False)
    for _ in range(RECIPIENTS_SHOWN):
        profile = _named(member(), "Yousef", "Test")
        Delivery.objects.create(campaign=campaign, user=profile.user, profile=profile, channel="email", language="fr")
    found, more = campaign_recipients_named(campaign=campaign, query="Youssef")
    assert len(found) == RECIPIENTS_SHOWN and more is True


@pytest.mark.parametrize("text", ["", "\u064e\u064f", "x" * 200, "Youssef يوسف", "ي", "\u200b\u202e", "!!"])
def test_the_recipient_lookup_takes_bad_names_without_error(sent_campaign, text):
    campaign, _people = sent_campaign
    campaign_recipients_named(campaign=campaign, query=text)


def test_the_recipient_page_in_arabic_explains_and_keeps_a_name_too_long(sent_campaign, client):
    campaign, people = sent_campaign
    client.force_login(user_with_role(Role.OUTREACH_MANAGER, preferred_language="ar"))
    url = reverse("outreach:campaign-recipients", args=[campaign.pk])
    page = client.get(url, {"name": "Youssef"}, follow=True)
    assert page.status_code == 200
    assert len(page.context["recipients"]) == 3
    assert "الاسم بالعربية" in page.content.decode()
    too_long = client.get(url, {"name": "Y" * 201}, follow=True)
    assert too_long.status_code == 200 and too_long.context["form"].errors["name"]
    assert too_long.context["recipients"] == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.OFFICE_MANAGER, Role.OFFICE_STAFF])
def test_other_roles_cannot_look_up_recipients(sent_campaign, client, role):
    campaign, _people = sent_campaign
    client.force_login(user_with_role(role))
    page = client.get(reverse("outreach:campaign-recipients", args=[campaign.pk]), {"name": "Youssef"})
    assert page.status_code == 403


def test_each_recipient_lookup_is_one_audit_event_with_the_name_and_the_count(sent_campaign, client):
    from apps.core.models import AuditEvent

    campaign, _people = sent_campaign
    client.force_login(user_with_role(Role.OUTREACH_MANAGER))
    url = reverse("outreach:campaign-recipients", args=[campaign.pk])
    client.get(url)  # the empty form reads nobody
    assert not AuditEvent.objects.filter(action="outreach.recipients.lookup").exists()
    client.get(url, {"name": "Youssef"}, follow=True)
    event = AuditEvent.objects.get(action="outreach.recipients.lookup")
    assert event.object_id == str(campaign.pk)
    assert event.extra["filters"] == {"name": "Youssef"} and event.extra["count"] == 3
