"""Attach files as evidence, link and unlink, edit, delete (tombstone) and restore.

:func:`attach_files` copies every file into the store first, outside any
database transaction (it may take minutes; from the command line it starts
while the database opens, see :mod:`.early`), then records everything in one
short session.  It is all or nothing: a file that cannot be read, that changes
while being copied, a full disk or a cancel leaves no record, and the files it
had newly added to the store are removed again.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.database import Database
from cds_desktop.models import EVIDENCE_KINDS, Evidence, EvidenceLink, Unit, utcnow
from cds_desktop.services.common import NotFoundError, ServiceError, get
from cds_desktop.services.evidence import store as store_mod
from cds_desktop.services.evidence.copying import inspect_sources, store_files
from cds_desktop.services.evidence.early import EarlyCopy
from cds_desktop.services.evidence.link_targets import resolve_targets, target_type
from cds_desktop.services.evidence.periods import normalize_period
from cds_desktop.text import fold, nfc

log = logging.getLogger(__name__)

Target = tuple[str, str]  # (target_type, target_uuid)
ProgressCallback = Callable[[int, int, str], None]  # (bytes done, bytes total, text)

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic"}
_EXTRA_MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "heic": "image/heic",
}
# Words in a file name that say what the document is (folded).
_KIND_HINTS = (
    ("decision", r"\bqd\b|quyet dinh"),
    ("minutes", r"\bbb\b|bien ban"),
    ("report", r"\bbc\b|bao cao"),
    ("plan", r"\bkh\b|ke hoach"),
    ("dispatch", r"\bcv\b|cong van"),
)
METADATA_FIELDS = {"kind", "doc_number", "doc_date", "issuer", "description", "period", "unit_uuid", "original_name"}


@dataclass
class EvidenceMetadata:
    kind: str | None = None  # None: guessed from the file (photos → "image", "QĐ" → "decision" ...)
    doc_number: str = ""
    doc_date: date | None = None
    issuer: str = ""
    description: str = ""
    period: str = ""  # a code ("2026-05") or as written ("Quý II/2026")
    unit_uuid: str | None = None


@dataclass(frozen=True)
class AttachedFile:
    evidence_uuid: str
    original_name: str
    sha256: str
    size: int
    new_file: bool  # the content was not in the store before
    new_evidence: bool  # False: this content was already evidence; it got new links
    new_links: int


@dataclass
class AttachResult:
    files: list[AttachedFile] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        new = sum(1 for f in self.files if f.new_evidence)
        text = f"Đã gắn {len(self.files)} tệp minh chứng"
        if new != len(self.files):
            text += f" ({len(self.files) - new} tệp đã có sẵn trong kho, chỉ thêm liên kết)"
        return text + "."


def guess_kind(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in IMAGE_EXTENSIONS:
        return "image"
    folded = re.sub(r"[_\-./]+", " ", fold(name))
    for kind, pattern in _KIND_HINTS:
        if re.search(pattern, folded):
            return kind
    return "other"


def file_type(name: str) -> tuple[str, str]:
    """``(extension, mime)`` from the original name (metadata only)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = ext if len(ext) <= 20 and ext.isalnum() else ""
    mime = (_EXTRA_MIME.get(ext) or mimetypes.guess_type(f"x.{ext}")[0]) if ext else None
    return ext, mime or "application/octet-stream"


def _cancel_fn(cancel: Any) -> Callable[[], bool] | None:
    if cancel is None:
        return None
    if isinstance(cancel, threading.Event) or hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


def _clean_metadata(session: Session, meta: EvidenceMetadata) -> dict[str, Any]:
    if meta.kind is not None and meta.kind not in EVIDENCE_KINDS:
        raise ServiceError(f"Loại minh chứng không hợp lệ: {meta.kind}")
    values: dict[str, Any] = {
        "doc_number": nfc(meta.doc_number).strip(),
        "doc_date": meta.doc_date,
        "issuer": nfc(meta.issuer).strip(),
        "description": nfc(meta.description).strip(),
        "period": normalize_period(meta.period),
        "unit": get(session, Unit, meta.unit_uuid) if meta.unit_uuid else None,
    }
    if meta.kind is not None:
        values["kind"] = meta.kind
    return values


def _check_targets(session: Session, targets: Sequence[Target]) -> dict:
    if not targets:
        raise ServiceError("Chưa chọn mục cần gắn minh chứng.")
    for kind, _uuid in targets:
        if target_type(kind) is None:
            raise ServiceError(f"Không thể gắn minh chứng vào loại bản ghi «{kind}».")
    found = resolve_targets(session, targets)
    for pair in targets:
        info = found.get(tuple(pair))
        if info is None or info.deleted:
            what = target_type(pair[0]).label.lower()
            raise NotFoundError(f"Không tìm thấy {what} {pair[1]} để gắn minh chứng (có thể đã bị xóa).")
    return found


