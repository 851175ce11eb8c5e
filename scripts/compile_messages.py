"""Compile the .po catalogs to .mo without GNU gettext (used by the Docker build and the dev runner)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devenv import compile_messages  # noqa: E402

if __name__ == "__main__":
    compile_messages()
