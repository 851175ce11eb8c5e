"""HTML to PDF through headless Chromium, so Arabic is shaped and laid out right-to-left like the pages.

Templates for PDFs must be self-contained (inline CSS, no network): Chromium runs with networking off.
"""

from __future__ import annotations

import os
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


def html_to_pdf(html: str, *, timeout: int = 60) -> bytes:
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as workdir:
        source = Path(workdir) / "document.html"
        target = Path(workdir) / "document.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            chromium_binary(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
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


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """Render ``template_name`` in ``language`` and print it to PDF."""
    with translation.override(language):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)
