"""Recording a run and holding the warehouse for it: the two things every run does.

    with writing(wh, "ingest", on_wait=print):              # Prefect slot, then the file lock
        with recorded_run(wh, "ingest", {"config": path}) as run:
            run.counts = do_the_work()                      # recorded when the block ends

``recorded_run`` writes a 'running' row in ``runs`` when the block starts and, when it ends, the
figures in ``run.counts`` and ``run.errors`` with status 'ok', or 'failed' when the block raised
(its exception is recorded as the last error) or set ``run.failed``. A run stopped because the
warehouse is busy cannot write its row or its end now: it notes them beside the warehouse
(``warehouse.runs.note_unrecorded_run``), ``koreawatch status`` shows the note, and the next run
to write moves it into ``runs``.

``writing`` holds the warehouse for a write: inside a Prefect flow run against a real server,
first the global concurrency limit ``koreawatch-warehouse`` (one slot), so runs queue in
Prefect's UI, then the file lock beside the DuckDB file, which is what keeps two writers apart
in every other case. Prefect is imported only inside a flow run.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from extractors.vocabulary import RunStatus
from warehouse import Warehouse, WarehouseBusy
from warehouse.runs import (
    finish_run,
    fold_unrecorded_runs,
    forget_unrecorded_runs,
    note_unrecorded_run,
    start_run,
    unrecorded_runs,
)

WAREHOUSE_LIMIT = "koreawatch-warehouse"
# A killed holder's slot comes back this long after its last renewal (the server's minimum).
SLOT_LEASE_S = 60.0

# One hold of the warehouse for a write (``lambda: writing(wh, "backfill")``).
Hold = Callable[[], AbstractContextManager[None]]


class RunFailed(RuntimeError):
    """A run that did its work but did not succeed (e.g. every feed failed); one line."""


@dataclass
class Run:
    """The run being recorded; the body of ``recorded_run`` fills it in."""

    run_id: str
    flow: str
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed: bool = False  # the work ended but did not succeed (e.g. some recipients refused)
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.started, 3)


# The run ``recorded_run`` is recording in this context, if any.
_current: ContextVar[Run | None] = ContextVar("koreawatch_run", default=None)


@contextlib.contextmanager
def recorded_run(
    wh: Warehouse,
    flow: str,
    parameters: dict[str, Any],
    *,
    run_id: str | None = None,
    hold: Hold | None = None,
) -> Iterator[Run]:
    """A row in ``runs`` for the block. ``hold`` opens the warehouse for each of the two
    writes; without it the caller holds the writer lock already."""
    hold = hold or contextlib.nullcontext
    run = Run(run_id or uuid.uuid4().hex, flow)
    started_at = datetime.now(UTC)

    def note(exc: WarehouseBusy, with_parameters: bool = False) -> None:
        note_unrecorded_run(
            wh.path, run.run_id, flow, started_at, datetime.now(UTC), str(exc),
            parameters if with_parameters else None,
        )  # fmt: skip

    def finish(status: RunStatus) -> None:
        with hold(), wh.transaction() as con:
            finish_run(con, run.run_id, datetime.now(UTC), status, run.counts, run.errors)

    # Set for the two writes too: a hold that gives up is noted here, under the run's own id,
    # not a second time by ``writing`` under another.
    token = _current.set(run)
    try:
        try:
            with hold():
                # read and dropped under the lock, so no other run folds the same notes
                notes = unrecorded_runs(wh.path)
                with wh.transaction() as con:
                    fold_unrecorded_runs(con, notes)  # runs that found the warehouse busy
                    start_run(con, run.run_id, flow, started_at, parameters)
                forget_unrecorded_runs(wh.path, {str(n["run_id"]) for n in notes})
        except WarehouseBusy as exc:
            note(exc, with_parameters=True)
            raise
        try:
            yield run
        except WarehouseBusy as exc:  # the end cannot be written now: noted for the next run
            note(exc)
            raise
        except BaseException as exc:
            run.errors.append(f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(Exception):  # the original error is the one to report
                finish("failed")
            raise
        try:
            finish("failed" if run.failed else "ok")
        except WarehouseBusy as exc:  # the work is done; its end is noted for the next run
            note(exc)
            raise
    finally:
        _current.reset(token)


# -- holding the warehouse --------------------------------------------------------------------


def _api_url() -> str | None:
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def ensure_warehouse_limit() -> bool:
    """Create the global concurrency limit ``koreawatch-warehouse`` (one slot) if missing;
    whether its slot is taken now (one client and one read, when the limit exists)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            limit = client.read_global_concurrency_limit_by_name(WAREHOUSE_LIMIT)
        except ObjectNotFound:
            with contextlib.suppress(ObjectAlreadyExists):  # another run created it just now
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=WAREHOUSE_LIMIT, limit=1)
                )
            return False
    return bool(limit.active) and limit.active_slots >= limit.limit


@contextlib.contextmanager
def prefect_slot(
    purpose: str, wait_s: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """The ``koreawatch-warehouse`` slot, only inside a flow run against a real Prefect server.

    Plain Python runs and runs on the ephemeral server rely on the file lock alone (an ephemeral
    server runs no lease reaper, so a killed run's slot would never come back).
    """
    import sys

    if "prefect" not in sys.modules:  # no flow run can be in progress without Prefect loaded
        yield
        return
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is None or _api_url() is None:
        yield
        return
    from prefect.client.schemas.objects import ConcurrencyLeaseHolder
    from prefect.concurrency.sync import concurrency

    if ensure_warehouse_limit() and on_wait is not None:
        on_wait(
            f"waiting for the warehouse: another koreawatch flow run holds the Prefect"
            f" concurrency limit {WAREHOUSE_LIMIT!r}; giving up after {wait_s:.0f} s"
        )
    holder = (
        ConcurrencyLeaseHolder(type="flow_run", id=context.flow_run.id)
        if context.flow_run is not None
        else None
    )
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(
            concurrency(
                WAREHOUSE_LIMIT, occupy=1, timeout_seconds=wait_s, lease_duration=SLOT_LEASE_S,
                holder=holder, raise_on_lease_renewal_failure=False,
            )
        )  # fmt: skip
    except TimeoutError:
        raise WarehouseBusy(
            f"warehouse busy: another koreawatch flow run holds the Prefect concurrency limit"
            f" {WAREHOUSE_LIMIT!r} ({purpose} gave up after {wait_s:.0f} s)"
        ) from None
    with stack:
        yield


@contextlib.contextmanager
def writing(
    wh: Warehouse,
    purpose: str,
    on_wait: Callable[[str], None] | None = None,
    *,
    run_id: str | None = None,
) -> Iterator[None]:
    """Hold the warehouse for writing: the Prefect slot (in a flow run), then the file lock,
    each waited for up to ``wh.wait_s``. A run that gives up (``WarehouseBusy``) before it
    wrote its row is noted beside the warehouse, so ``koreawatch status`` still shows it."""
    started_at = datetime.now(UTC)
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(prefect_slot(purpose, wh.wait_s, on_wait))
        stack.enter_context(wh.writer(purpose, on_wait=on_wait))
    except WarehouseBusy as exc:
        stack.close()
        if _current.get() is None:  # inside a recorded run, the run notes it with its own id
            note_unrecorded_run(
                wh.path, run_id or uuid.uuid4().hex, purpose, started_at, datetime.now(UTC),
                str(exc),
            )  # fmt: skip
        raise
    with stack:
        yield
