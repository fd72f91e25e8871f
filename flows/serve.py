"""Running koreawatch unattended: the deployments of ``deploy/prefect.yaml``, served by one
process (``koreawatch serve``), and the warehouse's Prefect concurrency limit.

``deploy/prefect.yaml`` is the one definition of the schedules. ``prefect deploy`` reads it for
the server-and-worker route; ``koreawatch serve`` reads the same file here and serves the same
flows with the same schedules and parameters:

    specs = load_specs(Path("deploy/prefect.yaml"))     # typed, validated; no Prefect import
    deployments = build_deployments(specs, only=["ingest"])   # RunnerDeployment objects
    prefect.serve(*deployments)

Prefect schedules nothing on its temporary (ephemeral) server: it warns "Cannot schedule flows
on an ephemeral server" and never runs a schedule. So ``serve_forever`` uses the server in
``PREFECT_API_URL`` or starts one on 127.0.0.1 for as long as it runs.

Flows that write the warehouse hold it with ``flows.runs.writing`` (a Prefect global
concurrency limit of one slot, then the file lock): two flow runs never write at once, and the
one that waits says so in its log and gives up after its timeout with one line.

Nothing here imports Prefect at module import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.route import api_healthy, prefect_home, remove_serve_state, write_serve_state
from flows.runs import ensure_warehouse_limit
from flows.settings import DEFAULT_PREFECT_FILE
from warehouse.runs import pid_alive

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment
    from prefect.flows import Flow

# Leases kept on disk survive a restart of the server; in memory (Prefect's default) they do not,
# and a slot held across a restart would stay taken.
LEASE_STORAGE = "prefect.server.concurrency.lease_storage.filesystem"
# Flow parameters that name files: relative values are made absolute before serving, because
# served runs execute in their own processes.
PATH_PARAMETERS = ("db_path", "config_path", "urls_file", "out_dir")
_SCHEDULE_KEYS = {"cron", "interval", "rrule", "timezone", "active", "parameters", "slug", "day_or", "anchor_date"}  # fmt: skip


class DeploymentFileError(ValueError):
    """deploy/prefect.yaml is missing or malformed; the message names the file and the key."""


class ServerStartError(RuntimeError):
    """The local Prefect server did not come up."""


# -- the deployments file (pure) --------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleSpec:
    cron: str | None = None
    interval_s: float | None = None
    timezone: str | None = None
    active: bool = True
    parameters: dict[str, Any] = field(default_factory=dict)
    day_or: bool = True


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # "flows/definitions.py:ingest_flow"
    description: str | None
    tags: tuple[str, ...]
    parameters: dict[str, Any]
    schedules: tuple[ScheduleSpec, ...]
    work_pool: str | None

    @property
    def module_and_attribute(self) -> tuple[str, str]:
        path, _, attribute = self.entrypoint.partition(":")
        module = path.removesuffix(".py").replace("/", ".").replace("\\", ".")
        return module, attribute


def _schedule(raw: Any, where: str) -> ScheduleSpec:
    if not isinstance(raw, dict):
        raise DeploymentFileError(f"{where}: a schedule must be a mapping")
    unknown = set(raw) - _SCHEDULE_KEYS
    if unknown:
        raise DeploymentFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    kinds = [k for k in ("cron", "interval", "rrule") if raw.get(k) is not None]
    if kinds != ["cron"] and kinds != ["interval"]:
        raise DeploymentFileError(f"{where}: give exactly one of cron or interval")
    zone = raw.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise DeploymentFileError(f"{where}.timezone: unknown time zone {zone!r}") from None
    if raw.get("cron") is not None:
        cron = str(raw["cron"])
        if len(cron.split()) != 5:
            raise DeploymentFileError(f"{where}.cron: want five fields, not {cron!r}")
        return ScheduleSpec(
            cron=cron,
            timezone=zone,
            active=bool(raw.get("active", True)),
            parameters=dict(raw.get("parameters") or {}),
            day_or=bool(raw.get("day_or", True)),
        )
    interval = raw["interval"]
    if not isinstance(interval, int | float) or isinstance(interval, bool) or interval <= 0:
        raise DeploymentFileError(f"{where}.interval: want a number of seconds, not {interval!r}")
    return ScheduleSpec(
        interval_s=float(interval),
        timezone=zone,
        active=bool(raw.get("active", True)),
        parameters=dict(raw.get("parameters") or {}),
    )


def load_specs(path: Path = DEFAULT_PREFECT_FILE) -> list[DeploymentSpec]:
    """The deployments of a prefect.yaml, validated. No Prefect import."""
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no types; Prefect brings it

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentFileError(f"{path}: deployments file not found") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)  # the parser's message spans several lines
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise DeploymentFileError(f"{path}: not valid YAML{at}: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("deployments"), list):
        raise DeploymentFileError(f"{path}: want a mapping with a 'deployments' list")
    specs: list[DeploymentSpec] = []
    for i, raw in enumerate(data["deployments"]):
        where = f"{path}: deployments[{i}]"
        if not isinstance(raw, dict):
            raise DeploymentFileError(f"{where}: must be a mapping")
        name, entrypoint = raw.get("name"), raw.get("entrypoint")
        if not isinstance(name, str) or not name:
            raise DeploymentFileError(f"{where}.name: required")
        if not isinstance(entrypoint, str) or entrypoint.count(":") != 1:
            raise DeploymentFileError(f"{where}.entrypoint: want 'path/to/file.py:flow_name'")
        schedules = raw.get("schedules") or []
        if not isinstance(schedules, list):
            raise DeploymentFileError(f"{where}.schedules: must be a list")
        pool = raw.get("work_pool") or {}
        specs.append(
            DeploymentSpec(
                name=name,
                entrypoint=entrypoint,
                description=raw.get("description"),
                tags=tuple(str(t) for t in raw.get("tags") or ()),
                parameters=dict(raw.get("parameters") or {}),
                schedules=tuple(
                    _schedule(s, f"{where}.schedules[{j}]") for j, s in enumerate(schedules)
                ),
                work_pool=pool.get("name") if isinstance(pool, dict) else None,
            )
        )
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise DeploymentFileError(f"{path}: two deployments share a name")
    return specs


def select(specs: Sequence[DeploymentSpec], only: Sequence[str] | None) -> list[DeploymentSpec]:
    if not only:
        return list(specs)
    known = {s.name for s in specs}
    missing = [n for n in only if n not in known]
    if missing:
        raise DeploymentFileError(
            f"no deployment named {', '.join(missing)}; the file has {', '.join(sorted(known))}"
        )
    return [s for s in specs if s.name in only]


def effective_parameters(
    spec: DeploymentSpec,
    accepted: Sequence[str],
    overrides: dict[str, Any] | None = None,
    base: Path | None = None,
) -> dict[str, Any]:
    """The YAML's parameters, then ``overrides`` for the names the flow takes, with relative file
    paths made absolute against ``base`` (the directory served runs would otherwise differ on)."""
    params = dict(spec.parameters)
    for name, value in (overrides or {}).items():
        if name in accepted and value is not None:
            params[name] = value
    root = base or Path.cwd()
    for name in PATH_PARAMETERS:
        value = params.get(name)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            params[name] = str((root / value).resolve())
    return params


# -- building Prefect deployments -------------------------------------------------------------


def import_flow(spec: DeploymentSpec) -> Flow[..., Any]:
    """The flow object an entrypoint names, imported as a module of the installed package."""
    from prefect.flows import Flow

    module_name, attribute = spec.module_and_attribute
    try:
        module = importlib.import_module(module_name)
        obj = getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise DeploymentFileError(
            f"deployment {spec.name!r}: cannot load {spec.entrypoint} ({exc})"
        ) from None
    if not isinstance(obj, Flow):
        raise DeploymentFileError(f"deployment {spec.name!r}: {spec.entrypoint} is not a flow")
    return obj


def flow_parameter_names(flow: Flow[..., Any]) -> list[str]:
    return list(inspect.signature(flow.fn).parameters)


def build_deployments(
    specs: Sequence[DeploymentSpec],
    *,
    only: Sequence[str] | None = None,
    overrides: dict[str, Any] | None = None,
    every_s: float | None = None,
) -> list[RunnerDeployment]:
    """``flow.to_deployment(...)`` for each spec, with the schedules of the YAML.

    ``overrides`` sets flow parameters (only for flows that take them); ``every_s`` replaces the
    schedules of scheduled deployments with one interval (for trying things out, and for tests).
    """
    from prefect.deployments.runner import RunnerDeployment
    from prefect.schedules import Cron, Interval, Schedule
    from prefect.types.entrypoint import EntrypointType

    built = []
    for spec in select(specs, only):
        flow = import_flow(spec)
        schedules: list[Schedule] = []
        for s in spec.schedules:
            if s.cron is not None:
                schedules.append(
                    Cron(s.cron, timezone=s.timezone, day_or=s.day_or, active=s.active,
                         parameters=s.parameters)
                )  # fmt: skip
            elif s.interval_s is not None:
                schedules.append(
                    Interval(timedelta(seconds=s.interval_s), timezone=s.timezone,
                             active=s.active, parameters=s.parameters)
                )  # fmt: skip
        if every_s is not None and schedules:
            schedules = [Interval(timedelta(seconds=every_s))]
        deployment = flow.to_deployment(
            name=spec.name,
            schedules=schedules or None,
            parameters=effective_parameters(spec, flow_parameter_names(flow), overrides),
            description=spec.description,
            tags=list(spec.tags),
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
        assert isinstance(deployment, RunnerDeployment)  # the sync face of an async_dispatch
        built.append(deployment)
    return built


# -- a local Prefect server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:] if line.strip())


def _stop_group(proc: subprocess.Popen[bytes], grace_s: float = 20.0) -> None:
    """SIGTERM the server's process group (it was started in a session of its own), then
    SIGKILL whatever is left after ``grace_s``."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass(frozen=True)
class LocalServer:
    api_url: str
    pid: int
    log_path: Path


@contextlib.contextmanager
def local_server(
    port: int = 4200,
    *,
    startup_s: float = 180.0,
    on_status: Callable[[str], None] | None = None,
) -> Iterator[LocalServer]:
    """Run ``prefect server start`` on 127.0.0.1:``port`` (0: any free port) for the life of the
    block. Its log goes to ``$PREFECT_HOME/koreawatch-server.log``."""
    port = port or free_port()
    if _port_in_use(port):
        raise ServerStartError(
            f"port {port} on 127.0.0.1 is in use; pass --port, or set PREFECT_API_URL to use"
            " the server that is running there"
        )
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "koreawatch-server.log"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.setdefault("PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE", LEASE_STORAGE)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    api_url = f"http://127.0.0.1:{port}/api"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
    try:
        if on_status is not None:
            on_status(f"starting a Prefect server at {api_url} (log: {log_path})")
        deadline = time.monotonic() + startup_s
        while not api_healthy(api_url):
            if proc.poll() is not None:
                raise ServerStartError(
                    f"the Prefect server exited with code {proc.returncode}: {_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"the Prefect server did not answer {api_url}/health within"
                    f" {startup_s:.0f} s: {_tail(log_path)}"
                )
            time.sleep(0.5)
        yield LocalServer(api_url, proc.pid, log_path)
    finally:
        _stop_group(proc)


