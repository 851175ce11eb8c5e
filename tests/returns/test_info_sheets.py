import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.models import Country
from apps.returns.models import InfoSheet
from apps.returns.selectors import info_sheet_public_list
from apps.returns.services import info_sheet_create, info_sheet_mark_reviewed, info_sheet_update
from tests.factories import user_with_role
from tests.factories.returns import InfoSheetFactory

pytestmark = pytest.mark.django_db


def sheet_data(**overrides):
    data = {
        "kind": InfoSheet.Kind.LEGISLATIVE,
        "country": Country.objects.get(pk="MA"),
        "topic": InfoSheet.Topic.VISA,
        "title_en": "Visas for family members",
        "body_en": "Spouses and children can apply for a family visa.",
        "title_fr": "Visas pour les membres de la famille",
        "body_fr": "Les conjoints et les enfants peuvent demander un visa familial.",
        "status": InfoSheet.Status.PUBLISHED,
        "review_interval_months": 6,
    }
    return data | overrides


def test_creating_a_sheet_records_the_reviewer_and_when_the_next_review_is_due(editor):
    sheet = info_sheet_create(actor=editor, data=sheet_data())
    assert sheet.reviewed_by == editor
    assert sheet.reviewed_on == timezone.localdate()
    assert sheet.review_due_on > sheet.reviewed_on
    assert sheet.available_languages() == ["en", "fr"]


def test_a_title_without_its_text_is_refused_at_that_language(editor):
    with pytest.raises(ValidationError) as caught:
        info_sheet_create(actor=editor, data=sheet_data(title_ar="تأشيرات لأفراد الأسرة"))
    assert "body_ar" in caught.value.message_dict


def test_a_sheet_with_no_language_at_all_is_refused(editor):
    with pytest.raises(ValidationError) as caught:
        info_sheet_create(actor=editor, data=sheet_data(title_en="", body_en="", title_fr="", body_fr=""))
    assert "title_en" in caught.value.message_dict


def test_only_content_editors_may_write_sheets():
    staff = user_with_role("office_staff")
    with pytest.raises(PermissionDenied):
        info_sheet_create(actor=staff, data=sheet_data())


def test_marking_a_stale_sheet_reviewed_moves_its_due_date(editor):
    sheet = InfoSheetFactory(reviewed_on=datetime.date(2020, 1, 31), review_interval_months=1)
    assert sheet.review_due_on == datetime.date(2020, 2, 29)
    info_sheet_mark_reviewed(sheet=sheet, actor=editor)
    sheet.refresh_from_db()
    assert sheet.review_due_on > timezone.localdate()
    assert sheet.reviewed_by == editor


def test_search_finds_sheets_in_the_current_language_with_stemming(editor):
    info_sheet_create(actor=editor, data=sheet_data())
    InfoSheetFactory(title_en="Opening a bank account", title_fr="Ouvrir un compte bancaire")
    assert [s.title_en for s in info_sheet_public_list(language="en", filters={"q": "visa"})] == [
        "Visas for family members"
    ]
    assert info_sheet_public_list(language="fr", filters={"q": "enfant"}).count() == 1
    # The French words are not searched when the page is in English.
    assert info_sheet_public_list(language="en", filters={"q": "conjoints"}).count() == 0


def test_updating_a_sheet_refreshes_its_search_document(editor):
    sheet = info_sheet_create(actor=editor, data=sheet_data())
    info_sheet_update(sheet=sheet, actor=editor, data={"title_en": "Residence permits", "body_en": "Permits."})
    assert info_sheet_public_list(language="en", filters={"q": "permit"}).count() == 1
    assert info_sheet_public_list(language="en", filters={"q": "spouses"}).count() == 0


