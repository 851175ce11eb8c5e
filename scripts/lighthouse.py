"""Lighthouse scores (mobile form factor) of the pages a new member sees, in French and Arabic.

    PORT=8716 .venv/bin/python scripts/devenv.py run          # in another terminal: the portal with demo data
    npm i -g lighthouse                                        # once (or into a folder: LIGHTHOUSE=…/lighthouse)
    CHROME_PATH=/usr/bin/chromium .venv/bin/python scripts/lighthouse.py http://127.0.0.1:8716

Signs in as the demo member (member@demo.example.org) for the member's pages and hands Lighthouse the session
cookie. Prints one row per page and language with the four category scores; exits 1 when one is under 95.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

import requests

TARGET = 95
PUBLIC = ["/{lang}/", "/{lang}/accounts/signup/"]
MEMBER = ["/{lang}/dashboard/", "/{lang}/skills/me/wizard/identity/", "/{lang}/skills/me/wizard/work/",
          "/{lang}/skills/me/wizard/sectors/"]  # fmt: skip
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def member_cookie(base: str, language: str) -> str:
    """The demo member signed in, with ``language`` as their language: a member's pages redirect to the language
    they chose, so each language is measured with a member who chose it."""
    session = requests.Session()
    page = session.get(f"{base}/{language}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/{language}/accounts/login/",
        data={"login": "member@demo.example.org", "password": "demo-portal-2026", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/{language}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit("could not sign in as the demo member")
    session.post(
        f"{base}/i18n/setlang/",
        data={"language": language, "next": f"/{language}/", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/{language}/"},
        timeout=30,
    )
    check = session.get(f"{base}/{language}/dashboard/", allow_redirects=False, timeout=30)
    if check.status_code != 200:
        raise SystemExit(f"the demo member's pages do not open in {language} ({check.status_code})")
    return f"sessionid={session.cookies['sessionid']}"


def scores(url: str, cookie: str | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "report.json")
        command = [
            os.environ.get("LIGHTHOUSE", "lighthouse"), url, "--quiet", "--output=json", f"--output-path={report}",
            "--form-factor=mobile", "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        ]  # fmt: skip
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        # Lighthouse sometimes fails to record a trace ("NO_NAVSTART"); another run is a fresh measurement.
        for _attempt in range(2):
            if subprocess.run(command, timeout=300).returncode == 0:
                break
        else:
            subprocess.run(command, check=True, timeout=300)
        with open(report, encoding="utf-8") as handle:
            categories = json.load(handle)["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    worst = 100
    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("|---" * (len(CATEGORIES) + 1) + "|")
    for language in ("fr", "ar"):
        cookie = member_cookie(base, language)
        for path, signed_in in [(p, False) for p in PUBLIC] + [(p, True) for p in MEMBER]:
            url = base + path.format(lang=language)
            result = scores(url, cookie if signed_in else None)
            worst = min(worst, *result.values())
            print(
                f"| {path.format(lang=language)} | " + " | ".join(str(result[c]) for c in CATEGORIES) + " |", flush=True
            )
    return 0 if worst >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
