"""Shared fixtures: a real Celery worker and a real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English, whatever the previous one activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database always starts with reference data, even when reused from a run that flushed it."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data_for_committing_tests(request, django_db_blocker):
    """Tests that commit (live server, real worker) start from a database the previous one flushed.

    pytest-django runs them after all other database tests, so putting the reference data back at their
    start (committed, as they are) is enough.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from django.core.management import call_command

        from apps.core.models import Country

        with django_db_blocker.unblock():
            if not Country.objects.exists():
                call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    yield


@pytest.fixture(autouse=True)
def _links_lead_to_the_live_server(request):
    """Links in e-mails are built from the portal's configured address (PORTAL_BASE_URL): in a test that serves the
    portal, that address is the test server's, so a browser can follow them."""
    if "live_server" in request.fixturenames:
        settings = request.getfixturevalue("settings")
        settings.PORTAL_BASE_URL = request.getfixturevalue("live_server").url
    yield


def _test_database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    port = f":{s['PORT']}" if s["PORT"] else ""
    auth = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker (separate process) on the test database and this run's Redis key space.

    Module-scoped: tests elsewhere in the run see no worker, as on a machine where none is running.
    """
    from django.conf import settings

    from diaspora_portal.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_RUN_PREFIX": settings.TEST_RUN_PREFIX,
    }
    # Tasks queued by earlier tests that ran with no worker belong to data already rolled back or flushed.
    with app.connection_for_write() as connection:
        for name in WORKER_QUEUES:
            connection.default_channel.queue_purge(name)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "celery-worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "diaspora_portal",
            "worker",
            "-P",
            "solo",
            "-l",
            "info",
            "-Q",
            "celery,outreach",
            "-n",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited; see {ARTIFACTS / 'celery-worker.log'}")
        if app.control.ping(timeout=0.5):
            break
    else:
        process.terminate()
        raise RuntimeError("the Celery worker did not answer within 60 s")
    yield process
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


WORKER_QUEUES = ("celery", "outreach")


def celery_worker_wait_idle(timeout: float = 60) -> None:
    """Return once the test worker has nothing queued and nothing taken but unfinished.

    A task may start others (the digest queues its e-mail's delivery); a test that has its answer can end
    while they still run, and the flush that ends a transactional test then races them for the same tables.
    Tasks are acknowledged late, so a message stays in the broker's unacked set until its task has finished;
    the state is read twice, apart, to cover the instant between a message leaving its queue and being marked.
    """
    from amqp.exceptions import ChannelError

    from diaspora_portal.celery import app

    def pending() -> int:
        count = 0
        with app.connection_for_write() as connection:
            channel = connection.default_channel
            for name in WORKER_QUEUES:
                try:
                    count += channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:  # never declared: nothing was ever sent to it
                    pass
            return count + channel.client.hlen(channel.unacked_key)

    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        quiet = quiet + 1 if not pending() else 0
        if quiet == 2:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the Celery worker was still busy after {timeout:.0f} s; see {ARTIFACTS / 'celery-worker.log'}")


@pytest.fixture(autouse=True)
def _worker_idle_before_the_flush(request):
    """A test with the real worker ends only when the worker is idle, before its database is flushed.

    Autouse fixtures of this file are set up after pytest-django's, so they are torn down before its flush;
    a test that asks for ``transactional_db`` by name has it set up here first for the same reason.
    """
    uses_worker = "celery_worker_process" in request.fixturenames
    if uses_worker and "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    yield
    if uses_worker:
        celery_worker_wait_idle()


def chromium_path() -> str:
    from apps.core.pdf import chromium_binary

    return chromium_binary()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="module")
def demo_data_committed(django_db_setup, django_db_blocker):
    """The demo data set, committed once for a module; each test's own writes roll back with its transaction.
    Afterwards the database is emptied and the reference data put back, as the other modules expect."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo_data", force=True, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0)
