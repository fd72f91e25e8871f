"""What importing a module costs: only ``flows.definitions`` (and commands that run a flow)
may load Prefect; the digest loads neither Prefect nor matplotlib until it draws."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.cli import ROOT


def loaded(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return {name.split(".")[0] for name in result.stdout.split()}


@pytest.mark.parametrize(
    "module",
    ["flows.digest", "flows.pipeline.ingest", "flows.pipeline.backfill", "flows.pipeline.demo",
     "flows.runs", "flows.serve", "flows.cli"],
)  # fmt: skip
def test_plain_modules_do_not_import_prefect(module: str) -> None:
    assert "prefect" not in loaded(module)


def test_the_digest_draws_its_chart_with_matplotlib_only_when_asked() -> None:
    assert "matplotlib" not in loaded("flows.digest")


def test_flows_definitions_is_where_prefect_comes_in() -> None:
    assert "prefect" in loaded("flows.definitions")
