"""The extraction workers: a process pool for the CPU work of text extraction, owned by the run.

    with extraction_workers():                 # the run owns the pool; shut down however it ends
        for chunk in chunks:
            pool = extraction_pool(len(chunk))   # started on first need, then kept
            ...

The pool is started only when a batch is big enough to pay for it (about a second to start) and
kept across the run's batches. ``extraction_workers`` shuts it down when the run ends, by return,
exception, Ctrl-C or SIGTERM (turned into ``SystemExit`` while a run holds the workers, when no
one else handles SIGTERM). Each worker also watches its parent and exits when it is gone, so not
even a SIGKILL of the run leaves workers behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from types import FrameType

MIN_JOBS = 40  # below this, extraction in the fetching process is quicker than starting workers
MAX_WORKERS = 4

_owner_depth = 0
_pool: ProcessPoolExecutor | None = None


class ExtractionWorkersDied(RuntimeError):
    """The extraction pool lost a worker (it could not start, or was killed): the run fails at
    once, leaving its pages pending for the next run, instead of waiting on work that will
    never come back. Not worth retrying in the same run: the pool stays broken."""

    @classmethod
    def from_error(cls, error: BaseException) -> ExtractionWorkersDied:
        return cls(
            f"the extraction workers died ({type(error).__name__}: {error}); a worker could not"
            " start (see its traceback above, e.g. a module shadowed on sys.path) or was killed."
            " Nothing was lost: the pages stay pending for the next run"
        )


def pool_broken(error: BaseException | None) -> bool:
    """Whether ``error`` (from a submit or a future of the pool) means the pool is dead."""
    return isinstance(error, BrokenProcessPool)


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit as soon as the process that started it is gone, and leave Ctrl-C to
    the run (a terminal sends SIGINT to the whole group; the run shuts the pool down)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="koreawatch-parent-watch", daemon=True).start()


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def extraction_workers() -> Iterator[None]:
    """Own the extraction pool for the block (re-entrant: an inner block shares the outer's)."""
    global _owner_depth, _pool
    _owner_depth += 1
    previous = None
    in_main = threading.current_thread() is threading.main_thread()
    if _owner_depth == 1 and in_main and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        yield
    finally:
        _owner_depth -= 1
        if _owner_depth == 0:
            pool, _pool = _pool, None
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def extraction_pool(jobs: int) -> Executor | None:
    """The run's pool, started on first need; None when the work is too small to pay for it,
    the machine has one core, or no run owns workers (``extraction_workers``)."""
    global _pool
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if _owner_depth == 0 or (_pool is None and (jobs < MIN_JOBS or workers < 2)):
        return None
    if _pool is None:
        # spawn, not fork: forking a process that runs Prefect's threads can deadlock.
        _pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
    return _pool
