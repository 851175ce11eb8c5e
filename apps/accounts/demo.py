"""Demo organisations and one account per role, for `make run`. Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from apps.core.roles import Role

from .models import Organisation, User
from .services import membership_grant

DEMO_PASSWORD = "demo-portal-2026"

# (key, name, acronym, type, country)
DEMO_ORGANISATIONS = [
    ("sn-ministry", "Ministry of Senegalese Abroad", "MSE", Organisation.Type.MINISTRY, "SN"),
    ("ma-ministry", "Ministry in charge of Moroccans Living Abroad", "MCMRE", Organisation.Type.MINISTRY, "MA"),
    ("sn-dakar-office", "Dakar Migration Office", "BAOS Dakar", Organisation.Type.MIGRATION_OFFICE, "SN"),
    ("secretariat", "South-South Exchange Programme Secretariat", "SSEP", Organisation.Type.INTERNATIONAL, "SN"),
]

# (email, full name, language, role, organisation key)
DEMO_USERS = [
    ("member@demo.example.org", "Aminata Diallo", "fr", Role.MEMBER, None),
    ("staff@demo.example.org", "Moussa Ndiaye", "fr", Role.OFFICE_STAFF, "sn-dakar-office"),
    ("manager@demo.example.org", "Fatou Sarr", "fr", Role.OFFICE_MANAGER, "sn-dakar-office"),
    ("focalpoint@demo.example.org", "Ibrahima Fall", "fr", Role.FOCAL_POINT, "sn-ministry"),
    ("approver.sn@demo.example.org", "Awa Mbaye", "fr", Role.APPROVER, "sn-ministry"),
    ("approver.ma@demo.example.org", "Youssef El Amrani", "ar", Role.APPROVER, "ma-ministry"),
    ("coordinator@demo.example.org", "Grace Mensah", "en", Role.COORDINATOR, "secretariat"),
    ("outreach@demo.example.org", "Salma Benali", "ar", Role.OUTREACH_MANAGER, None),
    ("editor@demo.example.org", "Kwame Asante", "en", Role.CONTENT_EDITOR, None),
    ("analyst@demo.example.org", "Nadia Haddad", "ar", Role.ANALYST, None),
    ("admin@demo.example.org", "Platform Administrator", "en", Role.ADMINISTRATOR, None),
]


def demo_organisations() -> dict[str, Organisation]:
    organisations = {}
    for key, name, acronym, org_type, country in DEMO_ORGANISATIONS:
        organisations[key], _ = Organisation.objects.get_or_create(
            name=name, country_id=country, defaults={"acronym": acronym, "type": org_type}
        )
    return organisations


def load() -> int:
    organisations = demo_organisations()
    created = 0
    for email, full_name, language, role, org_key in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=full_name,
                preferred_language=language,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            created += 1
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        membership_grant(user=user, role=role, organisation=organisations[org_key] if org_key else None)
    return created
