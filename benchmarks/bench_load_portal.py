"""Load test: a realistic mix against gunicorn with 2 workers, on whatever data set the database holds.

    .venv/bin/python scripts/devenv.py bench bench_load_portal.py                    # 60 s, 16 concurrent users
    LOAD_SECONDS=120 LOAD_USERS=32 .venv/bin/python scripts/devenv.py bench bench_load_portal.py

The mix (weights): public pages — home, information library, office finder (30); members — their profile page
and editing it through the API (25); office staff — searching the skills bank (25) and logging a contact through
the API (20). Each simulated user is a thread with its own session (pages) or token (API), thinking 0–200 ms
between requests. The demo accounts are used (loaded if missing). Before the mix, the same users call
GET /api/v1/me/ for half the time (a bare view: token authentication, one query, JSON, no template): the baseline
of what this machine, gunicorn and the database give at all. Prints one JSON line: requests per second, p50/p95 per page, errors (any status >= 500 or a
refused write), and the profile count of the data set. No errors is part of the result.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

from benchmarks.measure import Targets, median, p95  # noqa: E402

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "16"))
SEARCH_TERMS = ["engineer", "ingénieur", "santé", "nurse", "agriculture", "teacher", "Diop", "finance", "طبيب"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def credentials() -> dict:
    """Session cookies and API tokens of the demo member and office staff; the data the writes need."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from apps.offices.models import Person

    user_model = get_user_model()
    if not user_model.objects.filter(email="staff@demo.example.org").exists():
        call_command("load_demo_data", force=True, verbosity=0)
    out = {}
    for role, email in (("member", "member@demo.example.org"), ("staff", "staff@demo.example.org")):
        user = user_model.objects.get(email=email)
        client = Client()
        client.force_login(user)
        token, _ = Token.objects.get_or_create(user=user)
        out[role] = {"session": client.cookies["sessionid"].value, "token": token.key, "language": "fr"}
    staff = user_model.objects.get(email="staff@demo.example.org")
    office = staff.memberships.filter(organisation__isnull=False).first().organisation
    out["persons"] = list(Person.objects.filter(office__organisation=office).values_list("pk", flat=True)[:50])
    if not out["persons"]:
        raise RuntimeError("the demo office has no persons: run load_demo_data")
    return out


def profile_count() -> int:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM skills_diasporaprofile")
        return c.fetchone()[0]


class Gunicorn:
    def __init__(self, port: int):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.local", "DJANGO_DEBUG": "false"}
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "diaspora_portal.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)


def run(url: str, creds: dict, pick, seconds: float) -> dict:
    """USERS threads for ``seconds``; ``pick(rng)`` returns (name, method, path, kind, body)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(index: int) -> None:
        rng = random.Random(index)
        pages = {}
        for role in ("member", "staff"):
            pages[role] = requests.Session()
            pages[role].cookies.set("sessionid", creds[role]["session"])
        api = requests.Session()
        anonymous = requests.Session()
        while time.monotonic() < stop_at:
            try:
                name, method, path, kind, body = pick(rng, index)
            except Exception:  # noqa: BLE001 - a broken scenario is an error of the run, not a dead thread
                with lock:
                    errors["scenario"] += 1
                continue
            headers = {"Accept-Language": "fr"}
            if kind.endswith("-page"):
                session = pages[kind.removesuffix("-page")]
            elif kind in ("member", "staff"):
                session = api
                headers["Authorization"] = f"Token {creds[kind]['token']}"
            else:
                session = anonymous
            started = time.perf_counter()
            try:
                response = session.request(method, url + path, json=body, headers=headers, timeout=30)
                status = response.status_code
            except requests.RequestException:
                status = 599
            elapsed = time.perf_counter() - started
            with lock:
                timings[name].append(elapsed)
                if status >= 500 or (method != "GET" and status >= 400):
                    errors[name] += 1
            time.sleep(rng.uniform(0, 0.2))

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in timings.values())
    pages = {}
    for name, values in sorted(timings.items()):
        values.sort()
        pages[name] = {
            "requests": len(values),
            "p50_ms": round(median(values) * 1000, 1),
            "p95_ms": round(p95(values) * 1000, 1),
            "errors": errors.get(name, 0),
        }
    return {"requests": total, "rps": round(total / elapsed, 1), "errors": sum(errors.values()), "pages": pages}


def main() -> int:
    django_setup()
    creds = credentials()
    result = {
        "profiles": profile_count(),
        "users": USERS,
        "seconds": SECONDS,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    from django.db import connections

    connections.close_all()
    server = Gunicorn(free_port())
    try:
        result["baseline_bare_view"] = run(
            server.url, creds, lambda rng, i: ("GET /api/v1/me/", "GET", "/api/v1/me/", "member", None), SECONDS / 2
        )

        def pick(rng, index):
            roll = rng.random() * 100
            if roll < 10:
                return "home", "GET", "/fr/", "anonymous", None
            if roll < 20:
                return "library", "GET", "/fr/returns/information/", "anonymous", None
            if roll < 30:
                return "office finder", "GET", "/fr/offices/", "anonymous", None
            if roll < 42:
                return "member profile page", "GET", "/fr/skills/me/", "member-page", None
            if roll < 55:
                body = {"phone": f"+33 6 12 34 {rng.randint(10, 99)} {rng.randint(10, 99)}"}
                return "member profile edit (API)", "PATCH", "/api/v1/me/profile/", "member", body
            if roll < 80:
                term = rng.choice(SEARCH_TERMS)
                return "staff skills search", "GET", f"/fr/skills/staff/search/?q={term}", "staff-page", None
            body = {
                "person": rng.choice(creds["persons"]),
                "channel": "walk_in",
                "topics": ["remittances"],
                "summary": "Question about sending money home.",
            }
            return "staff contact log (API)", "POST", "/api/v1/contacts/", "staff", body

        result["mix"] = run(server.url, creds, pick, SECONDS)
    finally:
        server.stop()
    result["passed"] = result["mix"]["errors"] == 0
    print(json.dumps(result), flush=True)
    targets = Targets()
    targets.at_most("errors in the baseline (5xx or refused writes)", result["baseline_bare_view"]["errors"], 0)
    targets.at_most("errors in the mix (5xx or refused writes)", result["mix"]["errors"], 0)
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
