"""Skills-bank benchmarks: staff search, name search, imports. Results go in docs/benchmarks.md.

    make bench                                   # every benchmark (scripts/devenv.py bench)
    .venv/bin/python scripts/devenv.py bench bench_skills_search.py
    BENCH_PROFILES=1000000 .venv/bin/python scripts/devenv.py bench bench_skills_search.py

Options (environment or command line when run directly): --profiles / BENCH_PROFILES (default 100,000; the
synthetic bank is seeded with ``seed_synthetic`` when the table holds fewer profiles), --import-rows /
BENCH_IMPORT_ROWS (default 5,000), --reps / BENCH_REPS (default 20).

What is measured:
1. Search p95: the portal's own query (``profile_search`` → ORM, first page of 20 with the prefetches the page
   uses) against the same SQL run raw on a cursor (target ≤ 1.5×), and against the same search with the
   stored document computed at query time for every row (target ≥ 20× slower). EXPLAIN of every query must show
   no sequential scan on skills_diasporaprofile.
2. Name search: the portal's name condition (trigram similarity on the name words, then the profiles carrying them)
   against ``ILIKE '%…%'`` on the name columns, both returning every listed profile the name finds.
3. Import: rows applied by the import service (bulk, per-row savepoint fallback) against the same rows saved
   one by one through the ORM, per row.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.skills.models import DiasporaProfile  # noqa: E402
from benchmarks.measure import Targets, p95, p95_label  # noqa: E402

QUERIES = [
    "Mohammed",
    "محمد",
    "Youssef Mahfouz",
    "water treatment",
    "traitement de l'eau",
    "معالجة المياه",
    "ingénieur génie civil",
    "software developer",
    "Diop médecin",
    "microfinance",
]
NAMES = ["Mahfouz", "Ouédraogo", "Khoury", "Mohammed Benali", "محمد"]
# The synthetic pools are small, so every name above is carried by thousands of people. A real bank has a long
# tail of rare family names: these are given to three listed profiles each (last_name, or last_name_ar).
RARE_NAMES = [("Zoungrana", "last_name"), ("Ag Alhassane", "last_name"), ("بوطالب", "last_name_ar")]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "postgresql": pg,
    }


def ensure_profiles(target: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM skills_diasporaprofile")
        have = cursor.fetchone()[0]
    if have < target:
        print(f"seeding {target - have} synthetic profiles (the table has {have})", flush=True)
        started = time.monotonic()
        call_command("seed_synthetic", profiles=target - have)
        print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)
        have = target
    return have


def coordinator():
    from apps.accounts.models import User
    from apps.accounts.services import membership_grant
    from apps.core.roles import Role

    user, _ = User.objects.get_or_create(email="bench.coordinator@example.invalid", defaults={"full_name": "Bench"})
    membership_grant(user=user, role=Role.COORDINATOR)
    return user


def portal_page(user, query: str):
    from apps.skills.selectors.search import profile_search, profile_search_prefetch

    result = profile_search(user=user, params={"q": query})
    return list(profile_search_prefetch(result.queryset)[:20])


def page_sql(user, query: str) -> tuple[str, list]:
    """The SQL of the page's main query, exactly as the ORM sends it (the prefetches are separate queries)."""
    from apps.skills.selectors.search import profile_search, profile_search_prefetch

    result = profile_search(user=user, params={"q": query})
    sql, params = profile_search_prefetch(result.queryset)[:20].query.sql_with_params()
    return sql, list(params)


