"""A segment page says who it reaches in the reader's words: no filter keys, codes or language codes."""

import pytest

from apps.outreach.selectors import segment_summary
from tests.factories.outreach import SegmentFactory, member, outreach_manager

pytestmark = pytest.mark.django_db

FILTERS = {"origin_countries": ["SN", "MA"], "languages": ["fr", "ar"], "confirmed_within_days": 12}


def test_the_summary_names_countries_and_languages_in_the_readers_language():
    from django.utils import translation

    with translation.override("fr"):
        assert segment_summary(FILTERS) == [
            "Pays d'origine\u00a0: Maroc ou Sénégal",
            "Langues parlées\u00a0: arabe ou français",
            "Profil confirmé au cours des 12 derniers jours",
        ]
    with translation.override("ar"):
        lines = segment_summary(FILTERS)
    assert "المغرب" in lines[0] and "السنغال" in lines[0] and "," not in " ".join(lines)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_segment_page_shows_no_filter_keys_or_codes(client, language):
    manager = outreach_manager(preferred_language=language)
    segment = SegmentFactory(filters=FILTERS, created_by=manager)
    member(language="ar")
    member(language="fr")
    client.force_login(manager)
    page = client.get(f"/{language}/outreach/segments/{segment.pk}/").content.decode()
    for internal in ("origin_countries", "confirmed_within_days", "['SN', 'MA']", ">ar:", ">fr:"):
        assert internal not in page
    assert 'data-testid="segment-summary"' in page