def attach_files(
    db: Database,
    paths: Sequence[str | os.PathLike[str]],
    targets: Sequence[Target],
    metadata: EvidenceMetadata | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: Any = None,
    source: str = "ui",
    early: EarlyCopy | None = None,
) -> AttachResult:
    """Store *paths* and link them to every target; see the module docstring.  *early*: the
    same *paths* already being copied (:mod:`.early`, the command line); waited for here."""
    started = early.started if early is not None else time.perf_counter()
    meta = metadata or EvidenceMetadata()
    targets = list(dict.fromkeys((str(t), str(u)) for t, u in targets))
    try:
        if not paths:
            raise ServiceError("Chưa chọn tệp nào.")
        with db.session(source=source) as session:  # validate before recording anything
            found = _check_targets(session, targets)
            _clean_metadata(session, meta)
        if early is not None and Path(early.root) != Path(db.evidence_dir):
            log.warning("Store folder is %s, not %s: copying again", db.evidence_dir, early.root)
            discard_early(db, early)
            early = None
        sources = early.sources if early is not None else inspect_sources(paths)
    except BaseException:
        if early is not None:
            discard_early(db, early)
        raise

    store = store_mod.EvidenceStore(db.evidence_dir)
    total = sum(s.size for s in sources)
    stored: list[store_mod.StoredFile] = early.stored if early is not None else []
    committed = False
    cancelled = _cancel_fn(cancel)
    try:
        if early is not None:
            early.wait()
        else:
            store_files(store, sources, stored, progress=progress, cancel=cancelled)
        with db.session(source=source) as session:
            attached = _record(session, sources, stored, targets, meta, found)
            store_mod._fault("before_commit")
        committed = True
    finally:
        for item in stored:
            store_mod.release(item.sha256)
        if not committed:
            _discard_unreferenced(db, store, [s.sha256 for s in stored if s.created])
    result = AttachResult(attached, total, time.perf_counter() - started)
    log.info("Attached %d file(s), %d bytes in %.2fs to %s", len(attached), total, result.seconds, targets)
    return result


def _record(
    session: Session,
    sources: list[store_mod.SourceFile],
    stored: list[store_mod.StoredFile],
    targets: list[Target],
    meta: EvidenceMetadata,
    found: dict,
) -> list[AttachedFile]:
    values = _clean_metadata(session, meta)
    if values["unit"] is None:  # a progress report belongs to a unit and a period: inherit them
        units = {info.unit_id for info in found.values() if info.unit_id}
        if len(units) == 1:
            values["unit"] = session.get(Unit, units.pop())
    if not values["period"]:
        periods = {info.period for info in found.values() if info.period}
        if len(periods) == 1:
            values["period"] = periods.pop()
    # One query for the contents already recorded (the oldest row of each), one flush at the end.
    known: dict[str, Evidence] = {}
    shas = sorted({item.sha256 for item in stored})
    for evidence in session.scalars(
        select(Evidence).where(Evidence.sha256.in_(shas)).order_by(Evidence.id)
        .options(selectinload(Evidence.links))
    ) if shas else ():
        known.setdefault(evidence.sha256, evidence)
    rows = []
    for info, item in zip(sources, stored, strict=True):
        evidence = known.get(item.sha256)
        new_evidence = evidence is None
        if evidence is None:
            ext, mime = file_type(info.name)
            evidence = Evidence(
                sha256=item.sha256, size=item.size, original_name=info.name, extension=ext, mime=mime,
                kind=values.get("kind") or guess_kind(info.name),
            )
            session.add(evidence)
            known[item.sha256] = evidence  # the same content twice in one batch: one evidence
        for key, value in values.items():  # fill what is blank, never overwrite what the officer wrote
            if value and not getattr(evidence, key):
                setattr(evidence, key, value)
        new_links = sum(link_evidence(session, evidence, kind, uuid)[1] for kind, uuid in targets)
        rows.append((evidence, item, new_evidence, new_links))
    session.flush()
    return [
        AttachedFile(evidence.uuid, evidence.original_name, item.sha256, item.size, item.created, new_evidence, new_links)
        for evidence, item, new_evidence, new_links in rows
    ]


