"""Lists read as the page's language writes them (CLDR): "A, B et C", "A وB وC", never a hand-written ", "."""

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from apps.core.formatting import list_separators
from apps.outreach.rendering import placeholders_check
from tests.factories.returns import FundingOpportunityFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A list written by hand in a template: a join with a comma or a semicolon, or a separator written after each
# item of a loop but the last. ``join:" "`` (sentences) and the " · " between the details of one thing are not
# lists of like items.
HAND_WRITTEN_LIST = re.compile(
    r"""\|join:\s*["'][,;،؛]\s*["']"""
    r"""|forloop\.last\s*%\}\s*(?:[,;،؛]|\{%\s*comma\s*%\})"""
)


# A Latin comma written between two values ("{{ city }}, {{ country }}"): Arabic writes "،" ({% comma %} does);
# the text of a {% blocktranslate %} is the translators' to punctuate.
HAND_WRITTEN_COMMA = re.compile(r"""\}\},\s*\{\{|\{%\s*if [^%]*%\},\s*\{%\s*endif""")
BLOCKTRANSLATE = re.compile(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", re.S)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_no_template_writes_the_separators_of_a_list_by_hand():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HAND_WRITTEN_LIST.search(line):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert offenders == []


def test_no_template_writes_a_latin_comma_between_two_values():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if HAND_WRITTEN_COMMA.search(BLOCKTRANSLATE.sub("", line)):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert offenders == []


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("{{ city }}, {{ country }}", True),
        ("{{ city }}{% if city and country %}, {% endif %}{{ country }}", True),
        ("{{ city }}{% comma %}{{ country }}", False),
        ("{% blocktranslate %}in {{ country }}, {{ start }}{% endblocktranslate %}", False),
    ],
)
def test_the_comma_check_finds_hand_written_commas_only(line, found):
    assert bool(HAND_WRITTEN_COMMA.search(BLOCKTRANSLATE.sub("", line))) is found


@pytest.mark.parametrize(
    "line",
    [
        '{{ codes|join:", " }}',
        "{{ codes|join:'; ' }}",
        '{{ codes|join:"، " }}',
        "{% for c in cs %}{{ c }}{% if not forloop.last %}, {% endif %}{% endfor %}",
        "{% for c in cs %}{{ c }}{% if not forloop.last %}{% comma %}{% endif %}{% endfor %}",
    ],
)
def test_the_template_check_recognises_each_hand_written_list(line):
    assert HAND_WRITTEN_LIST.search(line)


@pytest.mark.parametrize("line", ['{{ errors|join:" " }}', '{{ details|join:" · " }}', "{{ place }}{% comma %}{{ c }}"])
def test_the_template_check_leaves_sentences_and_places_alone(line):
    assert not HAND_WRITTEN_LIST.search(line)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "<b>A</b>, <b>B</b> and <b>C</b>"),
        ("fr", "<b>A</b>, <b>B</b> et <b>C</b>"),
        ("ar", "<b>A</b> و<b>B</b> و<b>C</b>"),
    ],
)
def test_a_loop_of_markup_items_is_joined_as_the_language_joins_a_list(language, expected):
    source = "{% for x in items %}<b>{{ x }}</b>{% list_separator forloop %}{% endfor %}"
    assert render(source, language, items=["A", "B", "C"]) == expected


def test_the_separators_match_the_joined_list_for_every_length():
    for count in range(1, 6):
        assert len(list_separators(count, language="fr")) == count
    assert list_separators(2, language="fr") == [" et ", ""]
    assert list_separators(0, language="fr") == []


@pytest.mark.parametrize(("language", "expected"), [("fr", "Eau, Santé et TIC"), ("ar", "المياه والصحة وتقنية")])
def test_the_skills_and_languages_a_vacancy_requires_read_as_one_list(language, expected):
    words = {"fr": ["Eau", "Santé", "TIC"], "ar": ["المياه", "الصحة", "تقنية"]}[language]
    vacancy = SimpleNamespace(
        skills=SimpleNamespace(all=lambda: words),
        languages=SimpleNamespace(all=lambda: words[:2]),
        occupation=None,
    )
    with translation.override(language):
        page = render_to_string("returns/includes/vacancy_requirements.html", {"vacancy": vacancy})
    skills = re.search(r'data-testid="vacancy-skills">(.*?)</dd>', page).group(1)
    assert skills == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("/fr", "Mali, Maroc et Sénégal"), ("/ar", "السنغال والمغرب ومالي"), ("", "Mali, Morocco and Senegal")],
)
def test_the_funding_page_lists_eligible_countries_as_the_language_does(client, prefix, expected):
    opportunity = FundingOpportunityFactory(countries=["MA", "ML", "SN"])
    page = html.unescape(client.get(f"{prefix}/returns/funding/{opportunity.pk}/").content.decode())
    assert expected in page


def test_an_unknown_placeholder_message_lists_the_placeholders_in_french():
    with translation.override("fr"), pytest.raises(ValidationError) as raised:
        placeholders_check("Bonjour {prenom} {nom}")
    assert "{nom} et {prenom}" in raised.value.messages[0]
    assert "{first_name}, {last_name} et {full_name}" in raised.value.messages[0]
