"""The worker processes of in-process jobs (``run_job(..., in_process=True)``): 'spawn' processes
started ahead of need (``prewarm_worker``), reused one job after another, and stopped when the app
closes (``stop_workers``).  A worker runs :func:`cds_desktop.ui.common.job_worker.serve`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

idle_workers: list[Worker] = []


class Worker:
    """A worker process (:mod:`cds_desktop.ui.common.job_worker`), reused job after job.

    The process is started, and jobs are written to its pipe, by a feeder thread: starting
    an interpreter (vfork + exec) and writing a large job to a pipe the child does not read
    yet both block, and the window must not wait for either."""

    def __init__(self) -> None:
        import multiprocessing  # (not imported before the window's first paint: ~3 ms)

        from cds_desktop.ui.common import job_worker

        context = multiprocessing.get_context("spawn")
        self.conn, self._child = context.Pipe()
        self.process = context.Process(target=job_worker.serve, args=(self._child,), daemon=True, name="cds-worker")
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._ended = False
        threading.Thread(target=self._feed, daemon=True, name="cds-worker-feeder").start()

    def _feed(self) -> None:
        try:
            self.process.start()
            log.info("Worker process %s started", self.process.pid)
        except Exception:
            log.exception("The worker process did not start")
            self._ended = True
            self.conn.close()  # the job polling it sees the closed pipe: its error dialog says so
            return
        finally:
            self._child.close()
        while not self._ended:
            data = self._outbox.get()
            if data is None or self._ended:
                break
            try:
                self.conn.send_bytes(data)
            except OSError:
                break
        if self._ended and self.process.is_alive():
            self.process.terminate()

    def submit(self, fn: Callable[..., Any], args: tuple) -> None:
        """Queue ``fn(ctx, *args)`` (pickled here: a job that cannot be pickled fails at once)."""
        from multiprocessing.reduction import ForkingPickler

        self._outbox.put(bytes(ForkingPickler.dumps((fn, args))))

    def alive(self) -> bool:
        if self._ended or self.conn.closed:
            return False
        return self.process._popen is None or self.process.is_alive()  # still starting, or running

    def stop(self) -> None:
        from multiprocessing.reduction import ForkingPickler

        self._outbox.put(bytes(ForkingPickler.dumps(None)))
        self._outbox.put(None)

    def kill(self) -> None:
        self._ended = True
        self._outbox.put(None)
        if self.process._popen is not None and self.process.is_alive():
            self.process.terminate()
        self.conn.close()


def take_worker() -> Worker:
    while idle_workers:
        worker = idle_workers.pop()
        if worker.alive():
            return worker
    return Worker()


def give_back(worker: Worker) -> None:
    if worker.alive() and not idle_workers:
        idle_workers.append(worker)  # one warm worker is kept: the next job starts at once
    else:
        worker.stop()


def prewarm_worker() -> None:
    """Start a worker process now, in the background, if none is waiting: a screen that will run
    process jobs calls this when it is built, so the officer's first job does not start one."""
    if idle_workers or os.environ.get("CDS_JOBS_IN_THREAD"):
        return
    try:
        idle_workers.append(Worker())
    except OSError:
        log.warning("No worker process could be prepared", exc_info=True)


def stop_workers() -> None:
    """End the idle worker processes (at shutdown; running jobs are waited for by ``wait_for_jobs``)."""
    while idle_workers:
        idle_workers.pop().stop()
