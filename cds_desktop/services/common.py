"""Shared helpers of the service layer: errors, NFC at the boundary, lookups."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import Synced, utcnow
from cds_desktop.services.errors import (  # noqa: F401 - the errors are used from here too
    BadValueError,
    NotFoundError,
    OutputExists,
    ServiceError,
    StorageFailure,
    refuse_existing,
)
from cds_desktop.text import fold, nfc

T = TypeVar("T", bound=Synced)


# What a record of each table is called in messages (table names never reach the officer).
RECORD_NAMES = {
    "plans": "kế hoạch", "groups": "nhóm", "items": "chỉ tiêu, nhiệm vụ", "units": "đơn vị",
    "unit_aliases": "tên gọi khác của đơn vị", "people": "người", "evidence": "minh chứng",
    "evidence_links": "liên kết minh chứng", "assignments": "phân công", "communes": "xã",
    "reporting_periods": "kỳ báo cáo", "reporting_calendars": "lịch báo cáo", "task_progress": "tiến độ nhiệm vụ",
    "indicator_values": "số liệu chỉ tiêu", "saved_filters": "bộ lọc đã lưu", "village_checks": "kết quả thôn",
}


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """NFC-normalise and strip every string value (recursively in lists/dicts)."""
    return {key: _clean(value) for key, value in fields.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {nfc(str(k)): _clean(v) for k, v in value.items()}
    return value


def apply_fields(obj: Synced, fields: dict[str, Any], allowed: set[str]) -> list[str]:
    """Set the allowed attributes that really change; return their names."""
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}")
    changed = []
    for key, value in clean_fields(fields).items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return changed


def get(session: Session, model: type[T], uuid: str, *, include_deleted: bool = False) -> T:
    obj = session.scalar(select(model).where(model.uuid == uuid).execution_options(include_deleted=True))
    if obj is None or (obj.deleted_at is not None and not include_deleted):
        raise NotFoundError(f"Không tìm thấy {RECORD_NAMES.get(model.__tablename__, 'bản ghi')} {uuid}.")
    return obj


def tombstone(obj: Synced) -> None:
    if obj.deleted_at is None:
        obj.deleted_at = utcnow()


def restore(obj: Synced) -> None:
    obj.deleted_at = None


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape ``\\``) for folded *text*, matching anywhere."""
    folded = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"
