"""Organisation names in English, French and Arabic, shown in the page's language with an honest fallback."""

from django.utils import translation

from apps.accounts.models import Organisation
from apps.exchange.models import State
from tests.factories import OrganisationFactory

from .conftest import in_state


def test_an_organisation_is_named_in_the_page_language_when_it_has_that_name(cast):
    ministry = OrganisationFactory(name="Ministry of Moroccans Abroad", country_id="MA")
    Organisation.objects.filter(pk=ministry.pk).update(
        name_fr="Ministère des Marocains résidant à l'étranger", name_ar="وزارة المغاربة المقيمين بالخارج"
    )
    ministry = Organisation.objects.get(pk=ministry.pk)
    for language, expected in [
        ("en", "Ministry of Moroccans Abroad"),
        ("fr", "Ministère des Marocains résidant à l'étranger"),
        ("ar", "وزارة المغاربة المقيمين بالخارج"),
    ]:
        with translation.override(language):
            assert ministry.name_shown.text == expected
            assert ministry.name_shown.language == ""
            assert Organisation.objects.filter(pk=ministry.pk).values_list("name", flat=True).get() == expected


def test_a_name_missing_in_the_page_language_falls_back_and_says_so(cast):
    with translation.override("fr"):
        agency = OrganisationFactory(name="Agence sénégalaise de la diaspora", country_id="SN")
    agency = Organisation.objects.get(pk=agency.pk)
    with translation.override("ar"):
        assert agency.name == "Agence sénégalaise de la diaspora", "never blank"
        assert (agency.name_shown.text, agency.name_shown.language) == ("Agence sénégalaise de la diaspora", "fr")


def test_the_request_page_shows_the_institution_in_arabic_or_marks_the_fallback(cast, study_visit, login):
    in_state(study_visit, State.SUBMITTED)
    cast.focal.preferred_language = "ar"
    cast.focal.save()
    page = login(cast.focal).get(f"/ar/exchange/{study_visit.pk}/").content.decode()
    assert 'data-testid="name-fallback"' in page and "غير مترجم" in page

    Organisation.objects.filter(pk=study_visit.requesting_institution_id).update(name_ar="المعهد السنغالي")
    page = login(cast.focal).get(f"/ar/exchange/{study_visit.pk}/").content.decode()
    assert "المعهد السنغالي" in page and 'data-testid="name-fallback"' not in page
