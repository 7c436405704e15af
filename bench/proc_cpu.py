"""CPU accounting from /proc for the load bench (bench/load.py): the server's process tree against
everything else the bench started. On a shared machine the wall clock also counts other
processes' turns; the CPU seconds say what serving the sessions cost."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_table(proc: Path = Path("/proc")) -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU clock ticks used) for every process that can be read."""
    table: dict[int, tuple[int, int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: split after the last ")"
        fields = text[text.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def descendants(root: int, table: Mapping[int, tuple[int, int]]) -> set[int]:
    """``root`` and every process below it in ``table``."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _ticks) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: Iterable[int], table: Mapping[int, tuple[int, int]]) -> float:
    return sum(table[pid][1] for pid in pids if pid in table) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds of the server tree and of the client side (this process and its other
    children: Chromium and Playwright's driver) between two samples. A process that ends between
    the samples is not counted; none of ours do during a batch."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def sample(self) -> tuple[float, float]:
        table = process_table()
        server = descendants(self.server_pid, table)
        mine = descendants(os.getpid(), table) - server - {os.getpid()}
        own = os.times()
        return cpu_seconds(server, table), cpu_seconds(mine, table) + own.user + own.system
