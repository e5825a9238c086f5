"""Change history of a record, read from the audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import AUDIT_ACTIONS, Assignment, AuditEntry, Item

FIELD_LABELS = {
    "number": "STT", "local_number": "Số trong nhóm", "content": "Nội dung", "target_text": "Chỉ tiêu/mục tiêu",
    "guiding_agency": "Sở, ngành hướng dẫn", "lead_text": "Đơn vị chủ trì", "coordinating_text": "Đơn vị phối hợp",
    "leader_text": "Lãnh đạo chỉ đạo", "deadline_text": "Thời hạn", "basis": "Căn cứ", "note": "Ghi chú",
    "expected_result": "Kết quả cần đạt", "output_product": "Sản phẩm đầu ra", "position": "Thứ tự",
    "group_id": "Nhóm", "role": "Vai trò", "name": "Tên", "short_name": "Tên viết tắt", "kind": "Loại",
    "title": "Tiêu đề", "label": "Ký hiệu", "signer": "Người ký", "issue_date": "Ngày ban hành", "tracking_start": "Theo dõi từ ngày",
    "deleted_at": "Trạng thái xóa", "leader_id": "Lãnh đạo", "specialist_id": "Chuyên viên chủ trì",
    "co_specialist_id": "Chuyên viên phối hợp", "unit_id": "Đơn vị", "phone": "Điện thoại",
    # Read by the parsers from the text as written:
    "target_source": "Nguồn chỉ tiêu", "target_comparator": "Chỉ tiêu (so sánh)", "target_value": "Chỉ tiêu (giá trị)",
    "target_value_max": "Chỉ tiêu (giá trị trên)", "target_unit": "Chỉ tiêu (đơn vị tính)",
    "target_understood": "Hiểu được chỉ tiêu", "deadline_kind": "Loại thời hạn", "due_date": "Hạn tính được",
    "start_date": "Ngày bắt đầu", "recurrence": "Định kỳ", "deadline_understood": "Hiểu được thời hạn",
    "extra": "Cột khác", "email": "Thư điện tử", "solution": "Giải pháp", "schedule": "Tiến độ thực hiện",
    "completion": "Tiến độ hoàn thành", "status": "Trạng thái", "year": "Năm", "place": "Địa danh",
    "recipients": "Nơi nhận", "authority": "Thẩm quyền ký",
    "report_day": "Ngày báo cáo hằng tháng", "appendices": "Phụ lục", "contacts": "Đầu mối liên hệ",
    "declared_count": "Số mục ghi trong văn bản", "commune_id": "Xã/phường", "alias": "Tên gọi khác",
}


def field_label(field: str) -> str:
    """Vietnamese label of a field ("" fields fall back to the raw name)."""
    return FIELD_LABELS.get(field, field)


def history_for(session: Session, uuids: list[str], limit: int = 500) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity_uuid.in_(uuids))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def item_history(session: Session, item: Item, limit: int = 500) -> list[AuditEntry]:
    """Entries about the item and about its assignments, newest first."""
    assignment_uuids = list(session.scalars(select(Assignment.uuid).where(Assignment.item_id == item.id)
            .execution_options(include_deleted=True)))
    return history_for(session, [item.uuid, *assignment_uuids], limit)


def describe(entry: AuditEntry) -> str:
    """A one-line Vietnamese description of an audit entry."""
    action = AUDIT_ACTIONS.get(entry.action, entry.action)
    what = {"items": "mục", "assignments": "phân công", "units": "đơn vị", "people": "người",
            "groups": "nhóm", "plans": "kế hoạch", "unit_aliases": "tên gọi khác"}.get(entry.entity, entry.entity)
    if entry.action == "update":
        label = field_label(entry.field)
        return f"{action} {label}: «{entry.old_value or ''}» → «{entry.new_value or ''}»"
    return f"{action} {what}"


__all__ = ["FIELD_LABELS", "describe", "field_label", "history_for", "item_history"]
