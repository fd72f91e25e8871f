"""Running the adapters' coroutines (fetching, polling) from plain code, in or out of a flow
run's event loop.

    outcomes = run_coroutine(lambda: poll_feeds(client, ...))

Plain code runs a coroutine with ``asyncio.run``. The ingest flow is an async flow (Prefect's
engine for sync flows waits up to a second for its heartbeat thread at the end of every run:
most of a 304 re-run), and its body calls the same plain code from the engine's event loop,
where ``asyncio.run`` refuses. There the coroutine runs on a loop in a thread of its own while
the caller waits. An exception that interrupts the wait (Ctrl-C, SIGTERM made an exception)
cancels the coroutine and waits for it to wind down, as ``asyncio.run`` would in the caller's
own thread, before it goes on up.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

# How long an interrupted wait gives the coroutine to finish cancelling.
_WIND_DOWN_S = 30.0


class _LoopThread(threading.Thread):
    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        super().__init__(name="koreawatch-coroutine", daemon=True)
        self._make = make
        self._context = contextvars.copy_context()  # the flow run's context, for its tasks
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task[Any] | None = None
        self.result: Any = None
        self.error: BaseException | None = None

    async def _main(self) -> Any:
        self.loop, self.task = asyncio.get_running_loop(), asyncio.current_task()
        self.ready.set()
        return await self._make()

    def run(self) -> None:
        try:
            self.result = self._context.run(asyncio.run, self._main())
        except BaseException as exc:
            self.error = exc
        finally:
            self.ready.set()

    def cancel(self) -> None:
        self.ready.wait()
        if self.loop is not None and self.task is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.task.cancel)


def run_coroutine(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine ``make()`` to the end and return its result (see the module)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    thread = _LoopThread(make)
    thread.start()
    try:
        thread.join()
    except BaseException:
        thread.cancel()
        thread.join(_WIND_DOWN_S)
        raise
    if thread.error is not None:
        raise thread.error
    return thread.result  # type: ignore[no-any-return]
