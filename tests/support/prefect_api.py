"""Reading a real Prefect server's flow runs over its REST API, as its UI does."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

FINISHED = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def flow_runs(api: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """``POST /flow_runs/filter`` with ``body``."""
    response = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    result: list[dict[str, Any]] = response.json()
    return result


def flow_run(api: str, flow_name: str) -> dict[str, Any]:
    """The latest run of the flow ``flow_name`` that has started."""
    body = {
        "flows": {"name": {"any_": [flow_name]}},
        "flow_runs": {"start_time": {"is_null_": False}},
        "sort": "START_TIME_DESC",
    }
    runs = flow_runs(api, body)
    assert runs, f"no {flow_name} flow run on {api}"
    return runs[0]


def run_logs(api: str, run: dict[str, Any]) -> str:
    """The flow run's log lines, to show why a run failed."""
    body = {"logs": {"flow_run_id": {"any_": [run["id"]]}}, "sort": "TIMESTAMP_ASC"}
    logs = httpx.post(f"{api}/logs/filter", json=body, timeout=10).json()
    return "\n".join(str(entry["message"])[:2000] for entry in logs)


def wait_for_run(api: str, flow_name: str, deadline_s: float) -> dict[str, Any]:
    """The latest run of ``flow_name`` once it has finished, however it finished.

    Only for a server of the test's own: on a shared one it can return an earlier test's run;
    wait with :func:`wait_for_run_id` on the run the test created instead."""
    deadline = time.monotonic() + deadline_s
    body = {"flows": {"name": {"any_": [flow_name]}}, "sort": "START_TIME_DESC"}
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        runs = flow_runs(api, body)
        done = [r for r in runs if r["state"]["type"] in FINISHED]
        if done:
            return done[0]
        time.sleep(1)
    raise AssertionError(f"no {flow_name} run finished within {deadline_s:.0f} s: {runs}")


def created_run_id(output: str) -> str:
    """The id of the flow run that ``prefect deployment run`` printed it created.

    Prefect prints ``Created flow run '<name>'.`` then ``└── UUID: <id>``."""
    found = re.search(
        r"UUID: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", output
    )
    assert found, f"no flow run id in the output of `prefect deployment run`:\n{output}"
    return found.group(1)


def wait_for_run_id(api: str, run_id: str, deadline_s: float) -> dict[str, Any]:
    """The flow run ``run_id`` once it has finished, however it finished.

    Unlike :func:`wait_for_run`, never another run of the same flow: a server shared by
    several tests holds finished runs of the same flows from earlier tests."""
    deadline = time.monotonic() + deadline_s
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10)
        response.raise_for_status()
        run = response.json()
        if run["state"] and run["state"]["type"] in FINISHED:
            return run
        time.sleep(1)
    state = run.get("state") or {}
    raise AssertionError(
        f"flow run {run_id} did not finish within {deadline_s:.0f} s: {state.get('type')}"
    )


def pause_deployment(api: str, deployment_id: str) -> None:
    """Pause a deployment's schedules; the server deletes the runs it had scheduled."""
    response = httpx.post(f"{api}/deployments/{deployment_id}/pause_deployment", timeout=10)
    response.raise_for_status()