def child_pids(parent: int) -> list[int]:
    """Live child processes of ``parent`` (Linux /proc; empty elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 1 and fields[1] == str(parent) and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def stop_flow_runs(
    keep: set[int],
    grace_s: float = 10.0,
    on_status: Callable[[str], None] | None = None,
    *,
    term_s: float = 10.0,
) -> list[int]:
    """Prefect's runner leaves the flow runs in progress running when it stops (they would
    outlive it, retrying a server that is gone). Give them ``grace_s`` to finish, then SIGTERM
    (Prefect marks them crashed), then SIGKILL. Runs are idempotent: the next run finishes
    what a stopped one started. Returns the pids it found."""
    runs = [pid for pid in child_pids(os.getpid()) if pid not in keep]
    if not runs:
        return []
    if on_status is not None:
        on_status(f"waiting up to {grace_s:.0f} s for {len(runs)} flow run(s) in progress")
    steps: tuple[tuple[int | None, float], ...] = (
        (None, grace_s),
        (signal.SIGTERM, term_s),
        (signal.SIGKILL, 5.0),
    )
    for signum, wait_s in steps:
        left = [pid for pid in runs if pid_alive(pid)]
        if not left:
            break
        if signum is not None:
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signum)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and any(pid_alive(pid) for pid in left):
            time.sleep(0.2)
    for pid in runs:  # reap them, so none stays a zombie
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
    return runs


class _Stop(Exception):
    """SIGTERM while the server starts or the deployments are built."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


