"""HTML to PDF, with Arabic shaped and laid out right-to-left like the pages.

Two renderers, chosen by ``PDF_RENDERER``:

- ``weasyprint`` (default): prints inside the web or worker process with WeasyPrint (Pango and HarfBuzz shape
  Arabic, FriBidi orders mixed text). Measured against Chromium with 10 requests at once (benchmarks/bench_pdf.py,
  docs/benchmarks.md): an order of magnitude faster at p95 and a few MB per document instead of a browser each. It
  fetches nothing: every outside resource (a URL, a file) is refused, so a document can never make the server
  call out.
- ``chromium``: a headless Chromium process per document, for layouts WeasyPrint would not handle. Nothing but
  the document itself is loaded either: a Content-Security-Policy put first in the document allows only inline
  styles and ``data:`` images and fonts, and every request that would still be made goes to a proxy on a closed
  loopback port with host names resolving to nothing.

Templates for PDFs must be self-contained (inline CSS, images as ``data:`` URLs, fonts installed on the host).
``tests/core/test_pdf.py`` checks, for both renderers, that a document pointing at an address it can watch is
printed without fetching it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation


class PdfError(RuntimeError):
    pass


def chromium_binary() -> str:
    """CHROMIUM_PATH, else the first Chromium on PATH (``make test`` installs Debian's when it is missing)."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise PdfError("Chromium is needed to print PDFs: apt-get install chromium (or set CHROMIUM_PATH)")


# Inline styles, and images and fonts carried in the document; nothing else (no network, no local files).
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
POLICY_TAG = f'<meta http-equiv="Content-Security-Policy" content="{DOCUMENT_POLICY}">'
# Flags that keep Chromium off the network even for requests the policy would not cover.
NO_NETWORK_FLAGS = [
    "--proxy-server=http://127.0.0.1:9",  # the discard port: nothing listens, every request fails at once
    "--proxy-bypass-list=<-loopback>",  # the loopback goes through that proxy too
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--disable-background-networking",
    "--disable-domain-reliability",
    "--dns-prefetch-disable",
]


HEAD_OR_DOCTYPE = re.compile(r"^\s*(?:<!doctype[^>]*>\s*)?(?:<html[^>]*>\s*)?(?:<head[^>]*>)?", re.IGNORECASE)


def with_policy(html: str) -> str:
    """The document with the policy as the first element of its head (a policy covers what comes after it; the
    doctype stays first, so the page is not printed in quirks mode)."""
    start = HEAD_OR_DOCTYPE.match(html).end()
    return html[:start] + POLICY_TAG + html[start:]


def chromium_html_to_pdf(html: str, *, timeout: int = 60) -> bytes:
    """Print with a headless Chromium process started for this document."""
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as workdir:
        source = Path(workdir) / "document.html"
        target = Path(workdir) / "document.pdf"
        source.write_text(with_policy(html), encoding="utf-8")
        command = [
            chromium_binary(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            *NO_NETWORK_FLAGS,
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(workdir) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"Chromium could not print the document: {exc}") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError("Chromium produced no PDF")
        return target.read_bytes()


def _no_fetching():
    """WeasyPrint's fetcher: a PDF is printed from its own HTML alone; nothing is fetched, not even a file.

    WeasyPrint leaves out what could not be fetched (an image, a stylesheet, a font), warns, and prints the rest.
    """
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"a PDF may not load outside resources ({url.split(':', 1)[0]}:…)")

    return NoFetching(allowed_protocols=())


def weasyprint_html_to_pdf(html: str) -> bytes:
    """Print in this process with WeasyPrint (Pango and HarfBuzz shape Arabic; FriBidi orders it)."""
    import weasyprint

    try:
        return weasyprint.HTML(string=html, url_fetcher=_no_fetching()).write_pdf()
    except PdfError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the renderer is a PDF error for the caller
        raise PdfError(f"the document could not be printed: {exc}") from exc


RENDERERS = {"weasyprint": weasyprint_html_to_pdf, "chromium": chromium_html_to_pdf}


def pdf_renderer() -> str:
    from django.conf import settings

    return settings.PDF_RENDERER


def html_to_pdf(html: str) -> bytes:
    return RENDERERS[pdf_renderer()](html)


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """Render ``template_name`` in ``language`` and print it to PDF."""
    with translation.override(language):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)
