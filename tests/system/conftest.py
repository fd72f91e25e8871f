"""What the system tests share: one real `prefect server start` for the session."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest

from flows.serve import local_server


@pytest.fixture(scope="session")
def prefect_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str]]]:
    """`prefect server start` on a port and PREFECT_HOME of its own (~20 s to start); (API URL,
    the environment for `prefect` commands, `koreawatch` commands and flow runs that use it)."""
    home = tmp_path_factory.mktemp("server-home")
    saved = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)  # read when the server starts, for its database
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(local_server(0))
        finally:
            if saved is None:
                os.environ.pop("PREFECT_HOME", None)
            else:
                os.environ["PREFECT_HOME"] = saved
        env = {**os.environ, "PREFECT_API_URL": running.api_url, "PREFECT_HOME": str(home),
               "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_LOGGING_LEVEL": "WARNING"}  # fmt: skip
        yield running.api_url, env
