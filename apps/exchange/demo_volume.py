"""Synthetic exchange requests for the demo, so the exchange report shows real shapes: requests between partner
states in every state of the workflow, each with the decision log that brought it there, and evaluations of the
completed ones; loaded with ``COPY``. Idempotent (skipped when synthetic requests exist)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Organisation, User
from apps.core.bulk import copy_rows, reserve_ids
from apps.core.roles import Role

from .models import ExchangeRequest, Kind, State, Theme

MARKER = "Synthetic request"
COUNTRIES = ["SN", "MA", "ML", "TN", "CI", "GH", "EG", "NG"]
# The main path and the role that takes each step; a request stops somewhere on it or leaves by a side exit.
PATH = [
    ("submit", State.DRAFT, State.SUBMITTED, Role.FOCAL_POINT),
    ("endorse", State.SUBMITTED, State.ENDORSED, Role.APPROVER),
    ("accept", State.ENDORSED, State.ACCEPTED, Role.APPROVER),
    ("approve", State.ACCEPTED, State.APPROVED, Role.COORDINATOR),
    ("schedule", State.APPROVED, State.SCHEDULED, Role.COORDINATOR),
    ("complete", State.SCHEDULED, State.COMPLETED, Role.FOCAL_POINT),
    ("close", State.COMPLETED, State.CLOSED, Role.COORDINATOR),
]
# How far along the path requests have gone (index into PATH + 1), weighted.
STOPS = [(0, 8), (1, 12), (2, 10), (3, 8), (4, 10), (5, 10), (6, 17), (7, 15)]
EXITS = [("reject", State.REJECTED, Role.APPROVER, 6), ("withdraw", State.WITHDRAWN, Role.FOCAL_POINT, 4)]
THEMES = [(Theme.SKILLS_NETWORKS, 18), (Theme.DIASPORA_ENGAGEMENT, 16), (Theme.LABOUR_MARKETS, 14),
          (Theme.RETURN_REINTEGRATION, 12), (Theme.MIGRATION_DATA, 10), (Theme.CENSUS_PROFILING, 8),
          (Theme.REMITTANCES_INVESTMENT, 8), (Theme.PRE_DEPARTURE, 6), (Theme.HEALTH, 4), (Theme.AGRICULTURE, 4)]  # fmt: skip


def _institutions() -> dict[str, int]:
    return {
        code: Organisation.objects.get_or_create(
            name=f"Ministry of Diaspora Affairs ({code})",
            country_id=code,
            defaults={"type": Organisation.Type.MINISTRY},
        )[0].pk
        for code in COUNTRIES
    }


@transaction.atomic
def load(*, requests: int = 400, seed: int = 2026) -> int:
    if requests <= 0 or ExchangeRequest.objects.filter(title__startswith=MARKER).exists():
        return 0
    actor = User.objects.filter(email="coordinator@demo.example.org").first() or User.objects.order_by("pk").first()
    if actor is None:
        return 0
    institutions = _institutions()
    # One evaluation per author and request: the demo accounts answer.
    authors = list(User.objects.filter(email__endswith="@demo.example.org").values_list("pk", flat=True)) or [actor.pk]
    rng = random.Random(seed)
    now = timezone.now()
    request_rows, decision_rows, evaluation_rows = [], [], []
    with connection.cursor() as cursor:
        for index, pk in enumerate(reserve_ids(cursor, "exchange_exchangerequest", requests)):
            requesting, host = rng.sample(COUNTRIES[:5] if rng.random() < 0.7 else COUNTRIES, 2)
            kind = Kind.STUDY_VISIT if rng.random() < 0.55 else Kind.EXPERT_ASSIGNMENT
            created = now - timedelta(days=rng.randint(20, 600))
            at, state = created, State.DRAFT
            steps = rng.choices([s for s, _ in STOPS], weights=[w for _, w in STOPS])[0]
            for action, from_state, to_state, role in PATH[:steps]:
                at += timedelta(days=rng.randint(2, 25), hours=rng.randint(0, 8))
                decision_rows.append(
                    (pk, actor.pk, actor.full_name, role, action, from_state, to_state, "", "", "{}", at)
                )
                state = to_state
            if state in (State.SUBMITTED, State.ENDORSED) and rng.random() < 0.3:
                action, to_state, role, _weight = rng.choices(EXITS, weights=[e[3] for e in EXITS])[0]
                at += timedelta(days=rng.randint(2, 20))
                decision_rows.append((pk, actor.pk, actor.full_name, role, action, state, to_state, "", "", "{}", at))
                state = to_state
            if state in (State.COMPLETED, State.CLOSED):
                # Up to 8 evaluations each (participants of a visit, experts of an assignment): many requests have
                # the 5 that their averages need in the exchange report.
                respondent = "expert" if kind == Kind.EXPERT_ASSIGNMENT else "participant"
                for author in rng.sample(authors, min(len(authors), rng.randint(2, 8))):
                    evaluation_rows.append(
                        (pk, author, respondent, rng.choices([3, 4, 5], weights=[1, 3, 4])[0],
                         rng.choices([2, 3, 4, 5], weights=[1, 2, 4, 3])[0], rng.random() < 0.8, "",
                         at + timedelta(days=3))
                    )  # fmt: skip
            theme = rng.choices([t for t, _ in THEMES], weights=[w for _, w in THEMES])[0]
            request_rows.append(
                (pk, kind, state, f"{MARKER} {index + 1}", theme, "", "", "", "", "{}", "", "", "", "", "",
                 created, max(at, created), at, actor.pk, host, institutions[host], requesting, institutions[requesting])
            )  # fmt: skip
        copy_rows(
            cursor,
            "exchange_exchangerequest",
            ["id", "kind", "state", "title", "theme", "sectors", "objectives", "expected_results", "initiative",
             "isco_codes", "occupations_sought", "skills_sought", "delivery_mode", "terms_of_reference",
             "terms_of_reference_file", "created_at", "updated_at", "state_changed_at", "created_by_id",
             "host_country_id", "host_institution_id", "requesting_country_id", "requesting_institution_id"],
            request_rows,
        )  # fmt: skip
        copy_rows(
            cursor,
            "exchange_decision",
            ["request_id", "actor_id", "actor_label", "role", "action", "from_state", "to_state", "comment",
             "reason", "changed_fields", "created_at"],
            decision_rows,
        )  # fmt: skip
        copy_rows(
            cursor,
            "exchange_evaluation",
            ["request_id", "author_id", "respondent", "usefulness", "organisation", "would_recommend", "comments",
             "submitted_at"],
            evaluation_rows,
        )  # fmt: skip
    return len(request_rows)
