"""Timing whole processes, what the officer waits for: wall time from start to exit and
the peak memory (resident set) of each process, measured in pairs against a floor.

    from benchmarks.procs import Step, paired
    result = paired(measured=[Step([...])], floor=[Step([...]), Step([...])], runs=5)
    result.now, result.floor  # medians (seconds)

A measure or a floor is a list of steps (processes run one after the other, e.g.
``unzip`` then ``openssl``); its time is the sum of theirs, its memory the largest
peak among them.  Runs alternate measured / floor so that both see the same load
of the machine; figures are medians of the runs.  ``prepare`` (not timed) runs
before every run of either side, for fresh folders.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Step:
    argv: Sequence[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    stdin: Path | None = None


@dataclass
class Timing:
    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0  # user + system time of the process: far less sensitive to the machine's load


@dataclass
class Paired:
    measured: list[Timing] = field(default_factory=list)
    floor: list[Timing] = field(default_factory=list)

    @property
    def now(self) -> float:
        return statistics.median(t.seconds for t in self.measured)

    @property
    def floor_seconds(self) -> float:
        return statistics.median(t.seconds for t in self.floor)

    @property
    def now_peak(self) -> float:
        return statistics.median(t.peak_mib for t in self.measured)

    @property
    def floor_peak(self) -> float:
        return statistics.median(t.peak_mib for t in self.floor)

    @property
    def ratio(self) -> float:
        return self.now / self.floor_seconds

    def cpu_runs(self) -> str:
        """The measured runs' CPU time (user + system): a wall time that jumps while this stays put is
        the machine's load, not the program."""
        return " ".join(f"{t.cpu_seconds:.2f}" for t in self.measured)

    def runs(self) -> str:
        return (" ".join(f"{t.seconds:.2f}" for t in self.measured) + " | "
                + " ".join(f"{t.seconds:.2f}" for t in self.floor))


def app_env(root: Path = ROOT) -> dict[str, str]:
    """The environment of a measured app process: the checkout *root* first on the path
    (run it from another folder: ``python -m`` puts the current folder first)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("CDS_DATABASE_URL", None)
    return env


def run_step(step: Step) -> Timing:
    """Run one process to its end; its wall time and peak resident memory (``wait4``)."""
    stdin = open(step.stdin, "rb") if step.stdin else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(list(step.argv), cwd=step.cwd, env=step.env, stdin=stdin,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = proc.stderr.read() if proc.stderr else b""
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if step.stdin:
            stdin.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, step.argv))[:300]} failed ({proc.returncode}): "
                           f"{stderr.decode(errors='replace')[-1500:]}")
    return Timing(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)  # Linux: ru_maxrss in KiB


def run_steps(steps: Sequence[Step]) -> Timing:
    timings = [run_step(s) for s in steps]
    return Timing(sum(t.seconds for t in timings), max(t.peak_mib for t in timings),
                  sum(t.cpu_seconds for t in timings))


def paired(measured: Sequence[Step] | Callable[[], Sequence[Step]],
           floor: Sequence[Step] | Callable[[], Sequence[Step]], runs: int,
           prepare: Callable[[], None] | None = None, warm: bool = True) -> Paired:
    """Alternate *measured* and *floor* (lists of steps, or functions giving them) *runs* times."""
    result = Paired()

    def steps(spec):
        return spec() if callable(spec) else spec

    if warm:  # one untimed run of each: the OS file cache holds both programs and their data
        for spec in (measured, floor):
            if prepare:
                prepare()
            run_steps(steps(spec))
    for _ in range(runs):
        for spec, out in ((measured, result.measured), (floor, result.floor)):
            if prepare:
                prepare()
            out.append(run_steps(steps(spec)))
    return result
