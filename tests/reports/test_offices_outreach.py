"""The offices and outreach reports against fixtures whose every figure is known; office managers' scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.core.roles import Role
from apps.offices.models import Contact, Referral
from apps.outreach.models import Delivery
from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from apps.reports.services import report_views_refresh
from apps.skills.models import ConsentRecord
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, ReferralFactory, manager
from tests.factories.outreach import CampaignFactory, member

pytestmark = pytest.mark.django_db

CONTACTS_A = 20
CONTACTS_B = 3


def office_secrets() -> list[str]:
    return [f"Clientname{i}q" for i in range(CONTACTS_A + CONTACTS_B)] + [
        f"Summarytext{i}q" for i in range(CONTACTS_A + CONTACTS_B)
    ]


@pytest.fixture
def known_offices(db):
    """Office A (Senegal, 20 contacts) and office B (Morocco, 3 contacts); 19 referrals from office A."""
    office_a = OfficeFactory(organisation__name="Dakar migration office", organisation__country_id="SN")
    office_b = OfficeFactory(organisation__name="Casablanca resource centre", organisation__country_id="MA")
    chamber = OrganisationFactory(name="Chamber of commerce")
    training = OrganisationFactory(name="Training centre")
    bank = OrganisationFactory(name="Microcredit bank")
    for i in range(CONTACTS_A + CONTACTS_B):
        office = office_a if i < CONTACTS_A else office_b
        person = PersonFactory(office=office, name_latin=f"Clientname{i}q")
        channel = "walk_in" if i < 12 else "hotline" if i < 20 else "family_report"
        topics = (["pre_departure"] if i < 10 else ["employment"] if i < 16 else []) + (
            ["rights_protection"] if i < 3 else []
        )
        follow_up = {}
        if i < 10:  # done on time
            follow_up = {"follow_up_due": date(2026, 1, 20), "follow_up_done_at": datetime(2026, 1, 18, tzinfo=UTC)}
        elif i < 18:  # overdue
            follow_up = {"follow_up_due": date(2026, 2, 1)}
        elif i == 18:  # late
            follow_up = {"follow_up_due": date(2026, 1, 20), "follow_up_done_at": datetime(2026, 2, 3, tzinfo=UTC)}
        if follow_up:
            follow_up["follow_up_assignee"] = manager(office)
        ContactFactory(
            person=person,
            office=office,
            channel=channel,
            family_relationship="mother" if channel == "family_report" else "",
            topics=topics,
            occurred_at=datetime(2026, 1 if i < 11 else 2, 10, 9, tzinfo=UTC),
            summary=f"Summarytext{i}q",
            **follow_up,
        )
        if i < 19:
            partner = chamber if i < 9 else bank if i < 17 else training
            status = "sent" if i < 10 else "accepted" if i < 18 else "declined"
            ReferralFactory(person=person, office=office_a, organisation=partner, status=status, reason=f"Reason{i}q")
    Referral.objects.update(created_at=datetime(2026, 1, 12, tzinfo=UTC))
    assert Contact.objects.count() == 23
    report_views_refresh(concurrently=False)
    return {"a": office_a, "b": office_b}


def figures(result, key, measure=0):
    return {row.label: row.cells[measure].display for row in result.table(key).rows}


def offices_report(**filters):
    return report_run(report=framework.get("offices"), filters=Filters(**filters))


def test_contacts_by_office_channel_topic_and_month(known_offices):
    result = offices_report()
    # Published rounded to 5 (true counts in comments).
    assert result.headline.display == "25"  # 23
    # Office B's 3 contacts are small, so office A (the only other row) is hidden too: the total would give it away.
    assert figures(result, "office") == {"Dakar migration office": "hidden", "Casablanca resource centre": "<5"}
    assert result.table("office").totals[0].display == "25"  # 23
    assert figures(result, "channel") == {"Walk-in": "10", "Hotline": "hidden", "Reported by a family member": "<5"}
    assert figures(result, "topic") == {
        "Pre-departure information": "10",  # 10
        "Employment and labour matching": "5",  # 6
        "Rights and protection": "<5",
    }
    assert result.table("topic").totals is None
    assert figures(result, "month") == {"January 2026": "10", "February 2026": "10"}  # 11, 12


def test_follow_ups_done_on_time_late_and_overdue(known_offices):
    result = offices_report()
    assert figures(result, "follow_up") == {"Done on time": "10", "Not done, past due": "hidden", "Done late": "<5"}
    assert result.table("follow_up").totals[0].display == "20"  # 19


def test_referrals_by_partner_and_outcome(known_offices):
    result = offices_report()
    assert figures(result, "referral_partner") == {
        "Chamber of commerce": "10",  # 9
        "Microcredit bank": "hidden",
        "Training centre": "<5",
    }
    assert figures(result, "referral_status") == {"Sent": "10", "Accepted": "hidden", "Declined": "<5"}


def test_the_offices_report_filters_by_country_of_the_office_and_month_of_contact(known_offices):
    result = offices_report(country="SN")
    assert result.headline.display == "20"
    assert figures(result, "office") == {"Dakar migration office": "20"}
    result = offices_report(month_from=date(2026, 2, 1), month_to=date(2026, 2, 1))
    assert result.headline.display == "10"  # 12
    assert figures(result, "month") == {"February 2026": "10"}


def test_an_office_manager_sees_the_offices_report_for_their_own_office_only(client, known_offices):
    client.force_login(manager(known_offices["a"]))
    body = client.get("/api/v1/reports/offices/").json()
    assert body["headline"]["value"] == 20
    office = next(t for t in body["tables"] if t["key"] == "office")
    assert [(r["label"], r["cells"][0]["value"]) for r in office["rows"]] == [("Dakar migration office", 20)]
    page = client.get("/reports/offices/").content.decode()
    assert "Dakar migration office" in page and "Casablanca resource centre" not in page
    assert "Casablanca resource centre" not in client.get("/reports/offices/export.csv").content.decode("utf-8-sig")
    assert [r["slug"] for r in client.get("/api/v1/reports/").json()] == ["offices"]


@pytest.mark.parametrize("slug", ["profiles", "skills", "outreach"])
def test_an_office_manager_gets_403_on_every_other_report(client, known_offices, slug):
    client.force_login(manager(known_offices["a"]))
    for url in (f"/reports/{slug}/", f"/reports/{slug}/export.csv", f"/api/v1/reports/{slug}/"):
        assert client.get(url).status_code == 403, url


def test_an_office_manager_without_an_office_and_office_staff_get_403(client, known_offices):
    client.force_login(user_with_role(Role.OFFICE_MANAGER, organisation=OrganisationFactory()))
    assert client.get("/reports/offices/").status_code == 403
    assert client.get("/api/v1/reports/offices/").status_code == 403
    client.force_login(user_with_role(Role.OFFICE_STAFF, organisation=known_offices["a"].organisation))
    assert client.get("/reports/offices/").status_code == 403


def test_the_offices_report_shows_no_client_name_or_contact_text(analyst_client, known_offices):
    for url in ("/reports/offices/", "/reports/offices/export.csv", "/api/v1/reports/offices/"):
        text = analyst_client.get(url).content.decode("utf-8-sig")
        assert not [s for s in office_secrets() if s in text], url
        assert "Reason1q" not in text


# Outreach -----------------------------------------------------------------------------------------------------


@pytest.fixture
def known_campaigns(db):
    """A newsletter by e-mail to 14 members (fr 9, ar 5) and an SMS alert to 6 (fr); 6 unsubscribes counted."""
    newsletter = CampaignFactory(name="Spring newsletter", channel="email", state="sent")
    alert = CampaignFactory(name="Funding alert by SMS", channel="sms", state="sent")
    sent_at = timezone.now() - timedelta(days=3)
    members = [member("fr" if i < 9 or i >= 14 else "ar", first_name=f"Membername{i}q") for i in range(20)]
    for i, profile in enumerate(members):
        campaign = newsletter if i < 14 else alert
        # newsletter: delivered 8, sent without a report yet 5, bounced 1; SMS: delivered 6
        state = "delivered" if i < 8 or i >= 14 else "sent" if i < 13 else "bounced"
        Delivery.objects.create(
            campaign=campaign,
            user=profile.user,
            profile=profile,
            channel=campaign.channel,
            language=profile.user.preferred_language,
            address=profile.user.email if campaign.channel == "email" else profile.phone,
            state=state,
            sent_at=sent_at,
        )
    # Six newsletter readers unsubscribe with the link; one SMS reader withdraws on the My data page (not an
    # unsubscribe from a message), and one newsletter reader's STOP by SMS rests on another consent.
    for profile in members[:6]:
        ConsentRecord.objects.create(
            profile=profile, purpose="newsletter_email", given=False, method="unsubscribe", text_version="1"
        )
    ConsentRecord.objects.create(profile=members[15], purpose="sms", given=False, method="my_data", text_version="1")
    ConsentRecord.objects.create(profile=members[7], purpose="sms", given=False, method="sms_stop", text_version="1")
    report_views_refresh(concurrently=False)
    return members


def outreach_report(**filters):
    return report_run(report=framework.get("outreach"), filters=Filters(**filters))


def test_messages_by_campaign_language_and_channel(known_campaigns):
    result = outreach_report()
    by_campaign = {row.label: [c.display for c in row.cells] for row in result.table("campaign").rows}
    # columns: delivered, sent (no report yet), bounced, failed, not sent. The bounced column holds a single
    # message: it cannot be protected, so it is withheld. Published rounded: 8, 5 and 6 all read 5.
    assert by_campaign == {
        "Spring newsletter": ["5", "5", "–", "0", "0"],
        "Funding alert by SMS": ["5", "0", "–", "0", "0"],
    }
    by_language = {row.label: [c.display for c in row.cells] for row in result.table("language").rows}
    # French: delivered 8 + 6, sent 1; Arabic: sent 4, bounced 1. The sent column (1 and 4, total 5) cannot be
    # protected: withheld; Arabic, with nothing left to show, is dropped.
    assert by_language == {"French": ["15", "–", "–", "0", "0"]}  # 14
    by_channel = {row.label: [c.display for c in row.cells] for row in result.table("channel").rows}
    assert by_channel == {"E-mail": ["5", "5", "–", "0", "0"], "SMS": ["5", "0", "–", "0", "0"]}
    assert result.headline is None  # the sum of the outcome columns is not published


def test_unsubscribes_are_counted_for_the_campaign_message_they_came_from(known_campaigns):
    result = outreach_report()
    assert figures(result, "unsubscribed") == {"Spring newsletter": "5"}  # 6
    assert figures(result, "unsubscribed_language") == {"French": "5"}


def test_the_outreach_report_filters_by_the_recipients_country_of_origin(known_campaigns):
    assert outreach_report(country="MA").table("campaign").rows == []
    assert figures(outreach_report(country="SN"), "campaign") == {"Spring newsletter": "5", "Funding alert by SMS": "5"}


def test_the_outreach_report_shows_no_member_name_or_address(analyst_client, known_campaigns):
    secrets = [f"Membername{i}q" for i in range(20)] + [p.user.email for p in known_campaigns]
    for url in ("/reports/outreach/", "/reports/outreach/export.csv", "/api/v1/reports/outreach/"):
        text = analyst_client.get(url).content.decode("utf-8-sig")
        assert not [s for s in secrets if s in text], url


def test_the_api_gives_the_same_figures_as_the_page_for_the_new_reports(analyst_client, known_offices):
    body = analyst_client.get("/api/v1/reports/offices/").json()
    page = analyst_client.get("/reports/offices/").content.decode()
    channel = next(t for t in body["tables"] if t["key"] == "channel")
    for row in channel["rows"]:
        assert row["label"] in page
    assert '<span dir="ltr">10</span>' in page and channel["rows"][0]["cells"][0]["value"] == 10  # 12 walk-ins
