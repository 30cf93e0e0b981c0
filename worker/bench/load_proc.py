"""Memory and CPU of running worker processes, read from ``/proc`` (Linux).

A prefork worker's pool children come and go (they are recycled after a number of
tasks), so the sampler looks for the children of each worker's main process at every
sample and labels each reading ``<worker> main`` or ``<worker> pool``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: Thirds of the run in which memory is compared: flat memory reads alike in all three.
PHASES = ("start", "middle", "end")


@dataclass(frozen=True, slots=True)
class RssSample:
    """One reading of a process's resident memory."""

    at: float  # time.monotonic()
    role: str
    pid: int
    kb: int


def rss_kb(pid: int) -> int | None:
    """The process's resident set size (``VmRSS``) in KiB, or None once it has exited."""
    try:
        status = (_PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def children_of(pid: int) -> list[int]:
    """The process's live children (empty once it has exited)."""
    try:
        listed = (_PROC / str(pid) / "task" / str(pid) / "children").read_text()
    except OSError:
        return []
    return [int(word) for word in listed.split()]


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """(the process's own CPU ticks, those of the children it has reaped); 0s once it exited."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0, 0
    # The fields after the parenthesised command name, from field 3 on: utime is field 14,
    # stime 15, and cutime, cstime (reaped children) 16 and 17.
    fields = [int(word) for word in stat.rsplit(")", 1)[1].split()[11:15]]
    return fields[0] + fields[1], fields[2] + fields[3]


def worker_cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds of a worker's main process, and of its pool (live and recycled children)."""
    own, reaped = _cpu_ticks(pid)
    live = sum(sum(_cpu_ticks(child)) for child in children_of(pid))
    return own / _CLOCK_TICKS, (reaped + live) / _CLOCK_TICKS


def worker_processes(mains: Mapping[str, int]) -> Iterable[tuple[str, int]]:
    """``(role, pid)`` of every process of the named workers, pool children included."""
    for name, pid in mains.items():
        yield f"{name} main", pid
        for child in children_of(pid):
            yield f"{name} pool", child


class MemorySampler:
    """Samples the resident memory of workers' processes in a background thread."""

    def __init__(self, mains: Mapping[str, int], interval_s: float = 0.25) -> None:
        self._mains = dict(mains)
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self.samples: list[RssSample] = []

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stopping.wait(self._interval_s):
                return

    def sample(self) -> None:
        now = time.monotonic()
        for role, pid in worker_processes(self._mains):
            kb = rss_kb(pid)
            if kb is not None:
                self.samples.append(RssSample(now, role, pid, kb))


@dataclass(frozen=True, slots=True)
class MemoryProfile:
    """One role's memory over a run, in MiB: the largest process in each third, and the peak."""

    phases: dict[str, float]
    peak_mib: float
    processes: int


def memory_profiles(
    samples: Iterable[RssSample], start: float, end: float
) -> dict[str, MemoryProfile]:
    """Per role, the largest resident set seen in each third of ``[start, end]``."""
    by_role: dict[str, list[RssSample]] = {}
    for sample in samples:
        if start <= sample.at <= end:
            by_role.setdefault(sample.role, []).append(sample)
    return {
        role: _profile(role_samples, start, end) for role, role_samples in sorted(by_role.items())
    }


def _profile(samples: list[RssSample], start: float, end: float) -> MemoryProfile:
    span = max(end - start, 1e-9)
    phases: dict[str, float] = {}
    for sample in samples:
        phase = PHASES[min(int((sample.at - start) / span * len(PHASES)), len(PHASES) - 1)]
        phases[phase] = max(phases.get(phase, 0.0), sample.kb / 1024)
    return MemoryProfile(
        phases={phase: round(phases[phase], 1) for phase in PHASES if phase in phases},
        peak_mib=round(max(sample.kb for sample in samples) / 1024, 1),
        processes=len({sample.pid for sample in samples}),
    )
