"""The marks, colours, roles and columns of the tracking tables (Qt-core only, no data layer):
shared by :mod:`.models` and the dashboard painted from its snapshot before the data layer loads."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cds_desktop.services.tracking import codes
from cds_desktop.ui.common.table_model import Column

ITEMS_ROLE = Qt.ItemDataRole.UserRole + 10  # list of item uuids behind a row
KEY_ROLE = Qt.ItemDataRole.UserRole + 11  # the row's key

WARNING_COLORS = {codes.OVERDUE: "#c62828", codes.MISSING_REPORT: "#ad1457", codes.BEHIND_SCHEDULE: "#e65100",
                  codes.AT_RISK: "#6a1b9a", codes.DUE_SOON: "#1565c0"}
CELL_COLORS = {codes.ON_TIME: "#c8e6c9", codes.LATE: "#ffe0b2", codes.MISSING: "#ffcdd2",
               codes.PENDING: "#eceff1", codes.NOT_REQUIRED: "#ffffff"}
CELL_MARKS = {codes.ON_TIME: "✓", codes.LATE: "M", codes.MISSING: "✗", codes.PENDING: "·",
              codes.NOT_REQUIRED: "–"}
CELL_LEGEND = "✓ đúng hạn · M muộn · ✗ thiếu · · chưa đến hạn · – không yêu cầu"
WARNING_COLUMNS = (Column("kind", "Loại"), Column("item", "Mục"), Column("unit", "Đơn vị"),
                   Column("message", "Cảnh báo"))
MISSING_COLUMNS = (Column("name", "Đơn vị"), Column("periods_text", "Kỳ chưa gửi"),
                   Column("items", "Mục", align=int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)))
UPCOMING_COLUMNS = (Column("day", "Ngày"), Column("left", "Còn"), Column("text", "Nội dung"))
ITEM_LINE_COLUMNS = (Column("kind", "Loại"), Column("ref", "Số"), Column("content", "Nội dung"),
                     Column("state", "Tình trạng"), Column("detail", "Chi tiết"))
