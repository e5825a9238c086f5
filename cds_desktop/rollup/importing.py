"""Receiving many communes' packages: a folder of ``.cdspkg`` files or a ``.zip`` of them.

Each package goes through :func:`cds_desktop.exchange.import_package` on its own
(verification, merge by uuid and version vectors, one transaction): a newer
package of a commune replaces what an older one brought by the exchange's rules,
and a stale one changes nothing.  A bad file is reported and the others go on.
After the files, the data folder is put in receiving mode, the communes are
recorded in ``rollup_sources`` (with the newest package's creation time) and their
figures are recomputed (:mod:`.snapshot`).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.exchange import import_package
from cds_desktop.exchange.errors import ExchangeCancelled, RejectedFile
from cds_desktop.exchange.package_format import EXTENSION, MANIFEST
from cds_desktop.exchange.trust import SignerRefused
from cds_desktop.exchange.zipsafe import PACKAGE_LIMITS, open_checked, read_member, stream_member
from cds_desktop.models import RollupSource, utcnow
from cds_desktop.rollup.mode import set_receiving
from cds_desktop.rollup.snapshot import snapshot_communes
from cds_desktop.services.common import NotFoundError, ServiceError

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
STAGING_DIR = "rollup-staging"
_SMALL = 64 << 20


@dataclass
class FileResult:
    file: str
    ok: bool
    message: str
    communes: list[str] = field(default_factory=list)  # uuids of the communes in the package
    counts: dict[str, int] = field(default_factory=dict)
    package_uuid: str = ""
    refused: str = ""  # refused for its signer: "unknown", "unsigned", "changed", "revoked" (exchange.trust)
    signer: dict[str, Any] | None = None  # who signed it (office, fingerprint…) when refused for its signer

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "ok": self.ok, "message": self.message, "communes": self.communes,
                "counts": self.counts, "package_uuid": self.package_uuid, "refused": self.refused,
                "signer": self.signer}


@dataclass
class RollupImport:
    files: list[FileResult]
    communes: list[str]  # names of the communes whose figures were recomputed
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if not f.ok]

    def summary(self) -> str:
        ok = len(self.files) - len(self.failed)
        text = f"Đã nhận {ok}/{len(self.files)} gói dữ liệu của {len(self.communes)} xã, phường"
        if self.failed:
            text += f"; {len(self.failed)} tệp bị từ chối"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "imported": len(self.files) - len(self.failed),
                "failed": len(self.failed), "communes": self.communes, "seconds": round(self.seconds, 2)}


def package_files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == EXTENSION),
                  key=lambda p: p.name.lower())


def _unpack(archive: Path, into: Path, cancel: Callable[[], bool] | None) -> list[Path]:
    """The ``.cdspkg`` members of a zip, streamed (checked) into *into*; other members are ignored."""
    out: list[Path] = []
    with open(archive, "rb") as fh:
        checked = open_checked(fh, archive.name, PACKAGE_LIMITS, allow_dirs=True)
        try:
            used: set[str] = set()
            for info in checked.infos:
                leaf = info.filename.rsplit("/", 1)[-1]
                if info.is_dir() or not leaf.lower().endswith(EXTENSION):
                    continue
                name = leaf
                while name.lower() in used:  # the same name in two folders of the zip
                    name = f"{len(used)}-{leaf}"
                used.add(name.lower())
                target = into / name
                with open(target, "wb") as dest:
                    stream_member(checked, info, dest, cancel=cancel)
                out.append(target)
        finally:
            checked.close()
    return sorted(out, key=lambda p: p.name.lower())


def _package_facts(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and the commune records of a package that has just been imported (so verified)."""
    with open(path, "rb") as fh:
        checked = open_checked(fh, path.name, PACKAGE_LIMITS, strict_layout=True)
        try:
            manifest = json.loads(read_member(checked, MANIFEST, _SMALL))
            communes: list[dict[str, Any]] = []
            if checked.info("records/communes.jsonl") is not None:
                data = read_member(checked, "records/communes.jsonl", _SMALL)
                communes = [json.loads(line) for line in data.splitlines() if line.strip()]
        finally:
            checked.close()
    return manifest, communes


def _created(manifest: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(manifest.get("created_at", "")))
    except ValueError:
        return None


