"""`make run`'s second start: from `scripts/devenv.py run` to `/healthz` 200 (database, Redis and a Celery worker
answering) on a data directory where a first start already left the embedded PostgreSQL, Redis and the demo data.

What it does, on a clean clone of the committed tree (its own ``var/``; ``DATABASE_URL`` and ``REDIS_URL`` unset,
so the embedded PostgreSQL 18 and Redis start as on a newcomer's machine):

1. a first start (``initdb``, migrations, reference and demo data with ``DEMO_VOLUME`` synthetic members, static
   files), until ``/healthz`` answers 200, then Ctrl-C;
2. ``BENCH_RUNS`` second starts (default 3), each timed to ``/healthz`` 200, then Ctrl-C;
3. the baseline in the same run: one start with ``DEVENV_FULL_PREPARE=1`` (every step done again, as before
   ``prepare_dev`` skipped what was done).

Target: the second start under ``BENCH_SECOND_START_S`` (default 30 s) on every run. Exits 1 when missed.
Wrap it in ``flock /tmp/bench.lock`` on a shared machine; it prints the load average with each figure.

    .venv/bin/python benchmarks/bench_make_run.py
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import Targets, p95_label  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = float(os.environ.get("BENCH_SECOND_START_S", "30"))


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port: int) -> int | None:
    """The status of /healthz, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def clean_clone(into: Path) -> Path:
    """A clone of the committed tree (its own var/), using this checkout's virtual environment."""
    clone = into / "portal"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    return clone


class Start:
    """One `scripts/devenv.py run` in ``clone``: its console, read as it comes."""

    def __init__(self, clone: Path, port: int, **extra_env: str):
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(PORT=str(port), PYTHONUNBUFFERED="1", **extra_env)
        self.port = port
        self.lines: list[str] = []
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "scripts/devenv.py", "run"],
            cwd=clone,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def until_healthy(self, timeout: float) -> float:
        """Seconds from the start until /healthz answers 200."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("devenv.py run exited:\n" + "\n".join(self.lines[-40:]))
            if healthz(self.port) == 200:
                return time.monotonic() - self.started
            time.sleep(0.25)
        raise RuntimeError(f"/healthz not 200 within {timeout:.0f} s:\n" + "\n".join(self.lines[-40:]))

    def line(self, pattern: str) -> str | None:
        return next((line for line in self.lines if re.search(pattern, line)), None)

    def stop(self) -> None:
        """Ctrl-C, as a person stops it; everything is stopped within a minute."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def timed_start(clone: Path, timeout: float, **extra_env: str) -> tuple[float, Start]:
    start = Start(clone, free_port(), **extra_env)
    try:
        return start.until_healthy(timeout), start
    finally:
        start.stop()


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    base = Path(tempfile.mkdtemp(prefix="bench-make-run-"))
    targets = Targets()
    try:
        clone = clean_clone(base)
        print(f"clone: {clone}; DEMO_VOLUME={os.environ.get('DEMO_VOLUME', '3000 (default)')}", flush=True)
        first, start = timed_start(clone, 1800)
        print(f"first start: /healthz 200 after {first:.1f} s (load average {load_average()})", flush=True)
        seconds = []
        for run in range(runs):
            second, start = timed_start(clone, 600)
            seconds.append(second)
            ready = start.line(r"ready in ")
            print(f"second start {run + 1}: /healthz 200 after {second:.1f} s; prepare_dev {ready or '?'} "
                  f"(load average {load_average()})", flush=True)  # fmt: skip
            for pattern in (r"migrations: none to apply", r"reference data: already loaded",
                            r"demo data: already loaded", r"static files: 0 compressed"):  # fmt: skip
                if start.line(pattern) is None:
                    print(f"  (no line {pattern!r}: that step was done again)", flush=True)
        full, start = timed_start(clone, 1200, DEVENV_FULL_PREPARE="1")
        print(f"baseline, every step again (DEVENV_FULL_PREPARE=1): /healthz 200 after {full:.1f} s; prepare_dev "
              f"{start.line(r'ready in ') or '?'} (load average {load_average()})", flush=True)  # fmt: skip
        targets.at_most(f"second start to /healthz 200, {p95_label(runs)}", max(seconds), TARGET_S, " s")
    finally:
        with contextlib.suppress(Exception):
            subprocess.run([sys.executable, "scripts/devenv.py", "stop"], cwd=base / "portal", timeout=60)
        shutil.rmtree(base, ignore_errors=True)
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
