"""Shared pieces of the operations tests (no tests here): the demo warehouse, built once per
session by the real ingest over the bundled corpus, and a way to run the ops commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flows.config import load_config
from flows.demo import demo_config_text, serve_corpus
from flows.ingest import run_ingest
from warehouse import Warehouse

ROOT = Path(__file__).resolve().parent.parent
_DEMO: dict[str, Path] = {}

# `koreawatch` with the ops commands, whether or not flows/cli.py has wired them in yet.
CLI = textwrap.dedent(
    """
    from flows import cli
    from flows.commands_ops import register
    if "backfill" not in {c.name for c in cli.app.registered_commands}:
        register(cli.app)
    cli.main()
    """
)


def demo_warehouse(factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (real ingest and extraction over the sample corpus), built once per
    session. Treat it as read-only; copy it (``copy_demo``) to change it."""
    if "db" not in _DEMO:
        root = factory.mktemp("demo")
        db = root / "koreawatch.duckdb"
        with serve_corpus(port=0) as base_url:
            config_path = root / "feeds.toml"
            config_path.write_text(demo_config_text(base_url), encoding="utf-8")
            wh = Warehouse(db, wait_s=30)
            with wh.writer("demo"):
                run_ingest(load_config(config_path), wh, ignore_backoff=True)
        _DEMO["db"] = db
    return _DEMO["db"]


def copy_demo(factory: pytest.TempPathFactory, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_warehouse(factory), target)
    return target


def run_cli(
    *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env,
    )  # fmt: skip


def rows(db: Path, query: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with Warehouse(db, wait_s=30).reader() as con:
        return con.execute(query, params or []).fetchall()


def scalar(db: Path, query: str, params: list[object] | None = None) -> int:
    [(value,)] = rows(db, query, params)
    assert isinstance(value, int)
    return value


HOLDER = textwrap.dedent(
    """
    import sys, time
    from warehouse import Warehouse
    wh = Warehouse(sys.argv[1])
    with wh.writer("holder"):
        with wh.transaction() as con:
            con.execute("SELECT 1")
        print("ready", flush=True)
        time.sleep(60)
    """
)


def hold_writer_lock(db: Path) -> subprocess.Popen[str]:
    """Another process holding the warehouse writer lock (as a long run does)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc
