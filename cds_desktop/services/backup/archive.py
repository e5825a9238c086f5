"""Writing and verifying ``.cdsbak`` backup files (see the package docstring)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cds_desktop.services.errors import NotFoundError, ServiceError

log = logging.getLogger(__name__)

SUFFIX = ".cdsbak"
FORMAT = "cds-desktop-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "cds.sqlite"
EVIDENCE = "evidence/"
CHUNK = 1 << 20  # 1 MiB: large enough for the hash and the disk, small enough to cancel quickly

ProgressFn = Callable[[int, int, str], None]  # (bytes done, bytes in all, what)
CancelFn = Callable[[], bool]


class BackupError(ServiceError):
    """A backup that cannot be written or read; the message says which file and member."""


class MissingBackup(BackupError, NotFoundError):
    """The backup file named does not exist."""


class Cancelled(BackupError):
    def __init__(self) -> None:
        super().__init__("Đã hủy.")


@dataclass
class BackupInfo:
    """What a backup holds (from its manifest)."""

    path: Path
    created_at: datetime
    app_version: str
    schema: str | None
    installation_id: str
    plans: list[str] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {"sha256", "size"}
    skipped: list[str] = field(default_factory=list)  # store files left out (damaged or gone)

    @property
    def evidence_count(self) -> int:
        return sum(1 for name in self.members if name.startswith(EVIDENCE))

    @property
    def total_bytes(self) -> int:
        return sum(int(m["size"]) for m in self.members.values())

    def describe(self) -> str:
        """One Vietnamese line for the officer."""
        size = self.total_bytes / 1_048_576
        return (f"Bản sao lưu lúc {self.created_at:%H:%M ngày %d/%m/%Y}: {len(self.plans)} kế hoạch, "
                f"{self.evidence_count} tệp minh chứng, {size:.1f} MB".replace(".", ",", 1))


def _no_progress(_done: int, _total: int, _what: str) -> None:
    return None


def _not_cancelled() -> bool:
    return False


def _snapshot(db_file: Path, folder: Path) -> Path:
    """A consistent copy of a live SQLite database (the backup API), in *folder*."""
    fd, name = tempfile.mkstemp(prefix="snapshot-", suffix=".sqlite", dir=folder)
    os.close(fd)
    target = Path(name)
    src = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    return target


def _snapshot_facts(snapshot: Path) -> tuple[str | None, str, list[str]]:
    """(schema revision, installation id, plan labels) read from the snapshot."""
    conn = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            if "alembic_version" in tables else None
        installation = ""
        if "settings" in tables:
            row = conn.execute("SELECT value FROM settings WHERE key = 'installation_id'").fetchone()
            try:
                installation = str(json.loads(row[0])) if row and row[0] else ""
            except ValueError:
                installation = str(row[0])
        plans = []
        if "plans" in tables:
            plans = [f"{number or '(chưa có số)'} — {title}" for number, title in conn.execute(
                "SELECT number, title FROM plans WHERE deleted_at IS NULL ORDER BY year, id")]
        return schema, installation, plans
    finally:
        conn.close()


def _store_files(store_root: Path) -> list[tuple[str, Path]]:
    """(sha256 name, path) of every file of the content-addressed store (``ab/cd/<sha256>``)."""
    found = []
    if not store_root.is_dir():
        return found
    for first in sorted(store_root.iterdir()):
        if not (first.is_dir() and len(first.name) == 2):
            continue  # tmp/ and anything else is not evidence
        for second in sorted(first.iterdir()):
            if not second.is_dir():
                continue
            for file in sorted(second.iterdir()):
                if file.is_file() and len(file.name) == 64 and file.name.startswith(first.name + second.name):
                    found.append((file.name, file))
    return found


def _copy_in(zf: zipfile.ZipFile, name: str, source: Path, progress: Callable[[int], None],
             cancel: CancelFn) -> tuple[str, int]:
    """Write *source* as member *name*, hashing in the same pass; (sha256, size)."""
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            if cancel():
                raise Cancelled()
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
            progress(len(chunk))
    return digest.hexdigest(), size


def create_backup(
    db_file: Path, store_root: Path, out: Path, *, app_version: str = "", overwrite: bool = False,
    progress: ProgressFn | None = None, cancel: CancelFn | None = None,
) -> BackupInfo:
    """Write a backup of the SQLite database *db_file* and the evidence store to *out*.

    The file is written next to *out* under a temporary name and renamed when complete
    (a cancelled or failed backup leaves nothing behind)."""
    progress, cancel = progress or _no_progress, cancel or _not_cancelled
    out = Path(out)
    if out.exists() and not overwrite:
        raise BackupError(f"Tệp {out} đã có: chọn tên khác (hoặc thêm --force để ghi đè).")
    if not db_file.exists():
        raise BackupError(f"Không thấy cơ sở dữ liệu {db_file} để sao lưu.")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, part_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
    os.close(fd)
    part = Path(part_name)
    snapshot = None
    try:
        snapshot = _snapshot(db_file, out.parent)
        schema, installation, plans = _snapshot_facts(snapshot)
        files = _store_files(store_root)  # after the snapshot: every file its rows name is there
        total = snapshot.stat().st_size + sum(p.stat().st_size for _n, p in files)
        done = 0

        def step(n: int, what: str = "") -> None:
            nonlocal done
            done += n
            progress(done, total, what)

        members: dict[str, dict[str, Any]] = {}
        skipped: list[str] = []
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            sha, size = _copy_in(zf, DATABASE, snapshot, lambda n: step(n, "cơ sở dữ liệu"), cancel)
            members[DATABASE] = {"sha256": sha, "size": size}
            for name, path in files:
                try:
                    sha, size = _copy_in(zf, EVIDENCE + name, path, lambda n: step(n, "minh chứng"), cancel)
                except FileNotFoundError:  # removed by a clean-up meanwhile: no row names it
                    skipped.append(name)
                    continue
                if sha != name:  # the store's copy is damaged: keep it out, say so
                    log.warning("Evidence file %s is damaged (content hash %s); left out of the backup", path, sha)
                    skipped.append(name)
                    members[EVIDENCE + name] = {"sha256": sha, "size": size, "damaged": True}
                    continue
                members[EVIDENCE + name] = {"sha256": sha, "size": size}
            created = datetime.now().astimezone()
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created.isoformat(),
                "app_version": app_version, "schema": schema, "installation_id": installation, "plans": plans,
                "members": members, "skipped": skipped,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, out)
        log.info("Backup written to %s (%d members, %d bytes)", out, len(members), total)
        return BackupInfo(out, created, app_version, schema, installation, plans, members, skipped)
    except OSError as exc:
        raise BackupError(f"Không ghi được bản sao lưu {out}: {exc.strerror or exc}.") from exc
    finally:
        part.unlink(missing_ok=True)
        if snapshot is not None:
            snapshot.unlink(missing_ok=True)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise MissingBackup(f"Không thấy tệp sao lưu {path}.") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BackupError(f"Tệp {path} không phải là bản sao lưu của CĐS Desktop hoặc đã bị cắt cụt, hỏng.") from exc


def read_manifest(path: Path) -> BackupInfo:
    """What the backup says it holds (no member is checked: see :func:`verify_backup`)."""
    path = Path(path)
    with _open(path) as zf:
        try:
            data = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except KeyError as exc:
            raise BackupError(f"Tệp {path} không phải là bản sao lưu của CĐS Desktop (thiếu {MANIFEST}).") from exc
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise BackupError(f"Bản sao lưu {path} bị hỏng: không đọc được {MANIFEST}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"Tệp {path} không phải là bản sao lưu của CĐS Desktop.")
    if int(data.get("format_version") or 0) > FORMAT_VERSION:
        raise BackupError(f"Bản sao lưu {path} do phiên bản mới hơn của phần mềm tạo ra: hãy cập nhật phần mềm.")
    try:
        created = datetime.fromisoformat(data["created_at"])
        members = {str(k): dict(v) for k, v in data["members"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackupError(f"Bản sao lưu {path} bị hỏng: {MANIFEST} không đầy đủ.") from exc
    if DATABASE not in members:
        raise BackupError(f"Bản sao lưu {path} bị hỏng: không có cơ sở dữ liệu.")
    return BackupInfo(path, created, str(data.get("app_version") or ""), data.get("schema"),
                      str(data.get("installation_id") or ""), list(data.get("plans") or []), members,
                      list(data.get("skipped") or []))


def verify_backup(path: Path, *, extract_to: Path | None = None, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> BackupInfo:
    """Check every member against the manifest (and, with *extract_to*, write them there:
    ``cds.sqlite`` and the store layout ``evidence/ab/cd/<sha256>``).  Raises
    :class:`BackupError` naming the first damaged member."""
    progress, cancel = progress or _no_progress, cancel or _not_cancelled
    info = read_manifest(path)
    wanted = {name: meta for name, meta in info.members.items() if not meta.get("damaged")}
    total, done = sum(int(m["size"]) for m in wanted.values()), 0
    with _open(info.path) as zf:
        present = set(zf.namelist())
        for name in wanted:
            if name not in present:
                raise BackupError(f"Bản sao lưu {path} bị hỏng: thiếu «{name}».")
            if name != DATABASE and not (name.startswith(EVIDENCE) and len(name) == len(EVIDENCE) + 64
                                         and "/" not in name[len(EVIDENCE):] and ".." not in name):
                raise BackupError(f"Bản sao lưu {path} có mục lạ «{name}»: không dùng được.")
        for name, meta in wanted.items():
            target = None
            if extract_to is not None:
                sha = name[len(EVIDENCE):]
                target = extract_to / (DATABASE if name == DATABASE else f"evidence/{sha[:2]}/{sha[2:4]}/{sha}")
                target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            try:
                with zf.open(name) as src, (open(target, "wb") if target else _Sink()) as dst:
                    while chunk := src.read(CHUNK):
                        if cancel():
                            raise Cancelled()
                        digest.update(chunk)
                        dst.write(chunk)
                        size += len(chunk)
                        done += len(chunk)
                        progress(done, total, "kiểm tra")
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                if isinstance(exc, OSError) and target is not None and not isinstance(exc, zipfile.BadZipFile) \
                        and exc.errno is not None:
                    raise BackupError(f"Không ghi được {target}: {exc.strerror}.") from exc
                raise BackupError(f"Bản sao lưu {path} bị hỏng: «{name}» không đọc được (sai mã kiểm tra "
                                  "hoặc tệp bị cắt cụt).") from exc
            if digest.hexdigest() != meta.get("sha256") or size != int(meta.get("size", -1)):
                raise BackupError(f"Bản sao lưu {path} bị hỏng: «{name}» không khớp mã băm trong {MANIFEST}.")
    return info


class _Sink:
    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        return len(data)
