"""PDFs under load: a Chromium process per request (today) against WeasyPrint in the web process, 10 at once.

    .venv/bin/python scripts/devenv.py bench bench_pdf.py        (BENCH_CONCURRENCY=10, BENCH_ROUNDS=5)

Each renderer prints the portal's referral letter (templates/offices/pdf/referral_letter.html) in Arabic and in
French, ``BENCH_CONCURRENCY`` requests at once, like as many gunicorn workers each answering a "print" click. It
measures every request's time (p95 over all requests of all rounds) and the peak memory of everything the requests
ran (the sum of the resident sets of the worker processes and their children, sampled every 20 ms). It then
extracts the text of each PDF (pypdf) and checks that the Arabic and French phrases come out exactly: in reading
order, or with the words of an Arabic phrase in visual order (Chromium writes right-to-left runs that way; the
glyphs are the same).

Targets (exit 1 when missed): each renderer prints the text exactly; the renderer the portal uses
(``PDF_RENDERER``) is not slower at p95, nor heavier at peak, than the other.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local")

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from pypdf import PdfReader  # noqa: E402

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

PERSON = SimpleNamespace(
    display_name="يوسف العمراني (Youssef El Amrani)", birth_year=1987, phone="+221 77 123 45 67",
    email="youssef.elamrani@example.org",
)  # fmt: skip
OFFICE = SimpleNamespace(
    name="Bureau des migrants de Dakar", municipality="Dakar", country=SimpleNamespace(name="Sénégal"),
    hotline="+221 800 00 00",
)  # fmt: skip
REFERRAL = SimpleNamespace(
    pk=4711, office=OFFICE, organisation=SimpleNamespace(name="Agence nationale pour l'emploi des jeunes"),
    reason="Accompagnement pour la création d'une petite entreprise agricole après le retour.\nمرافقة لإنشاء مشروع فلاحي صغير",
    created_at=timezone.now(), consent_recorded_at=timezone.now(),
    created_by=SimpleNamespace(get_full_name=lambda: "Awa Ndiaye"),
)  # fmt: skip
EXPECTED = {
    "ar": ["رسالة إحالة", "يوسف العمراني", "مرافقة لإنشاء مشروع فلاحي صغير", "Youssef El Amrani"],
    "fr": ["Lettre d'orientation", "Youssef El Amrani", "petite entreprise agricole", "يوسف العمراني"],
}


def document(language: str) -> str:
    with translation.override(language):
        return render_to_string("offices/pdf/referral_letter.html", {"referral": REFERRAL, "person": PERSON})


def _chromium(html: str) -> bytes:
    from apps.core.pdf import chromium_html_to_pdf

    return chromium_html_to_pdf(html)


def _weasyprint(html: str) -> bytes:
    from apps.core.pdf import weasyprint_html_to_pdf

    return weasyprint_html_to_pdf(html)


RENDERERS = {"chromium": _chromium, "weasyprint": _weasyprint}


def _one_request(renderer: str, html: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    pdf = RENDERERS[renderer](html)
    return time.perf_counter() - started, pdf


def _tree_rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for member in [process, *process.children(recursive=True)]:
                total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _found(phrase: str, text: str) -> bool:
    """The phrase in reading order, or its words in visual order (right to left), as Chromium's PDFs give them."""
    return phrase in text or " ".join(reversed(phrase.split())) in text


def measure(renderer: str, documents: dict[str, str]) -> dict:
    times: list[float] = []
    peak = 0
    samples: list[bytes] = []
    with ProcessPoolExecutor(max_workers=CONCURRENCY) as pool:
        # Warm the workers (imports, fonts) so that the rounds measure requests, not process start-up.
        list(pool.map(_one_request, [renderer] * CONCURRENCY, [documents["fr"]] * CONCURRENCY))
        pids = list(pool._processes)  # noqa: SLF001 - the pool's worker processes, to sample their memory
        idle = _tree_rss(pids)
        for _round in range(ROUNDS):
            stop = threading.Event()

            def sample(stop: threading.Event = stop) -> None:
                nonlocal peak
                while not stop.is_set():
                    peak = max(peak, _tree_rss(pids))
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            languages = ["ar" if i % 2 else "fr" for i in range(CONCURRENCY)]
            results = list(pool.map(_one_request, [renderer] * CONCURRENCY, [documents[lang] for lang in languages]))
            stop.set()
            sampler.join()
            times.extend(seconds for seconds, _pdf in results)
            samples = [pdf for _seconds, pdf in results[:2]]
    texts = {"fr": _text(samples[0]), "ar": _text(samples[1])}
    missing = {lang: [w for w in words if not _found(w, texts[lang])] for lang, words in EXPECTED.items()}
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "peak_mb": peak / 2**20,
        "idle_mb": idle / 2**20,
        "missing": {lang: words for lang, words in missing.items() if words},
        "requests": len(ordered),
    }


def main() -> int:
    from apps.core.pdf import pdf_renderer

    PDF_RENDERER = pdf_renderer()  # noqa: N806

    documents = {language: document(language) for language in ("fr", "ar")}
    print(f"{CONCURRENCY} requests at once × {ROUNDS} rounds, referral letter in fr and ar; {os.cpu_count()} cores")
    results = {name: measure(name, documents) for name in RENDERERS}
    for name, r in results.items():
        print(
            f"{name:11s} p50 {r['p50'] * 1000:7.0f} ms  p95 {r['p95'] * 1000:7.0f} ms  "
            f"peak {r['peak_mb']:7.0f} MB (idle workers {r['idle_mb']:.0f} MB)  "
            f"text {'exact' if not r['missing'] else 'MISSING ' + repr(r['missing'])}  ({r['requests']} requests)"
        )
    failures = [f"{name}: text missing {r['missing']}" for name, r in results.items() if r["missing"]]
    chosen, other = results[PDF_RENDERER], results[next(n for n in RENDERERS if n != PDF_RENDERER)]
    print(f"the portal uses: {PDF_RENDERER}")
    if chosen["p95"] > other["p95"]:
        failures.append(f"{PDF_RENDERER} is slower at p95 than the other renderer")
    if chosen["peak_mb"] > other["peak_mb"]:
        failures.append(f"{PDF_RENDERER} needs more memory at peak than the other renderer")
    for failure in failures:
        print("TARGET MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
