"""Importing data packages: verify, preview (dry run), apply in one transaction.

    result = import_package(db, "ban-giao.cdspkg", dry_run=True)     # the report, nothing written
    result = import_package(db, "ban-giao.cdspkg", resolutions={uuid: "theirs"})

The package must be signed by this office or by a trusted one (:mod:`.trust`);
``trust_new=True`` accepts an office never seen before (the officer read its
fingerprint) and remembers its key once the import is applied; ``allow_unsigned=True``
accepts a package without signature (older versions).
A package that fails any check is refused with :class:`RejectedFile` before a
database session is opened.  The apply recomputes the plan inside its write
transaction (the database may have changed since the preview), applies the
officer's choices for conflicts, moves the evidence files from the staging
folder into the store, records the package in the history and commits; on
any failure nothing is kept (files newly placed in the store are removed).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cds_desktop.database import Database
from cds_desktop.exchange.apply import Executor
from cds_desktop.exchange.decisions import Decision, ImportPlan
from cds_desktop.exchange.history import add_history, previous_imports
from cds_desktop.exchange.merge import Planner, plan_import
from cds_desktop.exchange.package_read import VerifiedPackage, verify_package
from cds_desktop.exchange.records import table_specs
from cds_desktop.exchange.trust import NEW, Signer, judge_signer, trust_signer
from cds_desktop.models.exchange import IMPORT_PACKAGE
from cds_desktop.services import leftovers
from cds_desktop.services.evidence import store as store_mod

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
STAGING_DIR = leftovers.STAGING_DIR
BIG_CACHE_KIB = 48 * 1024  # SQLite page cache during an import (it counts in the import's memory)
STREAM_CHUNK = 5000  # records decided and written at a time


def staging_root(db: Database) -> Path:
    return db.paths.data_dir / STAGING_DIR


@dataclass
class ImportResult:
    plan: ImportPlan
    applied: bool
    counts: dict[str, int]
    resolutions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    signer: Signer | None = None  # None: an unsigned package the officer allowed

    @property
    def conflicts(self) -> list[Decision]:
        return self.plan.conflicts

    @property
    def unresolved(self) -> list[Decision]:
        return [d for d in self.plan.conflicts if self.resolutions.get(d.uuid) not in d.choices]

    def to_dict(self) -> dict[str, Any]:
        conflicts = []
        for decision in self.plan.conflicts:
            item = decision.to_dict()
            item["resolution"] = self.resolutions.get(decision.uuid) if self.applied else None
            conflicts.append(item)
        return {
            "file": self.plan.file_name, "package_uuid": self.plan.package_uuid, "dry_run": not self.applied,
            "source": {"installation": self.plan.source_installation, "commune": self.plan.source_commune},
            "scope": self.plan.scope, **self.counts, "conflicts": conflicts,
            "audit_entries": self.plan.audit_entries, "already_imported": self.plan.already_imported,
            "signer": self.signer.to_dict() if self.signer else {"status": "unsigned"},
        }

    def summary(self) -> str:
        c = self.counts
        head = "Kết quả kiểm tra (chưa ghi gì)" if not self.applied else "Đã nhập"
        text = (f"{head} «{self.plan.file_name}»: {c['created']} mới, {c['updated']} cập nhật, "
                f"{c['unchanged']} không đổi, {c['deleted']} xóa, {len(self.plan.conflicts)} xung đột")
        if self.applied and self.unresolved:
            text += f" ({len(self.unresolved)} chưa giải quyết, giữ nguyên dữ liệu của máy này)"
        if self.plan.already_imported:
            text += f". Gói này đã được nhập trước đây ({', '.join(self.plan.already_imported)})"
        return text + "."


def _counts(plan: ImportPlan, resolutions: dict[str, str], applied: bool) -> dict[str, int]:
    counts = dict(plan.counts)
    if not applied:
        return counts
    for decision in plan.conflicts:
        choice = resolutions.get(decision.uuid)
        if choice not in decision.choices:
            continue
        if choice == "theirs":
            counts["deleted" if decision.theirs["deleted_at"] and not decision.mine.get("deleted_at") else
                   "updated"] += 1
        else:
            counts["unchanged"] += 1
            if choice == "both":
                counts["created"] += 1
    return counts


def import_package(
    db: Database,
    path: str | os.PathLike[str],
    *,
    resolutions: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    trust_new: bool = False,
    allow_unsigned: bool = False,
) -> ImportResult:
    """Verify *path*, then preview (*dry_run*) or apply it; see the module docstring."""
    from cds_desktop.database.access import require_admin

    require_admin(db.access, "nhập gói dữ liệu (gói ghi thẳng vào dữ liệu mọi xã/phường)")
    started = time.perf_counter()
    resolutions = dict(resolutions or {})
    store = store_mod.EvidenceStore(db.evidence_dir)
    data_dir = db.paths.data_dir

    def judge(signer: Signer | None, display: str) -> Signer | None:
        return judge_signer(data_dir, signer, display, trust_new=trust_new, allow_unsigned=allow_unsigned)

    with verify_package(path, staging_root(db), progress=progress, cancel=cancel, signer_check=judge,
                        keep_records=dry_run, evidence_later=not dry_run) as package:
        if progress is not None:
            progress(0, 0, "Đang đối chiếu với dữ liệu hiện có…")
        if dry_run:
            with db.session(source="exchange") as session:
                plan = plan_import(session.connection(), package, db.installation_id, store.root, resolutions)
                plan.already_imported = [h.when for h in previous_imports(session, package.package_uuid)]
                session.rollback()
            return ImportResult(plan, False, _counts(plan, resolutions, False), resolutions,
                                time.perf_counter() - started, package.signer)
        plan = _apply(db, package, store, resolutions, cancel)
    return _applied(data_dir, package, plan, resolutions, started)


def _apply(db: Database, package: VerifiedPackage, store: store_mod.EvidenceStore, resolutions: dict[str, str],
           cancel: Callable[[], bool] | None) -> ImportPlan:
    source = f"import:{package.display}"[:200]
    reason = f"Gói dữ liệu {package.package_uuid} từ {package.source_commune or 'không rõ'}"
    holds: list[str] = []
    placed: list[str] = []
    folders: set[Path] = set()  # made already (a mkdir per file cost ~0.1 ms: 1 s for 10,000 files)
    committed = False
    try:
        with db.session(source=source, reason=reason) as session, _big_cache(db, session.connection()) as conn:
            # One importer at a time, planning against what the previous one committed (two processes
            # importing at once: the second waits, then finds the records there).
            db.lock_for_writing(conn)
            plan = _plan_and_write(conn, package, store, resolutions, db.installation_id, source, reason, cancel)
            plan.already_imported = [h.when for h in previous_imports(session, package.package_uuid)]
            package.wait_evidence(cancel)  # staged while the records were planned and written; before the commit
            for sha, staged in package.evidence.items():
                store_mod.hold(sha)
                holds.append(sha)
                if not store.has(sha):
                    _place(store, sha, staged, folders)
                    placed.append(sha)
            _make_durable(store, placed)
            counts = _counts(plan, resolutions, True)
            add_history(session, IMPORT_PACKAGE, package_uuid=package.package_uuid,
                        peer_installation=package.source_installation, peer_name=package.source_commune,
                        file_name=package.display, scope=package.scope,
                        counts={**counts, "conflicts": len(plan.conflicts),
                                "unresolved": sum(1 for d in plan.conflicts
                                                  if resolutions.get(d.uuid) not in d.choices)})
        committed = True
    finally:
        for sha in holds:
            store_mod.release(sha)
        if not committed:
            for sha in placed:
                store.discard_new(sha)
    return plan


def _plan_and_write(conn: Any, package: VerifiedPackage, store: store_mod.EvidenceStore, resolutions: dict[str, str],
                    installation: str, source: str, reason: str, cancel: Callable[[], bool] | None) -> ImportPlan:
    """Plan and write the package table by table, a chunk of records at a time: each chunk is
    decided against the database, written, and forgotten, so memory stays bounded whatever the
    package's size.  Anything wrong found on the way raises, and the caller's transaction is
    rolled back: nothing is kept."""
    from cds_desktop.exchange.errors import ExchangeCancelled

    planner = Planner(conn, package, store.root, resolutions, keep_all=not package.streamed)
    plan = planner.plan
    executor = Executor(conn, plan, installation, resolutions, source, reason)
    for spec in table_specs():
        seen = False
        for records in package.table_records(spec.name, STREAM_CHUNK):
            if cancel is not None and cancel():
                raise ExchangeCancelled()
            decisions = planner.table(spec, records)
            if spec.append_only:
                executor.add_audit_entries(plan.audit_new)
                plan.audit_written += len(plan.audit_new)
                plan.audit_new.clear()
                continue
            if spec.name == "evidence":
                planner.check_evidence(decisions)
            executor.table(spec, decisions)
            seen = True
        if seen:
            executor.end_table(spec)
    executor.finish()
    planner.finish()
    if cancel is not None and cancel():
        raise ExchangeCancelled()
    return plan


@contextmanager
def _big_cache(db: Database, conn: Any) -> Iterator[Any]:
    """SQLite only: a large page cache for the import's transaction (random uuids in big indexes)."""
    if not db.is_sqlite:
        yield conn
        return
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
    try:
        yield conn
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _place(store: store_mod.EvidenceStore, sha: str, staged: Path, folders: set[Path]) -> None:
    final = store.path_for(sha)
    if final.parent not in folders:
        final.parent.mkdir(parents=True, exist_ok=True)
        folders.add(final.parent)
    try:
        os.replace(staged, final)
    except OSError:  # another file system: copy, then rename
        tmp = final.with_name(final.name + ".part")
        shutil.copyfile(staged, tmp)
        os.replace(tmp, final)


