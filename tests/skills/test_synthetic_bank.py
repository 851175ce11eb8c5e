"""The synthetic skills bank (``seed_synthetic``, apps/skills/synthetic): a seed always gives the same people, and
the command loads the profiles asked for, each with its account, skills, languages and search document."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from apps.skills.models import DiasporaProfile, ProfileLanguage, ProfileSkill
from apps.skills.synthetic.generator import COLUMNS, Generator
from apps.skills.synthetic.taxonomy import ensure_taxonomy

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _people(seed: int) -> dict[str, list[tuple]]:
    generator = Generator(seed)
    generator.load_reference()
    generator.next_ids = dict.fromkeys(COLUMNS, 1)
    generator.now = NOW  # the clock is not part of the draw
    tables = generator.chunk(50, listed_share=0.8).tables
    for table, columns in COLUMNS.items():
        assert all(len(row) == len(columns) for row in tables[table]), table
    return tables


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    ensure_taxonomy()
    first, again, other = _people(11), _people(11), _people(12)
    assert first == again
    assert first["skills_diasporaprofile"] != other["skills_diasporaprofile"]


# VACUUM ANALYZE runs after the load: outside a transaction.
@pytest.mark.django_db(transaction=True)
def test_seed_synthetic_loads_the_profiles_asked_for_with_accounts_skills_languages_and_search_documents():
    out = io.StringIO()
    call_command("seed_synthetic", profiles=120, seed=5, workers=1, stdout=out)
    profiles = DiasporaProfile.objects.filter(source="synthetic")
    assert profiles.count() == 120
    assert "120 synthetic profiles in" in out.getvalue()
    assert not profiles.filter(user__isnull=True).exists()
    assert not profiles.filter(search_vector__isnull=True).exists()
    assert ProfileSkill.objects.filter(profile__in=profiles).values("profile").distinct().count() == 120
    assert ProfileLanguage.objects.filter(profile__in=profiles).values("profile").distinct().count() == 120
    assert all(p.user.email.endswith("@example.invalid") and not p.user.has_usable_password() for p in profiles)
