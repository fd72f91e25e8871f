"""Where a one-off command runs: as a flow run on a Prefect server, or in this process.

    route = choose_route(None)       # --prefect: True, --no-prefect: False, neither: None
    route.api_url                    # the server for the flow run, or None: run in this process
    route.why                        # one line for the user

Without ``--prefect`` or ``--no-prefect``, a command goes to a Prefect server when one answers,
found in this order: ``PREFECT_API_URL``, the server of a running ``koreawatch serve`` (it
leaves ``$PREFECT_HOME/koreawatch-serve.json`` while it runs), the ``PREFECT_API_URL`` of the
active Prefect profile. With none, it runs the same code in this process, and pays nothing for
Prefect: starting Prefect's temporary server takes 7-18 s, the work of a feed re-poll well
under one. ``--prefect`` with no server found runs the flow on that temporary server.

Nothing here imports Prefect: it decides whether Prefect is imported at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

from warehouse.runs import pid_alive

SERVE_STATE = "koreawatch-serve.json"


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def api_healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    try:
        with urlopen(api_url.rstrip("/") + "/health", timeout=timeout_s) as response:
            return bool(response.status == 200)
    except (URLError, OSError, ValueError):
        return False


# -- the state file of a running `koreawatch serve` -------------------------------------------


def serve_state_path() -> Path:
    return prefect_home() / SERVE_STATE


def write_serve_state(api_url: str) -> Path:
    """Say, for one-off commands, that this process serves the deployments on ``api_url``."""
    path = serve_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"api_url": api_url, "pid": os.getpid(), "started_at": datetime.now(UTC).isoformat()}
    path.write_text(json.dumps(state) + "\n", encoding="utf-8")
    return path


def remove_serve_state() -> None:
    """Remove the state file if this process wrote it."""
    path = serve_state_path()
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()


def served_api_url() -> str | None:
    """The API of a ``koreawatch serve`` that is running on this machine, if any."""
    try:
        state = json.loads(serve_state_path().read_text(encoding="utf-8"))
        url, pid = str(state["api_url"]), int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if pid_alive(pid) else None  # a killed serve leaves its file behind


def profile_api_url() -> str | None:
    """``PREFECT_API_URL`` of the active Prefect profile (``prefect config set ...``)."""
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or prefect_home() / "profiles.toml")
    try:
        data = tomllib.loads(path.expanduser().read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    name = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    profile = (data.get("profiles") or {}).get(name) or {}
    url = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    return str(url) if url else None


@dataclass(frozen=True)
class Server:
    api_url: str
    found_in: str  # "PREFECT_API_URL", "koreawatch serve", "the Prefect profile"


def find_server() -> tuple[Server | None, list[str]]:
    """The first server that answers, and a note for each one named that did not."""
    silent: list[str] = []
    candidates = (
        (os.environ.get("PREFECT_API_URL"), "PREFECT_API_URL"),
        (served_api_url(), "koreawatch serve"),
        (profile_api_url(), "the Prefect profile"),
    )
    for url, where in candidates:
        if not url:
            continue
        if api_healthy(url):
            return Server(url, where), silent
        silent.append(f"no Prefect server answers at {url} ({where})")
    return None, silent


# -- the choice -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    as_flow_run: bool
    api_url: str | None  # None with as_flow_run: Prefect's temporary server
    why: str  # one line for the user; empty when there is nothing to tell


def choose_route(prefect: bool | None) -> Route:
    """Where to run: ``prefect`` is the user's ``--prefect`` (True), ``--no-prefect`` (False)
    or neither (None)."""
    if prefect is False:
        return Route(False, None, "")  # asked for: nothing to say
    server, silent = find_server()
    said = "; ".join(silent)
    if server is not None:
        return Route(
            True,
            server.api_url,
            f"running as a Prefect flow run on {server.api_url} (from {server.found_in});"
            f" see it in the UI at {server.api_url.removesuffix('/api')}",
        )
    if prefect:
        return Route(
            True, None, (said + "; " if said else "") + "starting Prefect's temporary server"
        )
    return Route(
        False,
        None,
        (said + ": " if said else "no Prefect server reachable: ")
        + "running in this process (`koreawatch serve` or PREFECT_API_URL puts runs in the"
        " Prefect UI)",
    )


def enter_route(route: Route) -> None:
    """Point Prefect at the route's server; call before Prefect is imported."""
    if route.as_flow_run and route.api_url:
        os.environ["PREFECT_API_URL"] = route.api_url
    elif route.as_flow_run:  # Prefect's temporary server, not a URL that did not answer
        os.environ.pop("PREFECT_API_URL", None)