def _make_durable(store: store_mod.EvidenceStore, placed: list[str]) -> None:
    """Flush the placed files and their folders to disk before the database commit.

    On POSIX one ``sync()`` flushes them all at once (far cheaper than one fsync per
    file and per folder for thousands of files); elsewhere each file is fsynced.
    """
    if not placed:
        return
    if hasattr(os, "sync"):
        os.sync()
        return
    for sha in placed:
        with open(store.path_for(sha), "rb+") as fh:
            os.fsync(fh.fileno())


def prepare_package(db: Database, path: str | os.PathLike[str], *, cancel: Callable[[], bool] | None = None,
                    trust_new: bool = False, allow_unsigned: bool = False) -> VerifiedPackage:
    """The first half of :func:`import_package` for a batch (the roll-up's receiving mode): verify and
    stage *path*, nothing read from or written to the database, so it may run in a worker thread while
    another package is applied.  Pass the result to :func:`apply_prepared`; the caller closes it."""
    from cds_desktop.database.access import require_admin

    require_admin(db.access, "nhập gói dữ liệu (gói ghi thẳng vào dữ liệu mọi xã/phường)")
    data_dir = db.paths.data_dir

    def judge(signer: Signer | None, display: str) -> Signer | None:
        return judge_signer(data_dir, signer, display, trust_new=trust_new, allow_unsigned=allow_unsigned)

    return verify_package(path, staging_root(db), cancel=cancel, signer_check=judge, keep_records=False)


