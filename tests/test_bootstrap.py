"""`make test` on a fresh machine: the bootstrap finds or installs Chromium and its fonts, or stops at once with
the one command to run. Run on a clean clone of the repository, with a PATH that has no Chromium.

The package manager is the outside world here: a fake ``apt-get`` records what it is asked and "installs"
Chromium by putting the machine's real one on the PATH.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FAKE_APT = """#!/bin/sh
echo "$@" >> "{log}"
if [ "$1" = "install" ]; then /bin/ln -sf "{chromium}" "{bin}/chromium"; fi
"""


@pytest.fixture
def clean_clone():
    """A clone of the committed tree, open to every user (the no-root case runs as nobody)."""
    if not shutil.which("git"):
        pytest.fail("git is needed to clone the repository")
    base = Path(tempfile.mkdtemp(prefix="portal-bootstrap-"))
    clone = base / "portal"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    for tool in ("git", "fc-list"):  # what the bootstrap may call, and nothing else of /usr/bin
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bin_dir / tool)
    apt_log = base / "apt.log"
    apt = bin_dir / "apt-get"
    apt.write_text(FAKE_APT.format(log=apt_log, chromium=CHROMIUM, bin=bin_dir))
    apt.chmod(0o755)
    subprocess.run(["chmod", "-R", "a+rwX", str(base)], check=True)
    base.chmod(base.stat().st_mode | stat.S_IRWXO)
    yield clone, bin_dir, apt_log
    shutil.rmtree(base, ignore_errors=True)


def bootstrap_env(bin_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME", "LANG", "HOME")
    }
    env["PATH"] = str(bin_dir)
    env["TEST_DATABASE_NAME"] = env.get("TEST_DATABASE_NAME", "test_portal") + "_bootstrap"
    return env


def test_the_path_of_the_test_has_no_chromium(clean_clone):
    _clone, bin_dir, _log = clean_clone
    assert shutil.which("chromium", path=str(bin_dir)) is None
    assert shutil.which("chromium-browser", path=str(bin_dir)) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="installing packages as root needs the tests to run as root")
def test_as_root_make_test_installs_chromium_and_fonts_then_runs_the_tests(clean_clone):
    clone, bin_dir, apt_log = clean_clone
    result = subprocess.run(
        [sys.executable, "scripts/devenv.py", "test", "-q", "-p", "no:cacheprovider", "tests/test_deployment_files.py"],
        cwd=clone,
        env=bootstrap_env(bin_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installing chromium and fonts-noto-core" in result.stdout
    assert apt_log.read_text().splitlines() == ["update -qq", "install -y -qq chromium fonts-noto-core"]
    assert "passed" in result.stdout  # the tests ran after the installation


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become another user")
def test_without_root_or_sudo_make_test_stops_at_once_with_the_command_to_run(clean_clone):
    clone, bin_dir, apt_log = clean_clone
    started = time.monotonic()
    result = subprocess.run(
        [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "scripts/devenv.py", "test", "tests/test_deployment_files.py"],
        cwd=clone,
        env={**bootstrap_env(bin_dir), "HOME": str(clone)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Run once: sudo apt-get install -y chromium fonts-noto-core" in result.stdout
    assert "passed" not in result.stdout and "test session starts" not in result.stdout  # no test ran
    assert not apt_log.exists()  # nothing was attempted
    assert time.monotonic() - started < 30  # at once: before any database or Redis is started
