"""Attach from the command line: the files are copied while the database opens.

A command's start - importing SQLAlchemy and the models, opening the database -
takes about as long as copying a few hundred megabytes, and the two use
different resources (the interpreter versus the kernel and the hash, which
release the GIL).  So ``evidence attach`` starts copying into the store on a
thread before it opens the database, then checks the targets and records the
rows as :func:`.attach.attach_files` always does.

The store folder is read beforehand with plain ``sqlite3``, only when that is
safe (:func:`..info_light.plain_sqlite_file`: the default SQLite file at the
program's schema, nothing for the opening to write); otherwise nothing starts
early.  Nothing is recorded before the targets have been checked; when they are
refused, or the store named by the opened database is another folder, the copy
is cancelled and the files it added are removed (:func:`.attach.attach_files`).
This module imports neither SQLAlchemy nor the models.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from cds_desktop.services.errors import ServiceError
from cds_desktop.services.evidence.copying import inspect_sources, store_files
from cds_desktop.services.evidence.store import EvidenceStore, SourceFile, StoredFile, release

log = logging.getLogger(__name__)

SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)
STORE_KEY = "evidence_store"  # = database.engine.EVIDENCE_STORE_KEY (not imported: it loads SQLAlchemy)


def early_store_root(data_dir: str | os.PathLike[str] | None, url: str | None) -> Path | None:
    """The store folder of the database, read without opening it the ordinary way, or None."""
    from cds_desktop.paths import app_paths
    from cds_desktop.services.info_light import plain_sqlite_file

    db_file = plain_sqlite_file(data_dir, url)
    if db_file is None:
        return None
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ? AND deleted_at IS NULL",
                               (STORE_KEY,)).fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row is not None and row[0] is not None else None
    except (sqlite3.Error, ValueError):
        return None  # the ordinary path says what is wrong
    return Path(str(value)) if value else app_paths(data_dir).evidence_dir


class EarlyCopy:
    """Copies *sources* into the store at *root* on a thread, from construction on."""

    def __init__(self, root: Path, sources: list[SourceFile]) -> None:
        # The threads copying and hashing need the GIL for a moment between system calls;
        # while the main thread imports (pure Python) they would wait up to the 5 ms switch
        # interval each time.  A shorter interval while both run keeps the copy at speed.
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self.root = root
        self.sources = sources
        self.stored: list[StoredFile] = []  # held (see store.hold) until released
        self.started = time.perf_counter()
        self._error: BaseException | None = None
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="evidence-early-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            store_files(EvidenceStore(self.root), self.sources, self.stored, cancel=self._cancel.is_set)
        except BaseException as exc:  # raised by wait()
            self._error = exc
        finally:
            sys.setswitchinterval(self._interval)

    def wait(self) -> None:
        """Wait for the copy; its failure (Vietnamese message) is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Cancel and wait; the files already in place stay in :attr:`stored` (still held)."""
        self._cancel.set()
        self._thread.join()

    def abandon(self) -> None:
        """Cancel and let go of the files (no database to check them against: a later
        ``evidence gc`` removes those no row refers to)."""
        self.stop()
        for item in self.stored:
            release(item.sha256)
        self.stored = []


def start_early_copy(
    data_dir: str | os.PathLike[str] | None, url: str | None, paths: Sequence[str | os.PathLike[str]],
) -> EarlyCopy | None:
    """Start copying *paths*, or None when it cannot start before the database is open
    (then :func:`.attach.attach_files` does everything, in its usual order)."""
    if not paths:
        return None
    try:
        sources = inspect_sources(paths)
    except ServiceError:
        return None  # said by attach_files, after the targets, as always
    root = early_store_root(data_dir, url)
    if root is None:
        return None
    log.debug("Copying %d file(s) into %s while the database opens", len(sources), root)
    return EarlyCopy(root, sources)