async def _run_quietly(runner: Any) -> None:
    """``runner.start()``, without the tracebacks Prefect's control channel logs when a stop
    cancels a flow run's connection (a cancelled callback, not an error)."""
    loop = asyncio.get_running_loop()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if isinstance(context.get("exception"), asyncio.CancelledError):
            return
        loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
    await runner.start()


def serve_forever(
    prefect_file: Path,
    *,
    only: Sequence[str] | None = None,
    overrides: dict[str, Any] | None = None,
    every_s: float | None = None,
    port: int = 4200,
    on_status: Callable[[str], None] | None = None,
) -> None:
    """Serve the deployments of ``prefect_file`` until SIGINT or SIGTERM.

    With ``PREFECT_API_URL`` set, against that server; otherwise against a server started here
    on 127.0.0.1 and stopped on exit (after the flow runs in progress).
    """
    say = on_status or (lambda message: None)
    specs = select(load_specs(prefect_file), only)  # a bad file fails before any server starts
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    keep: set[int] = set()  # our children that are not flow runs: the local server
    set_url = False
    try:
        with contextlib.ExitStack() as stack:
            api_url = os.environ.get("PREFECT_API_URL")
            if api_url:
                if not api_healthy(api_url):
                    raise ServerStartError(
                        f"no Prefect server answers at PREFECT_API_URL={api_url}"
                    )
                say(f"using the Prefect server at {api_url}")
            else:
                server = stack.enter_context(local_server(port, on_status=say))
                keep.add(server.pid)
                api_url = server.api_url
                os.environ["PREFECT_API_URL"] = api_url  # for the flow runs' processes
                set_url = True
                say(f"Prefect server ready: UI at {api_url.removesuffix('/api')}")
            # Runs last, before the server stops: the flow runs the runner leaves behind.
            stack.callback(stop_flow_runs, keep, on_status=say)
            # One-off commands (`koreawatch ingest`, ...) send their runs here while this lives.
            write_serve_state(api_url)
            stack.callback(remove_serve_state)
            from prefect.runner import Runner
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings(updates={PREFECT_API_URL: api_url}):
                ensure_warehouse_limit()
                deployments = build_deployments(specs, overrides=overrides, every_s=every_s)
                runner = Runner(pause_on_shutdown=True)
                for deployment in deployments:
                    runner.add_deployment(deployment)
                # The runner installs its own SIGTERM handler when it starts; in Prefect 3.8.8
                # it never awaits its stop and exits with a traceback. SIGTERM is made to stop
                # it the way Ctrl-C does instead (cancel, pause the schedules, return).
                setattr(runner, "handle_sigterm", _interrupt)  # noqa: B010 - an instance's own handler
                say(
                    f"serving {', '.join(d.name for d in deployments)}; stop with Ctrl-C"
                    " (or SIGTERM)"
                )
                asyncio.run(_run_quietly(runner))
    except _Stop:
        say("stopped by SIGTERM")
    except KeyboardInterrupt:
        say("stopped")
    finally:
        signal.signal(signal.SIGTERM, previous)
        if set_url:
            os.environ.pop("PREFECT_API_URL", None)
