import datetime
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.outreach.models import Delivery
from apps.returns.models import FundingAlert, FundingOpportunity
from apps.returns.selectors import funding_alert_recipients
from apps.returns.services import (
    funding_alerts_send,
    funding_opportunity_create,
    funding_opportunity_publish,
)
from apps.skills.models import DiasporaProfile
from tests.factories.returns import FundingOpportunityFactory, member_profile, sector
from tests.notifications import notifications_deliver

pytestmark = pytest.mark.django_db
REASON_FR = "Vous recevez ce message car vous êtes abonné(e) aux lettres d'information par e-mail."


def draft(**overrides):
    return FundingOpportunityFactory(status=FundingOpportunity.Status.DRAFT, **overrides)


def test_negative_amounts_are_refused(editor):
    with pytest.raises(ValidationError) as caught:
        funding_opportunity_create(
            actor=editor,
            data={
                "title_en": "Grant",
                "funder": "Fund",
                "kind": "grant",
                "amount_min": -5,
                "deadline": timezone.localdate() + datetime.timedelta(days=5),
            },
            countries=["SN"],
        )
    assert "amount_min" in caught.value.message_dict
    assert FundingOpportunity.objects.count() == 0


def test_a_maximum_below_the_minimum_is_refused(editor):
    with pytest.raises(ValidationError) as caught:
        funding_opportunity_create(
            actor=editor,
            data={
                "title_en": "Grant",
                "funder": "Fund",
                "kind": "loan",
                "amount_min": 500,
                "amount_max": 100,
                "deadline": timezone.localdate() + datetime.timedelta(days=5),
            },
            countries=["SN"],
        )
    assert "amount_max" in caught.value.message_dict


def test_an_opportunity_needs_an_eligible_country(editor):
    with pytest.raises(ValidationError) as caught:
        funding_opportunity_create(
            actor=editor,
            data={
                "title_en": "Grant",
                "funder": "Fund",
                "kind": "grant",
                "deadline": timezone.localdate() + datetime.timedelta(days=5),
            },
            countries=[],
        )
    assert "countries" in caught.value.message_dict