def test_sheet_missing_arabic_says_so_in_arabic_and_offers_the_languages_that_exist(client):
    sheet = InfoSheetFactory(title_ar="", body_ar="", title_en="School enrolment", title_fr="Inscription scolaire")
    response = client.get(f"/ar/returns/information/{sheet.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="missing-translation"' in html
    assert f'href="/returns/information/{sheet.pk}/"' in html
    assert f'href="/fr/returns/information/{sheet.pk}/"' in html
    # Nothing of another language is shown as if it were Arabic.
    assert "School enrolment" not in html and "Bring your diplomas" not in html


def test_sheet_list_in_arabic_flags_a_sheet_not_written_in_arabic(client):
    InfoSheetFactory(title_ar="", body_ar="", title_en="School enrolment")
    complete = InfoSheetFactory()
    html = client.get("/ar/returns/information/").content.decode()
    assert html.count('data-testid="missing-translation"') == 1
    assert complete.title_ar in html
    assert 'lang="en"' in html  # the offered English title is marked as English


def test_sheet_in_the_current_language_is_shown_without_a_notice(client):
    sheet = InfoSheetFactory()
    html = client.get(f"/fr/returns/information/{sheet.pk}/").content.decode()
    assert sheet.title_fr in html and 'data-testid="missing-translation"' not in html


def test_a_draft_sheet_is_not_found_by_the_public_but_editors_see_it(client, editor):
    sheet = InfoSheetFactory(status=InfoSheet.Status.DRAFT)
    assert client.get(reverse("returns:info-sheet-detail", args=[sheet.pk])).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("returns:info-sheet-detail", args=[sheet.pk])).status_code == 200


def test_editor_pages_refuse_other_roles(client):
    client.force_login(user_with_role("diaspora_member"))
    assert client.get(reverse("returns:editor-sheet-list")).status_code == 403
    assert client.get(reverse("returns:editor-sheet-create")).status_code == 403


def test_editor_list_shows_stale_sheets_first_and_filters_them(client, editor):
    fresh = InfoSheetFactory()
    stale = InfoSheetFactory(reviewed_on=timezone.localdate() - datetime.timedelta(days=800))
    client.force_login(editor)
    html = client.get(reverse("returns:editor-sheet-list") + "?stale=on").content.decode()
    assert f'data-testid="editor-sheet-{stale.pk}"' in html
    assert f'data-testid="editor-sheet-{fresh.pk}"' not in html


def test_the_editor_form_keeps_what_was_typed_and_says_what_is_wrong(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("returns:editor-sheet-create"),
        {
            "kind": "first",
            "country": "SN",
            "topic": "return",
            "status": "draft",
            "review_interval_months": 12,
            "title_fr": "Titre sans texte",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Titre sans texte" in html
    assert 'id="id_body_fr-errors"' in html
    assert InfoSheet.objects.count() == 0


def test_an_editor_creates_a_sheet_through_the_page(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("returns:editor-sheet-create"),
        {
            "kind": "first",
            "country": "SN",
            "topic": "return",
            "status": "published",
            "review_interval_months": 12,
            "title_en": "First steps",
            "body_en": "Register at the consulate.",
            "publish_incomplete": "on",
        },
    )
    sheet = InfoSheet.objects.get()
    assert response.status_code == 302 and sheet.reviewed_by == editor
    with translation.override("en"):
        assert info_sheet_public_list(language="en", filters={"q": "consulate"}).get() == sheet


ENGLISH_ONLY = {
    "kind": "first",
    "country": "SN",
    "topic": "return",
    "status": "published",
    "review_interval_months": 12,
    "title_en": "First steps",
    "body_en": "Register at the consulate.",
}


def test_publishing_a_sheet_in_english_only_warns_the_editor_and_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    response = client.post("/fr" + reverse("returns:editor-sheet-create"), ENGLISH_ONLY, follow=True)
    html = response.content.decode()
    assert InfoSheet.objects.count() == 0
    assert "il n'y a pas de texte en français et arabe" in html.replace("&#x27;", "'")
    assert "First steps" in html and "Register at the consulate." in html
    response = client.post(reverse("returns:editor-sheet-create"), {**ENGLISH_ONLY, "publish_incomplete": "on"})
    assert response.status_code == 302 and InfoSheet.objects.get().status == "published"


def test_a_draft_in_one_language_is_saved_without_a_warning(client, editor):
    client.force_login(editor)
    response = client.post(reverse("returns:editor-sheet-create"), {**ENGLISH_ONLY, "status": "draft"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "label", "code"),
    [("fr", "Titre (anglais)", "Title [en]"), ("ar", "(بالعربية)", "[ar]"), ("en", "Title (French)", "[fr]")],
)
def test_editors_read_language_names_not_codes_in_the_form(client, editor, language, label, code):
    editor.preferred_language = language
    editor.save(update_fields=["preferred_language"])
    client.force_login(editor)
    html = client.get(reverse("returns:editor-sheet-create"), follow=True).content.decode()
    assert label in html and code not in html
