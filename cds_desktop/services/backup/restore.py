"""Restoring a ``.cdsbak`` backup: verify everything first, keep the current data, then swap."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cds_desktop.paths import AppPaths
from cds_desktop.services.backup.archive import (
    DATABASE,
    SUFFIX,
    BackupError,
    BackupInfo,
    CancelFn,
    ProgressFn,
    create_backup,
    verify_backup,
)

log = logging.getLogger(__name__)

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass
class RestoreResult:
    info: BackupInfo
    kept: Path | None  # the data as it was before, as a backup (None: there was no data)

    def describe(self) -> str:
        kept = f" Dữ liệu trước khi khôi phục được giữ ở {self.kept}." if self.kept else ""
        return f"Đã khôi phục {self.info.describe()}.{kept}"


def _check_database(db_file: Path, backup: Path) -> str:
    """The staged database is whole and of a schema this version can open; its revision."""
    from cds_desktop.database.migrate import head_revision, known_revisions

    conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            if "alembic_version" in tables else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Bản sao lưu {backup} bị hỏng: cơ sở dữ liệu trong đó không đọc được ({exc}).") from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"Bản sao lưu {backup} bị hỏng: cơ sở dữ liệu trong đó không toàn vẹn ({result}).")
    if revision is None or revision not in known_revisions():
        if revision is not None and revision > head_revision():
            raise BackupError(f"Bản sao lưu {backup} do phiên bản mới hơn của phần mềm tạo ra: hãy cập nhật "
                              "phần mềm trước khi khôi phục.")
        raise BackupError(f"Bản sao lưu {backup} không chứa cơ sở dữ liệu của CĐS Desktop.")
    return revision


def _swap(paths: AppPaths, staging: Path) -> None:
    """Move the current database and store aside (into *staging*/previous) and the restored
    ones in; on any failure put everything back as it was."""
    previous = staging / "previous"
    previous.mkdir()
    moved: list[tuple[Path, Path]] = []

    def move(src: Path, dst: Path) -> None:
        os.replace(src, dst)
        moved.append((src, dst))

    try:
        for suffix in ("", *SIDE_FILES):
            current = Path(str(paths.db_file) + suffix)
            if current.exists():
                move(current, previous / current.name)
        if paths.evidence_dir.exists():
            move(paths.evidence_dir, previous / "evidence")
        move(staging / DATABASE, paths.db_file)
        restored_store = staging / "evidence"
        if restored_store.exists():
            move(restored_store, paths.evidence_dir)
        else:
            paths.evidence_dir.mkdir()
    except OSError as exc:
        for src, dst in reversed(moved):
            try:
                os.replace(dst, src)
            except OSError:
                log.exception("Could not put %s back to %s", dst, src)
        raise BackupError(f"Không thay được dữ liệu trong {paths.data_dir}: {exc.strerror or exc}. "
                          "Dữ liệu hiện tại vẫn giữ nguyên.") from exc


def restore_backup(
    paths: AppPaths, backup: Path, *, db: Any = None, app_version: str = "",
    progress: ProgressFn | None = None, cancel: CancelFn | None = None,
) -> RestoreResult:
    """Replace the data of *paths* with the backup.  *db* (an open :class:`Database` on these
    paths) has its connections closed before the swap and opens the restored file afterwards."""
    backup = Path(backup)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    staging = paths.data_dir / f"restore-staging-{stamp}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        info = verify_backup(backup, extract_to=staging, progress=progress, cancel=cancel)
        _check_database(staging / DATABASE, backup)
        kept = None
        if paths.db_file.exists():
            kept = paths.backup_dir / f"before-restore-{stamp}{SUFFIX}"
            create_backup(paths.db_file, paths.evidence_dir, kept, app_version=app_version, overwrite=True)
        if db is not None:
            db.engine.dispose()
        _swap(paths, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from cds_desktop.database import open_database

    open_database(paths.data_dir).close()  # a backup of an older schema is brought up to date
    if db is not None:
        db.load_installation_id()
    log.info("Restored %s into %s (previous data kept in %s)", backup, paths.data_dir, kept)
    return RestoreResult(info, kept)
