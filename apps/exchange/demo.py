"""A demo study visit from Senegal to Morocco, endorsed by Senegal and waiting for Morocco. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.demo import demo_organisations
from apps.accounts.models import User
from apps.core.models import Country, Language

from . import services
from .models import ExchangeRequest, Kind, State, Theme

DEMO_TITLE = "Study visit to the Moroccan skills bank for the diaspora"


def load() -> int:
    if ExchangeRequest.objects.filter(title=DEMO_TITLE).exists():
        return 0
    organisations = demo_organisations()
    focal = User.objects.get(email="focalpoint@demo.example.org")
    approver_sn = User.objects.get(email="approver.sn@demo.example.org")
    start = timezone.localdate() + timedelta(days=75)
    request = services.exchange_request_create(
        actor=focal,
        institution=organisations["sn-ministry"],
        fields={
            "kind": Kind.STUDY_VISIT,
            "host_country": Country.objects.get(pk="MA"),
            "host_institution": organisations["ma-ministry"],
            "title": DEMO_TITLE,
            "theme": Theme.SKILLS_NETWORKS,
            "sectors": "Public administration, Employment",
            "objectives": "See how the ministry keeps its diaspora skills bank current and trusted by members.",
            "expected_results": "A plan for the Senegalese skills bank: consent records, yearly confirmation, search.",
            "initiative": "National diaspora skills inventory",
            "start_date": start,
            "end_date": start + timedelta(days=4),
            "working_language": Language.objects.get(pk="fr"),
        },
    )
    senegal = Country.objects.get(pk="SN")
    for name, position, email in [
        ("Ibrahima Fall", "Focal point", "focalpoint@demo.example.org"),
        ("Mariama Ba", "Head of the skills bank unit", "mariama.ba@demo.example.org"),
        ("Cheikh Diop", "Data officer", "cheikh.diop@demo.example.org"),
    ]:
        services.participant_add(
            request=request,
            actor=focal,
            fields={
                "name": name,
                "institution": organisations["sn-ministry"].name,
                "position": position,
                "country": senegal,
                "email": email,
            },
        )
    services.exchange_request_submit(request=request, actor=focal)
    services.exchange_request_endorse(
        request=request, actor=approver_sn, comment="A priority of our diaspora strategy."
    )
    assert request.state == State.ENDORSED
    return 1
