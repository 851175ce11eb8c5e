"""An outreach manager, working in French, segments members who read Arabic and French, writes a campaign in
French and Arabic, sends it, and each member's message — one per language — is opened from the dev outbox."""

import os
import re
import time
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.outreach.models import Campaign
from tests.browser.accessibility import serious_violations
from tests.browser.pickers import pick
from tests.browser.session import sign_in
from tests.conftest import ARTIFACTS
from tests.factories.outreach import member, outreach_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last test of this module ends with a flush; put reference data (roles, countries) back for the
    modules that run after it (module teardown comes after that flush)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(scope="module")
def outbox(tmp_path_factory):
    """The dev file backend (EMAIL_FILE_PATH) for this module's worker, which is started after this fixture."""
    path = tmp_path_factory.mktemp("outbox")
    saved = {k: os.environ.get(k) for k in ("OUTREACH_EMAIL_BACKEND", "EMAIL_FILE_PATH")}
    os.environ.update(
        OUTREACH_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(path)
    )
    yield path
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def outbox_messages(path: Path):
    """Every message the file backend wrote (one file per connection, messages separated by a dashed line)."""
    messages = []
    for file in sorted(path.glob("*.log")):
        for chunk in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip(), policy=default_policy))
    return messages


def test_a_french_campaign_to_arabic_and_french_readers_reaches_each_in_their_language(
    outbox, celery_worker_process, live_server, page, settings
):
    call_command("load_reference_data", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)
    manager = outreach_manager(preferred_language="fr", full_name="Salma Benali")
    reader_ar = member("ar", reads=["ar", "fr"], first_name="Karim")
    reader_fr = member("fr", reads=["fr", "ar"], first_name="Awa")
    member("en", reads=["en"], first_name="John")  # reads neither: outside the segment
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/fr/outreach/segments/new/")
    page.get_by_label("Nom").fill("Lecteurs de l'arabe et du français")
    pick(page, "id_languages", "arab", "arabe")
    pick(page, "id_languages", "franc", "français")
    page.get_by_role("button", name="Compter").click()
    assert "2 personnes ayant donné leur accord" in page.get_by_test_id("segment-count").inner_text()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/fr/outreach/segments/\d+/$"))

    page.goto(f"{live_server.url}/fr/outreach/campaigns/new/")
    page.locator("#id_name").fill("Forum de la diaspora")
    page.locator("#id_kind").select_option("event_invitation")
    page.locator("#id_channel").select_option("email")
    page.locator("#id_segment").select_option(label="Lecteurs de l'arabe et du français")
    page.locator("#id_sender_name").fill("Ministère")
    page.locator("#id_default_language").select_option("fr")
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_url(re.compile(r"/fr/outreach/campaigns/\d+/$"))
    assert "Arabe" in page.locator(".alert-warning").inner_text()  # a recipient reads Arabic: no message yet

    page.get_by_test_id("edit-fr").click()
    page.locator("#id_subject").fill("Invitation au forum")
    page.locator("#id_body").fill("Bonjour {first_name}, vous êtes invité(e) au forum de Dakar.")
    page.get_by_test_id("save-message").click()
    page.get_by_test_id("edit-ar").click()
    page.locator("#id_subject").fill("دعوة إلى المنتدى")
    page.locator("#id_body").fill("مرحبا {first_name}، أنت مدعو إلى منتدى داكار.")
    page.get_by_test_id("save-message").click()
    assert "Bonjour Amina" in page.get_by_test_id("preview-fr").inner_text()
    assert page.locator(".alert-warning").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outreach-campaign-draft-fr.png"), full_page=True)

    page.get_by_label("Envoyer maintenant").check()
    page.get_by_test_id("schedule").click()
    # Nothing leaves before the manager has seen who gets what, and confirmed.
    campaign = Campaign.objects.get(name="Forum de la diaspora")
    assert Campaign.objects.get(pk=campaign.pk).state == "draft"
    languages = page.get_by_test_id("confirm-languages").inner_text()
    assert "Arabe" in languages and "Français" in languages
    assert "2 personnes" in page.get_by_test_id("confirm-total").inner_text()
    page.screenshot(path=str(ARTIFACTS / "outreach-campaign-confirm-fr.png"), full_page=True)
    assert serious_violations(page) == []
    page.get_by_test_id("confirm-schedule").click()
    deadline = time.monotonic() + 60
    while Campaign.objects.get(pk=campaign.pk).state != "sent" and time.monotonic() < deadline:
        time.sleep(0.3)
    page.get_by_test_id("campaign-state").filter(has_text="Envoyée").wait_for(timeout=15000)  # htmx polling
    assert page.get_by_test_id("stat-sent").inner_text() == "2"
    page.screenshot(path=str(ARTIFACTS / "outreach-campaign-sent-fr.png"), full_page=True)

    messages = {m["To"]: m for m in outbox_messages(outbox)}
    assert set(messages) == {reader_ar.user.email, reader_fr.user.email}
    for person, subject, text, direction in (
        (reader_fr, "Invitation au forum", "Bonjour Awa", "ltr"),
        (reader_ar, "دعوة إلى المنتدى", "مرحبا Karim", "rtl"),
    ):
        message = messages[person.user.email]
        assert message["Subject"] == subject
        html_file = outbox / f"{person.pk}.html"
        html_file.write_text(message.get_body(("html",)).get_content(), encoding="utf-8")
        page.goto(html_file.as_uri())
        assert page.locator("html").get_attribute("dir") == direction
        assert text in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"outreach-email-{direction}.png"), full_page=True)
