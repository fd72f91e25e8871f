#!/usr/bin/env python3
"""One entry point for a fresh machine that has only Python 3.11+ and pip.

    python3 scripts/dev.py demo     # make .venv, install the locked stack, run `koreawatch demo`
    python3 scripts/dev.py test     # same install, then ruff, mypy and pytest
    python3 scripts/dev.py bench    # the ingest benchmark (scripts/bench_ingest.py)
    python3 scripts/dev.py eval-real PATH.csv [--row N]   # the extractor on labelled real text

The virtual environment is reinstalled only when requirements.lock or pyproject.toml change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("KOREAWATCH_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".koreawatch-installed"


def _install_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 the user has
        sys.exit(f"koreawatch needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except subprocess.CalledProcessError:  # Debian and Ubuntu ship ensurepip apart
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(
                "could not make .venv: this Python has no ensurepip"
                " (Debian/Ubuntu: sudo apt install python3-venv), then run this again"
            )
    fingerprint = _install_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    # An old pip (23.x) resolves trafilatura without lxml_html_clean; a current pip does not.
    _run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip>=25")
    _run(PY, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements.lock")
    _run(PY, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT)
    STAMP.write_text(fingerprint)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "bench", "install", "eval-real"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    env = dict(os.environ)
    if command == "install":
        return 0
    if command == "demo":
        return subprocess.call([str(BIN / "koreawatch"), "demo", *rest], cwd=ROOT, env=env)
    if command == "bench":
        return subprocess.call([str(PY), "scripts/bench_ingest.py", *rest], cwd=ROOT, env=env)
    if command == "eval-real":
        # in the caller's directory, so that a relative PATH means what the user typed
        return subprocess.call([str(PY), str(ROOT / "scripts" / "eval_real.py"), *rest], env=env)
    for check in (
        [str(PY), "-m", "ruff", "check", "."],
        [str(PY), "-m", "ruff", "format", "--check", "."],
        [str(PY), "-m", "mypy"],
    ):
        print("+", " ".join(check), flush=True)
        if subprocess.call(check, cwd=ROOT, env=env) != 0:
            return 1
    return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