def discard_early(db: Database, early: EarlyCopy) -> None:
    """Cancel a copy started early; remove the files it added that no row refers to."""
    early.stop()
    try:
        for item in early.stored:
            store_mod.release(item.sha256)
        _discard_unreferenced(db, store_mod.EvidenceStore(early.root), [s.sha256 for s in early.stored if s.created])
    finally:
        early.stored = []


def _discard_unreferenced(db: Database, store: store_mod.EvidenceStore, shas: list[str]) -> None:
    """After a failed attach: remove the files it added, unless a row now refers to them."""
    if not shas:
        return
    try:
        with db.session(source="system") as session:
            used = set(session.scalars(select(Evidence.sha256).where(Evidence.sha256.in_(shas))
                                       .execution_options(include_deleted=True)))
    except Exception:  # the database is unreachable: keep the files, check/gc will see them
        log.exception("Could not check store files after a failed attach")
        return
    for sha in shas:
        if sha not in used and store.discard_new(sha):
            log.info("Removed store file %s added by a failed attach", sha)


# -- links ----------------------------------------------------------------------
def link_evidence(session: Session, evidence: Evidence, target_type_: str, target_uuid: str) -> tuple[EvidenceLink, bool]:
    """Link (or re-link) *evidence* to a record; returns ``(link, created_or_restored)``."""
    for link in evidence.links:
        if link.target_type == target_type_ and link.target_uuid == target_uuid:
            if link.deleted_at is None:
                return link, False
            link.deleted_at = None
            return link, True
    link = EvidenceLink(evidence=evidence, target_type=target_type_, target_uuid=target_uuid)
    session.add(link)
    return link, True


def link(session: Session, evidence_uuid: str, target: Target) -> bool:
    """Link an existing evidence to one more record; False if it was already linked."""
    evidence = get(session, Evidence, evidence_uuid)
    _check_targets(session, [target])
    _link, changed = link_evidence(session, evidence, *target)
    session.flush()
    return changed


def unlink(session: Session, evidence_uuid: str, target: Target) -> bool:
    """Remove one link (tombstone).  When nothing links to the evidence any more it is
    deleted too (tombstone; its file goes at the next garbage collection).  Returns
    True when the evidence itself was deleted."""
    evidence = get(session, Evidence, evidence_uuid)
    now = utcnow()
    found = False
    for entry in evidence.live_links:
        if (entry.target_type, entry.target_uuid) == tuple(target):
            entry.deleted_at = now
            found = True
    if not found:
        raise ServiceError("Minh chứng này không gắn với mục đã chọn.")
    if not evidence.live_links:
        evidence.deleted_at = now
    session.flush()
    return evidence.deleted_at is not None


def delete_evidence(session: Session, uuid: str) -> None:
    """Delete an evidence and all its links (tombstones, kept for exchange)."""
    evidence = get(session, Evidence, uuid)
    now = utcnow()
    for entry in evidence.live_links:
        entry.deleted_at = now
    evidence.deleted_at = now
    session.flush()


def restore_evidence(session: Session, uuid: str, store: store_mod.EvidenceStore) -> None:
    """Undo :func:`delete_evidence` (or the last unlink), if the file is still in the store."""
    evidence = get(session, Evidence, uuid, include_deleted=True)
    if evidence.deleted_at is None:
        return
    if not store.has(evidence.sha256):
        raise ServiceError(
            f"Không khôi phục được «{evidence.original_name}»: tệp đã được dọn khỏi kho minh chứng."
        )
    when = evidence.deleted_at
    for entry in evidence.links:
        if entry.deleted_at == when:
            entry.deleted_at = None
    evidence.deleted_at = None
    session.flush()


def update_evidence(session: Session, uuid: str, **fields: Any) -> list[str]:
    """Edit the metadata of an evidence (never its content); returns the changed fields."""
    unknown = set(fields) - METADATA_FIELDS
    if unknown:
        raise ServiceError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}")
    evidence = get(session, Evidence, uuid)
    if "kind" in fields and fields["kind"] not in EVIDENCE_KINDS:
        raise ServiceError(f"Loại minh chứng không hợp lệ: {fields['kind']}")
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "unit_uuid":
            values["unit_id"] = get(session, Unit, value).id if value else None
        elif key == "period":
            values["period"] = normalize_period(value)
        elif key == "doc_date":
            values["doc_date"] = value
        else:
            values[key] = nfc(value).strip()
    if "original_name" in values and not values["original_name"]:
        raise ServiceError("Tên minh chứng không được để trống.")
    changed = []
    for key, value in values.items():
        if getattr(evidence, key) != value:
            setattr(evidence, key, value)
            changed.append(key)
    session.flush()
    return changed
