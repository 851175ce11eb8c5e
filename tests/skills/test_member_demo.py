"""The demo data for `make run`: works with or without the taxonomy, and twice in a row."""

import pytest

from apps.accounts import demo as accounts_demo
from apps.skills import demo
from apps.skills.models import DiasporaProfile
from tests.factories.skills import taxonomy

pytestmark = pytest.mark.django_db


def test_demo_profiles_load_without_taxonomy_and_are_searchable():
    accounts_demo.load()
    assert demo.load() == 22
    assert demo.load() == 0
    profile = DiasporaProfile.objects.get(user__email="member@demo.example.org")
    assert profile.consent_listed and profile.first_name_ar == "أميناتا"
    assert DiasporaProfile.objects.filter(search_names__trigram_word_similar="mohammed").count() >= 2


def test_demo_profiles_use_the_taxonomy_when_there_is_one():
    taxonomy()
    demo.load()
    profile = DiasporaProfile.objects.get(user__email="member@demo.example.org")
    assert profile.occupations.exists() and profile.skills.filter(skill__isnull=False).exists()