# The stored document of ``profile_search_refresh`` (apps/skills/services/consents.py), computed per row instead.
_P = '"skills_diasporaprofile"'
_SKILLS = (
    "(SELECT string_agg(concat_ws(' ', s.label_{lang}, ps.proposed_text), ' ') FROM skills_profileskill ps "
    "LEFT JOIN skills_skill s ON s.code = ps.skill_id WHERE ps.profile_id = " + _P + ".id)"
)
_OCCUPATIONS = (
    "(SELECT string_agg(concat_ws(' ', o.label_en, '|', o.label_fr, '|', o.label_ar), ' ') "
    "FROM skills_diasporaprofile_occupations po JOIN skills_occupation o ON o.code = po.occupation_id "
    "WHERE po.diasporaprofile_id = " + _P + ".id)"
)
_SECTORS = (
    "(SELECT string_agg(concat_ws(' ', se.label_en, '|', se.label_fr, '|', se.label_ar), ' ') "
    "FROM skills_diasporaprofile_sectors psec JOIN skills_sector se ON se.code = psec.sector_id "
    "WHERE psec.diasporaprofile_id = " + _P + ".id)"
)
_FREE = f"concat_ws(' ', {_P}.job_title, {_P}.employer)"
_NAMES = f"unaccent(lower(concat_ws(' ', {_P}.first_name, {_P}.last_name, {_P}.first_name_ar, {_P}.last_name_ar)))"
_COMPUTED_VECTOR = (
    f"(setweight(to_tsvector('simple', {_NAMES}), 'A')"
    f" || setweight(to_tsvector('english', concat_ws(' ', {_FREE}, {_SKILLS.format(lang='en')}, {_OCCUPATIONS},"
    f" {_SECTORS})), 'B')"
    f" || setweight(to_tsvector('french', unaccent(concat_ws(' ', {_FREE}, {_SKILLS.format(lang='fr')},"
    f" {_OCCUPATIONS}, {_SECTORS}))), 'B')"
    f" || setweight(to_tsvector('arabic', concat_ws(' ', {_FREE}, {_SKILLS.format(lang='ar')}, {_OCCUPATIONS},"
    f" {_SECTORS})), 'B'))"
)


def run_raw(sql: str, params: list) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return time.perf_counter() - started


