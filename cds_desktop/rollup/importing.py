"""Receiving many communes' packages: a folder of ``.cdspkg`` files or a ``.zip`` of them.

Each package is verified and applied by the exchange on its own (verification, merge by
uuid and version vectors, one transaction per package): a newer package of a commune
replaces what an older one brought by the exchange's rules, and a stale one changes
nothing.  A bad file is reported and the others go on.  The batch is a pipeline: while
one package is applied (:func:`cds_desktop.exchange.packages.apply_prepared`), a worker
thread verifies and stages the next (:func:`~cds_desktop.exchange.packages.prepare_package`:
reading the zip once, hashing while reading, no database) and removes the staging folder
of the one before.  After the files, in one transaction, the data folder is put in
receiving mode, the communes are recorded in ``rollup_sources`` (with the newest
package's creation time, read from the staged manifest and commune records) and their
figures are recomputed once (:mod:`.snapshot`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.exchange.errors import ExchangeCancelled, RejectedFile
from cds_desktop.exchange.package_format import EXTENSION
from cds_desktop.exchange.package_read import VerifiedPackage
from cds_desktop.exchange.packages import apply_prepared, prepare_package
from cds_desktop.exchange.trust import SignerRefused
from cds_desktop.exchange.zipsafe import PACKAGE_LIMITS, open_checked, stream_member
from cds_desktop.models import RollupSource, utcnow
from cds_desktop.rollup.mode import set_receiving
from cds_desktop.rollup.snapshot import snapshot_communes
from cds_desktop.services.common import NotFoundError, ServiceError

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
STAGING_DIR = "rollup-staging"


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


def _package_facts(package: VerifiedPackage) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest and the commune records of a verified package (from its staging folder)."""
    communes: list[dict[str, Any]] = []
    staged = package.staging / "records" / "communes.jsonl"
    if package.counts.get("communes") and staged.exists():
        with open(staged, "rb") as fh:
            communes = [json.loads(line) for line in fh if line.strip()]
    return package.manifest, communes


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


@dataclass
class _Prepared:
    path: Path
    package: VerifiedPackage | None = None
    facts: tuple[dict[str, Any], list[dict[str, Any]]] | None = None
    failure: FileResult | None = None


def import_packages(db: Database, source: str | Path | Sequence[str | Path], *, today: date | None = None,
                    progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
                    **import_options: Any) -> RollupImport:
    """Import every package of *source*: a folder, a zip, one ``.cdspkg``, or several of those (what the
    officer dropped on the screen); *import_options* (``trust_new``, ``allow_unsigned``,
    ``resolutions``) go to the exchange as for ``import_package``."""
    started = time.perf_counter()
    sources = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    for path in sources:
        if not path.exists():
            raise NotFoundError(f"Không tìm thấy «{path}».")
    today = today or date.today()
    staging = db.paths.data_dir / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix="zip-", dir=staging)) if any(p.is_file() for p in sources) else None
    try:
        files = _package_files_of(sources, unpacked, cancel)
        if not files:
            names = ", ".join(f"«{p.name}»" for p in sources)
            raise ServiceError(f"{names} không có gói dữ liệu (.cdspkg) nào.")
        results, applied = _pipeline(db, files, progress, cancel, import_options)
        total = len(files) + 1
        if progress is not None:
            progress(len(files), total, "Đang tính số liệu tổng hợp…")
        with db.session(source="rollup") as session:
            touched = _register_all(session, applied, results)
            set_receiving(session, True)
            snapshot_communes(session, touched, today)
            names = [s.commune_name for s in (session.get(RollupSource, u) for u in touched) if s is not None]
        if progress is not None:
            progress(total, total, "Xong.")
    finally:
        if unpacked is not None:
            shutil.rmtree(unpacked, ignore_errors=True)
    batch = RollupImport(results, names, time.perf_counter() - started)
    log.info("Rollup import of %s: %s (%.2fs)", ", ".join(map(str, sources)), batch.summary(), batch.seconds)
    return batch


