"""No English left on French and Arabic pages, and user content isolated from the interface text around it.

Arabic pages are read with the demo data's Latin content, French pages with its Arabic names too: on a French
page, Arabic text outside an isolated node is user content that would reorder the line around it.

For each demo account, in French and in Arabic, the test opens every page the hostile-input crawler reaches
(navigation, then two links deep) and reads the visible text: text nodes, and the placeholder, title, alt and
aria-label attributes. User content is what the portal shows as typed by people (names, titles, notes): it is
marked by being isolated (``<bdi>``, or an element with ``dir="auto"``, ``dir="ltr"`` or ``translate="no"``; a
language's own name in the switcher carries ``lang``),
and is left out of the scan; so is text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, the plain-text
isolation that ``<title>`` needs. Any English word of the interface found in what is left is either an
untranslated string or user content that is not isolated (and would break the line in Arabic): both fail.

The interface's English words are the words of the catalog's msgids that appear in none of the page language's
msgstrs (so "Date" or "Contact", which French shares, and "PDF", which Arabic keeps, do not count).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from apps.accounts.models import User

from .test_hostile_input import ACCOUNTS, _pages_of

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+")  # e-mail addresses and links are identifiers, not language
ISOLATED_TEXT = re.compile("\u2068.*?\u2069", re.S)  # FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE
ISOLATING_DIRS = {"auto", "ltr"}
SKIPPED_TAGS = {"script", "style", "template", "noscript", "svg", "code", "pre", "textarea"}  # textarea: a value typed
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
# Words that are names, not English: the portal's own proper nouns and standard codes shown as they are.
NOT_ENGLISH = {"isco", "isced", "csv", "xlsx", "pdf", "api", "sms", "mfa", "totp", "webauthn", "iso", "url"}


def _words(text: str) -> set[str]:
    """The words of ``text`` written in Latin letters without accents (a word with one is not English)."""
    return {w.lower() for w in WORD.findall(ADDRESSES.sub(" ", text)) if len(w) > 2 and w.isascii()}


def _reference_words(language: str) -> set[str]:
    """Words of the reference data and content in ``language`` (taxonomy labels, country names…): a French
    label such as "Audit financier" or "Travail social" is French even if its words are English too."""
    from modeltranslation.translator import translator

    words: set[str] = set()
    for model in translator.get_registered_models():
        for field in translator.get_options_for_model(model).fields:
            for value in model._default_manager.values_list(f"{field}_{language}", flat=True).iterator():
                words |= _words(str(value or ""))
    return words


def english_words(language: str) -> set[str]:
    catalog = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))
    english: set[str] = set()
    local: set[str] = set()
    for entry in catalog:
        # Placeholders (%(name)s, {name}) are not words of the interface.
        english |= _words(re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]+>", " ", entry.msgid + " " + (entry.msgid_plural or "")))
        local |= _words(entry.msgstr + " " + " ".join(entry.msgstr_plural.values()))
    return english - local - _reference_words(language) - NOT_ENGLISH


class VisibleText(HTMLParser):
    """The page's visible interface text (user content, isolated, left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped: isolated or invisible)
        self.texts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        isolated = tag not in ("html", "body") and (
            tag == "bdi"
            or (a.get("dir") or "").lower() in ISOLATING_DIRS
            or (a.get("translate") or "").lower() == "no"
            or bool(a.get("lang"))
            or "hidden" in a
            or tag in SKIPPED_TAGS
        )
        if not self.skipping and not isolated:
            self.texts.extend(a[name] for name in VISIBLE_ATTRIBUTES if a.get(name))
            if tag == "input" and (a.get("type") or "").lower() in ("submit", "button") and a.get("value"):
                self.texts.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, self.skipping or isolated))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        data = ISOLATED_TEXT.sub(" ", data)
        if not self.skipping and data.strip():
            self.texts.append(data)


ARABIC = re.compile(r"[\u0600-\u06ff]")


def english_left(html: str, english: set[str], *, arabic_is_content: bool = False) -> list[str]:
    """Interface text in English, and (on a French page) Arabic text, outside isolated user content."""
    parser = VisibleText()
    parser.feed(html)
    assert sum(len(text.split()) for text in parser.texts) > 10, "the scan reads the page's interface text"
    hits = []
    for text in parser.texts:
        if arabic_is_content and ARABIC.search(text):
            hits.append(f"{' '.join(text.split())[:90]!r} (Arabic user content not isolated)")
            continue
        found = sorted(_words(text) & english)
        if found:
            hits.append(f"{' '.join(text.split())[:90]!r} ({', '.join(found)})")
    return hits


def test_the_scan_finds_english_interface_text_and_skips_isolated_user_content(db):
    english = english_words("fr")
    assert {"save", "search", "submitted"} <= english and "date" not in english and "social" not in english
    page = (
        '<html lang="fr" dir="ltr"><body><h1>Un titre de page en français</h1><p>Enregistré</p><p>Save</p><bdi>Save the children</bdi><p dir="auto">Search party</p>'
        '<input type="search" placeholder="Search"><script>var Save;</script>'
        "<title>\u2068Search party\u2069 · Portail</title><p>Réunion</p>"
        "<p>et assez de texte pour être une page</p></body></html>"
    )
    assert english_left(page, english) == ["'Save' (save)", "'Search' (search)"]
    arabic = page.replace("<p>Réunion</p>", "<p>محمد</p><bdi>أحمد</bdi>")
    assert english_left(arabic, english, arabic_is_content=True)[-1] == "'محمد' (Arabic user content not isolated)"


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("email", ACCOUNTS)
def test_no_english_is_left_on_any_page_of_any_role(email, language, demo_data_committed, settings):
    settings.PORTAL_REQUIRE_MFA = False
    english = english_words(language)
    user = User.objects.get(email=email)
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    pages = _pages_of(client, user)
    assert len(pages) > 1
    problems = []
    for path, html in pages.items():
        assert path.startswith(f"/{language}/"), path
        hits = english_left(html, english, arabic_is_content=language == "fr")
        problems += [f"{path}: {hit}" for hit in hits]
    assert problems == [], "\n".join(problems)
