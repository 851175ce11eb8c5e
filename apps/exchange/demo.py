"""Demo exchange requests, idempotent: a study visit from Senegal to Morocco, endorsed by Senegal and waiting for
Morocco; an expert assignment in Morocco, accepted by both ministries, asking for the expertise of the demo
member (so the coordinator sees ranked candidates and the member an open call that fits)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.accounts.demo import demo_organisations
from apps.accounts.models import User
from apps.core.models import Country, Language

from . import services
from .models import ExchangeRequest, Kind, State, Theme

DEMO_TITLE = "Study visit to the Moroccan skills bank for the diaspora"
DEMO_ASSIGNMENT_TITLE = "Experts for the water and sanitation master plan"


def load() -> int:
    return _study_visit() + _expert_assignment()


def _study_visit() -> int:
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
            exchange_request=request,
            actor=focal,
            fields={
                "name": name,
                "institution": organisations["sn-ministry"].name,
                "position": position,
                "country": senegal,
                "email": email,
            },
        )
    services.exchange_request_submit(exchange_request=request, actor=focal)
    services.exchange_request_endorse(
        exchange_request=request, actor=approver_sn, comment="A priority of our diaspora strategy."
    )
    assert request.state == State.ENDORSED
    return 1


def _expert_assignment() -> int:
    from apps.skills.models import DiasporaProfile

    if ExchangeRequest.objects.filter(title=DEMO_ASSIGNMENT_TITLE).exists():
        return 0
    member = DiasporaProfile.objects.filter(user__email="member@demo.example.org").first()
    if member is None:  # the skills demo data is not loaded
        return 0
    organisations = demo_organisations()
    focal = User.objects.get(email="focalpoint@demo.example.org")
    start = timezone.localdate() + timedelta(days=90)
    request = services.exchange_request_create(
        actor=focal,
        institution=organisations["sn-ministry"],
        fields={
            "kind": Kind.EXPERT_ASSIGNMENT,
            "host_country": Country.objects.get(pk="MA"),
            "host_institution": organisations["ma-ministry"],
            "title": DEMO_ASSIGNMENT_TITLE,
            "theme": Theme.SKILLS_NETWORKS,
            "sectors": "Water, Engineering",
            "objectives": "Review the technical chapters of the national water and sanitation master plan.",
            "expected_results": "A reviewed master plan and a training day for the ministry's engineers.",
            "initiative": "National water and sanitation master plan",
            "start_date": start,
            "end_date": start + timedelta(days=14),
            "working_language": Language.objects.get(pk="fr"),
            "occupations_sought": ", ".join(o.label for o in member.occupations.all()) or "Engineer",
            "isco_codes": [o.code for o in member.occupations.all()] or ["2142"],
            "skills_sought": ", ".join(ps.skill.label for ps in member.skills.exclude(skill=None)),
            "min_years_experience": 5,
            "number_of_experts": 2,
            "delivery_mode": "on_site",
            "terms_of_reference": "Two weeks with the planning directorate in Rabat, then remote review.",
        },
        languages_sought=[Language.objects.get(pk="ar")],
        skills=[ps.skill_id for ps in member.skills.exclude(skill=None)],
    )
    services.exchange_request_submit(exchange_request=request, actor=focal)
    services.exchange_request_endorse(
        exchange_request=request, actor=User.objects.get(email="approver.sn@demo.example.org"), comment="Agreed."
    )
    services.exchange_request_accept(
        exchange_request=request, actor=User.objects.get(email="approver.ma@demo.example.org"), comment="Welcome."
    )
    assert request.state == State.ACCEPTED
    return 1
