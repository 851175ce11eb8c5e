"""Matching at national scale: experts for an exchange request, profiles for a vacancy, from the skills bank.

Needs the synthetic skills bank (``seed_synthetic --profiles N``; the skills benchmark seeds it). Inside one
transaction that is rolled back at the end, it creates an expert assignment and a vacancy that ask for the most
common skill and occupation of the bank (the worst case: the most candidates) and for a rare one, then measures
the first page of ranked candidates as the pages compute it (count and first 20 with their reasons) against a
baseline measured in the same run: the bare candidate ids (the index lookups the ranking cannot avoid), raw SQL.
Target: every matching page's p95 under ``BENCH_MATCHING_TARGET_MS`` (1,500 ms: 1.5× the worst case measured at
1,000,000 profiles, docs/returns.md); the run exits 1 when one is missed.

    .venv/bin/python scripts/devenv.py bench bench_matching.py
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.measure import Targets, median, p95, p95_label  # noqa: E402

REPS = int(os.environ.get("BENCH_REPS", 5))
TARGET_MS = float(os.environ.get("BENCH_MATCHING_TARGET_MS", 1500))


class RollbackError(Exception):
    pass


def timed(function, reps: int = REPS) -> tuple[float, float, object]:
    result, samples = None, []
    for _ in range(reps):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return p95(samples), median(samples), result


def one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def extremes() -> dict:
    """The most and least common skill and ISCO unit group held by profiles (at least 20 holders)."""
    common_skill = one(
        "SELECT skill_id, count(*) FROM skills_profileskill WHERE skill_id IS NOT NULL "
        "GROUP BY skill_id ORDER BY 2 DESC LIMIT 1"
    )
    rare_skill = one(
        "SELECT skill_id, count(*) FROM skills_profileskill WHERE skill_id IS NOT NULL "
        "GROUP BY skill_id HAVING count(*) >= 20 ORDER BY 2 LIMIT 1"
    )
    occupations = "skills_diasporaprofile_occupations"
    common_isco = one(
        f"SELECT occupation_id, count(*) FROM {occupations} WHERE length(occupation_id) = 4 "
        "GROUP BY occupation_id ORDER BY 2 DESC LIMIT 1"
    )
    rare_isco = one(
        f"SELECT occupation_id, count(*) FROM {occupations} WHERE length(occupation_id) = 4 "
        "GROUP BY occupation_id HAVING count(*) >= 20 ORDER BY 2 LIMIT 1"
    )
    return {"common": (common_skill, common_isco), "rare": (rare_skill, rare_isco)}


def baseline_ids(skill: str, isco_prefix: str) -> int:
    """The candidate ids alone: profiles holding the skill or an occupation of the ISCO sub-major group."""
    row = one(
        "SELECT count(*) FROM (SELECT profile_id FROM skills_profileskill WHERE skill_id = %s "
        "UNION SELECT diasporaprofile_id FROM skills_diasporaprofile_occupations WHERE occupation_id LIKE %s) ids",
        [skill, isco_prefix + "%"],
    )
    return row[0]


def bench_exchange(skill: str, isco: str) -> dict:
    from apps.accounts.models import Organisation, User
    from apps.exchange.matching import candidate_queryset, candidates_page, criteria_for
    from apps.exchange.models import ExchangeRequest, Kind, State

    organisation, _ = Organisation.objects.get_or_create(
        name="Benchmark ministry", country_id="SN", defaults={"type": Organisation.Type.MINISTRY}
    )
    author, _ = User.objects.get_or_create(email="bench.focal@example.invalid", defaults={"full_name": "Bench"})
    start = timezone.localdate() + timedelta(days=60)
    request = ExchangeRequest.objects.create(
        kind=Kind.EXPERT_ASSIGNMENT,
        state=State.ACCEPTED,
        requesting_institution=organisation,
        requesting_country_id="SN",
        created_by=author,
        host_country_id="MA",
        title="Benchmark assignment",
        theme="skills_networks",
        objectives="-",
        expected_results="-",
        start_date=start,
        end_date=start + timedelta(days=10),
        working_language_id="fr",
        isco_codes=[isco],
        min_years_experience=5,
        number_of_experts=2,
    )
    request.skills.add(skill)
    request.languages_sought.add("ar")

    def page():
        criteria = criteria_for(request)
        queryset = candidate_queryset(request, criteria)
        count = queryset.count()
        return count, candidates_page(list(queryset[:20]), request=request, criteria=criteria)

    portal_p95, portal_median, (count, rows) = timed(page)
    base_p95, base_median, base_count = timed(lambda: baseline_ids(skill, isco[:2]))
    return {
        "candidates": count,
        "shown": len(rows),
        "portal_p95": portal_p95,
        "portal_median": portal_median,
        "baseline_p95": base_p95,
        "baseline_count": base_count,
    }


def bench_vacancy(skill: str, isco: str) -> dict:
    from apps.accounts.models import User
    from apps.accounts.services import membership_grant
    from apps.core.roles import Role
    from apps.returns.matching import profile_candidates, profile_matches
    from apps.returns.models import Vacancy

    coordinator, _ = User.objects.get_or_create(
        email="bench.coordinator@example.invalid", defaults={"full_name": "Bench"}
    )
    membership_grant(user=coordinator, role=Role.COORDINATOR)
    vacancy = Vacancy.objects.create(
        title="Benchmark vacancy",
        employer="Benchmark employer",
        country_id="SN",
        occupation_id=isco,
        closing_date=timezone.localdate() + timedelta(days=30),
    )
    vacancy.skills.add(skill)
    vacancy.languages.add("fr")

    def page():
        count = profile_candidates(user=coordinator, vacancy=vacancy).count()
        return count, profile_matches(user=coordinator, vacancy=vacancy)

    portal_p95, portal_median, (count, rows) = timed(page)
    base_p95, base_median, base_count = timed(lambda: baseline_ids(skill, isco[:2]))
    return {
        "candidates": count,
        "shown": len(rows),
        "portal_p95": portal_p95,
        "portal_median": portal_median,
        "baseline_p95": base_p95,
        "baseline_count": base_count,
    }


def main() -> int:
    profiles = one("SELECT count(*) FROM skills_diasporaprofile")[0]
    print(f"\n## Matching — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    print(f"- machine: {os.cpu_count()} cores, load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"- profiles: {profiles:,}; {REPS} runs each (p95 below is the {p95_label(REPS)})\n")
    if profiles < 1000:
        print("the skills bank is nearly empty: seed it first (seed_synthetic --profiles N)")
        return 1
    targets = Targets()
    results = []
    print("| case | what | candidates | page p95 (median) | baseline: candidate ids, raw SQL, p95 | ratio |")
    print("|---|---|---|---|---|---|")
    for case, ((skill, skill_holders), (isco, isco_holders)) in extremes().items():
        try:
            with transaction.atomic():
                for name, bench in (("exchange experts", bench_exchange), ("vacancy profiles", bench_vacancy)):
                    result = bench(skill, isco)
                    print(
                        f"| {case}: skill {skill} ({skill_holders:,}), ISCO {isco} ({isco_holders:,}) | {name} | "
                        f"{result['candidates']:,} | {result['portal_p95'] * 1000:.0f} ms "
                        f"({result['portal_median'] * 1000:.0f}) | {result['baseline_p95'] * 1000:.0f} ms "
                        f"({result['baseline_count']:,} ids) | "
                        f"{result['portal_p95'] / result['baseline_p95']:.1f}× |",
                        flush=True,
                    )
                    results.append((f"{case}, {name}", result["portal_p95"] * 1000))
                raise RollbackError
        except RollbackError:
            pass
    print()
    for name, page_ms in results:
        targets.at_most(f"matching page p95, {name}", page_ms, TARGET_MS, " ms")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
