"""Exporting a data package: records of a scope and their evidence files, sealed.

The records are read in one read transaction (a consistent snapshot).  The
package is written to ``<name>.part`` next to the destination and renamed
into place only when complete and sealed, so an interrupted export never
leaves a file that looks like a package.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cds_desktop import __version__
from cds_desktop.database import Database
from cds_desktop.database.access import check_export
from cds_desktop.database.errors import os_reason
from cds_desktop.database.migrate import head_revision
from cds_desktop.exchange import clocks
from cds_desktop.exchange import package_format as fmt
from cds_desktop.exchange.errors import ExchangeCancelled, ExchangeError
from cds_desktop.exchange.history import record_history
from cds_desktop.exchange.office_keys import OfficeKey, load_office_key
from cds_desktop.exchange.package_sign import signature_member
from cds_desktop.exchange.records import local_rows, referenced_tables, table_specs, uuid_maps
from cds_desktop.exchange.scope import Scope, select_records
from cds_desktop.exchange.zipsafe import PACKAGE_LIMITS, open_checked
from cds_desktop.models import Commune, Plan, ReportingPeriod, Unit, new_uuid, utcnow
from cds_desktop.models.exchange import EXPORT_PACKAGE
from cds_desktop.services.common import BadValueError, refuse_existing
from cds_desktop.text import format_mb, format_number

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, text)
_CHUNK = 1 << 20


@dataclass
class ExportResult:
    path: Path
    package_uuid: str
    scope: dict[str, Any]
    tables: dict[str, int] = field(default_factory=dict)
    evidence_files: int = 0
    evidence_bytes: int = 0
    size: int = 0
    seconds: float = 0.0
    sign_seconds: float = 0.0  # loading the office key and signing the manifest
    fingerprint: str = ""  # of the key that signed the package

    @property
    def records(self) -> int:
        return sum(self.tables.values())

    def summary(self) -> str:
        return (f"Đã xuất {format_number(self.records)} bản ghi và {format_number(self.evidence_files)} tệp minh chứng "
                f"({format_mb(self.size, 1)}) vào «{self.path.name}».")


def _scope_info(conn: Connection, scope: Scope) -> dict[str, Any]:
    from cds_desktop.services.tracking.calendar import period_label

    info: dict[str, Any] = {"kind": scope.kind}
    if scope.plan_uuid:
        plan = conn.execute(select(Plan.__table__).where(Plan.__table__.c.uuid == scope.plan_uuid)).first()
        info["plan_uuid"] = scope.plan_uuid
        info["plan_label"] = f"Kế hoạch {plan.number} năm {plan.year}".replace("  ", " ") if plan else ""
    if scope.unit_uuid:
        unit = conn.execute(select(Unit.__table__.c.name).where(Unit.__table__.c.uuid == scope.unit_uuid)).first()
        info["unit_uuid"] = scope.unit_uuid
        info["unit_label"] = unit.name if unit else ""
    if scope.period_code:
        exists = conn.execute(select(ReportingPeriod.__table__.c.id)
                              .where(ReportingPeriod.__table__.c.code == scope.period_code)).first()
        info["period_code"] = scope.period_code
        info["period_label"] = period_label(scope.period_code) if exists else scope.period_code
    return info


def _communes(conn: Connection) -> list[str]:
    table = Commune.__table__
    rows = conn.execute(select(table.c.kind, table.c.name).where(table.c.deleted_at.is_(None))  # tombstones: Core
                        .order_by(table.c.id)).all()
    return [f"{kind} {name}".strip() for kind, name in rows]


def office_name(db: Database) -> str:
    """The office's name as packages carry it (its communes)."""
    with db.engine.connect() as conn:
        return ", ".join(_communes(conn))


