"""Qt models of the Tổng hợp screen, one per table: the overview (communes × pillars,
sorted in SQL: a click on a header asks the screen to load again), the shared
indicators, the communes behind one shared indicator, the files of the last import."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor

from cds_desktop.models import PILLARS
from cds_desktop.rollup.importing import FileResult
from cds_desktop.rollup.matching import Member, SharedIndicator
from cds_desktop.rollup.overview import MAIN_PILLARS, OverviewRow
from cds_desktop.ui.common.table_model import Column, RowTableModel

CENTER = int(Qt.AlignmentFlag.AlignCenter)
WARN = QColor("#fde7c7")
BAD = QColor("#f8d7da")
GOOD = QColor("#e2f0d9")


def _pillar_columns() -> list[Column]:
    out = []
    for pillar in MAIN_PILLARS:
        out.append(Column(f"{pillar}:indicators", f"{PILLARS[pillar]}\nchỉ tiêu đạt", 112, align=CENTER,
                          sort=f"{pillar}_indicators", tip=f"{PILLARS[pillar]}: chỉ tiêu đạt / tổng số"))
        out.append(Column(f"{pillar}:tasks", f"{PILLARS[pillar]}\nnhiệm vụ xong", 132, align=CENTER,
                          sort=f"{pillar}_tasks",
                          tip=f"{PILLARS[pillar]}: nhiệm vụ hoàn thành / tổng số, số quá hạn"))
    return out


class OverviewModel(RowTableModel):
    """One row per received commune (:class:`cds_desktop.rollup.overview.OverviewRow`)."""

    sortRequested = Signal(str, bool)  # SQL sort key, descending

    columns = (
        Column("name", "Xã, phường", 190, sort="name", tooltip=True),
        *_pillar_columns(),
        Column("all:indicators", "Tổng\nchỉ tiêu đạt", 86, align=CENTER, sort="all_indicators"),
        Column("overdue", "Nhiệm vụ\nquá hạn", 78, align=CENTER, sort="overdue"),
        Column("missing", "Báo cáo\ncòn thiếu", 78, align=CENTER, sort="missing"),
        Column("package", "Gói mới nhất", 96, align=CENTER, sort="package",
               tip="Ngày tạo của gói dữ liệu mới nhất đã nhận"),
    )

    def display(self, row: OverviewRow, column: Column) -> str:
        key = column.key
        if ":" in key:
            pillar, what = key.split(":")
            figures = row.total if pillar == "all" else row.pillars[pillar]
            return figures.indicators_text if what == "indicators" else figures.tasks_text
        if key == "overdue":
            return str(row.total.tasks_overdue)
        if key == "missing":
            return str(row.total.reports_missing)
        if key == "package":
            return row.package_text
        return row.name

    def tooltip(self, row: OverviewRow, column: Column) -> str | None:
        if column.key == "name":
            return f"{row.name} — tệp {row.file_name}. Nhấp đúp để xem bảng theo dõi của xã, phường (chỉ xem)."
        return None

    def extra_data(self, row: OverviewRow, column: Column, role: int):
        if role != Qt.ItemDataRole.BackgroundRole:
            return None
        if column.key == "overdue" and row.total.tasks_overdue:
            return BAD
        if column.key == "missing" and row.total.reports_missing:
            return WARN
        return None

    def uuid_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.commune_uuid if found is not None else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns) and self.columns[column].sort:
            self.sortRequested.emit(self.columns[column].sort, order == Qt.SortOrder.DescendingOrder)


class SharedModel(RowTableModel):
    """The shared indicators (:class:`cds_desktop.rollup.matching.SharedIndicator`)."""

    columns = (
        Column("title", "Chỉ tiêu dùng chung", 330, tooltip=True),
        Column("pillar", "Trụ cột", 110),
        Column("target", "Mục tiêu", 80, align=CENTER),
        Column("communes", "Số xã, phường", 112, align=CENTER),
        Column("met", "Đạt", 60, align=CENTER),
        Column("city", "Toàn thành phố", 150, align=CENTER, tip="Tổng tử số / tổng mẫu số (chỉ tiêu tỷ lệ)"),
        Column("confirmed", "Ghép", 90, align=CENTER),
    )

    def display(self, row: SharedIndicator, column: Column) -> str:
        return {
            "title": row.title, "pillar": row.pillar_label, "target": row.target_text,
            "communes": str(len(row.members)), "met": str(row.met_count), "city": row.city_text() or "—",
            "confirmed": "Đã xác nhận" if row.confirmed else "Đề xuất",
        }.get(column.key, "")

    def extra_data(self, row: SharedIndicator, column: Column, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column.key == "confirmed":
            return GOOD if row.confirmed else WARN
        return None

    def uuid_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.key if found is not None else None


class MemberModel(RowTableModel):
    """The communes' indicators behind one shared indicator (or not in any, to add)."""

    columns = (
        Column("commune", "Xã, phường", 150, tooltip=True),
        Column("content", "Chỉ tiêu (như kế hoạch ghi)", 330, tooltip=True),
        Column("target_text", "Mục tiêu", 80, align=CENTER),
        Column("figure_text", "Kết quả", 120, align=CENTER),
        Column("met_text", "Đánh giá", 100, align=CENTER),
        Column("state", "Ghép", 110),
    )

    def display(self, row: Member, column: Column) -> str:
        if column.key == "state":
            return "Đã chuyển vào" if row.corrected else ("Đã xác nhận" if row.confirmed else "Đề xuất")
        value: Any = getattr(row, column.key, "")
        return "" if value is None else str(value)

    def uuid_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.item_uuid if found is not None else None


class FilesModel(RowTableModel):
    """The files of the last import: received or refused, and why."""

    columns = (
        Column("file", "Tệp", 180, tooltip=True),
        Column("state", "Kết quả", 100, align=CENTER),
        Column("message", "Chi tiết", 520, tooltip=True),
    )

    def display(self, row: FileResult, column: Column) -> str:
        if column.key == "state":
            return "Đã nhận" if row.ok else "Bị từ chối"
        return str(getattr(row, column.key, ""))

    def extra_data(self, row: FileResult, column: Column, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column.key == "state":
            return GOOD if row.ok else BAD
        return None
