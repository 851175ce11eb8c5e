"""Demo organisations and one account per role, for `make run`. Idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q

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


# The demo's organisations in French and Arabic, by their English name (a real deployment names its own in the
# office and organisation forms). Organisations the demo makes per country follow the patterns below.
ORGANISATION_NAMES = {
    "Ministry of Senegalese Abroad": ("Ministère des Sénégalais de l'extérieur", "وزارة السنغاليين في الخارج"),
    "Ministry in charge of Moroccans Living Abroad": (
        "Ministère chargé des Marocains résidant à l'étranger",
        "الوزارة المكلفة بالمغاربة المقيمين بالخارج",
    ),
    "Dakar Migration Office": ("Bureau des migrations de Dakar", "مكتب الهجرة بداكار"),
    "South-South Exchange Programme Secretariat": (
        "Secrétariat du programme d'échanges Sud-Sud",
        "أمانة برنامج التبادل بين بلدان الجنوب",
    ),
    "Casablanca Migrant Resource Centre": ("Centre de ressources pour migrants de Casablanca", "مركز موارد المهاجرين بالدار البيضاء"),
    "Oujda Return Information Desk": ("Guichet d'information sur le retour d'Oujda", "مكتب الإرشاد حول العودة بوجدة"),
    "Kayes Migration Information Centre": ("Centre d'information sur la migration de Kayes", "مركز الإعلام حول الهجرة بكاي"),
    "Dakar Vocational Training Centre": ("Centre de formation professionnelle de Dakar", "مركز التكوين المهني بداكار"),
    "Senegal Microfinance Fund": ("Fonds de microfinance du Sénégal", "صندوق التمويل الأصغر بالسنغال"),
    "Casablanca Chamber of Commerce": ("Chambre de commerce de Casablanca", "غرفة التجارة بالدار البيضاء"),
    "Migrant Rights Association": ("Association pour les droits des migrants", "جمعية حقوق المهاجرين"),
    "Kayes Employment Agency": ("Agence pour l'emploi de Kayes", "وكالة التشغيل بكاي"),
    "Caisse de microcrédit de Thiès": ("Caisse de microcrédit de Thiès", "صندوق القروض الصغرى بتييس"),
    "Chambre de commerce de Dakar": ("Chambre de commerce de Dakar", "غرفة التجارة بداكار"),
    "Agence nationale pour l'emploi des jeunes": (
        "Agence nationale pour l'emploi des jeunes",
        "الوكالة الوطنية لتشغيل الشباب",
    ),
}  # fmt: skip
# "Ministry of Diaspora Affairs (SN)" and the like: (English prefix, French prefix, Arabic prefix).
ORGANISATION_NAME_PATTERNS = [
    ("Ministry of Diaspora Affairs (", "Ministère des affaires de la diaspora (", "وزارة شؤون الجالية ("),
]


def organisation_names_translated() -> int:
    """Give the demo's organisations their French and Arabic names where they have none. Returns how many."""
    named = 0
    missing = Q(name_fr__isnull=True) | Q(name_fr="") | Q(name_ar__isnull=True) | Q(name_ar="")
    for organisation in Organisation.objects.filter(missing):
        english = organisation.name_en or ""
        names = ORGANISATION_NAMES.get(english)
        if names is None:
            for prefix, prefix_fr, prefix_ar in ORGANISATION_NAME_PATTERNS:
                if english.startswith(prefix):
                    rest = english[len(prefix) :]
                    names = (prefix_fr + rest, prefix_ar + rest)
        if names is None:
            continue
        organisation.name_fr = organisation.name_fr or names[0]
        organisation.name_ar = organisation.name_ar or names[1]
        organisation.save(update_fields=["name_fr", "name_ar"])
        named += 1
    return named


def finish() -> int:
    """After every app's demo data: name in French and Arabic the organisations the apps made."""
    return organisation_names_translated()


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
