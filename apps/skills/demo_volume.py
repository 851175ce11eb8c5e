"""Synthetic members for the demo, so the profile and skills reports show real shapes above the small-count
threshold: the synthetic skills bank generator (``seed_synthetic``, ``COPY``), once."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection

from .models import DiasporaProfile


def load(*, members: int = 3000, seed: int = 2026) -> int:
    if members <= 0 or DiasporaProfile.objects.filter(source="synthetic").exists():
        return 0
    call_command("seed_synthetic", profiles=members, seed=seed, stdout=io.StringIO())
    # Registrations spread over the last two years, more of them recently, so the growth chart has a shape.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE skills_diasporaprofile p
               SET created_at = now() - make_interval(days => (730 * power(((p.id * 7919) % 1000) / 1000.0, 1.5))::int)
             WHERE p.source = 'synthetic'
            """
        )
        cursor.execute(
            "UPDATE accounts_user u SET date_joined = p.created_at FROM skills_diasporaprofile p "
            "WHERE p.user_id = u.id AND p.source = 'synthetic'"
        )
    return members
