import pytest
from django.core.management import call_command
from django.utils import translation

from apps.core.models import Country, Language

pytestmark = pytest.mark.django_db


def test_countries_have_names_in_three_languages_and_partner_states_are_flagged():
    senegal = Country.objects.get(code="SN")
    assert (senegal.name_en, senegal.name_fr, senegal.name_ar) == ("Senegal", "Sénégal", "السنغال")
    amedip = set(Country.objects.filter(is_amedip=True).values_list("code", flat=True))
    assert amedip == {"DZ", "CV", "EG", "ET", "GH", "KE", "LB", "ML", "MA", "NE", "NG", "SN", "TN"}
    recosa = set(Country.objects.filter(is_recosa=True).values_list("code", flat=True))
    assert recosa == {"MA", "CI", "ML", "SN"}
    assert Country.objects.count() == 249


def test_translated_name_follows_the_active_language():
    morocco = Country.objects.get(code="MA")
    with translation.override("fr"):
        assert morocco.name == "Maroc"
    with translation.override("ar"):
        assert morocco.name == "المغرب"


def test_languages_are_iso_639_1_with_three_names():
    assert Language.objects.count() == 184
    wolof = Language.objects.get(code="wo")
    assert wolof.name_en == "Wolof" and wolof.name_fr and wolof.name_ar
    assert not Language.objects.filter(name_ar="").exists()


def test_loading_reference_data_twice_changes_nothing():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = list(Country.objects.order_by("code").values())
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Country.objects.order_by("code").values()) == before