def test_publishing_with_a_deadline_before_today_is_refused(editor):
    opportunity = draft(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        funding_opportunity_publish(opportunity=opportunity, actor=editor)
    assert "deadline" in caught.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.status == FundingOpportunity.Status.DRAFT


def test_publishing_needs_the_title_in_all_three_languages(editor):
    opportunity = draft(title_ar="")
    with pytest.raises(ValidationError) as caught:
        funding_opportunity_publish(opportunity=opportunity, actor=editor)
    assert list(caught.value.message_dict) == ["title_ar"]


def test_publishing_queues_the_alerts_after_commit(editor, django_capture_on_commit_callbacks):
    opportunity = draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        funding_opportunity_publish(opportunity=opportunity, actor=editor)
    assert len(callbacks) == 1
    opportunity.refresh_from_db()
    assert opportunity.status == "published" and opportunity.published_at is not None


def test_alerts_go_only_to_consenting_members_of_a_matching_country_and_sector():
    agriculture, ict = sector("agriculture"), sector("ict")
    opportunity = FundingOpportunityFactory(countries=["SN", "ML"], sectors=[agriculture])
    match = member_profile(origin="SN", sectors=[agriculture])
    also_match = member_profile(origin="ML", sectors=[agriculture, ict])
    member_profile(origin="SN", sectors=[agriculture], newsletter=False)  # no consent
    member_profile(origin="SN", sectors=[agriculture], erased=True)  # erased
    member_profile(origin="MA", sectors=[agriculture])  # other country
    member_profile(origin="SN", sectors=[ict])  # other sector
    assert list(funding_alert_recipients(opportunity=opportunity)) == [match.user, also_match.user]


def test_an_opportunity_without_sectors_matches_every_sector():
    opportunity = FundingOpportunityFactory(countries=["SN"])
    profile = member_profile(origin="SN", sectors=[sector("ict")])
    assert list(funding_alert_recipients(opportunity=opportunity)) == [profile.user]


def test_alerts_are_sent_once_per_member_in_their_language():
    agriculture = sector("agriculture")
    opportunity = FundingOpportunityFactory(countries=["SN"], sectors=[agriculture])
    french = member_profile(origin="SN", sectors=[agriculture], language="fr")
    arabic = member_profile(origin="SN", sectors=[agriculture], language="ar")
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 2
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 0
    assert len(notifications_deliver()) == 2
    by_recipient = {message.to[0]: message for message in notifications_deliver()}
    assert opportunity.title_fr in by_recipient[french.user.email].subject
    assert opportunity.title_ar in by_recipient[arabic.user.email].subject
    assert FundingAlert.objects.filter(opportunity=opportunity, sent_at__isnull=False).count() == 2


def test_a_member_who_consents_later_is_alerted_on_the_next_run_without_repeating_the_others():
    opportunity = FundingOpportunityFactory(countries=["SN"])
    member_profile(origin="SN")
    late = member_profile(origin="SN", newsletter=False)
    funding_alerts_send(opportunity_id=opportunity.pk)
    late.consent_newsletter_email = True
    late.save()
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 1
    assert [m.to for m in notifications_deliver()][-1] == [late.user.email]


def test_no_alert_for_an_unpublished_opportunity():
    opportunity = draft(countries=["SN"])
    member_profile(origin="SN")
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 0
    assert notifications_deliver() == []


def test_the_alert_leaves_through_the_outreach_pipeline_with_an_escaped_right_to_left_html_part():
    agriculture = sector("agriculture")
    opportunity = FundingOpportunityFactory(countries=["SN"], sectors=[agriculture])
    FundingOpportunity.objects.filter(pk=opportunity.pk).update(title_ar="<script>x</script> منحة & قرض")
    arabic = member_profile(origin="SN", sectors=[agriculture], language="ar")
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 1
    delivery = Delivery.objects.get(kind="returns_funding_alert")
    assert (delivery.user, delivery.language, delivery.state) == (arabic.user, "ar", Delivery.State.PENDING)
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 0  # claimed once: no second delivery
    [message] = notifications_deliver()
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html
    assert "&lt;script&gt;x&lt;/script&gt; منحة &amp; قرض" in html and "<script>" not in html
    assert "<script>x</script> منحة & قرض" in message.subject  # plain text stays as written
    assert message.extra_headers["Message-ID"].startswith(f"<delivery-{delivery.pk}.")
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_an_alert_carries_the_one_click_unsubscribe_and_withdrawn_consent_stops_it_before_sending(client):
    agriculture = sector("agriculture")
    opportunity = FundingOpportunityFactory(countries=["SN"], sectors=[agriculture])
    keeps = member_profile(origin="SN", sectors=[agriculture], language="fr")
    withdraws = member_profile(origin="SN", sectors=[agriculture], language="en")
    assert funding_alerts_send(opportunity_id=opportunity.pk) == 2
    # Consent withdrawn after the alert was queued, before a worker picked it up: the claim sees it.
    DiasporaProfile.objects.filter(pk=withdraws.pk).update(consent_newsletter_email=False)
    [message] = notifications_deliver()
    assert message.to == [keeps.user.email]
    assert Delivery.objects.get(profile=withdraws).state == Delivery.State.SKIPPED
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/fr/outreach/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert REASON_FR in message.body  # why the member receives it, in French
    response = client.post(urlsplit(unsubscribe).path)
    assert response.status_code == 200
    keeps.refresh_from_db()
    assert keeps.consent_newsletter_email is False


def test_no_alert_is_queued_for_a_member_without_the_consent():
    opportunity = FundingOpportunityFactory(countries=["SN"])
    profile = member_profile(origin="SN", newsletter=False)
    from apps.returns.notifications import send_funding_alert

    send_funding_alert(user=profile.user, opportunity=opportunity)
    assert not Delivery.objects.filter(user=profile.user).exists()


def test_publishing_an_opportunity_in_english_only_asks_the_editor_first(client, editor):
    opportunity = FundingOpportunityFactory(
        status=FundingOpportunity.Status.DRAFT,
        description_en="Grants for returnees.",
        description_fr="",
        description_ar="",
    )
    editor.preferred_language = "fr"
    editor.save(update_fields=["preferred_language"])
    client.force_login(editor)
    page = client.get(f"/fr/returns/funding/{opportunity.pk}/").content.decode().replace("&#x27;", "'")
    assert "Il n'y a pas encore de texte en français et arabe" in page and 'name="publish_incomplete"' in page
    response = client.post(f"/fr/returns/editor/funding/{opportunity.pk}/publish/", follow=True)
    opportunity.refresh_from_db()
    assert opportunity.status == FundingOpportunity.Status.DRAFT
    assert "Pas encore publié" in response.content.decode()
    client.post(f"/fr/returns/editor/funding/{opportunity.pk}/publish/", {"publish_incomplete": "1"})
    opportunity.refresh_from_db()
    assert opportunity.status == FundingOpportunity.Status.PUBLISHED


def test_an_opportunity_complete_in_three_languages_publishes_without_a_question(client, editor):
    opportunity = FundingOpportunityFactory(
        status=FundingOpportunity.Status.DRAFT, description_en="A", description_fr="B", description_ar="ج"
    )
    client.force_login(editor)
    client.post(f"/returns/editor/funding/{opportunity.pk}/publish/")
    opportunity.refresh_from_db()
    assert opportunity.status == FundingOpportunity.Status.PUBLISHED
