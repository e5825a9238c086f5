"""Storing a batch of files: copy+hash of one file overlaps the flush to disk of the previous.

Flushing (``fsync``) waits for the disk while copying and hashing wait for the
processor, so a one-thread pipeline does both at once: the calling thread
copies file *n + 1* into ``tmp/`` while a worker flushes file *n* and renames it
into place.  The order that makes storing crash-safe holds for every file
(temporary write → flush → rename), and the caller commits the database rows
only after every file is in place.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from cds_desktop.services.errors import ServiceError
from cds_desktop.services.evidence.store import (
    CancelFn,
    EvidenceStore,
    SourceFile,
    StoreCancelled,
    StoredFile,
    TempFile,
    inspect_source,
)

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]  # (bytes done, bytes total, text)


def inspect_sources(paths: Sequence[str | os.PathLike[str]]) -> list[SourceFile]:
    """The chosen files, each once, checked before anything is copied; every problem is
    said in one Vietnamese message (:class:`ServiceError`)."""
    sources, problems, seen = [], [], set()
    for path in paths:
        try:
            info = inspect_source(path)
        except ServiceError as exc:
            problems.append(str(exc))
            continue
        key = os.path.normcase(os.path.abspath(info.path))
        if key not in seen:
            seen.add(key)
            sources.append(info)
    if problems:
        raise ServiceError(problems[0] if len(problems) == 1 else "Không thêm được minh chứng:\n– " + "\n– ".join(problems))
    return sources


def store_files(
    store: EvidenceStore,
    sources: Sequence[SourceFile],
    stored: list[StoredFile],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFn | None = None,
) -> None:
    """Put every source into the store.  Files in place are appended to *stored* (held,
    see :func:`.store.hold`) as they complete, also when a later one fails, so that the
    caller can release or remove them; the first failure is raised once nothing is in flight."""
    total = sum(s.size for s in sources)
    done = 0
    pending: list[Future[StoredFile]] = []
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-flush") as flusher:
        try:
            for number, info in enumerate(sources, 1):
                text = f"Đang lưu «{info.name}» ({number}/{len(sources)})…"

                def step(n: int, text: str = text) -> None:
                    nonlocal done
                    done += n
                    if progress is not None:
                        progress(done, total, text)

                if progress is not None:
                    progress(done, total, text)
                if any(f.done() and f.exception() is not None for f in pending):
                    break  # an earlier file failed: stop copying
                temp: TempFile = store.write_temp(info, progress=step, cancel=cancel)
                pending.append(flusher.submit(store.finish, temp))
            if cancel is not None and cancel():
                raise StoreCancelled()
        except BaseException as exc:  # re-raised below, once the worker is idle
            failure = exc
    for future in pending:  # the executor has waited for every flush
        error = future.exception()
        if error is None:
            stored.append(future.result())
        elif failure is None:
            failure = error
    if failure is not None:
        raise failure
