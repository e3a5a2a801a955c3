"""CPU seconds used by this process and all its descendants (the JVM, Python workers).

On a shared machine wall time depends on the other jobs; CPU seconds do much less, and
they are what a cluster has to supply, so the benchmark reports both."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(p.name))
    return kids


def _proc_cpu(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime (fields 14-17 of proc(5))
    return sum(int(f) for f in fields[11:15]) / _TICK


def cpu_seconds() -> float:
    """This process (all threads, waited children) plus every live descendant."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    if not Path("/proc").is_dir():
        return total
    kids = _children()
    todo = list(kids.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += _proc_cpu(pid)
        todo.extend(kids.get(pid, []))
    return total