def apply_prepared(db: Database, package: VerifiedPackage, *, resolutions: dict[str, str] | None = None,
                   cancel: Callable[[], bool] | None = None, trust_new: bool = False,
                   allow_unsigned: bool = False) -> ImportResult:
    """The second half of :func:`import_package`: apply a package from :func:`prepare_package` in one
    transaction.  Its signer is judged again first (a key trusted or revoked since it was prepared,
    e.g. by the package applied just before, counts as it would have one package at a time)."""
    from cds_desktop.database.access import require_admin

    require_admin(db.access, "nhập gói dữ liệu (gói ghi thẳng vào dữ liệu mọi xã/phường)")
    started = time.perf_counter()
    resolutions = dict(resolutions or {})
    data_dir = db.paths.data_dir
    package.signer = judge_signer(data_dir, package.signer, package.display, trust_new=trust_new,
                                  allow_unsigned=allow_unsigned)
    plan = _apply(db, package, store_mod.EvidenceStore(db.evidence_dir), resolutions, cancel)
    return _applied(data_dir, package, plan, resolutions, started)


def _applied(data_dir, package: VerifiedPackage, plan, resolutions: dict[str, str], started: float) -> ImportResult:
    """After a package was written: its new signer trusted, the result counted and logged."""
    if package.signer is not None and package.signer.status == NEW:
        trust_signer(data_dir, package.signer)
    result = ImportResult(plan, True, _counts(plan, resolutions, True), resolutions, time.perf_counter() - started,
                          package.signer)
    log.info("Imported package %s: %s (%.2fs)", plan.file_name, result.counts, result.seconds)
    return result
