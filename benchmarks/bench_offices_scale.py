"""Offices at national scale: an office's contact list, a person's timeline, the office dashboard, the quick-log's
person picker and saving a contact.

Seeds synthetic offices, persons and contacts straight in SQL (generate_series) the first time, then measures:
- the contact list (count + first page, as the page runs them) and the timeline: p95 of the selector's queries
  against the same SQL run raw, and the number of queries of the whole page (constant);
- the dashboard aggregates for one office (target: under 300 ms), against the raw SQL of the same aggregates;
- the person picker's type-ahead, the whole request (session, office scope, match, audit), in an office of
  BENCH_PICKER_CLIENTS clients (default 25,000) with names that thousands share: target p95 under 150 ms;
- saving a contact through the service (checks, encryption, audit) against the bare SQL writing the same rows (the
  contact, the person's ``updated_at``, the audit event) in the same run: target p95 within 2×.

    BENCH_CONTACTS=5000000 BENCH_OFFICES=200 .venv/bin/python scripts/devenv.py bench bench_offices_scale.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")
if not os.environ.get("OFFICES_NOTES_KEY"):
    from cryptography.fernet import Fernet

    os.environ["OFFICES_NOTES_KEY"] = Fernet.generate_key().decode()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Organisation, User  # noqa: E402
from apps.accounts.services import membership_grant  # noqa: E402
from apps.core.roles import Role  # noqa: E402
from apps.offices import selectors  # noqa: E402
from apps.offices.models import Channel, Contact, Office, Person, Topic  # noqa: E402
from benchmarks.measure import Targets, median, p95, p95_label  # noqa: E402

CONTACTS = int(os.environ.get("BENCH_CONTACTS", "5000000"))
OFFICES = int(os.environ.get("BENCH_OFFICES", "200"))
PERSONS = max(CONTACTS // 10, OFFICES)
RUNS = int(os.environ.get("BENCH_RUNS", "100"))
PICKER_CLIENTS = int(os.environ.get("BENCH_PICKER_CLIENTS", "25000"))
PICKER_OFFICE = "Bench picker office"
FIRST_NAMES = [
    "Mamadou",
    "Awa",
    "Fatou",
    "Moussa",
    "Aminata",
    "Ibrahima",
    "Mariama",
    "Cheikh",
    "Khady",
    "Ousmane",
    "Mohamed",
    "Fatima",
    "Ahmed",
    "Youssef",
    "Aicha",
    "Omar",
    "Salma",
    "Karim",
    "Nadia",
    "Abdou",
]
FAMILY_NAMES = [
    "Diallo",
    "Ndiaye",
    "Sow",
    "Fall",
    "Sarr",
    "Ba",
    "Diop",
    "Mbaye",
    "Gueye",
    "Faye",
    "Cisse",
    "Kane",
    "Sy",
    "Toure",
    "Camara",
    "Ould Ahmed",
    "El Amrani",
    "Benali",
    "Haddad",
    "Traore",
]
ARABIC = {
    "Mohamed": "محمد",
    "Fatima": "فاطمة",
    "Ahmed": "أحمد",
    "Youssef": "يوسف",
    "Aicha": "عائشة",
    "Omar": "عمر",
    "Ould Ahmed": "ولد أحمد",
    "El Amrani": "العمراني",
    "Benali": "بن علي",
    "Haddad": "حداد",
}
PICKER_QUERIES = [
    "Mamadou",
    "Awa Diallo",
    "Fatou Sarr 1952",
    "77 0012",
    "+221770012345",
    "محمد",
    "Mohamed Ould Ahmed",
    "aicha.b",
]
PREFIX = "Bench office "
USER_EMAIL = "bench.manager@example.org"


def vacuum() -> None:
    """Visibility map and statistics, as autovacuum would leave them on a live system."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) offices_contact")
        cursor.execute("VACUUM (ANALYZE) offices_person")


