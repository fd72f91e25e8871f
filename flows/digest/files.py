"""The digest's files: ``YYYY-MM-DD.{html,txt,md,png}`` and the Atom feed beside them, each
written beside and renamed into place, so a reader never sees half a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.config import DigestConfig
from flows.digest.atom import build_atom
from flows.digest.render import RenderedDigest


@dataclass(frozen=True, slots=True)
class DigestFiles:
    html: Path
    text: Path
    markdown: Path
    chart: Path
    atom: Path


def _write_atomic(path: Path, data: bytes) -> None:
    # Write beside, then rename: a reader (or the Atom feed) never sees half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_files(
    rendered: RenderedDigest, day: date, out_dir: Path, settings: DigestConfig
) -> DigestFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = day.isoformat()
    files = DigestFiles(
        html=out_dir / f"{stem}.html",
        text=out_dir / f"{stem}.txt",
        markdown=out_dir / f"{stem}.md",
        chart=out_dir / f"{stem}.png",
        atom=out_dir / "digests.atom",
    )
    _write_atomic(files.chart, rendered.chart_png)
    _write_atomic(files.text, rendered.text.encode("utf-8"))
    _write_atomic(files.markdown, rendered.markdown.encode("utf-8"))
    _write_atomic(files.html, rendered.html_file.encode("utf-8"))
    _write_atomic(files.atom, build_atom(out_dir, settings).encode("utf-8"))
    return files
