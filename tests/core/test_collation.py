"""Lists of countries, languages, sectors and organisations sort in the page's language, in every form."""

import pytest
from django import forms
from django.utils import translation

from apps.accounts.models import Organisation
from apps.core.collation import collated, collation_key
from apps.core.models import Country, Language
from apps.outreach.forms import SegmentForm
from apps.returns.forms import FundingFilterForm
from apps.skills.filters import _country_choices

pytestmark = pytest.mark.django_db


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def in_order(names: list[str], wanted: list[str]) -> list[str]:
    return [name for name in names if name in wanted]


def test_accents_and_case_do_not_push_a_name_to_the_end():
    assert collated(["Zambie", "Égypte", "espagne", "Allemagne", "Île Maurice"]) == [
        "Allemagne",
        "Égypte",
        "espagne",
        "Île Maurice",
        "Zambie",
    ]
    assert collation_key("Algérie") < collation_key("Allemagne") < collation_key("Samoa américaines")


def test_arabic_names_sort_by_the_arabic_alphabet():
    assert collated(["مصر", "تونس", "الجزائر", "إثيوبيا", "السنغال"]) == [
        "إثيوبيا",
        "الجزائر",
        "السنغال",
        "تونس",
        "مصر",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Algeria", "American Samoa", "Andorra", "Egypt", "Morocco"]),
        ("fr", ["Algérie", "Andorre", "Égypte", "Maroc", "Samoa américaines"]),
        ("ar", ["أندورا", "الجزائر", "المغرب", "ساموا الأمريكية", "مصر"]),
    ],
)
def test_the_funding_filter_lists_countries_in_the_pages_language_and_order(language, expected):
    with translation.override(language):
        names = labels(FundingFilterForm().fields["country"])
        wanted = [Country.objects.get(pk=code).name for code in ("DZ", "AS", "AD", "EG", "MA")]
    assert in_order(names, wanted) == expected


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_segment_countries_and_languages_and_the_search_filter_follow_the_collation(language):
    with translation.override(language):
        form = SegmentForm()
        for field in ("origin_countries", "residence_countries", "languages", "sectors"):
            names = labels(form.fields[field])
            assert names == collated(names), field
            assert len(names) > 1, field
        countries = [name for code, name in _country_choices()]
        assert countries == collated(countries)


def test_the_empty_choice_stays_first():
    with translation.override("fr"):
        choices = [(value, str(label)) for value, label in FundingFilterForm().fields["country"].choices]
    assert choices[0] == ("", "Toutes")


def test_a_query_ordered_by_code_keeps_its_order():
    field = forms.ModelChoiceField(Language.objects.order_by("-code"), required=False, empty_label=None)
    codes = [str(value) for value, label in field.choices]
    assert codes == sorted(codes, reverse=True)


def test_organisations_sort_by_their_name(db):
    for name in ("Zeta Office", "Électricité du Sénégal", "agence Nationale"):
        Organisation.objects.create(name=name, country_id="SN")
    field = forms.ModelChoiceField(Organisation.objects.order_by("name"), empty_label=None)
    assert labels(field) == collated(labels(field))
    assert labels(field).index("Électricité du Sénégal (SN)") < labels(field).index("Zeta Office (SN)")


def test_a_rows_name_in_a_select_is_isolated_and_an_interface_choice_is_not():
    class Form(forms.Form):
        organisation = forms.ModelChoiceField(Organisation.objects.order_by("name"))
        kind = forms.ChoiceField(choices=[("a", "Alpha")])

    Organisation.objects.create(name="Ministry of Senegalese Abroad", country_id="SN")
    html = str(Form())
    assert 'dir="auto">Ministry of Senegalese Abroad (SN)</option>' in html
    assert '<option value="a">Alpha</option>' in html
