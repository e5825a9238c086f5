"""Stable codes (stored) and their Vietnamese labels (shown)."""

from __future__ import annotations

# Task status reported by a unit for a period.
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"
DONE_LATE = "done_late"
BEHIND = "behind"
PAUSED = "paused"
CANCELLED = "cancelled"
STATUS_LABELS: dict[str, str] = {
    NOT_STARTED: "Chưa triển khai",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành",
    DONE_LATE: "Hoàn thành quá hạn",
    BEHIND: "Chậm tiến độ",
    PAUSED: "Tạm dừng",
    CANCELLED: "Không thực hiện",
}
STATUSES = tuple(STATUS_LABELS)
FINISHED = (DONE, DONE_LATE, CANCELLED)  # no further report expected for a one-off task
# Pseudo-status of an item nobody has reported on yet (never stored).
NO_REPORT = "no_report"
ITEM_STATUS_LABELS = {**STATUS_LABELS, NO_REPORT: "Chưa có báo cáo"}
# When several units report on one item, the item shows the status that most needs attention.
ATTENTION_ORDER = (BEHIND, PAUSED, NOT_STARTED, IN_PROGRESS, DONE_LATE, DONE, CANCELLED)
STATUS_RANK = {code: rank for rank, code in enumerate(ATTENTION_ORDER)}

# How a report reached the officer.
SOURCE_LABELS: dict[str, str] = {
    "paper": "Văn bản giấy",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "import": "Tệp nhập",
}
SOURCES = tuple(SOURCE_LABELS)

# Evaluation of an indicator against its target.
ACHIEVED = "achieved"
NOT_ACHIEVED = "not_achieved"
NO_DATA = "no_data"
NOT_EVALUABLE = "not_evaluable"
EVALUATION_LABELS: dict[str, str] = {
    ACHIEVED: "Đạt",
    NOT_ACHIEVED: "Chưa đạt",
    NO_DATA: "Chưa có số liệu",
    NOT_EVALUABLE: "Không đánh giá được",
}
EVALUATIONS = tuple(EVALUATION_LABELS)

# Warnings, in order of severity.
OVERDUE = "overdue"
MISSING_REPORT = "missing_report"
BEHIND_SCHEDULE = "behind_schedule"
AT_RISK = "at_risk"
DUE_SOON = "due_soon"
WARNING_LABELS: dict[str, str] = {
    OVERDUE: "Quá hạn",
    MISSING_REPORT: "Thiếu báo cáo",
    BEHIND_SCHEDULE: "Chậm tiến độ",
    AT_RISK: "Nguy cơ chậm",
    DUE_SOON: "Sắp đến hạn",
}
WARNING_KINDS = tuple(WARNING_LABELS)

# Cells of the completeness matrix (unit x period).
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_REQUIRED = "not_required"
PENDING = "pending"
CELL_LABELS: dict[str, str] = {
    ON_TIME: "Đúng hạn",
    LATE: "Muộn",
    MISSING: "Thiếu",
    NOT_REQUIRED: "Không yêu cầu",
    PENDING: "Chưa đến hạn",
}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def status_label(code: str | None) -> str:
    return ITEM_STATUS_LABELS.get(code or NO_REPORT, code or "")


def status_from_text(text: str) -> str | None:
    """A status code from a code, a label (any case/diacritics) or a digit 1–7; None if empty.

    Raises ``ValueError`` for text that is none of these.
    """
    from cds_desktop.text import fold

    value = (text or "").strip()
    if not value:
        return None
    if value in STATUS_LABELS:
        return value
    if value.isdigit() and 1 <= int(value) <= len(STATUSES):
        return STATUSES[int(value) - 1]
    folded = fold(value)
    for code, label in STATUS_LABELS.items():
        if fold(label) == folded:
            return code
    matches = [code for code, label in STATUS_LABELS.items() if fold(label).startswith(folded)]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(value)
