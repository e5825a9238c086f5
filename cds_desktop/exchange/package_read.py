"""Verifying a data package before anything is written.

:func:`verify_package` checks, in order: the seal (a damaged or truncated file
fails here), the zip directory and layout (:mod:`.zipsafe`), the member names
against the format's whitelist, the manifest (complete, supported format and
schema), the seal digest against the manifest, the member list against the
zip, the signature over the manifest (:mod:`.package_sign`) and the trust in its
signer (:mod:`.trust`); then it streams every member into a fresh staging folder, counting and
hashing, and compares with the manifest; finally it parses and validates every
record.  Only a :class:`VerifiedPackage` reaches the merge; the staging folder
is removed when it is closed.  Nothing outside the staging folder is written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cds_desktop.database.errors import StorageError, os_reason
from cds_desktop.database.migrate import head_revision, known_revisions
from cds_desktop.exchange import package_format as fmt
from cds_desktop.exchange.errors import ExchangeCancelled, MissingFile, RejectedFile
from cds_desktop.exchange.package_sign import check_signature
from cds_desktop.exchange.record_lines import MAX_LINE, loads_record, record_lines
from cds_desktop.exchange.records import RecordError, convert_record, decode_record, spec_by_name, table_specs
from cds_desktop.exchange.trust import Signer
from cds_desktop.exchange.zipsafe import (
    PACKAGE_LIMITS,
    CheckedZip,
    ZipLimits,
    open_checked,
    read_member,
    stream_member,
)
from cds_desktop.services.leftovers import STAGING_PREFIX, owner_prefix
from cds_desktop.text import format_mb

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
SignerCheck = Callable[[Signer | None, str], Signer | None]  # (verified signer or None, file name)


@dataclass
class _PendingEvidence:
    thread: threading.Thread
    stop: threading.Event
    failure: list[BaseException]
    quiet: threading.Event  # set: the caller's own progress is shown meanwhile


@dataclass
class VerifiedPackage:
    path: Path
    display: str
    manifest: dict[str, Any]
    staging: Path
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # empty when streamed
    evidence: dict[str, Path] = field(default_factory=dict)  # sha256 -> staged file
    size: int = 0
    signer: Signer | None = None  # verified signature (None: unsigned package, allowed)
    streamed: bool = False  # records checked, then left in the staging folder: read with table_records()
    counts: dict[str, int] = field(default_factory=dict)  # records per table
    # Evidence still being staged (``verify_package(evidence_later=True)``): see wait_evidence()
    _pending: _PendingEvidence | None = field(default=None, repr=False)
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)  # the package file, once read

    @property
    def evidence_listed(self) -> set[str]:
        """The sha256 of every evidence file the manifest lists (all staged once verified)."""
        return {m["name"].partition("/")[2] for m in self.manifest["members"]
                if m["name"].startswith(fmt.EVIDENCE_PREFIX)}

    def wait_evidence(self, cancel: Callable[[], bool] | None = None) -> None:
        """Wait for the evidence files still being staged; their failure (a damaged or altered
        file, a full disk) is raised here.  A no-op for a package verified completely."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.thread.join()
        self._release()
        if pending is not None and pending.failure:
            raise pending.failure[0]
        if pending is not None and cancel is not None and cancel():
            raise ExchangeCancelled()

    def _release(self) -> None:
        while self._closers:
            self._closers.pop(0)()

    def table_records(self, name: str, chunk: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """The records of table *name*, *chunk* at a time: from memory, or (a streamed package)
        read again from the staged file, which :func:`verify_package` has checked (so only the
        conversions of :func:`.records.decode_record` are done again, not its checks)."""
        if not self.streamed:
            records = self.records.get(name) or []
            for start in range(0, len(records), chunk):
                yield records[start:start + chunk]
            return
        if not self.counts.get(name):
            return
        spec = spec_by_name()[name]
        batch: list[dict[str, Any]] = []
        for _number, raw in record_lines(self.staging / "records" / f"{name}.jsonl"):
            batch.append(convert_record(spec, loads_record(raw)))
            if len(batch) >= chunk:
                yield batch
                batch = []
        if batch:
            yield batch

    @property
    def package_uuid(self) -> str:
        return str(self.manifest["package_uuid"])

    @property
    def source_installation(self) -> str:
        return str(self.manifest["source"]["installation"])

    @property
    def source_commune(self) -> str:
        return str(self.manifest["source"].get("commune", ""))

    @property
    def scope(self) -> dict[str, Any]:
        return dict(self.manifest.get("scope") or {})

    def close(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:  # stop staging first
            pending.stop.set()
            pending.thread.join()
        self._release()
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> VerifiedPackage:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def verify_package(
    path: str | os.PathLike[str],
    staging_root: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    limits: ZipLimits = PACKAGE_LIMITS,
    signer_check: SignerCheck | None = None,
    keep_records: bool = True,
    evidence_later: bool = False,
) -> VerifiedPackage:
    """Check *path* completely and stage its members; raises :class:`RejectedFile`.

    The signature over the manifest is verified right after the manifest; *signer_check*
    (the trust decision) then accepts the signer or raises, before anything is staged.
    Without *keep_records* the records are checked but not kept in memory (a streamed
    package: memory stays bounded whatever the package's size; see ``table_records``).
    With *evidence_later* it returns once the records are checked, while the evidence files
    are still being staged (and checked): the caller plans and writes the records meanwhile
    and calls :meth:`VerifiedPackage.wait_evidence` before it uses any evidence file and
    before it commits (an import waited ~3.4 s for them out of 24 s at city scale)."""
    source = Path(path)
    display = source.name
    try:
        fh = open(source, "rb")
    except FileNotFoundError as exc:
        raise MissingFile(display) from exc
    except OSError as exc:
        raise RejectedFile(display, f"không mở được tệp ({os_reason(exc)}).") from exc
    package: VerifiedPackage | None = None
    checked: CheckedZip | None = None
    try:
        checked = _check_structure(fh, display, limits)
        manifest = _check_manifest(fh, checked)
        signer = check_signature(checked, manifest)
        if signer_check is not None:
            signer = signer_check(signer, display)
        staging_root = Path(staging_root)
        staging_root.mkdir(parents=True, exist_ok=True)
        _check_space(checked, staging_root)
        staging = Path(tempfile.mkdtemp(prefix=owner_prefix(STAGING_PREFIX), dir=staging_root))
        package = VerifiedPackage(source, display, manifest, staging, size=checked.file_size, signer=signer,
                                  streamed=not keep_records, _closers=[checked.close, fh.close])
        try:
            _stage(checked, package, progress, cancel)  # parses and checks the records too
            if not evidence_later:
                package.wait_evidence(cancel)
            elif package._pending is not None:
                package._pending.quiet.set()
        except BaseException:
            package.close()
            raise
    finally:
        if package is None:  # refused before staging: the package file is not handed over
            if checked is not None:
                checked.close()
            fh.close()
    log.info("Verified package %s (%s): %d records, %d evidence files%s", display, package.package_uuid,
             sum(package.counts.values()), len(package.evidence_listed),
             " (still being staged)" if package._pending is not None else "")
    return package


def package_signer(path: str | os.PathLike[str], limits: ZipLimits = PACKAGE_LIMITS) -> Signer | None:
    """Who signed the package at *path* (seal, manifest and signature checked; nothing staged)."""
    source = Path(path)
    try:
        fh = open(source, "rb")
    except FileNotFoundError as exc:
        raise MissingFile(source.name) from exc
    except OSError as exc:
        raise RejectedFile(source.name, f"không mở được tệp ({os_reason(exc)}).") from exc
    with fh:
        checked = _check_structure(fh, source.name, limits)
        try:
            return check_signature(checked, _check_manifest(fh, checked))
        finally:
            checked.close()


def _check_structure(fh: Any, display: str, limits: ZipLimits) -> CheckedZip:
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    if fmt.read_seal(fh, size) is None:
        raise RejectedFile(display, "không có dấu niêm phong của gói dữ liệu CĐS Desktop ở cuối tệp — tệp đã bị "
                                    "cắt cụt, bị sửa hoặc không phải là gói dữ liệu.")
    checked = open_checked(fh, display, limits, strict_layout=True)
    if checked.directory.comment_length != fmt.SEAL_LENGTH:
        checked.close()
        raise RejectedFile(display, "dấu niêm phong của gói dữ liệu không hợp lệ.")
    for info in checked.infos:
        if info.filename not in (fmt.MANIFEST, fmt.SIGNATURE) and not fmt.MEMBER_RE.match(info.filename):
            checked.close()
            raise RejectedFile(display, f"gói chứa thành phần lạ «{info.filename[:80]}».")
    return checked


def _check_manifest(fh: Any, checked: CheckedZip) -> dict[str, Any]:
    display = checked.display
    data = read_member(checked, fmt.MANIFEST, fmt.MAX_MANIFEST)
    manifest_sha = hashlib.sha256(data).hexdigest()
    seal = fmt.read_seal(fh, checked.file_size)
    try:
        digest = fmt.seal_digest(fh, checked.data_ranges, checked.file_size, manifest_sha)
    except ValueError as exc:
        raise RejectedFile(display, "tệp bị cắt cụt.") from exc
    if digest != seal:
        raise RejectedFile(display, "dấu niêm phong không khớp với nội dung — tệp đã bị hỏng hoặc bị sửa "
                                    "sau khi tạo.")
    try:
        manifest = fmt.check_manifest(loads_record(data))
    except fmt.ManifestError as exc:
        raise RejectedFile(display, f"{exc}.") from exc
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise RejectedFile(display, "bảng kê (manifest.json) không đọc được.") from exc
    listed = {m["name"]: m for m in manifest["members"]}
    present = {i.filename: i for i in checked.infos if i.filename not in (fmt.MANIFEST, fmt.SIGNATURE)}
    missing = sorted(set(listed) - set(present))
    extra = sorted(set(present) - set(listed))
    if missing:
        raise RejectedFile(display, f"thiếu thành phần «{missing[0]}» có trong bảng kê.")
    if extra:
        raise RejectedFile(display, f"thành phần «{extra[0]}» không có trong bảng kê.")
    for name, entry in listed.items():
        if present[name].file_size != entry["size"]:
            raise RejectedFile(display, f"kích thước thành phần «{name}» không khớp với bảng kê.")
    revision = manifest["schema_revision"]
    if revision not in known_revisions():
        raise RejectedFile(display, f"gói được tạo bởi phiên bản CĐS Desktop mới hơn (lược đồ {revision[:20]}); "
                                    "hãy cập nhật phần mềm.")
    if revision > head_revision():
        raise RejectedFile(display, f"lược đồ dữ liệu {revision} chưa được hỗ trợ.")
    specs = spec_by_name()
    for table in manifest["tables"]:
        if table not in specs:
            raise RejectedFile(display, f"gói có bảng dữ liệu lạ «{table[:50]}» (phiên bản mới hơn?).")
    return manifest


def _check_space(checked: CheckedZip, root: Path) -> None:
    margin = 64 << 20
    needed = sum(i.file_size for i in checked.infos) + margin
    free = shutil.disk_usage(root).free
    if needed > free:
        raise StorageError(f"Ổ đĩa đầy: không đủ chỗ trống ở {root} để kiểm tra gói «{checked.display}» "
                           f"(cần {format_mb(needed)}, gồm {format_mb(margin)} dự phòng; còn {format_mb(free)}).")


def _stage(checked: CheckedZip, package: VerifiedPackage, progress: Progress | None,
           cancel: Callable[[], bool] | None) -> None:
    """Stream every member into the staging folder, hashing; records are parsed and checked
    while the evidence files are still being staged (in a second thread: hashing and file
    I/O release the GIL), so verification costs little more than reading the package.
    Returns with that thread still running (``package._pending``)."""
    listed = {m["name"]: m for m in package.manifest["members"]}
    (package.staging / "records").mkdir()
    (package.staging / "evidence").mkdir()
    total = sum(m["size"] for m in listed.values())
    done = 0
    lock = threading.Lock()
    quiet = threading.Event()

    def step(n: int) -> None:
        nonlocal done
        with lock:
            done += n
            report = progress is not None and not quiet.is_set() and (done % (8 << 20) < n or done == total)
        if report:
            progress(done, total, "Đang kiểm tra gói dữ liệu…")

    infos = sorted((i for i in checked.infos if i.filename in listed), key=lambda i: i.header_offset)
    records = [i for i in infos if i.filename.startswith(fmt.RECORDS_PREFIX)]
    evidence = [i for i in infos if i.filename.startswith(fmt.EVIDENCE_PREFIX)]
    for info in records:
        _stage_one(checked, package, info, listed[info.filename], step, cancel)
    stop = threading.Event()
    failure: list[BaseException] = []

    def stopped() -> bool:
        return stop.is_set() or (cancel is not None and cancel())

    def stage_evidence() -> None:
        try:
            for info in evidence:
                _stage_one(checked, package, info, listed[info.filename], step, stopped)
        except BaseException as exc:  # handed over to the main thread
            failure.append(exc)

    worker = threading.Thread(target=stage_evidence, name="stage-evidence", daemon=True)
    worker.start()
    try:
        _parse_records(package)
    except BaseException:
        stop.set()
        worker.join()
        raise
    package._pending = _PendingEvidence(worker, stop, failure, quiet)  # joined by wait_evidence() or close()


def _stage_one(checked: CheckedZip, package: VerifiedPackage, info: Any, entry: dict[str, Any],
               step: Callable[[int], None], cancel: Callable[[], bool] | None) -> None:
    folder, _, leaf = info.filename.partition("/")
    target = package.staging / folder / leaf  # both parts matched the whitelist pattern
    hasher = hashlib.sha256()
    with open(target, "wb") as out:
        stream_member(checked, info, out, hasher=hasher, progress=step, cancel=cancel)
    if hasher.hexdigest() != entry["sha256"]:
        raise RejectedFile(package.display, f"mã băm của thành phần «{info.filename}» không khớp với bảng kê.")
    if folder == "evidence":
        package.evidence[leaf] = target


def _parse_records(package: VerifiedPackage) -> None:
    tables = package.manifest["tables"]
    seen: set[str] = set()
    for spec in table_specs():
        info = tables.get(spec.name)
        if info is None:
            continue
        staged = package.staging / "records" / f"{spec.name}.jsonl"
        records: list[dict[str, Any]] = []
        count = 0
        for number, line in record_lines(staged):
            if len(line) > MAX_LINE:
                raise RejectedFile(package.display, f"bản ghi {number} của bảng «{spec.label}» quá lớn.")
            try:
                record = decode_record(spec, loads_record(line))
            except RecordError as exc:
                raise RejectedFile(package.display, f"bản ghi {number} của bảng «{spec.label}»: {exc}.") from exc
            except (ValueError, RecursionError, UnicodeDecodeError) as exc:
                raise RejectedFile(package.display,
                                   f"bản ghi {number} của bảng «{spec.label}» không đọc được.") from exc
            if record["uuid"] in seen:
                raise RejectedFile(package.display, f"mã bản ghi {record['uuid']} xuất hiện hai lần.")
            seen.add(record["uuid"])
            count += 1
            if not package.streamed:
                records.append(record)
        if count != info["count"]:
            raise RejectedFile(package.display, f"số bản ghi của bảng «{spec.label}» không khớp với bảng kê.")
        package.counts[spec.name] = count
        if not package.streamed:
            package.records[spec.name] = records
            staged.unlink()
