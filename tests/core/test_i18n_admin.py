"""The administration's sections and tables are named in the administrator's language, third-party apps too."""

import html
import re

import pytest

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

SECTION = re.compile(r"<caption>\s*<a[^>]*>(.*?)</a>", re.S)
TABLE = re.compile(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?(.*?)(?:</a>)?\s*</th>', re.S)
# French words spelt as in English.
SAME_IN_FRENCH = {"Organisations", "Segments"}


@pytest.fixture
def admin_labels(client):
    root = User.objects.create_superuser(email="root@example.org", password="a-long-enough-password-19")
    client.force_login(root)

    def labels(language: str) -> tuple[list[str], list[str]]:
        User.objects.filter(pk=root.pk).update(preferred_language=language)
        response = client.get("/admin/", follow=True)
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert f'lang="{language}"' in page
        return SECTION.findall(page), TABLE.findall(page)

    return labels


def test_the_index_lists_the_sections_and_tables_it_is_checked_on(admin_labels):
    sections, tables = admin_labels("en")
    assert {"Two-step verification", "Sign-in lockouts", "Sign-in e-mail addresses"} <= set(sections)
    assert {"Authenticators", "Access attempts", "Email addresses"} <= set(tables)


def test_no_section_or_table_of_the_arabic_administration_is_in_latin_letters(admin_labels):
    sections, tables = admin_labels("ar")
    assert [label for label in sections + tables if re.search("[A-Za-z]", label)] == []


def test_no_section_or_table_of_the_french_administration_is_left_in_english(admin_labels):
    english = set(sum(admin_labels("en"), []))
    sections, tables = admin_labels("fr")
    assert [label for label in sections + tables if label in english - SAME_IN_FRENCH] == []


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_no_two_sections_share_a_name(admin_labels, language):
    sections, _tables = admin_labels(language)
    assert len(sections) == len(set(sections))