def seed() -> None:
    existing = Contact.objects.filter(office__organisation__name__startswith=PREFIX).count()
    if existing >= CONTACTS:
        print(f"seed: {existing} contacts already there")
        return
    started = time.monotonic()
    Organisation.objects.bulk_create(
        [Organisation(name=f"{PREFIX}{i}", type="migration_office", country_id="SN") for i in range(OFFICES)],
        ignore_conflicts=True,
    )
    organisations = list(Organisation.objects.filter(name__startswith=PREFIX).order_by("pk"))
    Office.objects.bulk_create(
        [Office(organisation=o, type="migration_office", country_id="SN", municipality="Dakar") for o in organisations],
        ignore_conflicts=True,
    )
    office_ids = list(Office.objects.filter(organisation__in=organisations).order_by("pk").values_list("pk", flat=True))
    user = User.objects.filter(email=USER_EMAIL).first() or User.objects.create_user(USER_EMAIL, "bench-password-1")
    membership_grant(user=user, role=Role.OFFICE_MANAGER, organisation=organisations[0])
    channels = [c for c in Channel.values if c != Channel.FAMILY]
    topics = list(Topic.values)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM offices_contact WHERE office_id = ANY(%s)", [office_ids])
        cursor.execute("DELETE FROM offices_person WHERE office_id = ANY(%s)", [office_ids])
        cursor.execute(
            """
            INSERT INTO offices_person (office_id, name_latin, name_arabic, search_name, sex, birth_year, phone, email,
                preferred_language, vulnerabilities, created_at, updated_at)
            SELECT (%(offices)s::bigint[])[1 + g %% %(n)s], 'Person ' || g, '', 'person ' || g, '', 1950 + g %% 55,
                '+221 77 ' || g, '', 'fr', '{}', now(), now() - (g %% 1000) * interval '1 hour'
            FROM generate_series(0, %(persons)s - 1) AS g
            """,
            {"offices": office_ids, "n": len(office_ids), "persons": PERSONS},
        )
        cursor.execute("SELECT min(id) FROM offices_person WHERE office_id = ANY(%s)", [office_ids])
        first_person = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO offices_contact (office_id, person_id, channel, family_relationship, occurred_at, staff_id,
                topics, summary, notes_encrypted, outcome, follow_up_due, follow_up_assignee_id, created_at)
            SELECT (%(offices)s::bigint[])[1 + (g %% %(persons)s) %% %(n)s], %(first)s + g %% %(persons)s,
                (%(channels)s::text[])[1 + g %% %(nc)s], '', now() - (g %% 720) * interval '12 hours', %(user)s,
                ARRAY[(%(topics)s::text[])[1 + g %% %(nt)s], (%(topics)s::text[])[1 + (g / 7) %% %(nt)s]],
                'Synthetic contact ' || g, '', '',
                CASE WHEN g %% 20 = 0 THEN current_date + (g %% 30 - 10) END,
                CASE WHEN g %% 20 = 0 THEN %(user)s END, now()
            FROM generate_series(0, %(contacts)s - 1) AS g
            """,
            {"offices": office_ids, "n": len(office_ids), "persons": PERSONS, "first": first_person,
             "channels": channels, "nc": len(channels), "topics": topics, "nt": len(topics), "user": user.pk,
             "contacts": CONTACTS},
        )  # fmt: skip
    print(f"seed: {OFFICES} offices, {PERSONS} persons, {CONTACTS} contacts in {time.monotonic() - started:.0f} s")


def seed_picker_office(user) -> Office:
    """One office of PICKER_CLIENTS clients (20 × 20 common names, a fifth also in Arabic script, phones, e-mails,
    birth years) and four contacts each; created once."""
    from apps.core.bulk import copy_rows
    from apps.core.names import name_index
    from apps.core.names.store import keys_literal

    organisation, _ = Organisation.objects.get_or_create(
        name=PICKER_OFFICE, defaults={"type": "migration_office", "country_id": "SN"}
    )
    office, _ = Office.objects.get_or_create(
        organisation=organisation, defaults={"type": "migration_office", "country_id": "SN", "municipality": "Thiès"}
    )
    if not user.memberships.filter(organisation=organisation, is_active=True).exists():
        membership_grant(user=user, role=Role.OFFICE_MANAGER, organisation=organisation)
    existing = Person.objects.filter(office=office).count()
    if existing >= PICKER_CLIENTS:
        print(f"picker office: {existing} clients already there")
        return office
    started = time.monotonic()
    rows = []
    for g in range(existing, PICKER_CLIENTS):
        first, family = FIRST_NAMES[g % 20], FAMILY_NAMES[(g // 20) % 20]
        latin = f"{first} {family}"
        arabic = f"{ARABIC[first]} {ARABIC[family]}" if g % 5 == 0 and first in ARABIC and family in ARABIC else ""
        search_name, keys = name_index(latin, arabic)
        rows.append((office.pk, latin, arabic, search_name, keys_literal(keys), " ".join(keys), "", 1950 + g % 55,
                     f"+221 7{g % 8} {g * 7919 % 10_000_000:07d}", f"{first[:5].lower()}.{family[0].lower()}{g}@example.org", "fr", "{}",
                     timezone.now(), timezone.now() - dt.timedelta(hours=g % 5000)))  # fmt: skip
    columns = ["office_id", "name_latin", "name_arabic", "search_name", "name_keys", "name_key_text", "sex",
               "birth_year", "phone", "email",
               "preferred_language", "vulnerabilities", "created_at", "updated_at"]  # fmt: skip
    with connection.cursor() as cursor:
        copy_rows(cursor, "offices_person", columns, rows)
        cursor.execute(
            """
            INSERT INTO offices_contact (office_id, person_id, channel, family_relationship, reporter_name,
                reporter_phone, reporter_may_call_back, occurred_at, staff_id, topics, summary, notes_encrypted,
                outcome, created_at)
            SELECT p.office_id, p.id, 'walk_in', '', '', '', false, now() - (p.id %% 700 + k * 30) * interval '1 day',
                %(user)s, ARRAY['pre_departure'], 'Synthetic contact', '', '', now()
            FROM offices_person p, generate_series(1, 4) AS k WHERE p.office_id = %(office)s
            """,
            {"office": office.pk, "user": user.pk},
        )
        cursor.execute("VACUUM (ANALYZE) offices_person")
    print(f"picker office: {PICKER_CLIENTS} clients, 4 contacts each, in {time.monotonic() - started:.0f} s")
    return office


def bench_picker_and_save(user, targets: Targets) -> None:
    """The type-ahead (p95 under 150 ms per query) and saving a contact (p95 within 2× of its bare SQL)."""

    office = seed_picker_office(user)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("offices:person-picker")
    print(f"\nperson picker, office of {Person.objects.filter(office=office).count()} clients (whole request)")
    print(f"{'query':24} {'matches':>7} {'p95 ms':>7} {'median ms':>9}")
    worst = 0.0
    for query in PICKER_QUERIES:
        found = len(client.get(url, {"office": office.pk, "q": query}).json()["results"])
        fn = lambda query=query: client.get(url, {"office": office.pk, "q": query})  # noqa: E731
        ms = timed(fn, runs=min(RUNS, 50))
        worst = max(worst, ms)
        print(f"{query:24} {found:7d} {ms:7.1f} {MEDIANS[id(fn)]:9.1f}")
    targets.at_most("type-ahead p95 (slowest query)", worst, 150, " ms")
    person = Person.objects.filter(office=office).order_by("pk").first()
    bench_save(user, office, person, targets)


def request_state(user_pk: int, person_pk: int):
    """What the quick-log view holds when it calls the service, loaded as the request loads it and outside the
    timing: the signed-in user with their memberships (the role check read them) and the client chosen in the form
    (a plain row, its office not attached)."""
    from apps.core.permissions import active_memberships

    actor = User.objects.get(pk=user_pk)
    active_memberships(actor)
    return actor, Person.objects.get(pk=person_pk)


def bench_save(user, office, person, targets: Targets) -> None:
    """Saving a contact as the quick-log does (checks, encryption of the notes, the person touched, the audit
    event) against the bare SQL writing the same rows with the same columns in a transaction of its own."""
    from django.db import transaction

    from apps.core.audit import audit_identity
    from apps.offices import services
    from apps.offices.crypto import encrypt_notes

    states = iter([request_state(user.pk, person.pk) for _ in range(RUNS + 2)])

    def save_service():  # the service is one transaction of its own, as the quick-log runs it
        actor, client = next(states)
        services.contact_quick_log(
            office=office, actor=actor, person=client, channel="hotline", topics=["pre_departure"],
            summary="Bench save", notes="A restricted note",
        )  # fmt: skip

    identity = audit_identity(user).pk
    ciphertext = encrypt_notes("A restricted note")  # the same length as the service's, encrypted once here

    def save_raw():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO offices_contact (office_id, person_id, channel, family_relationship, reporter_name, "
                "reporter_phone, reporter_may_call_back, occurred_at, staff_id, topics, summary, notes_encrypted, "
                "outcome, follow_up_due, follow_up_assignee_id, follow_up_done_at, created_at) VALUES (%s, %s, "
                "'hotline', '', '', '', false, now(), %s, ARRAY['pre_departure'], 'Bench save', %s, '', NULL, NULL, "
                "NULL, now()) RETURNING id",
                [office.pk, person.pk, user.pk, ciphertext],
            )
            contact_id = cursor.fetchone()[0]
            cursor.execute("UPDATE offices_person SET updated_at = now() WHERE id = %s", [person.pk])
            cursor.execute(
                "INSERT INTO core_auditevent (occurred_at, actor_id, actor_label, actor_identity_id, "
                "subject_identity_id, action, object_type, object_id, summary, ip_address, extra) VALUES (now(), %s, "
                "'', %s, NULL, 'offices.contact.log', 'offices.contact', %s, '', NULL, %s)",
                [user.pk, identity, str(contact_id), json.dumps({"person": person.pk})],
            )

    with CaptureQueriesContext(connection) as ctx:
        save_service()
    print(f"\nsave a contact: {len(ctx.captured_queries)} statements: " + "; ".join(
        q["sql"].split(" ")[0] + (" " + q["sql"].split('"')[1] if '"' in q["sql"] else "") for q in ctx.captured_queries
    ))  # fmt: skip
    for query in ctx.captured_queries:
        if query["sql"].startswith("INSERT"):
            print("   ", query["sql"].split(" VALUES")[0])
    save_ms, raw_ms = timed(save_service), timed(save_raw)
    print(f"\n{'save a contact':24} p95 service {save_ms:.2f} ms, bare SQL {raw_ms:.2f} ms: {save_ms / raw_ms:.2f}×")
    print(f"{'':24} medians {MEDIANS[id(save_service)]:.2f} / {MEDIANS[id(save_raw)]:.2f} ms")
    Contact.objects.filter(office=office, summary="Bench save").delete()
    targets.at_most("saving a contact: portal / bare INSERT", save_ms / raw_ms, 2, "×")


MEDIANS: dict[int, float] = {}


def timed(fn, runs=RUNS) -> float:
    """p95 in ms (the median is kept in MEDIANS, keyed by the function's id)."""
    fn()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    MEDIANS[id(fn)] = median(samples) * 1000
    return p95(samples) * 1000


def raw(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def main() -> int:
    seed()
    started = time.monotonic()
    vacuum()
    print(f"vacuum analyze: {time.monotonic() - started:.0f} s")
    user = User.objects.get(email=USER_EMAIL)
    office = Office.objects.filter(organisation__name=f"{PREFIX}0").get()
    person = Person.objects.filter(office=office).order_by("pk").first()
    print(f"office {office.pk}: {Contact.objects.filter(office=office).count()} contacts")

    # Contact list: the two queries the page runs (count, first page of 50)
    def contact_list_orm():
        queryset = selectors.contact_list(user=user, office=office)
        queryset.count()
        list(queryset[:50])

    with CaptureQueriesContext(connection) as ctx:
        contact_list_orm()
    list_sql = [q["sql"] for q in ctx.captured_queries if "offices_contact" in q["sql"]]

    def contact_list_raw():
        for sql in list_sql:
            raw(sql, None)

    def timeline_orm():
        selectors.person_timeline(user=user, person=person)

    with CaptureQueriesContext(connection) as ctx:
        timeline_orm()
    timeline_sql = [q["sql"] for q in ctx.captured_queries]

    def timeline_raw():
        for sql in timeline_sql:
            raw(sql, None)

    # the timeline's queries must start from the person's index, never a sequential scan of the contacts
    with connection.cursor() as cursor:
        for sql in timeline_sql:
            cursor.execute("EXPLAIN " + sql)
            scans = [row[0].strip() for row in cursor.fetchall() if "Scan" in row[0] and "offices_" in row[0]]
            print("timeline plan:", "; ".join(scans))
            assert not any("Seq Scan on offices_contact" in scan for scan in scans), scans

    def dashboard():
        selectors.office_dashboard(office=office)

    def dashboard_raw():
        raw(
            "SELECT date_trunc('week', occurred_at AT TIME ZONE 'UTC'), channel, count(*) FROM offices_contact "
            "WHERE office_id = %s AND occurred_at >= now() - interval '12 weeks' GROUP BY 1, 2",
            [office.pk],
        )
        raw(
            "SELECT date_trunc('week', occurred_at AT TIME ZONE 'UTC'), t, count(*) FROM offices_contact, "
            "unnest(topics) t WHERE office_id = %s AND occurred_at >= now() - interval '12 weeks' GROUP BY 1, 2",
            [office.pk],
        )
        raw(
            "SELECT count(*), count(*) FILTER (WHERE follow_up_due < current_date) FROM offices_contact "
            "WHERE office_id = %s AND follow_up_done_at IS NULL AND follow_up_due IS NOT NULL",
            [office.pk],
        )
        raw("SELECT status, count(*) FROM offices_referral WHERE office_id = %s GROUP BY 1", [office.pk])

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def page_queries(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    pairs = [
        ("contact list (count + first page)", contact_list_orm, contact_list_raw),
        ("person timeline", timeline_orm, timeline_raw),
        ("dashboard aggregates", dashboard, dashboard_raw),
    ]
    rows = [(name, timed(orm), timed(raw_)) for name, orm, raw_ in pairs]
    print(f"\n{'measure':38} {'p95 ORM ms':>11} {'p95 raw ms':>11} {'ratio':>6} {'median ORM/raw ms':>18}")
    for (name, orm_ms, raw_ms), (_, orm, raw_) in zip(rows, pairs, strict=True):
        medians = f"{MEDIANS[id(orm)]:.1f}/{MEDIANS[id(raw_)]:.1f}"
        print(f"{name:38} {orm_ms:11.1f} {raw_ms:11.1f} {orm_ms / raw_ms:6.2f} {medians:>18}")
    urls = {
        "contact list page": reverse("offices:contact-list") + f"?office={office.pk}",
        "contact list page 20": reverse("offices:contact-list") + f"?office={office.pk}&page=20",
        "timeline page": reverse("offices:person-detail", args=[person.pk]),
        "dashboard page": reverse("offices:dashboard") + f"?office={office.pk}",
    }
    print()
    for name, url in urls.items():
        page_ms = timed(lambda url=url: client.get(url), runs=10)
        print(f"{name:38} queries={page_queries(url):3d} p95 page {page_ms:7.1f} ms")
    print(f"\n(p95: the {p95_label(RUNS)} for the measures, the {p95_label(10)} for the pages)\n")
    targets = Targets()
    for name, orm_ms, raw_ms in rows[:2]:
        targets.at_most(f"{name}: portal / raw SQL", orm_ms / raw_ms, 2, "×")
    targets.at_most("dashboard aggregates p95", rows[2][1], 300, " ms")
    bench_picker_and_save(user, targets)
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
