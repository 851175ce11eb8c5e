import http.server
import threading
import unicodedata
from io import BytesIO

import pytest
from pypdf import PdfReader

from apps.core.pdf import chromium_html_to_pdf, html_to_pdf, weasyprint_html_to_pdf

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
def test_chromium_prints_the_same_arabic_words(settings):
    settings.PDF_RENDERER = "chromium"
    pdf = html_to_pdf(ARABIC_LETTER)
    assert pdf.startswith(b"%PDF-")
    # Chromium writes right-to-left runs in visual order, so words rather than phrases are compared.
    words = set(text_of(chromium_html_to_pdf(ARABIC_LETTER)).split())
    assert {"نحيل", "إليكم", "يوسف", "العمراني"} <= words


@pytest.fixture
def outside_server():
    """An HTTP server that records every request made to it."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_a_document_referring_to_outside_addresses_prints_without_fetching_them(outside_server, tmp_path):
    base, requests = outside_server
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body><p>Bonjour</p>'
        f'<img src="{base}/pixel.png"><img src="{secret.as_uri()}">'
        f'<p style="background: url({base}/bg.png)">Lettre</p></body></html>'
    )
    pdf = weasyprint_html_to_pdf(html)
    assert "Bonjour" in text_of(pdf) and "Lettre" in text_of(pdf)
    assert requests == []
    assert "not for the PDF" not in text_of(pdf)
