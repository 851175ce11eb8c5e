"""Local formats from CLDR: one module (apps.core.formatting) behind the templates' |date and the exports."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from apps.core import formatting

WHEN = timezone.make_aware(dt.datetime(2026, 12, 6, 16, 30), dt.UTC)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_an_arabic_date_time_reads_day_month_year_then_the_time_not_in_english_order():
    text = formatting.format_datetime(WHEN, language="ar")
    assert text == "6 ديسمبر 2026، 4:30 م"
    assert "ديسمبر 6," not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "6 December 2026, 16:30"), ("fr", "6 décembre 2026, 16:30"), ("ar", "6 ديسمبر 2026، 4:30 م")],
)
def test_the_date_filter_gives_cldr_date_times_in_the_pages_language(language, expected):
    assert render('{{ when|date:"DATETIME_FORMAT" }}', language, when=WHEN) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "06/12/2026"), ("fr", "06/12/2026")])
def test_short_dates_put_the_day_first_in_english_too(language, expected):
    assert render('{{ when|date:"SHORT_DATE_FORMAT" }}', language, when=WHEN.date()) == expected


def test_arabic_short_dates_keep_the_right_to_left_marks_that_hold_their_order():
    assert render('{{ when|date:"SHORT_DATE_FORMAT" }}', "ar", when=WHEN.date()) == "6\u200f/12\u200f/2026"


def test_explicit_machine_patterns_stay_djangos():
    assert render('{{ when|date:"Y-m-d" }}', "ar", when=WHEN.date()) == "2026-12-06"


def test_day_month_and_month_year_follow_the_locale():
    assert (
        render('{{ when|date:"j F" }} · {{ when|date:"F Y" }}', "fr", when=WHEN.date()) == "6 décembre · décembre 2026"
    )


def test_date_times_are_shown_in_the_portals_time_zone(settings):
    settings.TIME_ZONE = "Africa/Casablanca"
    with timezone.override("Africa/Casablanca"):
        assert formatting.format_time(WHEN, language="fr") == "17:30"


@pytest.mark.parametrize(
    ("language", "number", "percent"),
    [("en", "1,234,567.5", "12.5%"), ("fr", "1\u202f234\u202f567,5", "12,5\u00a0%"), ("ar", "1,234,567.5", "12.5%")],
)
def test_numbers_and_percentages_use_the_locales_separators(language, number, percent):
    assert formatting.format_number(1234567.5, language=language) == number
    assert formatting.format_percent(0.125, decimals=1, language=language) == percent
    assert render("{{ n|number }} {{ p|percent:1 }}", language, n=1234567.5, p=0.125) == f"{number} {percent}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "English, French and Arabic"), ("fr", "English, French et Arabic"), ("ar", "English وFrench وArabic")],
)
def test_lists_are_joined_with_the_languages_own_words_and_commas(language, expected):
    assert formatting.format_list(["English", "French", "Arabic"], language=language) == expected


def test_an_arabic_list_has_no_latin_comma():
    assert "," not in formatting.format_list(["العربية", "الفرنسية", "الإنجليزية"], language="ar")


def test_join_list_escapes_each_item():
    assert render("{{ items|join_list }}", "fr", items=["<b>", "A & B"]) == "&lt;b&gt; et A &amp; B"


def test_arabic_indic_digits_are_a_portal_setting_and_western_digits_the_default(settings):
    assert formatting.format_number(1234.5, language="ar") == "1,234.5"
    settings.PORTAL_ARABIC_DIGITS = "arab"
    assert formatting.format_number(1234.5, language="ar") == "١٬٢٣٤٫٥"
    assert formatting.format_datetime(WHEN, language="ar") == "٦ ديسمبر ٢٠٢٦، ٤:٣٠ م"
    assert formatting.format_number(1234.5, language="fr") == "1\u202f234,5", "other languages keep their digits"


def test_bdi_isolates_escaped_user_content_and_isolate_does_it_in_plain_text():
    assert render("{{ name|bdi }}", "ar", name="<Training> ok.") == "<bdi>&lt;Training&gt; ok.</bdi>"
    assert render("{% autoescape off %}{{ name|isolate }}{% endautoescape %}", "ar", name="A.") == "\u2068A.\u2069"
    assert render("{{ name|bdi }}", "ar", name="") == ""


@pytest.mark.parametrize(
    ("years", "expected"),
    [(1, "سنة واحدة من الخبرة"), (2, "سنتان من الخبرة"), (5, "5 سنوات من الخبرة"), (12, "12 سنة من الخبرة")],
)
def test_arabic_years_of_experience_take_the_plural_form_of_their_number(years, expected):
    from django.utils.translation import ngettext

    with translation.override("ar"):
        text = ngettext(
            "%(years)d year of experience (at least %(min)d sought)",
            "%(years)d years of experience (at least %(min)d sought)",
            years,
        ) % {"years": years, "min": 1}
    assert text.startswith(expected)


def test_a_place_and_its_country_are_separated_by_the_languages_comma():
    assert render("A{% comma %}B", "ar") == "A، B"
    assert render("A{% comma %}B", "fr") == "A, B"


def test_python_code_formats_dates_through_the_portals_cldr_rule_only():
    """Dates in messages and picker lines come from ``apps.core.formatting`` (CLDR, day first in English), never from
    Django's locale formats, whose English short date puts the month first (03/02/2026 for 2 March)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "apps"
    django_formats = re.compile(r"\bformats\.(date_format|time_format|localize)\(|\bdate_format\(")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "formatting.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if django_formats.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
