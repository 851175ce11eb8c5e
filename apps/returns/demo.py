"""Demo content for `make run`: information sheets (one without Arabic, to show the notice), funding
opportunities, network partners, vacancies and an upcoming event. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.accounts.demo import demo_organisations
from apps.accounts.models import Organisation, User
from apps.core.models import Country, Language
from apps.core.roles import Role

from .models import Event, FundingOpportunity, InfoSheet, NetworkPartner, NetworkRole, PartnerService, Vacancy
from .services import (
    event_create,
    event_publish,
    funding_opportunity_create,
    funding_opportunity_publish,
    info_sheet_create,
    network_partner_save,
    vacancy_create,
)

SECTORS = [
    ("agriculture", "Agriculture and agri-food", "Agriculture et agroalimentaire", "الزراعة والصناعات الغذائية"),
    (
        "ict",
        "Information and communication technology",
        "Technologies de l'information",
        "تكنولوجيا المعلومات والاتصال",
    ),
]

SHEETS = [
    {
        "kind": InfoSheet.Kind.FIRST,
        "country": "SN",
        "topic": InfoSheet.Topic.RETURN,
        "title_en": "Preparing your return to Senegal: first steps",
        "title_fr": "Préparer votre retour au Sénégal : premières démarches",
        "title_ar": "التحضير للعودة إلى السنغال: الخطوات الأولى",
        "body_en": "Register with your consulate before leaving. Gather civil status documents, diplomas and "
        "certificates of employment, and have them certified.\n\nOn arrival, the return information desk in Dakar "
        "helps you with your reintegration plan.",
        "body_fr": "Inscrivez-vous auprès de votre consulat avant le départ. Rassemblez vos documents d'état civil, "
        "diplômes et certificats de travail, et faites-les certifier.\n\nÀ l'arrivée, le guichet d'information sur "
        "le retour de Dakar vous aide à préparer votre projet de réinsertion.",
        "body_ar": "سجّل لدى قنصليتك قبل المغادرة. اجمع وثائق الحالة المدنية والشهادات وشهادات العمل وقم بتصديقها."
        "\n\nعند الوصول، يساعدك مكتب معلومات العودة في داكار على إعداد خطة إعادة الإدماج.",
        "sources": "https://www.diplomatie.gouv.sn/",
    },
    {
        "kind": InfoSheet.Kind.LEGISLATIVE,
        "country": "MA",
        "topic": InfoSheet.Topic.INVESTMENT,
        "title_en": "Investment incentives for Moroccans living abroad",
        "title_fr": "Incitations à l'investissement pour les Marocains résidant à l'étranger",
        "title_ar": "حوافز الاستثمار لفائدة المغاربة المقيمين بالخارج",
        "body_en": "The investment charter grants premiums for projects creating jobs in priority sectors. "
        "Regional investment centres are the single window for company creation.",
        "body_fr": "La charte de l'investissement accorde des primes aux projets créateurs d'emplois dans les "
        "secteurs prioritaires. Les centres régionaux d'investissement sont le guichet unique de création "
        "d'entreprise.",
        "body_ar": "يمنح ميثاق الاستثمار منحاً للمشاريع المحدثة لفرص الشغل في القطاعات ذات الأولوية. وتعدّ المراكز "
        "الجهوية للاستثمار الشباك الوحيد لإحداث المقاولات.",
        "sources": "Loi-cadre n° 03-22 formant charte de l'investissement",
    },
    {
        # Not yet translated into Arabic: the Arabic pages say so and offer English and French.
        "kind": InfoSheet.Kind.COUNTRY,
        "country": "SN",
        "topic": InfoSheet.Topic.EDUCATION,
        "title_en": "Enrolling your children in school in Senegal",
        "title_fr": "Inscrire vos enfants à l'école au Sénégal",
        "body_en": "Bring the school reports of the last two years and a birth certificate. Schools may test "
        "children's French before placing them in a class.",
        "body_fr": "Apportez les bulletins scolaires des deux dernières années et un extrait de naissance. Les "
        "écoles peuvent évaluer le français des enfants avant de les placer dans une classe.",
        "sources": "Ministère de l'Éducation nationale",
    },
]


def _editor() -> User:
    user = User.objects.filter(groups__name=Role.CONTENT_EDITOR, is_active=True).order_by("pk").first()
    if user is None:
        from apps.accounts import demo as accounts_demo

        accounts_demo.load()
        user = User.objects.filter(groups__name=Role.CONTENT_EDITOR).order_by("pk").first()
    return user


def _sectors():
    from apps.skills.models import Sector

    sectors = {}
    for code, en, fr, ar in SECTORS:
        sectors[code], _created = Sector.objects.get_or_create(
            code=code, defaults={"label": en, "label_en": en, "label_fr": fr, "label_ar": ar}
        )
    return sectors


def load() -> int:
    editor = _editor()
    staff = User.objects.filter(groups__name=Role.OFFICE_STAFF, is_active=True).order_by("pk").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    sectors = _sectors()
    today = timezone.localdate()
    created = 0

    for data in SHEETS:
        if not InfoSheet.objects.filter(title_en=data["title_en"]).exists():
            info_sheet_create(
                actor=editor,
                data={**data, "country": Country.objects.get(pk=data["country"]), "status": InfoSheet.Status.PUBLISHED},
            )
            created += 1

    if not FundingOpportunity.objects.filter(title_en="Diaspora agri-food start-up grant").exists():
        opportunity = funding_opportunity_create(
            actor=editor,
            data={
                "title_en": "Diaspora agri-food start-up grant",
                "title_fr": "Subvention de démarrage agroalimentaire pour la diaspora",
                "title_ar": "منحة إطلاق المشاريع الزراعية الغذائية لفائدة الجالية",
                "description_en": "Grants for returnees starting a farm or food-processing business.",
                "description_fr": "Subventions aux personnes de retour qui créent une exploitation ou une "
                "entreprise de transformation.",
                "description_ar": "منح للعائدين الذين ينشئون مزرعة أو مقاولة للتحويل الغذائي.",
                "funder": "Fonds de développement rural",
                "kind": FundingOpportunity.Kind.GRANT,
                "amount_min": 5000,
                "amount_max": 30000,
                "currency": "EUR",
                "cofunding_percent": 20,
                "deadline": today + datetime.timedelta(days=60),
                "link": "https://example.org/agri-grant",
            },
            countries=["SN", "ML"],
            sectors=[sectors["agriculture"]],
        )
        funding_opportunity_publish(opportunity=opportunity, actor=editor)
        created += 1
    if not FundingOpportunity.objects.filter(title_en="Digital business matching loan").exists():
        opportunity = funding_opportunity_create(
            actor=editor,
            data={
                "title_en": "Digital business matching loan",
                "title_fr": "Prêt de contrepartie pour les entreprises numériques",
                "title_ar": "قرض مطابق للمقاولات الرقمية",
                "funder": "Banque de l'habitat et de l'investissement",
                "kind": FundingOpportunity.Kind.MATCHING_FUND,
                "amount_max": 100000,
                "currency": "MAD",
                "cofunding_percent": 50,
                "deadline": today + datetime.timedelta(days=90),
            },
            countries=["MA", "TN"],
            sectors=[sectors["ict"]],
        )
        funding_opportunity_publish(opportunity=opportunity, actor=editor)
        created += 1

    organisations = demo_organisations()
    partners = [
        (
            "Caisse de microcrédit de Thiès",
            Organisation.Type.MICROFINANCE,
            "SN",
            NetworkRole.PARTNER,
            [PartnerService.MICROCREDIT],
        ),
        (
            "Chambre de commerce de Dakar",
            Organisation.Type.CHAMBER,
            "SN",
            NetworkRole.PARTNER,
            [PartnerService.CHAMBER, PartnerService.TRAINING],
        ),
        (
            "Agence nationale pour l'emploi des jeunes",
            Organisation.Type.AGENCY,
            "SN",
            NetworkRole.OPERATIONAL_NODE,
            [PartnerService.EMPLOYMENT_CENTRE, PartnerService.TRAINING],
        ),
    ]
    if admin is not None:
        if not NetworkPartner.objects.filter(organisation=organisations["sn-dakar-office"]).exists():
            network_partner_save(
                actor=admin,
                data={
                    "organisation": organisations["sn-dakar-office"],
                    "role": NetworkRole.CENTRAL_NODE,
                    "services": [PartnerService.LEGAL_AID, PartnerService.HOUSING],
                    "contact_person": "Moussa Ndiaye",
                    "phone": "+221 33 800 00 00",
                },
            )
            created += 1
        for name, org_type, country, role, services in partners:
            organisation, _new = Organisation.objects.get_or_create(
                name=name, country_id=country, defaults={"type": org_type}
            )
            if not NetworkPartner.objects.filter(organisation=organisation).exists():
                network_partner_save(
                    actor=admin, data={"organisation": organisation, "role": role, "services": services}
                )
                created += 1

    if staff is not None and not Vacancy.objects.filter(title="Agricultural extension officer").exists():
        vacancy_create(
            actor=staff,
            data={
                "title": "Agricultural extension officer",
                "employer": "Société de développement agricole",
                "source": "Agence nationale pour l'emploi des jeunes",
                "country": Country.objects.get(pk="SN"),
                "region": "Thiès",
                "sector": sectors["agriculture"],
                "closing_date": today + datetime.timedelta(days=30),
            },
        )
        vacancy_create(
            actor=staff,
            data={
                "title": "Software developer",
                "employer": "Dakar Digital Hub",
                "country": Country.objects.get(pk="SN"),
                "region": "Dakar",
                "sector": sectors["ict"],
                "closing_date": today + datetime.timedelta(days=21),
                "link": "https://example.org/jobs/dev",
            },
        )
        created += 2

    if not Event.objects.filter(title_en="Diaspora investment forum").exists():
        starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=20)
        event = event_create(
            actor=editor,
            data={
                "title_en": "Diaspora investment forum",
                "title_fr": "Forum de l'investissement de la diaspora",
                "title_ar": "منتدى استثمار الجالية",
                "description_en": "Meet funders, chambers of commerce and returnees who started a business.",
                "description_fr": "Rencontrez des financeurs, des chambres de commerce et des personnes revenues "
                "qui ont créé leur entreprise.",
                "description_ar": "التقِ بالممولين وغرف التجارة والعائدين الذين أنشؤوا مقاولاتهم.",
                "kind": Event.Kind.INVESTOR_FORUM,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=6),
                "place": "Centre international de conférences Abdou Diouf, Diamniadio",
                "country": Country.objects.get(pk="SN"),
                "language": Language.objects.filter(pk="fr").first(),
                "capacity": 150,
            },
        )
        event_publish(event=event, actor=editor)
        created += 1
    return created