def run_statements(statements: list[str]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()
    return time.perf_counter() - started


def seq_scans(sql: str, params: list) -> list[str]:
    import json

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found = []

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "skills_diasporaprofile":
            found.append(node.get("Relation Name"))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def bench_search(reps: int, computed_runs: int = 2) -> dict:
    user = coordinator()
    for query in QUERIES:  # warm caches
        portal_page(user, query)
    portal, raw, plans = [], [], {}
    per_query = []
    for query in QUERIES:
        sql, params = page_sql(user, query)
        plans[query] = seq_scans(sql, params)
        # Every statement the portal sends for the page (main query and prefetches), exactly as sent.
        with CaptureQueriesContext(connection) as captured:
            portal_page(user, query)
        statements = [q["sql"] for q in captured.captured_queries]
        q_portal, q_raw = [], []
        for rep in range(reps):
            # Alternate which runs first, so neither always finds the other's pages in the cache.
            if rep % 2:
                q_raw.append(run_statements(statements))
            started = time.perf_counter()
            portal_page(user, query)
            q_portal.append(time.perf_counter() - started)
            if not rep % 2:
                q_raw.append(run_statements(statements))
        portal += q_portal
        raw += q_raw
        per_query.append((query, statistics.median(q_portal), statistics.median(q_raw)))
    computed = []
    for query in (QUERIES[:1] + QUERIES[4:5])[: max(1, computed_runs)]:
        sql, params = page_sql(user, query)
        # The match runs in a sub-query over the table renamed U0 (the first matches, then ranked): the document
        # is computed there for every candidate row, and again for the ranked ones.
        slow_sql = sql.replace('U0."search_vector"', _COMPUTED_VECTOR.replace(_P, "U0"))
        slow_sql = slow_sql.replace('"skills_diasporaprofile"."search_vector"', _COMPUTED_VECTOR)
        assert slow_sql.count("to_tsvector") >= 8, "the computed variant must replace the match and the rank"
        computed.append(run_raw(slow_sql, params))
    return {
        "portal_p95": p95(portal),
        "raw_p95": p95(raw),
        "computed_p95": p95(computed),
        "computed_runs": len(computed),
        "per_query": per_query,
        "seq_scans": {q: s for q, s in plans.items() if s},
    }


def plant_rare_names() -> None:
    from apps.skills.services import profile_search_refresh

    for index, (name, column) in enumerate(RARE_NAMES):
        if DiasporaProfile.objects.filter(**{column: name}).count() >= 3:
            continue
        ids = list(
            DiasporaProfile.objects.filter(consent_listed=True, erased_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[1000 * (index + 1) : 1000 * (index + 1) + 3]
        )
        DiasporaProfile.objects.filter(id__in=ids).update(**{column: name})
        profile_search_refresh(profile_ids=ids)


def bench_names(reps: int) -> dict:
    plant_rare_names()
    from apps.core.names import name_words
    from apps.skills.selectors.search import name_match_ids_sql, query_words

    def trigram_query(name: str) -> tuple[str, list]:
        """The portal's name condition (every listed profile the name names), as the search runs it."""
        named, params = name_match_ids_sql(name_words(name) or query_words(name), listed=True)
        # The listed profiles come from the name words' own flag, as the staff search reads them.
        sql = f"SELECT id FROM unnest({named}) AS id"
        return sql, params

    ilike_sql = (
        "SELECT id FROM skills_diasporaprofile WHERE consent_listed AND erased_at IS NULL AND ("
        "first_name ILIKE %s OR last_name ILIKE %s OR first_name_ar ILIKE %s OR last_name_ar ILIKE %s "
        "OR concat_ws(' ', first_name, last_name) ILIKE %s)"
    )
    trigram, ilike, counts = [], [], []
    rare_trigram, rare_ilike = [], []
    for name in NAMES + [name for name, _ in RARE_NAMES]:
        rare = name not in NAMES
        trigram_sql, trigram_params = trigram_query(name)
        run_raw(trigram_sql, trigram_params)
        with connection.cursor() as cursor:
            cursor.execute(trigram_sql, trigram_params)
            found_trigram = len(cursor.fetchall())
            cursor.execute(ilike_sql, [f"%{name}%"] * 5)
            found_ilike = len(cursor.fetchall())
        counts.append((name, found_trigram, found_ilike))
        for _ in range(max(3, reps // 4)):
            (rare_trigram if rare else trigram).append(run_raw(trigram_sql, trigram_params))
        for _ in range(3):
            (rare_ilike if rare else ilike).append(run_raw(ilike_sql, [f"%{name}%"] * 5))
    return {
        "trigram_p95": p95(trigram),
        "ilike_p95": p95(ilike),
        "rare_trigram_p95": p95(rare_trigram),
        "rare_ilike_p95": p95(rare_ilike),
        "counts": counts,
    }


def _import_csv(rows: int, tag: str) -> bytes:
    import random

    from apps.skills.models import Occupation, Sector, Skill

    sector = Sector.objects.order_by("code").first()
    skills = "|".join(Skill.objects.filter(sector=sector).order_by("code").values_list("label_en", flat=True)[:2])
    isco = Occupation.objects.filter(level=4).order_by("code").values_list("code", flat=True).first() or ""

    rng = random.Random(tag)  # another run gets other birth dates, so its rows are not duplicates of this one
    first = ["Awa", "Moussa", "Fatou", "Kofi", "Amina", "Youssef", "Leila", "Omar", "Ngozi", "Tesfaye"]
    last = ["Diop", "Sarr", "Mensah", "Benali", "Haddad", "Okafor", "Kebede", "Traoré", "Camara", "Khoury"]
    lines = ["email;first name;last name;date of birth;country of residence;skills;sectors;isco;languages"]
    for n in range(rows):
        lines.append(
            f"bench.{tag}.{n}@example.invalid;{rng.choice(first)};{rng.choice(last)}-{n};"
            f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)};France;"
            f"{skills}|Mon savoir-faire {n % 50};{sector.label_en};{isco};fr|ar"
        )
    return ("\n".join(lines) + "\n").encode()


def bench_import(rows: int, one_by_one_rows: int) -> dict:
    from apps.accounts.models import Organisation, User
    from apps.accounts.services import membership_grant
    from apps.core.roles import Role
    from apps.skills.models import ImportBatch, ProfileLanguage, ProfileSkill
    from apps.skills.services import import_batch_upload, profile_search_refresh
    from apps.skills.services.imports import (
        Lookups,
        clean_row,
        import_batch_apply_run,
        import_batch_check_run,
        row_values,
    )

    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark office", country_id="SN", defaults={"type": Organisation.Type.MIGRATION_OFFICE}
    )
    staff, _ = User.objects.get_or_create(email="bench.staff@example.invalid", defaults={"full_name": "Bench"})
    membership_grant(user=staff, role=Role.OFFICE_STAFF, organisation=organisation)
    tag = datetime.now().strftime("%Y%m%d%H%M%S")

    batch = import_batch_upload(
        actor=staff, name="bench.csv", content=_import_csv(rows, tag), default_language="fr", base_url="http://x/"
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING)
    started = time.perf_counter()
    import_batch_check_run(batch_id=batch.pk)
    check_seconds = time.perf_counter() - started
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLYING)
    started = time.perf_counter()
    import_batch_apply_run(batch_id=batch.pk)
    bulk_seconds = time.perf_counter() - started
    imported = batch.rows.filter(status="imported").count()

    # The same kind of rows saved one by one: one account, profile, skills, languages, search refresh per row.
    lookups = Lookups.load()
    mapping = {
        "email": 0,
        "first_name": 1,
        "last_name": 2,
        "date_of_birth": 3,
        "residence_country": 4,
        "skills": 5,
        "sectors": 6,
        "occupations": 7,
        "languages": 8,
    }
    raw = [line.split(";") for line in _import_csv(one_by_one_rows, tag + "x").decode().splitlines()[1:]]
    started = time.perf_counter()
    for values in raw:
        data, errors = clean_row(row_values(values, mapping), lookups, "fr")
        assert not errors, errors
        with transaction.atomic():
            user = User.objects.create_user(email=data["email"], full_name=data["first_name"])
            membership_grant(user=user, role=Role.MEMBER)
            profile = DiasporaProfile.objects.create(
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data.get("date_of_birth"),
                residence_country_id=data.get("residence_country"),
                source="import",
            )
            for code in data["skills"]:
                ProfileSkill.objects.create(profile=profile, skill_id=code, kind="informal")
            for text in data["proposed_skills"]:
                ProfileSkill.objects.create(profile=profile, proposed_text=text, kind="informal")
            profile.sectors.add(*data["sectors"])
            profile.occupations.add(*data["occupations"])
            for code in data["languages"]:
                ProfileLanguage.objects.create(profile=profile, language_id=code, level="working")
            profile_search_refresh(profile_ids=[profile.pk])
    one_seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "imported": imported,
        "check_seconds": check_seconds,
        "bulk_seconds": bulk_seconds,
        "bulk_per_row": bulk_seconds / max(1, imported),
        "one_rows": one_by_one_rows,
        "one_seconds": one_seconds,
        "one_per_row": one_seconds / max(1, one_by_one_rows),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=int(os.environ.get("BENCH_PROFILES", 100_000)))
    parser.add_argument("--import-rows", type=int, default=int(os.environ.get("BENCH_IMPORT_ROWS", 5_000)))
    parser.add_argument("--one-by-one-rows", type=int, default=int(os.environ.get("BENCH_ONE_BY_ONE_ROWS", 500)))
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 20)))
    parser.add_argument("--computed-runs", type=int, default=int(os.environ.get("BENCH_COMPUTED_RUNS", 2)))
    parser.add_argument(
        "--only", nargs="*", choices=["search", "names", "import"], default=["search", "names", "import"]
    )
    args = parser.parse_args(argv)

    profiles = ensure_profiles(args.profiles)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE skills_diasporaprofile")
        cursor.execute("SELECT count(*) FROM skills_diasporaprofile WHERE consent_listed AND erased_at IS NULL")
        listed = cursor.fetchone()[0]
    info = machine()
    print(f"\n## Skills bank search — {info['date']}\n")
    print(f"- machine: {info['nproc']} cores ({info['cpu']}), load average at start {info['load']}")
    print(f"- memory:\n```\n{info['memory']}\n```")
    print(f"- PostgreSQL {info['postgresql']}, Python {info['python']}")
    print(f"- profiles: {profiles:,} ({listed:,} listed)\n")

    print(f"- p95 below is the {p95_label(args.reps)}\n")
    targets = Targets()
    if "search" in args.only:
        report_search(bench_search(args.reps, args.computed_runs), targets)
    if "names" in args.only:
        report_names(bench_names(args.reps), targets)
    if "import" in args.only:
        report_import(bench_import(args.import_rows, args.one_by_one_rows), targets)
    return targets.exit_code()


