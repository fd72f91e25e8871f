"""deploy/prefect.yaml as ``prefect deploy`` and ``koreawatch serve`` read it: deployments,
entrypoints, schedules, parameters, and one-line errors for a bad file."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from flows.serve import (
    DeploymentFileError,
    build_deployments,
    effective_parameters,
    load_specs,
)
from tests.support.cli import ROOT, console_script

PREFECT_FILE = ROOT / "deploy" / "prefect.yaml"


def first_schedule(deployment: Any) -> Any:
    """The schedule object of a RunnerDeployment's first schedule."""
    assert deployment.schedules
    return deployment.schedules[0].schedule


def test_prefect_yaml_is_what_prefect_deploy_reads() -> None:
    from prefect.cli.deploy._models import PrefectYamlModel

    raw = yaml.safe_load(PREFECT_FILE.read_text(encoding="utf-8"))
    model = PrefectYamlModel.model_validate(raw)
    by_name = {d.name: d for d in model.deployments}
    assert set(by_name) == {"ingest", "digest", "extract", "backfill"}
    assert all(
        d.work_pool is not None and d.work_pool.name == "koreawatch" for d in by_name.values()
    )
    # One module defines every flow: a deployment's worker loads it by its file path.
    assert {d.entrypoint for d in by_name.values()} == {
        "flows/definitions.py:ingest_flow", "flows/definitions.py:digest_flow",
        "flows/definitions.py:extract_flow", "flows/definitions.py:backfill_flow",
    }  # fmt: skip
    for name in ("extract", "backfill"):
        assert not by_name[name].schedules  # on demand
    for spec in load_specs(PREFECT_FILE):  # every entrypoint names a real file and flow
        path, _, attribute = spec.entrypoint.partition(":")
        assert (ROOT / path).is_file()
        assert attribute in (ROOT / path).read_text(encoding="utf-8")


def test_schedules_time_zones_and_parameters_load_through_the_serve_loader() -> None:
    from prefect.server.schemas.schedules import CronSchedule

    specs = {s.name: s for s in load_specs(PREFECT_FILE)}
    [ingest] = specs["ingest"].schedules
    [digest] = specs["digest"].schedules
    assert (ingest.cron, digest.cron, digest.timezone) == (
        "*/15 * * * *",
        "0 7 * * *",
        "Asia/Seoul",
    )
    assert specs["digest"].parameters["send"] is True
    assert specs["extract"].parameters == {"db_path": "data/koreawatch.duckdb"}
    assert specs["backfill"].parameters["mode"] == "extract"

    deployments = {d.name: d for d in build_deployments(list(specs.values()))}
    assert set(deployments) == {"ingest", "digest", "extract", "backfill"}
    cron = first_schedule(deployments["digest"])
    assert (cron.cron, cron.timezone) == ("0 7 * * *", "Asia/Seoul")
    # Prefect's own evaluation: 07:00 in Seoul is 22:00 UTC the day before.
    fires = asyncio.run(
        CronSchedule(cron=cron.cron, timezone=cron.timezone).get_dates(
            n=2, start=datetime(2024, 11, 5, 12, 0, tzinfo=UTC)
        )
    )
    assert [f.astimezone(UTC).isoformat() for f in fires] == [
        "2024-11-05T22:00:00+00:00",
        "2024-11-06T22:00:00+00:00",
    ]
    assert first_schedule(deployments["ingest"]).cron == "*/15 * * * *"
    assert not deployments["extract"].schedules
    assert not deployments["backfill"].schedules
    # Served runs run in processes of their own: file parameters become absolute.
    db_path = Path(deployments["ingest"].parameters["db_path"])
    assert db_path.is_absolute()
    assert db_path.parts[-2:] == ("data", "koreawatch.duckdb")
    assert deployments["ingest"].entrypoint == "flows.definitions.ingest_flow"
    assert deployments["backfill"].entrypoint == "flows.definitions.backfill_flow"

    tried = build_deployments(
        list(specs.values()), only=["ingest", "extract"], every_s=30,
        overrides={"db_path": "/srv/k.duckdb", "config_path": "/srv/f.toml"},
    )  # fmt: skip
    by_name = {d.name: d for d in tried}
    assert first_schedule(by_name["ingest"]).interval.total_seconds() == 30
    assert not by_name["extract"].schedules  # --every changes only scheduled deployments
    assert by_name["ingest"].parameters["db_path"] == "/srv/k.duckdb"
    assert by_name["extract"].parameters == {"db_path": "/srv/k.duckdb"}  # no config_path: not its


def test_effective_parameters_resolve_relative_paths_against_the_directory(tmp_path: Path) -> None:
    [spec] = [s for s in load_specs(PREFECT_FILE) if s.name == "ingest"]
    params = effective_parameters(spec, ["config_path", "db_path", "lock_wait_s"], base=tmp_path)
    assert params == {
        "config_path": str(tmp_path / "deploy" / "feeds.toml"),
        "db_path": str(tmp_path / "data" / "koreawatch.duckdb"),
        "lock_wait_s": 300,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deployments: [{name: a}]", r"deployments\[0\].entrypoint: want 'path/to/file.py:flow_name'"),
        ("deployments: [{name: a, entrypoint: 'f.py:x', schedules: [{cron: '0 7 * * *', timezone: Mars/Base}]}]",
         r"schedules\[0\].timezone: unknown time zone 'Mars/Base'"),
        ("deployments: [{name: a, entrypoint: 'f.py:x', schedules: [{cron: '0 7 * * *', interval: 60}]}]",
         "give exactly one of cron or interval"),
        ("deployments: [{name: a, entrypoint: 'f.py:x', schedules: [{cron: '0 7 * *'}]}]", "want five fields"),
        ("deployments: [{name: a, entrypoint: 'f.py:x', schedules: [{cron: '0 7 * * *', tz: UTC}]}]", "unknown key"),
        ("name: x", "want a mapping with a 'deployments' list"),
        ("deployments: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_malformed_deployments_file_is_named_with_its_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "prefect.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeploymentFileError, match=message):
        load_specs(path)


def test_serve_refuses_an_unknown_deployment_before_starting_anything(tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "ph")}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run(
        [*console_script(), "serve", "--only", "nightly", "--port", "0"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: no deployment named nightly; the file has backfill, digest, extract, ingest"
    ]
    assert not (tmp_path / "ph").exists()  # no server was started
