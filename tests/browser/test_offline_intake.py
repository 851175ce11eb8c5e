"""Offline field intake on the device (issue 21): a counsellor logs contacts with the network off, the sync is cut
halfway and resumes, and nothing is lost or doubled; an edit made on the device and on the server at once is shown as
a conflict; 100 queued contacts sync over a 2G connection in under a minute; the page in French and Arabic on a phone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from importlib import import_module

import pytest
from django.conf import settings

from apps.core.models import AuditEvent
from apps.offices import services
from apps.offices.models import Contact, Person, SyncConflict, SyncDuplicate
from tests.browser.accessibility import serious_violations
from tests.browser.session import sign_in
from tests.conftest import ARTIFACTS
from tests.factories.offices import OfficeFactory, PersonFactory, counsellor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC_PATH = "/api/v1/offline/sync/"


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last transactional test's flush runs after the shared per-test reload; reload once more afterwards."""
    yield
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def device(browser):
    """A phone-sized browser context of its own (service workers allowed), closed at the end."""
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def _open_intake(page, live_server, language="en"):
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{live_server.url}{prefix}/offices/offline/")
    _ready(page)
    # The service worker has kept the page and its files: it opens without a network from now on.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _until(page, "navigator.serviceWorker.controller !== null")


def _until(page, expression: str, timeout: float = 20) -> None:
    """Wait until ``expression`` is true in the page (wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.1)


def _ready(page) -> None:
    page.locator("html[data-offline-ready=true]").wait_for(state="attached")


def _pending_is(page, count: int, timeout: float = 20) -> None:
    page.locator(f"[data-testid=queue-count][data-pending='{count}']").wait_for(
        state="attached", timeout=timeout * 1000
    )


def _pending(page) -> int:
    return int(page.get_by_test_id("queue-count").get_attribute("data-pending") or 0)


def _states(page) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in page.eval_on_selector_all("[data-testid=queue-item]", "items => items.map(i => i.dataset.state)"):
        counts[state] = counts.get(state, 0) + 1
    return counts


def _log_for_existing(page, query: str, summary: str, *, topic: int = 0, notes: str = "", family: bool = False):
    page.locator("#id_person_query").fill(query)
    page.locator("#person-options [role=option]").first.wait_for()
    page.locator("#id_person_query").press("Enter")
    _contact_fields(page, summary, topic=topic, notes=notes, family=family)


def _log_for_new(page, *, latin: str = "", arabic: str = "", year: str = "", summary: str, topic: int = 1):
    if latin:
        page.locator("#id_name_latin").fill(latin)
    if arabic:
        page.locator("#id_name_arabic").fill(arabic)
    if year:
        page.locator("#id_birth_year").fill(year)
    _contact_fields(page, summary, topic=topic)


def _contact_fields(page, summary, *, topic=0, notes="", family=False, follow_up: dt.date | None = None):
    page.locator("#id_summary").fill(summary)
    page.locator(f"#id_topics_{topic}").check()
    if family:
        page.locator("#id_channel").select_option("family_report")
        page.locator("#id_family_relationship").fill("mother")
        page.locator("#id_reporter_name").fill("Mariama Diallo")
        page.locator("#id_reporter_phone").fill("+221 77 123 45 67")
        page.locator("#id_reporter_may_call_back").check()
    if notes:
        page.locator("#id_notes").fill(notes)
    if follow_up:
        page.locator("#id_follow_up_due").fill(follow_up.isoformat())
    before = _pending(page)
    page.get_by_test_id("save-offline").click()
    _until(page, f"Number(document.querySelector('[data-testid=queue-count]').dataset.pending) > {before}")


def test_twenty_contacts_logged_offline_sync_once_after_a_cut_and_a_replay_creates_nothing(
    live_server, device, settings
):
    settings.OFFLINE_BATCH_MAX = 10  # 25 items (20 contacts, 5 new clients) in three requests: room to cut one
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    existing = [
        PersonFactory(office=office, name_latin="Awa Sy", birth_year=1990, counsellor=user),
        PersonFactory(office=office, name_latin="Ousmane Ba", birth_year=1985, counsellor=user),
        PersonFactory(office=office, name_latin="Aïcha Ndiaye", birth_year=1992, counsellor=user),
        PersonFactory(office=office, name_latin="", name_arabic="فاطمة الزهراء", birth_year=1979, counsellor=user),
        PersonFactory(office=office, name_latin="Youssef El Amrani", name_arabic="", birth_year=1987, counsellor=user),
    ]
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    assert "5" in page.locator("[data-clients-count]").inner_text()

    page.context.set_offline(True)
    assert page.evaluate("fetch('/api/v1/offline/session/').then(() => 'answered', () => 'no network')") == "no network"
    page.reload()  # the service worker serves the page with the network off
    _ready(page)
    assert page.locator("[data-network]").inner_text() == "Offline: your work is kept on this device"

    # 15 contacts for clients the device knows, found by folded search in both scripts
    queries = ["awa", "ousmane", "aicha", "فاطمه", "youssef"]
    for n in range(15):
        _log_for_existing(
            page, queries[n % 5], f"Offline contact {n + 1}", topic=n % 4,
            notes="Lives with an uncle in Tripoli" if n == 0 else "", family=n == 1,
        )  # fmt: skip
    # 5 contacts for new clients; one is Youssef El Amrani typed in Arabic script
    _log_for_new(page, latin="Fatou Diop", year="1995", summary="New client 1")
    _log_for_new(page, latin="Cheikh Fall", summary="New client 2")
    _log_for_new(page, arabic="يوسف العمراني", year="1987", summary="New client 3 (cross-script duplicate)")
    _log_for_new(page, latin="Mariam Traoré", arabic="مريم تراوري", summary="New client 4")
    _log_for_new(page, latin="Ibrahima Sarr", year="1970", summary="New client 5")
    assert _pending(page) == 25 and Contact.objects.count() == 0
    # Restricted notes: "notes recorded", never the text, on the device
    assert "Tripoli" not in page.content()
    assert page.get_by_text("Notes recorded").count() == 1

    # Online: the sync starts; the second request's answer is lost (the server applied it) and the network drops
    bodies: list[str] = []
    page.on("request", lambda r: bodies.append(r.post_data) if r.url.endswith(SYNC_PATH) else None)
    calls = {"n": 0}

    def cut_the_second(route):
        calls["n"] += 1
        if calls["n"] == 2:
            route.fetch()  # the server applies the batch…
            route.abort("internetdisconnected")  # …and the device never hears back
        else:
            route.continue_()

    page.route(f"**{SYNC_PATH}", cut_the_second)
    page.context.set_offline(False)
    page.locator("[data-testid=offline-status]", has_text="dropped").wait_for()
    page.context.set_offline(True)
    halfway = Contact.objects.count()
    assert 0 < halfway < 20, halfway
    assert _pending(page) > 0 and _states(page).get("synced", 0) == 10  # the lost answer's items wait to be resent

    # Resume: back online, the rest (and the unanswered batch, again) goes through
    page.unroute(f"**{SYNC_PATH}")
    page.context.set_offline(False)
    _pending_is(page, 0)
    assert Contact.objects.count() == 20
    assert Person.objects.count() == 10
    states = _states(page)
    assert states == {"synced": 24, "duplicate": 1}, states
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#queue-heading").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "offline-intake-after-sync-en-390.png"))
    duplicate = SyncDuplicate.objects.get()
    assert duplicate.person.name_arabic == "يوسف العمراني"
    assert [c["id"] for c in duplicate.candidates] == [existing[4].pk]
    review = page.locator("[data-testid=queue-item][data-state=duplicate] a[data-review]")
    assert review.get_attribute("href") == f"/offices/offline/review/duplicates/{duplicate.pk}/"
    family = Contact.objects.get(summary="Offline contact 2")
    assert family.channel == "family_report" and family.reporter_may_call_back
    assert "Tripoli" not in Contact.objects.get(summary="Offline contact 1").notes_encrypted
    assert AuditEvent.objects.filter(action="offline.sync").count() >= 4

    # Replaying the whole queue (every request the device sent, again) creates nothing
    replayed = page.evaluate(
        """async (bodies) => {
            const session = await (await fetch('/api/v1/offline/session/?device=' + offlineIntake.device.device)).json();
            const statuses = [];
            for (const body of bodies) {
                const r = await fetch('/api/v1/offline/sync/', {method: 'POST', body,
                    headers: {'Content-Type': 'application/json', 'X-CSRFToken': session.csrf_token}});
                for (const result of (await r.json()).results) statuses.push(result.status);
            }
            return statuses;
        }""",
        bodies,
    )
    assert len(replayed) == 25 + 10  # the cut batch was sent twice by the device
    assert set(replayed) == {"replayed"}
    assert Contact.objects.count() == 20 and Person.objects.count() == 10


def test_a_client_edited_on_the_device_and_on_the_server_is_a_conflict_and_nothing_is_lost(live_server, device):
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    person = PersonFactory(office=office, name_latin="Khadija Alaoui", birth_year=1980, counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server)

    page.context.set_offline(True)
    page.locator("#id_person_query").fill("khadija")
    page.locator("#person-options [role=option]").first.wait_for()
    page.locator("#id_person_query").press("Enter")
    page.get_by_test_id("edit-client").click()
    page.locator("#id_edit-name_latin").fill("Khadija El Alaoui")
    page.locator("#id_edit-phone").fill("+212 600 11 22 33")
    page.get_by_test_id("save-client-changes").click()
    _pending_is(page, 1)

    # Meanwhile, at the office, a colleague corrects the same name
    colleague = counsellor(office, full_name="Omar Kane")
    services.person_update(person=person, actor=colleague, name_latin="Khadija Alaoui Bennani")

    page.context.set_offline(False)
    page.locator("[data-testid=queue-item][data-state=conflict]").wait_for()
    person.refresh_from_db()
    assert person.name_latin == "Khadija Alaoui Bennani"  # not overwritten
    conflict = SyncConflict.objects.get(person=person)
    assert conflict.changes["name_latin"] == "Khadija El Alaoui"  # the device's version is kept on the server
    link = page.locator("[data-testid=queue-item][data-state=conflict] a[data-review]")
    link.click()
    page.wait_for_url(re.compile(r"/offices/offline/review/conflicts/\d+/$"))
    body = page.locator("main").inner_text()
    assert "Khadija El Alaoui" in body and "Khadija Alaoui Bennani" in body


def test_a_hundred_queued_contacts_sync_over_2g_in_under_a_minute(live_server, device):
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    clients = [PersonFactory(office=office, counsellor=user) for _ in range(10)]
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    ids = [c.pk for c in clients]
    # 100 contacts queued as the form queues them (the form is walked in the first test), without a sync
    added = page.evaluate(
        """(ids) => {
            const device = window.offlineIntake.device;
            const entries = [];
            for (let n = 0; n < 100; n++) {
                entries.push({key: crypto.randomUUID(), kind: 'contact.create', label: 'Contact ' + n, notes: true,
                    payload: {person: ids[n % ids.length], channel: 'home_visit', topics: ['remittances', 'employment'],
                              occurred_at: new Date().toISOString(), reporter_may_call_back: false,
                              family_relationship: '', reporter_name: '', reporter_phone: '',
                              summary: 'Home visit ' + n + ': asked about sending money home and about work',
                              outcome: 'Information given', notes: 'Restricted note number ' + n}});
            }
            return device.enqueue(entries).then((added) => { device.events.change(); return added; });
        }""",
        ids,
    )
    assert added is True
    _pending_is(page, 100)

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 300, "downloadThroughput": 250 * 1000 / 8, "uploadThroughput": 50 * 1000 / 8},
    )
    sent: list[int] = []

    def measure(route):
        sent.append(len(route.request.post_data_buffer or b""))
        route.continue_()

    page.route(f"**{SYNC_PATH}", measure)
    started = time.monotonic()
    page.get_by_test_id("sync-now").click()
    _pending_is(page, 0, timeout=120)
    elapsed = time.monotonic() - started
    assert Contact.objects.count() == 100
    load = os.getloadavg()[0]
    print(f"\n2G sync (300 ms, 250/50 kbit/s): 100 contacts in {elapsed:.1f} s; {len(sent)} requests, "
          f"{sum(sent) / 1000:.1f} kB sent; load {load:.2f}")  # fmt: skip
    # The throttle was in force: the bodies alone need this long at 50 kbit/s
    assert elapsed > sum(sent) * 8 / 50_000
    assert elapsed < 60, f"100 contacts took {elapsed:.1f} s over 2G"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_intake_on_a_phone_in_french_and_arabic_has_no_serious_accessibility_violation(
    live_server, device, language
):
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow", preferred_language=language)
    PersonFactory(office=office, name_latin="Awa Sy", name_arabic="عوا سي", counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server, language)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.context.set_offline(True)
    _log_for_existing(page, "awa", "Premier contact" if language == "fr" else "الاتصال الأول", notes="x")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"offline-intake-{language}-390.png"), full_page=True)
    assert serious_violations(page) == []
    catalog = json.loads(page.locator("#offline-messages").text_content())
    assert page.locator("[data-testid=queue-item] .badge").inner_text() == catalog["queued"]


def test_signing_out_with_unsent_items_warns_first_then_erases_the_device_store(live_server, device):
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    PersonFactory(office=office, name_latin="Awa Sy", counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    page.route(f"**{SYNC_PATH}", lambda route: route.abort("internetdisconnected"))  # the server is out of reach
    _log_for_existing(page, "awa", "Asked about passports")
    assert _pending(page) == 1

    dialogs = []

    def answer(dialog, accept):
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    with page.expect_event("dialog"):
        page.get_by_test_id("logout").click()
    assert dialogs == ["1 items on this device have not been sent yet. Signing out erases them from this device "
                       "for good. Sign out anyway?"]  # fmt: skip
    assert page.url.endswith("/offices/offline/") and _pending(page) == 1  # kept: the user said no

    page.once("dialog", lambda d: answer(d, True))
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    names = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "portal-offline-intake" not in names


def test_after_the_idle_time_the_key_is_gone_until_the_server_gives_it_back(live_server, device):
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    PersonFactory(office=office, name_latin="Awa Sy", counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    page.context.set_offline(True)
    _log_for_existing(page, "awa", "Asked about passports")
    # Half an hour and a minute without a touch (OFFLINE_IDLE_MINUTES is 30)
    page.evaluate("OfflineQueue.setMeta({name: 'activity', at: Date.now() - 31 * 60000})")
    page.reload()
    _ready(page)
    notice = page.get_by_test_id("offline-notice")
    assert "Locked after 30 minutes without use" in notice.inner_text()
    assert page.get_by_test_id("save-offline").is_disabled()
    assert page.evaluate("OfflineQueue.getMeta('session').then(s => 'key' in s)") is False
    assert page.evaluate("OfflineQueue.allItems().then(items => items.length)") == 1  # sealed, unreadable here
    assert "Awa Sy" not in page.locator("[data-testid=queue]").inner_text()

    # Back online, the session still alive: the same key comes back, the item is read and sent
    page.context.set_offline(False)
    _pending_is(page, 0)
    assert Contact.objects.get().summary == "Asked about passports"


def _end_session_on_server(page, live_server) -> None:
    """What 30 minutes without a request does to a staff session (PRIVILEGED_SESSION_IDLE_SECONDS): it is gone."""
    [cookie] = [c for c in page.context.cookies(live_server.url) if c["name"] == settings.SESSION_COOKIE_NAME]
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"]).delete()


def test_a_day_offline_ends_in_a_new_sign_in_and_the_queue_unlocks_and_syncs_once(live_server, device, settings):
    """The session ends on the server and the idle lock erases the key while the counsellor works offline; signing in
    again (same user, same device) hands the same key back: the queue is read and sent, each item once."""
    settings.OFFLINE_IDLE_MINUTES = 0.1  # 6 s instead of 30 minutes
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    PersonFactory(office=office, name_latin="Awa Sy", counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    key_id = page.evaluate("OfflineQueue.getMeta('session').then(s => s.keyId)")
    page.context.set_offline(True)
    _log_for_existing(page, "awa", "Asked about passports")
    _log_for_new(page, latin="Ousmane Ba", year="1990", summary="Met at the market")
    assert _pending(page) == 3

    _end_session_on_server(page, live_server)
    time.sleep(6.5)  # the idle time passes
    page.reload()  # offline: the service worker serves the page
    _ready(page)
    assert "Locked after" in page.get_by_test_id("offline-notice").inner_text()
    assert page.evaluate("OfflineQueue.getMeta('session').then(s => 'key' in s)") is False

    page.context.set_offline(False)  # back in town: the session is dead, the page asks for a sign-in
    page.locator("[data-signin]").wait_for()
    assert Contact.objects.count() == 0 and _pending(page) == 3

    settings.OFFLINE_IDLE_MINUTES = 30
    page.context.clear_cookies()
    sign_in(page, live_server, user)  # a new session of the same user
    page.goto(f"{live_server.url}/offices/offline/")
    _ready(page)
    _pending_is(page, 0)
    assert _states(page) == {"synced": 3}  # not "unreadable": the key is the one the queue was sealed with
    assert page.evaluate("OfflineQueue.getMeta('session').then(s => s.keyId)") == key_id
    assert sorted(Contact.objects.values_list("summary", flat=True)) == ["Asked about passports", "Met at the market"]
    assert Person.objects.filter(name_latin="Ousmane Ba").count() == 1


def test_after_a_password_change_the_old_queue_is_unreadable_and_nothing_is_sent(live_server, device):
    """The remedy for a lost device: the new password gives a new key, and what was sealed under the old one stays
    sealed, on every device of the user."""
    page = device
    office = OfficeFactory()
    user = counsellor(office, full_name="Aminata Sow")
    PersonFactory(office=office, name_latin="Awa Sy", counsellor=user)
    sign_in(page, live_server, user)
    _open_intake(page, live_server)
    page.context.set_offline(True)
    _log_for_existing(page, "awa", "Asked about passports")

    user.set_password("a new passphrase after the loss")
    user.save()
    page.context.clear_cookies()
    sign_in(page, live_server, user)
    page.context.set_offline(False)
    page.locator("[data-unreadable]").wait_for()
    assert _states(page) == {"unreadable": 1} and _pending(page) == 0
    assert Contact.objects.count() == 0
    page.locator("[data-discard]").click()
    _until(page, "document.querySelectorAll('[data-testid=queue-item]').length === 0")
