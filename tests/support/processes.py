"""The process list, as `ps` shows it: what a run started, and whether any of it is left."""

from __future__ import annotations

from pathlib import Path

from flows.serve import child_pids
from warehouse.runs import pid_alive


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``: children, their children, and so on."""
    found: list[int] = []
    todo = [pid]
    while todo:
        children = child_pids(todo.pop())
        found += children
        todo += children
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def extraction_workers(pids: list[int]) -> list[int]:
    """The spawned pool workers among ``pids`` (not the resource tracker)."""
    return [p for p in pids if "spawn_main" in command_line(p)]


def left_alive(pids: list[int]) -> list[str]:
    """Those of ``pids`` still running (under PID 1 once their parent is gone), with their
    command lines, for the failure message."""
    return [f"{p}: {command_line(p)[:120]}" for p in pids if pid_alive(p)]
