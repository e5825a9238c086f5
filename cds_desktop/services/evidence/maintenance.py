"""Checking the evidence store against the database, and garbage collection.

:func:`check_store` reports, without changing anything:

- **missing** - a live evidence whose file is not in the store;
- **mismatch** - a store file whose content no longer matches its SHA-256 name
  (every file is hashed again);
- **orphan** - a store file no evidence row refers to (what a crash between
  the rename and the commit leaves behind);
- **temporary** - a leftover ``tmp/*.part`` file (a crash during a copy);
- **stray** - a file in the store folder that the program did not write.

Files of deleted evidence (tombstones) are not problems: they stay so that a
deletion can be undone, until :func:`gc` removes every file no live evidence
refers to.  Files held by an attach still running in this process are never
reported nor removed; other processes are protected by a grace period.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cds_desktop.database import Database
from cds_desktop.models import Evidence
from cds_desktop.services import leftovers
from cds_desktop.services.evidence import store as store_mod

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]
GC_GRACE_SECONDS = 600


@dataclass
class StoreFinding:
    path: str
    sha256: str = ""
    size: int = 0
    names: list[str] = field(default_factory=list)  # original names of the evidence concerned
    actual_sha256: str = ""


@dataclass
class StoreCheck:
    root: str
    files: int = 0
    bytes: int = 0
    verified: bool = True
    missing: list[StoreFinding] = field(default_factory=list)
    mismatches: list[StoreFinding] = field(default_factory=list)
    orphans: list[StoreFinding] = field(default_factory=list)
    temporary: list[StoreFinding] = field(default_factory=list)
    stray: list[StoreFinding] = field(default_factory=list)
    collectable: list[StoreFinding] = field(default_factory=list)  # files of deleted evidence (not a problem)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.mismatches or self.orphans or self.temporary or self.stray)

    def problems(self) -> list[str]:
        """One Vietnamese sentence per kind of problem found."""
        lines = []

        def names(findings: list[StoreFinding]) -> str:
            shown = [f"«{n}»" for f in findings[:5] for n in (f.names or [Path(f.path).name])[:1]]
            more = f" và {len(findings) - 5} tệp khác" if len(findings) > 5 else ""
            return ", ".join(shown) + more

        if self.missing:
            lines.append(f"Kho minh chứng {self.root} thiếu {len(self.missing)} tệp: {names(self.missing)}.")
        if self.mismatches:
            lines.append(
                f"{len(self.mismatches)} tệp minh chứng có nội dung không còn khớp mã băm (tệp bị hỏng hoặc bị sửa): "
                f"{names(self.mismatches)}."
            )
        if self.orphans:
            size = sum(f.size for f in self.orphans)
            lines.append(
                f"{len(self.orphans)} tệp trong kho minh chứng không thuộc minh chứng nào "
                f"({_size(size)}); lệnh «cds-desktop evidence gc» sẽ dọn."
            )
        if self.temporary:
            lines.append(f"{len(self.temporary)} tệp tạm còn sót trong kho minh chứng (sao chép bị gián đoạn).")
        if self.stray:
            lines.append(f"{len(self.stray)} tệp lạ trong thư mục kho minh chứng: {names(self.stray)}.")
        return lines

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["problems"] = self.problems()
        return data


def _size(n: int) -> str:
    for unit in ("byte", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "byte" else f"{n:.1f} {unit}".replace(".", ",")
        n /= 1024
    return str(n)


def _rows(db: Database) -> tuple[dict[str, list[Evidence]], set[str]]:
    """Live evidence by sha256, and every sha256 any row (tombstones too) names."""
    live: dict[str, list[Evidence]] = {}
    every: set[str] = set()
    with db.session(source="check") as session:
        for evidence in session.scalars(select(Evidence).execution_options(include_deleted=True)):
            every.add(evidence.sha256)
            if evidence.deleted_at is None:
                live.setdefault(evidence.sha256, []).append(evidence)
    return live, every


def check_store(
    db: Database,
    *,
    verify: bool = True,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
) -> StoreCheck:
    """Compare the store with the database; hash every referenced file when *verify*."""
    store = store_mod.EvidenceStore(db.evidence_dir)
    result = StoreCheck(root=str(store.root), verified=verify)
    live, every = _rows(db)
    busy = store_mod.held()
    active = store_mod.active_temps()
    to_verify: list[tuple[str, Path, int]] = []
    seen: set[str] = set()
    for sha, path in store.entries():
        size = path.stat().st_size if path.is_file() else 0
        result.files += 1
        if sha is None:
            result.stray.append(StoreFinding(str(path), size=size))
            continue
        seen.add(sha)
        if sha in live:
            to_verify.append((sha, path, size))
        elif sha in busy:
            continue
        elif sha in every:
            result.collectable.append(StoreFinding(str(path), sha, size))
        else:
            result.orphans.append(StoreFinding(str(path), sha, size))
    for path in store.temp_files():
        pid = leftovers.owner_pid(path.name)
        if path not in active and (pid is None or not leftovers.process_alive(pid)):  # a live owner is copying
            result.temporary.append(StoreFinding(str(path), size=path.stat().st_size))
    for sha, rows in live.items():
        if sha not in seen:
            result.missing.append(StoreFinding(str(store.path_for(sha)), sha, rows[0].size, _names(rows)))

    total = sum(size for _sha, _path, size in to_verify)
    done = 0
    for number, (sha, path, size) in enumerate(to_verify, 1):
        rows = live[sha]
        text = f"Đang kiểm tra tệp minh chứng {number}/{len(to_verify)}…"
        if progress is not None:
            progress(done, total, text)
        if size != rows[0].size:
            result.mismatches.append(StoreFinding(str(path), sha, size, _names(rows), "(kích thước khác)"))
        elif verify:

            def step(n: int, text: str = text) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, total, text)

            actual = store.hash_file(path, step, cancel)
            if actual != sha:
                result.mismatches.append(StoreFinding(str(path), sha, size, _names(rows), actual))
            continue
        done += size
    result.bytes = total
    if progress is not None:
        progress(total, total, "Đã kiểm tra xong kho minh chứng.")
    log.info("Evidence store check: %d files, problems: %s", result.files, result.problems())
    return result


def _names(rows: list[Evidence]) -> list[str]:
    return sorted({row.original_name for row in rows})


@dataclass
class GcResult:
    removed: list[str] = field(default_factory=list)  # sha256 of the files removed
    freed_bytes: int = 0
    temporary_removed: int = 0
    staging_removed: int = 0  # staging folders of interrupted package imports
    kept_recent: int = 0  # unreferenced but younger than the grace period

    def summary(self) -> str:
        text = f"Đã dọn {len(self.removed)} tệp không còn dùng ({_size(self.freed_bytes)})"
        if self.temporary_removed:
            text += f" và {self.temporary_removed} tệp tạm"
        if self.staging_removed:
            text += f"; {self.staging_removed} thư mục tạm của lần nhập gói bị gián đoạn"
        if self.kept_recent:
            text += f"; giữ lại {self.kept_recent} tệp vừa mới thêm"
        return text + "."


def gc(db: Database, *, grace_seconds: float = GC_GRACE_SECONDS, dry_run: bool = False) -> GcResult:
    """Remove store files no live evidence refers to, and leftover temporary files.

    Tombstoned rows stay (exchange needs them); only their files go.  Files
    newer than *grace_seconds* are kept: another process may be attaching them.
    """
    store = store_mod.EvidenceStore(db.evidence_dir)
    result = GcResult()
    live, _every = _rows(db)
    now = time.time()
    for sha, path in list(store.entries()):
        if sha is None or sha in live or sha in store_mod.held():
            continue
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if now - st.st_mtime < grace_seconds:
            result.kept_recent += 1
            continue
        if not dry_run and not store.remove(sha):
            continue
        result.removed.append(sha)
        result.freed_bytes += st.st_size
    active = store_mod.active_temps()
    for path in store.temp_files():
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue
        pid = leftovers.owner_pid(path.name)
        if path in active or (pid is not None and leftovers.process_alive(pid)):
            continue
        if pid is None and age < grace_seconds:  # an earlier version's name: only its age tells
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        result.temporary_removed += 1
    for folder in leftovers.stale_staging(db.paths.data_dir):
        if not dry_run:
            shutil.rmtree(folder, ignore_errors=True)
        result.staging_removed += 1
    log.info("Evidence gc: %s", result.summary())
    return result
