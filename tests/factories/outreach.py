"""Factories for outreach tests: skills-bank members with consents and languages, segments, campaigns."""

from __future__ import annotations

import factory

from apps.core.roles import Role
from apps.outreach.models import Campaign, CampaignMessage, Segment
from apps.skills.models import DiasporaProfile, ProfileLanguage
from tests.factories import UserFactory, user_with_role


class MemberProfileFactory(factory.django.DjangoModelFactory):
    """A member who reads ``languages`` and prefers ``user__preferred_language``; consents as given."""

    class Meta:
        model = DiasporaProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    residence_country_id = "FR"
    origin_country_id = "SN"
    phone = factory.Sequence(lambda n: f"+3361{n:07d}")
    consent_newsletter_email = True
    consent_sms = True
    consent_expert_contact = False

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            for code in extracted or ["fr"]:
                ProfileLanguage.objects.create(profile=self, language_id=code, level="fluent")


def member(language: str = "fr", reads: list[str] | None = None, **kwargs) -> DiasporaProfile:
    return MemberProfileFactory(user__preferred_language=language, languages=reads or [language], **kwargs)


def outreach_manager(**kwargs):
    return user_with_role(Role.OUTREACH_MANAGER, **kwargs)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    filters = factory.LazyFunction(dict)
    created_by = factory.LazyFunction(outreach_manager)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    kind = Campaign.Kind.NEWSLETTER
    channel = "email"
    segment = factory.SubFactory(SegmentFactory)
    sender_name = "Portal team"
    default_language = "en"
    created_by = factory.SelfAttribute("segment.created_by")

    @factory.post_generation
    def messages(self, create, extracted, **kwargs):
        """``messages=["en", "fr"]`` writes a message in each language (default: en, fr, ar)."""
        if not create:
            return
        texts = {
            "en": ("News for {first_name}", "Hello {first_name}, here is the news."),
            "fr": ("Nouvelles pour {first_name}", "Bonjour {first_name}, voici les nouvelles."),
            "ar": ("أخبار إلى {first_name}", "مرحبا {first_name}، إليك الأخبار."),
        }
        for code in ["en", "fr", "ar"] if extracted is None else extracted:
            CampaignMessage.objects.create(campaign=self, language=code, subject=texts[code][0], body=texts[code][1])