def register_sources(session: Session, path: Path, manifest: dict[str, Any], communes: list[dict[str, Any]]
                     ) -> list[str]:
    """Record the package's communes in ``rollup_sources`` (newest package wins); returns their uuids."""
    created = _created(manifest)
    installation = str((manifest.get("source") or {}).get("installation", ""))
    found = []
    for record in communes:
        if record.get("deleted_at"):
            continue
        uuid = str(record["uuid"])
        found.append(uuid)
        name = f"{record.get('kind', '')} {record.get('name', '')}".strip()
        source = session.get(RollupSource, uuid)
        if source is None:
            source = RollupSource(commune_uuid=uuid, packages=0)
            session.add(source)
        source.packages = (source.packages or 0) + 1
        source.imported_at = utcnow()
        newer = source.package_created_at is None or (created is not None and created >= source.package_created_at)
        if newer:
            source.commune_name = name
            source.installation = installation
            source.package_uuid = str(manifest.get("package_uuid", ""))
            source.package_created_at = created
            source.file_name = path.name
    session.flush()
    return found


def import_packages(db: Database, source: str | Path, *, today: date | None = None, progress: Progress | None = None,
                    cancel: Callable[[], bool] | None = None, **import_options: Any) -> RollupImport:
    """Import every package of the folder or zip *source*; *import_options* go to ``import_package``."""
    started = time.perf_counter()
    source = Path(source)
    if not source.exists():
        raise NotFoundError(f"Không tìm thấy «{source}».")
    today = today or date.today()
    staging = db.paths.data_dir / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix="zip-", dir=staging)) if source.is_file() else None
    try:
        if unpacked is not None:
            if source.suffix.lower() == EXTENSION:
                files = [source]
            else:
                try:
                    files = _unpack(source, unpacked, cancel)
                except RejectedFile as exc:
                    raise ServiceError(str(exc)) from exc
        else:
            files = package_files(source)
        if not files:
            raise ServiceError(f"«{source.name}» không có gói dữ liệu (.cdspkg) nào.")
        results: list[FileResult] = []
        touched: list[str] = []
        total = len(files) + 1
        for number, path in enumerate(files):
            if cancel is not None and cancel():
                raise ExchangeCancelled()
            if progress is not None:
                progress(number, total, f"Đang nhận {path.name} ({number + 1}/{len(files)})…")
            result = _import_one(db, path, cancel, import_options)
            results.append(result)
            touched += [u for u in result.communes if u not in touched]
        if progress is not None:
            progress(len(files), total, "Đang tính số liệu tổng hợp…")
        with db.session(source="rollup") as session:
            set_receiving(session, True)
            snapshot_communes(session, touched, today)
            names = [s.commune_name for s in (session.get(RollupSource, u) for u in touched) if s is not None]
        if progress is not None:
            progress(total, total, "Xong.")
    finally:
        if unpacked is not None:
            shutil.rmtree(unpacked, ignore_errors=True)
    batch = RollupImport(results, names, time.perf_counter() - started)
    log.info("Rollup import of %s: %s (%.2fs)", source, batch.summary(), batch.seconds)
    return batch


def _import_one(db: Database, path: Path, cancel: Callable[[], bool] | None,
                import_options: dict[str, Any]) -> FileResult:
    try:
        result = import_package(db, path, cancel=cancel, **import_options)
    except ExchangeCancelled:
        raise
    except SignerRefused as exc:  # an office not trusted yet (or no signature…): this file only
        return FileResult(path.name, False, str(exc), refused=exc.kind,
                          signer=exc.signer.to_dict() if exc.signer is not None else None)
    except ServiceError as exc:  # RejectedFile, ExchangeError...: this file only
        return FileResult(path.name, False, str(exc))
    except Exception as exc:  # a bug on one file must not stop the others
        log.exception("Unexpected failure importing %s", path)
        return FileResult(path.name, False, f"Tệp «{path.name}»: lỗi không mong đợi ({exc}); xem tệp nhật ký.")
    manifest, communes = _package_facts(path)
    with db.session(source="rollup") as session:
        uuids = register_sources(session, path, manifest, communes)
    return FileResult(path.name, True, result.summary(), uuids, dict(result.counts), result.plan.package_uuid)