def export_package(
    db: Database,
    out_path: str | os.PathLike[str],
    scope: Scope | None = None,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    overwrite: bool = True,
) -> ExportResult:
    """Write the records of *scope* (default: everything) and their evidence to *out_path*
    (an existing file is replaced only with *overwrite*)."""
    started = time.perf_counter()
    scope = scope or Scope()
    check_export(db, scope.plan_uuid)
    out = Path(out_path)
    if out.is_dir():
        raise BadValueError(f"«{out}» là một thư mục; hãy cho tên tệp gói dữ liệu (ví dụ du-lieu.cdspkg).")
    if out.suffix.lower() != fmt.EXTENSION:
        out = out.with_name(out.name + fmt.EXTENSION)
    refuse_existing([out], overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    package_uuid = new_uuid()
    store_root = db.evidence_dir
    key_started = time.perf_counter()
    key = load_office_key(db.paths.data_dir)
    key_seconds = time.perf_counter() - key_started
    try:
        with db.engine.connect() as conn, conn.begin():
            result = ExportResult(out, package_uuid, _scope_info(conn, scope))
            result.sign_seconds, result.fingerprint = key_seconds, key.fingerprint
            selection = select_records(conn, scope)
            manifest = _write(conn, part, result, selection, store_root, db.installation_id, progress, cancel, key)
        _seal(part, manifest)
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    result.size = out.stat().st_size
    result.seconds = time.perf_counter() - started
    record_history(db, EXPORT_PACKAGE, package_uuid=package_uuid, file_name=out.name, scope=result.scope,
                   counts={"records": result.records, "evidence_files": result.evidence_files, **result.tables},
                   peer_name=result.scope.get("unit_label", ""))
    log.info("Exported package %s (%s): %d records, %d evidence files, %d bytes in %.2fs",
             out, scope.kind, result.records, result.evidence_files, result.size, result.seconds)
    return result


def _write(conn: Connection, part: Path, result: ExportResult, selection: dict[str, set[int]] | None,
           store_root: Path, installation: str, progress: Progress | None,
           cancel: Callable[[], bool] | None, key: OfficeKey) -> dict[str, Any]:
    maps = uuid_maps(conn, referenced_tables())
    stored_clocks = clocks.load_clocks(conn)
    members: list[dict[str, Any]] = []
    tables: dict[str, dict[str, Any]] = {}
    evidence: dict[str, int] = {}
    with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
        for spec in table_specs():
            if cancel is not None and cancel():
                raise ExchangeCancelled()
            ids = None if selection is None else selection.get(spec.name, set())
            if ids is not None and not ids:
                continue
            name = f"{fmt.RECORDS_PREFIX}{spec.name}.jsonl"
            hasher, size, count = hashlib.sha256(), 0, 0
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as member:
                buffer: list[bytes] = []
                for row_id, record in local_rows(conn, spec, maps):
                    if ids is not None and row_id not in ids:
                        continue
                    vector = clocks.current_vector(record["version"], record["changed_by"],
                                                   stored_clocks.get(record["uuid"]))
                    if vector != {record["changed_by"]: record["version"]}:
                        record["_clock"] = vector
                    if spec.name == "evidence" and record["deleted_at"] is None:
                        evidence[record["sha256"]] = record["size"]
                    buffer.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
                    count += 1
                    if len(buffer) >= 2000:
                        size += _flush(member, hasher, buffer)
                size += _flush(member, hasher, buffer)
            if count:
                members.append({"name": name, "size": size, "sha256": hasher.hexdigest()})
                tables[spec.name] = {"member": name, "count": count}
                result.tables[spec.name] = count
            else:
                members.append({"name": name, "size": 0, "sha256": hashlib.sha256().hexdigest()})
                tables[spec.name] = {"member": name, "count": 0}
        total = sum(evidence.values())
        done = 0
        for number, (sha, size) in enumerate(sorted(evidence.items()), 1):
            if progress is not None:
                progress(done, total, f"Đang đóng gói tệp minh chứng {number}/{len(evidence)}…")
            done += _add_evidence(zf, store_root, sha, size, progress, cancel, lambda n: None)
            members.append({"name": f"{fmt.EVIDENCE_PREFIX}{sha}", "size": size, "sha256": sha})
        result.evidence_files = len(evidence)
        result.evidence_bytes = total
        manifest = {
            "format": fmt.FORMAT,
            "format_version": fmt.FORMAT_VERSION,
            "package_uuid": result.package_uuid,
            "created_at": utcnow().isoformat(),
            "app_version": __version__,
            "schema_revision": head_revision(),
            "source": {"installation": installation, "commune": ", ".join(_communes(conn)),
                       "communes": _communes(conn)},
            "scope": result.scope,
            "tables": tables,
            "evidence_files": len(evidence),
            "members": members,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = zipfile.ZipInfo(fmt.MANIFEST, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
        signing = time.perf_counter()
        info = zipfile.ZipInfo(fmt.SIGNATURE, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, signature_member(key, data, manifest["source"]["commune"], installation))
        result.sign_seconds += time.perf_counter() - signing
        zf.comment = fmt.PLACEHOLDER_SEAL
    manifest["_sha256"] = hashlib.sha256(data).hexdigest()
    return manifest


def _flush(member: Any, hasher: Any, buffer: list[bytes]) -> int:
    if not buffer:
        return 0
    data = b"".join(buffer)
    buffer.clear()
    member.write(data)
    hasher.update(data)
    return len(data)


def _add_evidence(zf: zipfile.ZipFile, store_root: Path, sha: str, size: int, progress: Progress | None,
                  cancel: Callable[[], bool] | None, step: Callable[[int], None]) -> int:
    path = store_root / sha[:2] / sha[2:4] / sha
    try:
        src = open(path, "rb", buffering=0)
    except OSError as exc:
        raise ExchangeError(f"Không đọc được tệp minh chứng {sha[:12]}… trong kho ({os_reason(exc)}); "
                            "hãy chạy «Kiểm tra kho minh chứng».") from exc
    info = zipfile.ZipInfo(f"{fmt.EVIDENCE_PREFIX}{sha}", date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = size
    hasher = hashlib.sha256()
    copied = 0
    buf = bytearray(_CHUNK)
    view = memoryview(buf)
    with src, zf.open(info, "w", force_zip64=size > 0x7FFFFFFF) as member:
        while n := src.readinto(buf):
            if cancel is not None and cancel():
                raise ExchangeCancelled()
            chunk = view[:n]
            hasher.update(chunk)
            member.write(chunk)
            copied += n
            step(n)
    if copied != size or hasher.hexdigest() != sha:
        raise ExchangeError(f"Tệp minh chứng {sha[:12]}… trong kho không còn nguyên vẹn; "
                            "hãy chạy «Kiểm tra kho minh chứng».")
    return copied


def _seal(part: Path, manifest: dict[str, Any]) -> None:
    with open(part, "r+b") as fh:
        checked = open_checked(fh, part.name, PACKAGE_LIMITS, strict_layout=True)
        try:
            digest = fmt.seal_digest(fh, checked.data_ranges, checked.file_size, manifest["_sha256"])
        finally:
            checked.close()
        fh.seek(-fmt.SEAL_LENGTH, os.SEEK_END)
        fh.write(fmt.SEAL_PREFIX + digest.encode())
        fh.flush()
        os.fsync(fh.fileno())
