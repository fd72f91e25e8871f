"""The systemd units in deploy/systemd: valid for systemd, and every command they start is a
real command with real options."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import ROOT, invoke

UNITS = sorted(p for p in (ROOT / "deploy" / "systemd").iterdir() if p.suffix != ".md")


def exec_start(unit: Path) -> list[str]:
    [line] = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_units_are_shipped_and_documented() -> None:
    names = {unit.name for unit in UNITS}
    assert {"koreawatch.service", "koreawatch-check.service", "koreawatch-check.timer",
            "koreawatch-worker.service", "prefect-server.service"} <= names  # fmt: skip
    docs = (ROOT / "docs" / "scheduled-runs.md").read_text()
    for name in names:
        assert f"deploy/systemd/{name}" in docs


@pytest.mark.parametrize("unit", [u for u in UNITS if u.suffix == ".service"], ids=lambda u: u.name)
def test_each_command_a_unit_starts_exists_with_its_options(unit: Path) -> None:
    program, *args = exec_start(unit)
    assert program.startswith("/srv/koreawatch/.venv/bin/")
    if program.endswith("/koreawatch"):
        result = invoke(*args, "--help")
        assert result.exit_code == 0, result.stderr
        return
    result = subprocess.run([sys.executable, "-m", "prefect", *args, "--help"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify`, with the paths moved to this checkout and this user."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    venv_bin = Path(sys.executable).parent
    for unit in UNITS:
        text = unit.read_text().replace("/srv/koreawatch/.venv/bin", str(venv_bin))
        text = text.replace("/srv/koreawatch", str(ROOT)).replace("User=koreawatch", "User=root")
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", *sorted(map(str, tmp_path.iterdir()))],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
