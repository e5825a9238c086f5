"""The dashboard's figures as widgets: a stacked bar chart (one bar per group,
segments by status) and a figure tile; a click on either emits the item uuids
behind the figure."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QLabel, QToolTip, QVBoxLayout, QWidget

from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.figures import ChartRow, Tile

STATUS_COLORS = {codes.DONE: "#2e7d32", codes.DONE_LATE: "#81c784", codes.IN_PROGRESS: "#1e88e5",
                 codes.NOT_STARTED: "#90a4ae", codes.BEHIND: "#e53935", codes.PAUSED: "#fb8c00",
                 codes.CANCELLED: "#6d4c41", codes.NO_REPORT: "#cfd8dc"}
EVALUATION_COLORS = {codes.ACHIEVED: "#2e7d32", codes.NOT_ACHIEVED: "#e53935", codes.NO_DATA: "#b0bec5",
                     codes.NOT_EVALUABLE: "#fbc02d"}


class StackedBarChart(QWidget):
    """Horizontal stacked bars drawn with QPainter (PySide6-Essentials has no QtCharts)."""

    segmentClicked = Signal(str, list)  # caption, item uuids

    ROW_H = 26
    BAR_H = 18

    def __init__(self, title: str, labels: dict[str, str], colors: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.title = title
        self.labels = labels
        self.colors = colors
        self.rows: list[ChartRow] = []
        self._hits: list[tuple[QRect, str, list[str], str]] = []
        self.setMouseTracking(True)
        self.setMinimumHeight(120)

    def set_rows(self, rows: list[ChartRow]) -> None:
        self.rows = rows
        self.setMinimumHeight(self._height())
        self.updateGeometry()
        self.update()

    def _height(self) -> int:
        return 30 + 26 + self.ROW_H * max(1, len(self.rows)) + 6

    def sizeHint(self) -> QSize:
        return QSize(640, self._height())

    def legend_keys(self) -> list[str]:
        used = {s.key for r in self.rows for s in r.segments if s.count}
        return [k for k in self.labels if k in used]

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        self._hits = []
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#263238"))
        painter.drawText(QRect(8, 4, self.width() - 16, 22), Qt.AlignmentFlag.AlignVCenter, self.title)
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        x, y = 8, 30
        for key in self.legend_keys():  # legend
            text = self.labels[key]
            width = 14 + 4 + metrics.horizontalAdvance(text) + 14
            if x + width > self.width():
                break
            painter.fillRect(QRect(x, y + 4, 14, 12), QColor(self.colors[key]))
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRect(x + 18, y, width, 20), Qt.AlignmentFlag.AlignVCenter, text)
            x += width
        label_w = min(int(self.width() * 0.42), 330)
        left, right = label_w + 14, self.width() - 44
        most = max([r.total for r in self.rows] + [1])
        y = 30 + 26
        for row in self.rows:
            indent = 12 * row.depth
            label_rect = QRect(8 + indent, y, label_w - indent, self.ROW_H)
            font = QFont(self.font())
            font.setBold(row.depth == 0 and any(r.depth > 0 for r in self.rows))
            painter.setFont(font)
            painter.setPen(QColor("#263238"))
            elided = QFontMetrics(font).elidedText(row.label, Qt.TextElideMode.ElideRight, label_rect.width())
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
            all_uuids = [u for s in row.segments for u in s.uuids]
            self._hits.append((label_rect, f"{row.label} — tất cả", all_uuids, row.label))
            painter.setFont(self.font())
            bx = left
            for segment in row.segments:
                if not segment.count:
                    continue
                width = max(3, round((right - left) * segment.count / most))
                rect = QRect(bx, y + (self.ROW_H - self.BAR_H) // 2, width, self.BAR_H)
                painter.fillRect(rect, QColor(self.colors[segment.key]))
                text = str(segment.count)
                if metrics.horizontalAdvance(text) + 4 <= width:
                    dark = segment.key in (codes.NO_REPORT, codes.NO_DATA, codes.NOT_EVALUABLE, codes.DONE_LATE)
                    painter.setPen(QColor("#263238" if dark else "#ffffff"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                caption = f"{row.label} — {self.labels[segment.key]}: {segment.count}"
                self._hits.append((rect, caption, list(segment.uuids), caption))
                bx += width
            painter.setPen(QColor("#455a64"))
            painter.drawText(QRect(bx + 6, y, 40, self.ROW_H), Qt.AlignmentFlag.AlignVCenter, str(row.total))
            y += self.ROW_H
        painter.setPen(QPen(QColor("#cfd8dc")))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def hit(self, pos: QPoint) -> tuple[str, list[str], str] | None:
        for rect, caption, uuids, tip in reversed(self._hits):
            if rect.contains(pos):
                return caption, uuids, tip
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position().toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if found else Qt.CursorShape.ArrowCursor)
        if found:
            QToolTip.showText(event.globalPosition().toPoint(), found[2] + " (bấm để xem các mục)", self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self.hit(event.position().toPoint())
        if found and event.button() == Qt.MouseButton.LeftButton:
            self.segmentClicked.emit(found[0], found[1])

    def click_segment(self, row_label: str, key: str) -> None:
        """Act as if the officer clicked the segment *key* of the row *row_label* (tests, keyboard)."""
        for row in self.rows:
            if row.label == row_label:
                for segment in row.segments:
                    if segment.key == key:
                        self.segmentClicked.emit(f"{row.label} — {self.labels[key]}: {segment.count}",
                                                 list(segment.uuids))


class TileWidget(QFrame):
    clicked = Signal(str, list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tile: Tile | None = None
        self.setObjectName("dashboardTile")
        self.setStyleSheet("#dashboardTile { background: #ffffff; border: 1px solid #cfd8dc; border-radius: 6px; }")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title = QLabel()
        self.value = QLabel()
        self.note = QLabel()
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 9)
        font.setBold(True)
        self.value.setFont(font)
        self.title.setStyleSheet("color: #455a64;")
        self.note.setStyleSheet("color: #607d8b;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        for label in (self.title, self.value, self.note):
            layout.addWidget(label)

    def set_tile(self, tile: Tile, color: str = "#263238") -> None:
        self.tile = tile
        self.title.setText(tile.title)
        self.value.setText(tile.value)
        self.value.setStyleSheet(f"color: {color};")
        self.note.setText(tile.note)
        self.setToolTip(f"{tile.title}: {tile.value} — bấm để xem {len(tile.uuids)} mục")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.tile is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(f"{self.tile.title}: {self.tile.value}", list(self.tile.uuids))


TILE_COLORS = {"late": "#c62828", "warnings": "#ad1457", "indicators": "#2e7d32", "reporting": "#1565c0"}