def report_search(search: dict, targets: Targets) -> None:
    ratio_raw = search["portal_p95"] / search["raw_p95"]
    ratio_computed = search["computed_p95"] / search["portal_p95"]
    print("| search (first page of 20) | p95 |")
    print("|---|---|")
    print(f"| portal's own query (ORM + prefetch) | {ms(search['portal_p95'])} |")
    print(f"| the same statements (main query and prefetches), raw cursor | {ms(search['raw_p95'])} |")
    print(f"| vector computed at query time ({search['computed_runs']} runs) | {ms(search['computed_p95'])} |")
    print(
        f"\nportal / raw = {ratio_raw:.2f}× (target ≤ 1.5×); computed / portal = {ratio_computed:.0f}× (target ≥ 20×)"
    )
    print("\n| query | portal median | raw median |\n|---|---|---|")
    for query, portal, raw in search["per_query"]:
        print(f"| {query} | {ms(portal)} | {ms(raw)} |")
    scans = search["seq_scans"]
    print(
        f"\nEXPLAIN: {'no sequential scan on skills_diasporaprofile' if not scans else 'SEQ SCAN in ' + ', '.join(scans)}"
    )
    targets.at_most("search: portal / raw", ratio_raw, 1.5, "×")
    targets.at_least("search: computed at query time / portal", ratio_computed, 20, "×")
    targets.at_most("search: queries with a sequential scan on the profiles", len(scans), 0)


