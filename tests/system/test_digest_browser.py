"""The digest HTML rendered by a real browser (headless Chromium), as a reader's client would.

Skipped where no chromium binary is installed (Debian: ``apt-get install -y chromium``).
Set KOREAWATCH_SCREENSHOT=path to keep the picture (docs/digest-screenshot.png is made so).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.support.scenario import DAY, digest_for

CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
    None,
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def screenshot(html: Path, out: Path, profile: Path, size: str = "650,1800") -> bytes:
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
         f"--screenshot={out}", f"--window-size={size}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out.read_bytes()


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install -y chromium)")
def test_chromium_renders_the_digest(scenario: Path, tmp_path: Path) -> None:
    result = digest_for(scenario, tmp_path, day=DAY)
    shot = screenshot(result.files.html, tmp_path / "digest.png", tmp_path / "profile")
    assert png_size(shot) == (650, 1800)
    # A mostly blank page would be a few kilobytes; the digest, its figures and chart are not.
    assert len(shot) > 30_000
    phone = screenshot(result.files.html, tmp_path / "phone.png", tmp_path / "profile", "390,1800")
    assert png_size(phone) == (390, 1800)
    assert len(phone) > 30_000
    keep = os.environ.get("KOREAWATCH_SCREENSHOT")
    if keep:
        Path(keep).write_bytes(shot)
        Path(keep).with_name(Path(keep).stem + "-phone.png").write_bytes(phone)