def _package_files_of(sources: list[Path], unpacked: Path | None, cancel: Callable[[], bool] | None) -> list[Path]:
    """The packages of each source in turn: a folder's, a zip's (unpacked under *unpacked*), a package."""
    files: list[Path] = []
    for number, path in enumerate(sources):
        if path.is_dir():
            found = package_files(path)
        elif path.suffix.lower() == EXTENSION:
            found = [path]
        else:
            assert unpacked is not None
            into = unpacked / str(number)
            into.mkdir()
            try:
                found = _unpack(path, into, cancel)
            except RejectedFile as exc:
                raise ServiceError(str(exc)) from exc
        files += [f for f in found if f not in files]
    return files


def _register_all(session: Session, applied: list[tuple[int, Path, dict[str, Any], list[dict[str, Any]]]],
                  results: list[FileResult]) -> list[str]:
    """Record the applied packages' communes (in the files' order); returns the communes touched."""
    touched: list[str] = []
    for index, path, manifest, communes in applied:
        uuids = register_sources(session, path, manifest, communes)
        results[index].communes = uuids
        touched += [u for u in uuids if u not in touched]
    return touched


def _pipeline(db: Database, files: list[Path], progress: Progress | None, cancel: Callable[[], bool] | None,
              import_options: dict[str, Any]) -> tuple[list[FileResult], list[tuple]]:
    """Apply the files in order while a worker thread prepares the next one and cleans up the last."""
    trust = {k: import_options[k] for k in ("trust_new", "allow_unsigned") if k in import_options}
    results: list[FileResult] = []
    applied: list[tuple[int, Path, dict[str, Any], list[dict[str, Any]]]] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rollup-prepare") as worker:
        pending = worker.submit(_prepare, db, files[0], cancel, trust)
        try:
            for number, path in enumerate(files):
                if cancel is not None and cancel():
                    raise ExchangeCancelled()
                if progress is not None:
                    progress(number, len(files) + 1, f"Đang nhận {path.name} ({number + 1}/{len(files)})…")
                prepared = pending.result()
                pending = worker.submit(_prepare, db, files[number + 1], cancel, trust) \
                    if number + 1 < len(files) else None
                try:
                    result = prepared.failure or _apply_one(db, prepared, cancel, import_options)
                finally:
                    if prepared.package is not None:
                        worker.submit(prepared.package.close)
                results.append(result)
                if result.ok and prepared.facts is not None:
                    applied.append((len(results) - 1, path, *prepared.facts))
        except BaseException:
            if pending is not None:  # the package being prepared: wait for it, then drop its staging
                with contextlib.suppress(BaseException):
                    late = pending.result()
                    if late.package is not None:
                        late.package.close()
            if applied:  # what was committed is recorded even when the batch stops
                with contextlib.suppress(Exception), db.session(source="rollup") as session:
                    _register_all(session, applied, results)
            raise
    return results, applied


def _prepare(db: Database, path: Path, cancel: Callable[[], bool] | None, trust: dict[str, Any]) -> _Prepared:
    try:
        package = prepare_package(db, path, cancel=cancel, **trust)
    except ExchangeCancelled:
        raise
    except Exception as exc:
        return _Prepared(path, failure=_failure(path, exc))
    try:
        return _Prepared(path, package, _package_facts(package))
    except Exception as exc:
        package.close()
        return _Prepared(path, failure=_failure(path, exc))


def _apply_one(db: Database, prepared: _Prepared, cancel: Callable[[], bool] | None,
               import_options: dict[str, Any]) -> FileResult:
    path, package = prepared.path, prepared.package
    assert package is not None
    try:
        result = apply_prepared(db, package, cancel=cancel, **import_options)
    except ExchangeCancelled:
        raise
    except Exception as exc:
        return _failure(path, exc)
    return FileResult(path.name, True, result.summary(), [], dict(result.counts), result.plan.package_uuid)


def _failure(path: Path, exc: Exception) -> FileResult:
    """A file that could not be received: this file only, the batch goes on."""
    if isinstance(exc, SignerRefused):  # an office not trusted yet (or no signature…)
        return FileResult(path.name, False, str(exc), refused=exc.kind,
                          signer=exc.signer.to_dict() if exc.signer is not None else None)
    if isinstance(exc, ServiceError):  # RejectedFile, ExchangeError...
        return FileResult(path.name, False, str(exc))
    log.error("Unexpected failure importing %s", path, exc_info=exc)  # a bug on one file must not stop the others
    return FileResult(path.name, False, f"Tệp «{path.name}»: lỗi không mong đợi ({exc}); xem tệp nhật ký.")
