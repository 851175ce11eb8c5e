from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.roles import Role
from apps.outreach import services
from apps.outreach.models import Campaign, Delivery
from apps.outreach.rendering import sms_length
from apps.outreach.selectors import segment_preview, segment_recipients
from apps.skills.services import consent_withdraw
from tests.factories import user_with_role
from tests.factories.outreach import CampaignFactory, SegmentFactory, member, outreach_manager

pytestmark = pytest.mark.django_db


def test_a_segment_only_yields_people_who_consented_to_the_channel():
    emailable = member("fr", consent_newsletter_email=True, consent_sms=False)
    texter = member("fr", consent_newsletter_email=False, consent_sms=True)
    member("fr", consent_newsletter_email=False, consent_sms=False)
    segment = SegmentFactory(filters={"languages": ["fr"]})
    email_people = set(segment_recipients(segment=segment, channel="email", kind="newsletter"))
    sms_people = set(segment_recipients(segment=segment, channel="sms", kind="newsletter"))
    assert email_people == {emailable}
    assert sms_people == {texter}


def test_the_consent_condition_is_part_of_the_recipient_query_itself():
    segment = SegmentFactory(filters={"languages": ["fr"]})
    sql = str(segment_recipients(segment=segment, channel="email", kind="newsletter").query)
    assert '"consent_newsletter_email"' in sql and '"erased_at" IS NULL' in sql


def test_a_call_for_experts_needs_the_expert_contact_consent():
    expert = member("en", consent_expert_contact=True)
    member("en", consent_expert_contact=False)
    segment = SegmentFactory()
    assert list(segment_recipients(segment=segment, channel="email", kind="call_for_experts")) == [expert]


def test_erased_profiles_and_erased_accounts_are_never_recipients():
    kept = member("fr")
    member("fr", erased_at=timezone.now())
    gone = member("fr")
    gone.user.erased_at = timezone.now()
    gone.user.save()
    assert list(segment_recipients(segment=SegmentFactory(), channel="email", kind="newsletter")) == [kept]


def test_segment_filters_select_by_residence_origin_language_and_engagement():
    wanted = member("ar", reads=["ar", "fr"], residence_country_id="BE", engagement_interests=["investment"])
    member("ar", reads=["ar"], residence_country_id="BE", engagement_interests=["investment"])
    member("fr", reads=["fr"], residence_country_id="FR", engagement_interests=["investment"])
    filters = {"residence_countries": ["BE"], "languages": ["fr"], "engagement": ["investment"]}
    assert segment_preview(filters=filters)["count"] == 1
    assert segment_preview(filters=filters)["by_language"] == {"ar": 1}
    assert wanted.first_name in [p["first_name"] for p in segment_preview(filters=filters)["sample"]]


def test_unknown_filters_and_codes_are_refused():
    manager = outreach_manager()
    with pytest.raises(ValidationError, match="Unknown filter"):
        services.segment_create(actor=manager, name="x", filters={"shoe_size": [42]})
    with pytest.raises(ValidationError, match="Unknown codes"):
        services.segment_create(actor=manager, name="x", filters={"residence_countries": ["ZZ"]})


def test_only_outreach_managers_may_write_segments_and_campaigns():
    staff = user_with_role(Role.OFFICE_STAFF)
    with pytest.raises(PermissionDenied):
        services.segment_create(actor=staff, name="x", filters={})
    with pytest.raises(PermissionDenied):
        services.campaign_schedule(actor=staff, campaign=CampaignFactory())


def test_an_unknown_placeholder_is_refused_at_the_field():
    campaign = CampaignFactory(messages=[])
    with pytest.raises(ValidationError) as exc:
        services.campaign_message_set(
            actor=campaign.created_by, campaign=campaign, language="en", subject="Hi", body="Dear {shoe_size}"
        )
    assert "body" in exc.value.message_dict and "{shoe_size}" in exc.value.message_dict["body"][0]


def test_an_sms_over_ten_segments_is_refused():
    campaign = CampaignFactory(channel="sms", messages=[])
    with pytest.raises(ValidationError, match="segments"):
        services.campaign_message_set(
            actor=campaign.created_by, campaign=campaign, language="ar", subject="", body="ب" * 700
        )


def test_sms_length_counts_arabic_as_ucs2_and_latin_as_gsm7():
    assert sms_length("a" * 160) == {"encoding": "GSM-7", "length": 160, "segments": 1}
    assert sms_length("a" * 161)["segments"] == 2
    assert sms_length("مرحبا" * 14) == {"encoding": "UCS-2", "length": 70, "segments": 1}
    assert sms_length("مرحبا" * 15)["segments"] == 2
    assert sms_length("€")["length"] == 2


def test_scheduling_refuses_an_empty_segment():
    campaign = CampaignFactory(segment=SegmentFactory(filters={"residence_countries": ["JP"]}))
    member("en")
    with pytest.raises(ValidationError, match="reaches nobody"):
        services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT


def test_scheduling_refuses_a_time_in_the_past():
    member("en")
    campaign = CampaignFactory()
    with pytest.raises(ValidationError, match="past"):
        services.campaign_schedule(
            actor=campaign.created_by, campaign=campaign, send_at=timezone.now() - timedelta(minutes=5)
        )


def test_a_missing_language_blocks_scheduling_until_the_author_chooses_the_default_language():
    member("ar")
    member("en")
    campaign = CampaignFactory(messages=["en", "fr"])
    with pytest.raises(ValidationError, match=r"Arabic: 1 recipient"):
        services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_missing_language_decide(actor=campaign.created_by, campaign=campaign, send_default=True)
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED
    assert campaign.missing_language_decided_by == campaign.created_by
    services.campaign_start(campaign_id=campaign.pk)
    assert sorted(Delivery.objects.values_list("language", flat=True)) == ["en", "en"]


def test_starting_creates_one_delivery_per_recipient_in_their_language_and_a_repeat_creates_nothing():
    people = [member("fr"), member("ar"), member("en")]
    campaign = CampaignFactory()
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    assert services.campaign_start(campaign_id=campaign.pk) == 3
    assert services.campaign_start(campaign_id=campaign.pk) == 0
    languages = dict(Delivery.objects.values_list("profile_id", "language"))
    assert languages == {people[0].pk: "fr", people[1].pk: "ar", people[2].pk: "en"}
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING and campaign.recipient_count == 3


def test_a_campaign_scheduled_for_later_does_not_start_early():
    member("en")
    campaign = CampaignFactory()
    services.campaign_schedule(
        actor=campaign.created_by, campaign=campaign, send_at=timezone.now() + timedelta(hours=1)
    )
    assert services.campaign_start(campaign_id=campaign.pk) == 0
    assert not Delivery.objects.exists()


def test_pause_resume_and_cancel_follow_the_states():
    member("en")
    campaign = CampaignFactory()
    actor = campaign.created_by
    with pytest.raises(ValidationError):
        services.campaign_pause(actor=actor, campaign=campaign)
    services.campaign_schedule(actor=actor, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    services.campaign_pause(actor=actor, campaign=campaign)
    services.campaign_resume(actor=actor, campaign=campaign)
    services.campaign_cancel(actor=actor, campaign=campaign)
    assert list(Delivery.objects.values_list("state", flat=True)) == ["skipped"]
    with pytest.raises(ValidationError):
        services.campaign_resume(actor=actor, campaign=campaign)


def test_consent_withdrawn_after_the_start_is_seen_by_the_claim():
    from apps.outreach.sending import deliveries_claim

    keep, leave = member("en"), member("en")
    campaign = CampaignFactory()
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    consent_withdraw(profile=leave, purpose="newsletter_email", method="my_data")
    ids = list(Delivery.objects.values_list("id", flat=True))
    claimed, skipped = deliveries_claim(delivery_ids=ids, campaign=campaign)
    assert Delivery.objects.get(pk__in=claimed).profile == keep
    assert Delivery.objects.get(pk__in=skipped).profile == leave
    assert deliveries_claim(delivery_ids=ids, campaign=campaign) == ([], [])


def isco(code: str):
    """An ISCO-08 group and its parents (created here: the test does not depend on the reference data)."""
    from apps.skills.models import Occupation

    parent = isco(code[:-1]) if len(code) > 1 else None
    return Occupation.objects.get_or_create(
        code=code, defaults={"level": len(code), "parent": parent, "label": f"Group {code}"}
    )[0]


def test_an_isco_group_selects_the_members_whose_occupations_start_with_its_code():
    from apps.outreach.selectors import segment_filters_clean

    engineer = member("fr")
    engineer.occupations.add(isco("2142"))  # civil engineer: groups 2, 21, 214
    nurse = member("fr")
    nurse.occupations.add(isco("2221"))  # nursing professional: groups 2, 22, 222
    manager = member("fr")
    manager.occupations.add(isco("1212"), isco("3221"))  # a "2" inside the code, but no group 2 occupation
    member("fr")  # no occupation

    def selected(*codes):
        filters = segment_filters_clean({"occupations": list(codes)})
        return set(segment_recipients(segment=SegmentFactory(filters=filters), channel="email", kind="newsletter"))

    assert selected("2") == {engineer, nurse}
    assert selected("21") == {engineer}
    assert selected("2221") == {nurse}
    assert selected("3") == {manager}
    assert selected("21", "3") == {engineer, manager}  # several groups: any of them
    assert segment_preview(filters=segment_filters_clean({"occupations": ["2"]}))["count"] == 2


def test_unknown_occupations_or_skills_are_refused_in_a_segment():
    from apps.outreach.selectors import segment_filters_clean

    for key in ("occupations", "skills"):
        with pytest.raises(ValidationError):
            segment_filters_clean({key: ["<script>alert(1)</script>"]})
