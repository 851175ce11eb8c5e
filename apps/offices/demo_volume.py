"""Synthetic office activity for the demo, so the offices report shows real shapes: persons, contacts over the
last 18 months and referrals to a few partners, for the demo offices, loaded with ``COPY``. Idempotent (skipped
when synthetic persons exist). Persons carry e-mail addresses under example.invalid."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Organisation, User
from apps.core.bulk import copy_rows, reserve_ids
from apps.core.names import name_index
from apps.core.names.store import keys_literal

from .models import Channel, Office, Person, Referral, Sex, Topic

MARKER = "@synthetic-office.example.invalid"
PARTNERS = [
    ("Dakar Vocational Training Centre", "SN", Organisation.Type.TRAINING_CENTRE),
    ("Senegal Microfinance Fund", "SN", Organisation.Type.MICROFINANCE),
    ("Casablanca Chamber of Commerce", "MA", Organisation.Type.CHAMBER),
    ("Migrant Rights Association", "MA", Organisation.Type.NGO),
    ("Kayes Employment Agency", "ML", Organisation.Type.AGENCY),
]
FIRST = ["Mamadou", "Aïssatou", "Moussa", "Fatou", "Ibrahima", "Khady", "Ousmane", "Awa", "Youssef", "Fatima",
         "Karim", "Samira", "Seydou", "Oumou", "Boubacar", "Mariam"]  # fmt: skip
LAST = ["Sow", "Ba", "Diallo", "Ndiaye", "Fall", "Traoré", "Keita", "Coulibaly", "El Amrani", "Benali", "Haddad",
        "Touré", "Cissé", "Diop", "Sy", "Kane"]  # fmt: skip
RELATIONSHIPS = ["Mother", "Father", "Brother", "Sister", "Uncle", "Spouse"]
# Weights give each chart a shape: walk-ins and the hotline dominate, home visits are rare.
CHANNELS = [(Channel.WALK_IN, 40), (Channel.HOTLINE, 25), (Channel.FAMILY, 12), (Channel.ONLINE, 10),
            (Channel.EMAIL, 6), (Channel.EVENT, 5), (Channel.HOME_VISIT, 2)]  # fmt: skip
TOPICS = [(Topic.PRE_DEPARTURE, 30), (Topic.LEGAL_CHANNELS, 22), (Topic.EMPLOYMENT, 18), (Topic.DOCUMENTS, 14),
          (Topic.RETURN, 12), (Topic.REMITTANCES, 8), (Topic.RIGHTS, 8), (Topic.EDUCATION, 5),
          (Topic.INVESTMENT, 4), (Topic.SOCIAL_SECURITY, 3), (Topic.TRAFFICKING, 2)]  # fmt: skip


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@transaction.atomic
def load(*, contacts: int = 5000, seed: int = 2026) -> int:
    """About one person for three contacts, a referral for one contact in six. Returns the contacts loaded."""
    if contacts <= 0 or Person.objects.filter(email__endswith=MARKER).exists():
        return 0
    offices = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    staff = User.objects.filter(email="staff@demo.example.org").first() or User.objects.order_by("pk").first()
    if not offices or staff is None:
        return 0
    partners = [
        Organisation.objects.get_or_create(name=name, country_id=country, defaults={"type": kind})[0].pk
        for name, country, kind in PARTNERS
    ]
    rng = random.Random(seed)
    now = timezone.now()
    weights = [max(1, 8 - 2 * i) for i in range(len(offices))]  # the first office is the busiest
    with connection.cursor() as cursor:
        person_ids = reserve_ids(cursor, "offices_person", contacts // 3)
        persons = []
        person_office = {}
        for index, pk in enumerate(person_ids):
            office = rng.choices(offices, weights=weights)[0]
            person_office[pk] = office
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            search_name, keys = name_index(name, "")
            created = now - timedelta(days=rng.randint(0, 540))
            persons.append(
                (pk, office, name, "", search_name, keys_literal(keys), " ".join(keys), rng.choice([Sex.FEMALE, Sex.MALE]),
                 rng.randint(1960, 2006), "", f"person{index}{MARKER}", "fr", "{}", created, created)
            )  # fmt: skip
        copy_rows(
            cursor,
            "offices_person",
            ["id", "office_id", "name_latin", "name_arabic", "search_name", "name_keys", "name_key_text", "sex",
             "birth_year", "phone", "email",
             "preferred_language", "vulnerabilities", "created_at", "updated_at"],
            persons,
        )  # fmt: skip
        contact_ids = reserve_ids(cursor, "offices_contact", contacts)
        rows, referrals = [], []
        for pk in contact_ids:
            person = rng.choice(person_ids)
            office = person_office[person]
            # More contacts in recent months: a service that is growing.
            occurred = now - timedelta(days=int(540 * rng.random() ** 1.4), hours=rng.randint(0, 9))
            topics = sorted({_pick(rng, TOPICS) for _ in range(rng.choice([1, 1, 2]))})
            due = done = None
            if rng.random() < 0.35:
                due = (occurred + timedelta(days=rng.randint(3, 21))).date()
                if rng.random() < 0.75:
                    done = occurred + timedelta(days=rng.randint(1, 30))
            channel = _pick(rng, CHANNELS)
            relationship = rng.choice(RELATIONSHIPS) if channel == Channel.FAMILY else ""
            rows.append(
                (pk, office, person, channel, relationship, occurred, staff.pk, "{" + ",".join(topics) + "}",
                 "Counselling session", "", "", due, done, staff.pk if due else None, occurred)
            )  # fmt: skip
            if rng.random() < 1 / 6:
                status = rng.choices(
                    [
                        Referral.Status.SENT,
                        Referral.Status.ACCEPTED,
                        Referral.Status.COMPLETED,
                        Referral.Status.DECLINED,
                    ],
                    weights=[20, 30, 40, 10],
                )[0]
                referrals.append(
                    (office, person, pk, rng.choice(partners), "Referred for support", True, occurred, status,
                     staff.pk, occurred, occurred)
                )  # fmt: skip
        copy_rows(
            cursor,
            "offices_contact",
            ["id", "office_id", "person_id", "channel", "family_relationship", "occurred_at", "staff_id", "topics",
             "summary", "notes_encrypted", "outcome", "follow_up_due", "follow_up_done_at", "follow_up_assignee_id",
             "created_at"],
            rows,
        )  # fmt: skip
        copy_rows(
            cursor,
            "offices_referral",
            ["office_id", "person_id", "contact_id", "organisation_id", "reason", "consent_given",
             "consent_recorded_at", "status", "created_by_id", "created_at", "updated_at"],
            referrals,
        )  # fmt: skip
    return len(rows)
