"""Fixtures every test folder shares: a real HTTP server on 127.0.0.1, real DuckDB files, the
demo and digest-scenario warehouses (built once per session, copied before any test changes
them), and Prefect's test harness. Helpers live in ``tests/support``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.support.demo import build_demo_warehouse
from tests.support.scenario import build_scenario


@pytest.fixture(scope="session", autouse=True)
def no_prefect_server_of_the_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands choose a Prefect server they can reach (PREFECT_API_URL, a running `koreawatch
    serve`, the Prefect profile): the tests see none of the developer's."""
    saved = {k: os.environ.pop(k, None) for k in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    home = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    yield
    for key, value in {**saved, "PREFECT_HOME": home}.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    """A threaded HTTP server on 127.0.0.1 (threaded, so a slow handler cannot block others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    # pytest-httpserver answers unknown paths with 500, which robots.txt rules read as "do not
    # crawl for now"; tests that care about robots.txt register their own first.
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "koreawatch.duckdb"


def _copy(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse, built once per session: never hand it to a test, copy it."""
    return build_demo_warehouse(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo warehouse for one test."""
    return _copy(demo_template, tmp_path / "demo" / "koreawatch.duckdb")


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("digest-scenario") / "koreawatch.duckdb"
    build_scenario(db)
    return db


@pytest.fixture
def scenario(scenario_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the digest scenario warehouse for one test."""
    return _copy(scenario_template, tmp_path / "wh" / "koreawatch.duckdb")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect's own test harness: a temporary database and server for this session (~9 s)."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
