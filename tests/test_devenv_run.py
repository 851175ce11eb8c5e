"""`make run` (scripts/devenv.py run) supervises its processes: a worker killed with SIGKILL is restarted with a
line in the console while the web server keeps answering; Ctrl-C still stops everything. Its second start skips what
the first did and answers /healthz within 30 s."""

from __future__ import annotations

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
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from tests.conftest import ROOT

DATABASE = "test_devenv_run"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthz(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:  # answered, with an error status (a part not ready)
        return exc.code


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        return open(f"/proc/{pid}/stat").read().split(")")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Console:
    """The runner's console, read as it comes."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process) -> None:
        for line in process.stdout:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float, after: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for line in self.lines[after:]:
                    match = re.search(pattern, line)
                    if match:
                        return match
            time.sleep(0.2)
        with self.lock:
            tail = "\n".join(self.lines[-40:])
        raise AssertionError(f"no line matching {pattern!r} within {timeout:.0f} s; console ends:\n{tail}")

    def __len__(self) -> int:
        with self.lock:
            return len(self.lines)


@pytest.fixture
def database_url():
    """An empty database of its own (the runner migrates it and loads demo data, as on a first `make run`)."""
    base = os.environ.get("DATABASE_URL") or pytest.skip("needs DATABASE_URL (a PostgreSQL server to create in)")
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))

    def execute(*statements: str) -> None:
        connection = psycopg2.connect(admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
    yield urlunsplit(parts._replace(path=f"/{DATABASE}"))
    execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def test_the_runner_restarts_a_killed_worker_keeps_the_web_server_up_and_stops_all_on_ctrl_c(database_url):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings.local",
        "PYTHONUNBUFFERED": "1",
    }
    runner = subprocess.Popen(
        [sys.executable, "scripts/devenv.py", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    console = Console(runner)
    try:
        web = int(console.wait_for(r"\[devenv\] web started \(pid (\d+)\)", 300).group(1))
        worker = int(console.wait_for(r"\[devenv\] worker started \(pid (\d+)\)", 30).group(1))
        beat = int(console.wait_for(r"\[devenv\] beat started \(pid (\d+)\)", 30).group(1))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                healthz(port)
                break
            except OSError:
                time.sleep(0.5)

        seen = len(console)
        os.kill(worker, signal.SIGKILL)
        console.wait_for(rf"\[devenv\] worker \(pid {worker}\) stopped \(killed by signal 9\); restarting", 10, seen)
        restarted = int(console.wait_for(r"\[devenv\] worker started \(pid (\d+)\)", 10, seen).group(1))
        assert restarted != worker and _alive(restarted)
        # The web server and beat were left alone, and the web server still answers.
        assert _alive(web) and _alive(beat) and runner.poll() is None
        assert healthz(port) in (200, 503)

        runner.send_signal(signal.SIGINT)  # Ctrl-C
        assert runner.wait(60) == 0
        time.sleep(1)
        assert not any(_alive(pid) for pid in (web, restarted, beat))
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)


def test_the_second_start_answers_healthz_within_30_s_on_the_first_starts_data_directory_skipping_what_is_done():
    """A newcomer's machine: a clean clone, the embedded PostgreSQL and Redis under its var/ (no DATABASE_URL), the
    demo data of `make run`. The first start does everything; the second finds it done and answers /healthz 200
    (database, Redis, a Celery worker) within 30 s. benchmarks/bench_make_run.py measures the same, with a baseline."""
    from benchmarks.bench_make_run import clean_clone, timed_start

    base = Path(tempfile.mkdtemp(prefix="devenv-second-start-"))
    clone = clean_clone(base)
    try:
        timed_start(clone, 1800)
        seconds, start = timed_start(clone, 300)
        for done in (
            r"migrations: none to apply",
            r"reference data: already loaded",
            r"demo data: already loaded",
            r"static files: 0 compressed, [1-9]\d* unchanged",
            r"Demo logins",
        ):
            assert start.line(done), (done, start.lines[-40:])
        assert seconds < 30, f"second start took {seconds:.1f} s (load average {os.getloadavg()})"
    finally:
        subprocess.run([sys.executable, "scripts/devenv.py", "stop"], cwd=clone, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
