"""Demo data for `make run`: a segment and a draft newsletter of the demo outreach manager. Idempotent."""

from __future__ import annotations

from apps.accounts.demo import load as load_accounts
from apps.accounts.models import User

from .models import Campaign, Segment
from .services import campaign_create, segment_create

DEMO_MESSAGES = [
    {
        "language": "en",
        "subject": "Diaspora investment forum: registration is open",
        "body": "Dear {first_name},\n\nThe diaspora investment forum takes place in Dakar next spring. "
        "Registration is open on the portal.",
    },
    {
        "language": "fr",
        "subject": "Forum de l'investissement de la diaspora : les inscriptions sont ouvertes",
        "body": "Bonjour {first_name},\n\nLe forum de l'investissement de la diaspora aura lieu à Dakar au "
        "printemps prochain. Les inscriptions sont ouvertes sur le portail.",
    },
    {
        "language": "ar",
        "subject": "منتدى استثمار الجالية: التسجيل مفتوح",
        "body": "عزيزي {first_name}،\n\nينعقد منتدى استثمار الجالية في داكار في الربيع المقبل. التسجيل مفتوح على البوابة.",
    },
]


def load() -> int:
    load_accounts()
    manager = User.objects.get(email="outreach@demo.example.org")
    created = 0
    segment = Segment.objects.filter(name="Members who read French or Arabic").first()
    if segment is None:
        segment = segment_create(
            actor=manager,
            name="Members who read French or Arabic",
            description="Demo segment",
            filters={"languages": ["fr", "ar"]},
        )
        created += 1
    if not Campaign.objects.filter(name="Diaspora investment forum (demo)").exists():
        campaign_create(
            actor=manager,
            name="Diaspora investment forum (demo)",
            kind=Campaign.Kind.EVENT_INVITATION,
            channel="email",
            segment=segment,
            sender_name="Diaspora Engagement Portal",
            default_language="fr",
            messages=DEMO_MESSAGES,
        )
        created += 1
    return created
