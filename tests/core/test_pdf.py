import http.server
import subprocess
import threading
import time
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from apps.core.pdf import NO_NETWORK_FLAGS, chromium_binary, chromium_html_to_pdf, weasyprint_html_to_pdf, with_policy

ARABIC_LETTER = '<html dir="rtl" lang="ar"><body><h1>رسالة إحالة</h1><p>نحيل إليكم يوسف العمراني</p></body></html>'


def text_of(pdf: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_portal_prints_with_weasyprint_by_default(settings):
    assert settings.PDF_RENDERER == "weasyprint"


def test_weasyprint_prints_arabic_shaped_and_in_reading_order():
    pdf = weasyprint_html_to_pdf(ARABIC_LETTER)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "رسالة إحالة" in text and "نحيل إليكم يوسف العمراني" in text


@pytest.mark.browser
def test_chromium_prints_the_same_arabic_words():
    pdf = chromium_html_to_pdf(ARABIC_LETTER)
    assert pdf.startswith(b"%PDF-")
    # Chromium writes right-to-left runs in visual order, so words rather than phrases are compared.
    assert {"نحيل", "إليكم", "يوسف", "العمراني"} <= set(text_of(pdf).split())


class Watched:
    """A local HTTP server standing for an outside address: it records every request it receives."""

    def __init__(self):
        requests = self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/plain")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def watched():
    server = Watched()
    yield server
    server.close()


def tracking_page(url: str) -> str:
    """A page that tries every way of loading something: image, style sheet, @import, background, font, script,
    frame, and a link prefetch."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="{url}/sheet.css"><link rel="prefetch" href="{url}/prefetch">
<style>@import url("{url}/import.css"); @font-face {{ font-family: X; src: url("{url}/font.woff2"); }}
body {{ background: url("{url}/background.png"); font-family: X; }}</style>
<script src="{url}/script.js"></script></head>
<body><h1>Referral letter</h1><img src="{url}/pixel.png" alt=""><iframe src="{url}/frame"></iframe></body></html>"""


def print_directly(html: str, extra_flags: list[str], workdir: Path) -> None:
    """Chromium as the portal ran it before: headless print of a file, background networking off only."""
    source = workdir / "page.html"
    source.write_text(html, encoding="utf-8")
    subprocess.run(
        [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         *extra_flags, f"--user-data-dir={workdir / 'profile'}", f"--print-to-pdf={workdir / 'page.pdf'}",
         source.as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert (workdir / "page.pdf").stat().st_size > 0


@pytest.mark.browser
def test_without_the_guards_chromium_fetches_what_the_page_points_at(watched, tmp_path):
    """The watch works: printed as before, the page fetches the outside address."""
    print_directly(tracking_page(watched.url), [], tmp_path)
    assert "/pixel.png" in watched.requests and "/sheet.css" in watched.requests


@pytest.mark.browser
def test_a_page_pointing_at_an_outside_address_is_printed_by_chromium_without_fetching_it(watched):
    pdf = chromium_html_to_pdf(tracking_page(watched.url))
    assert pdf.startswith(b"%PDF-")
    assert b"Referral" in pdf or len(pdf) > 1000
    time.sleep(0.5)  # anything late would still arrive
    assert watched.requests == []


@pytest.mark.browser
@pytest.mark.parametrize("guard", ["policy", "flags"])
def test_each_guard_blocks_the_fetches_by_itself(watched, tmp_path, guard):
    html = tracking_page(watched.url)
    if guard == "policy":
        print_directly(with_policy(html), [], tmp_path)
    else:
        print_directly(html, NO_NETWORK_FLAGS, tmp_path)
    time.sleep(0.5)
    assert watched.requests == []


def test_the_policy_goes_first_in_the_head_and_the_doctype_stays_first():
    html = with_policy('<!doctype html>\n<html lang="ar" dir="rtl">\n<head><meta charset="utf-8"><title>x</title>')
    assert html.startswith("<!doctype html>")
    assert html.index("Content-Security-Policy") < html.index('<meta charset="utf-8">')
    assert with_policy("<p>x</p>").startswith('<meta http-equiv="Content-Security-Policy"')


def test_a_page_pointing_at_outside_addresses_and_files_is_printed_by_weasyprint_without_fetching_them(
    watched, tmp_path
):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    html = tracking_page(watched.url).replace("</body>", f'<img src="{secret.as_uri()}"><p>Lettre</p></body>')
    pdf = weasyprint_html_to_pdf(html)
    assert "Referral letter" in text_of(pdf) and "Lettre" in text_of(pdf)
    time.sleep(0.5)
    assert watched.requests == []
    assert "not for the PDF" not in text_of(pdf)