def report_names(names: dict, targets: Targets) -> None:
    print("\n| name search, every match | common names (thousands each) | rare names (3 each) |\n|---|---|---|")
    print(
        f"| trigram on the name words (the portal's name condition) | {ms(names['trigram_p95'])} "
        f"| {ms(names['rare_trigram_p95'])} |"
    )
    print(f"| `ILIKE '%…%'` on the name columns | {ms(names['ilike_p95'])} | {ms(names['rare_ilike_p95'])} |")
    print(
        f"\nILIKE / trigram = {names['ilike_p95'] / names['trigram_p95']:.0f}× for common names, "
        f"{names['rare_ilike_p95'] / names['rare_trigram_p95']:.0f}× for rare names (target ≥ 20×)"
    )
    print("matches (trigram, ILIKE): " + "; ".join(f"{n}: {a}, {b}" for n, a, b in names["counts"]))
    targets.at_least("names: ILIKE / trigram, common names", names["ilike_p95"] / names["trigram_p95"], 20, "×")
    targets.at_least("names: ILIKE / trigram, rare names", names["rare_ilike_p95"] / names["rare_trigram_p95"], 20, "×")


def report_import(imports: dict, targets: Targets) -> None:
    print("\n| import | rows | time | per row |\n|---|---|---|---|")
    print(
        f"| dry run (validation + duplicates) | {imports['rows']:,} | {imports['check_seconds']:.1f} s | "
        f"{ms(imports['check_seconds'] / imports['rows'])} |"
    )
    print(
        f"| import service (bulk chunks) | {imports['imported']:,} | {imports['bulk_seconds']:.1f} s | "
        f"{ms(imports['bulk_per_row'])} |"
    )
    print(
        f"| saved one by one (ORM) | {imports['one_rows']:,} | {imports['one_seconds']:.1f} s | "
        f"{ms(imports['one_per_row'])} |"
    )
    print(f"\none by one / bulk per row = {imports['one_per_row'] / imports['bulk_per_row']:.1f}× (target ≥ 10×)")
    targets.at_least("import: one by one / bulk, per row", imports["one_per_row"] / imports["bulk_per_row"], 10, "×")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
