"""Where a one-off command runs (flows.route): each branch of the choice, against real HTTP
servers on 127.0.0.1 that answer, or do not answer, Prefect's /api/health."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from flows.route import (
    choose_route,
    enter_route,
    remove_serve_state,
    serve_state_path,
    write_serve_state,
)
from flows.serve import free_port


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "prefect-home"


@pytest.fixture
def healthy() -> Iterator[str]:
    """A server answering /api/health as Prefect's does; its API URL."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/api/health").respond_with_json(True)
    server.start()
    yield server.url_for("/api")
    server.stop()


def nobody() -> str:
    return f"http://127.0.0.1:{free_port()}/api"


def test_no_server_anywhere_runs_in_this_process(home: Path) -> None:
    route = choose_route(None)
    assert (route.as_flow_run, route.api_url) == (False, None)
    assert route.why.startswith("no Prefect server reachable: running in this process")


def test_prefect_api_url_that_answers_gets_a_flow_run(
    home: Path, healthy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", healthy)
    route = choose_route(None)
    assert (route.as_flow_run, route.api_url) == (True, healthy)
    assert "(from PREFECT_API_URL)" in route.why


def test_prefect_api_url_that_does_not_answer_is_named_and_the_run_stays_here(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = nobody()
    monkeypatch.setenv("PREFECT_API_URL", dead)
    route = choose_route(None)
    assert route.as_flow_run is False
    assert route.why.startswith(f"no Prefect server answers at {dead} (PREFECT_API_URL): running")


def test_a_running_serve_gets_the_run_and_a_dead_one_does_not(home: Path, healthy: str) -> None:
    path = write_serve_state(healthy)  # as `koreawatch serve` does, with this live process
    assert path == serve_state_path()
    route = choose_route(None)
    assert (route.as_flow_run, route.api_url) == (True, healthy)
    assert "(from koreawatch serve)" in route.why

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    state = json.loads(path.read_text()) | {"pid": int(dead.stdout)}
    path.write_text(json.dumps(state))  # a serve that was killed leaves its file
    assert choose_route(None).as_flow_run is False


def test_serve_removes_only_its_own_state_file(home: Path, healthy: str) -> None:
    path = write_serve_state(healthy)
    remove_serve_state()
    assert not path.exists()
    path.write_text(json.dumps({"api_url": healthy, "pid": 1}))  # another serve's
    remove_serve_state()
    assert path.exists()


def test_the_active_prefect_profile_is_read_without_importing_prefect(
    home: Path, healthy: str
) -> None:
    home.mkdir(parents=True)
    (home / "profiles.toml").write_text(
        f'active = "ops"\n\n[profiles.ops]\nPREFECT_API_URL = "{healthy}"\n\n[profiles.ephemeral]\n'
    )
    route = choose_route(None)
    assert (route.as_flow_run, route.api_url) == (True, healthy)
    assert "(from the Prefect profile)" in route.why


def test_no_prefect_stays_here_even_with_a_server(
    home: Path, healthy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", healthy)
    route = choose_route(False)
    assert (route.as_flow_run, route.why) == (False, "")  # asked for: nothing to say


def test_prefect_forces_a_flow_run_on_the_temporary_server_when_none_answers(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = nobody()
    monkeypatch.setenv("PREFECT_API_URL", dead)
    route = choose_route(True)
    assert (route.as_flow_run, route.api_url) == (True, None)
    assert route.why.endswith("starting Prefect's temporary server")
    enter_route(route)  # the dead URL must not be what Prefect then tries
    assert "PREFECT_API_URL" not in os.environ
