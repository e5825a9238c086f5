"""The dashboard's widgets without the data layer: the frame :class:`DashboardFrame` (heading,
period selector, tiles, bar charts, the tables), and its snapshot: ``capture()`` keeps what is
on screen as plain data, ``show_snapshot(view)`` paints it again.

At start-up the window shows a frame filled from the snapshot kept at the last run
(:mod:`cds_desktop.services.dashboard_snapshot`) while SQLAlchemy and the status engine load;
then :class:`~cds_desktop.ui.dashboard.screen.DashboardWidget` (a frame with the live
models) shows the very same figures, computed.  Qt and light modules only: no SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.figures import INDICATOR_KEYS, TASK_KEYS, ChartRow, Segment, Tile
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.common.table_model import Column, RowTableModel
from cds_desktop.ui.dashboard.charts import (
    EVALUATION_COLORS,
    STATUS_COLORS,
    TILE_COLORS,
    StackedBarChart,
    TileWidget,
)
from cds_desktop.ui.month.marks import (
    CELL_LEGEND,
    ITEM_LINE_COLUMNS,
    ITEMS_ROLE,
    MISSING_COLUMNS,
    UPCOMING_COLUMNS,
    WARNING_COLUMNS,
)

HEADING = "Tổng quan tình hình thực hiện"
ITEMS_HINT = "Các mục liên quan (bấm vào một số liệu để xem)"
# (view attribute, stretched column, column widths) of each table
TABLES = (("warnings_view", 3, (114, 108, 118)), ("missing_view", 0, (0, 140, 40)), ("completeness_view", 0, ()),
          ("upcoming_view", 2, (84, 64)), ("items_view", 2, (70, 46, 0, 120, 150)))
_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
          Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole)


def make_table() -> QTableView:
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    return view


def set_table_model(view: QTableView, model, stretch: int, widths: tuple[int, ...] = ()) -> None:
    view.setModel(model)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _box(title: str, *widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(3)
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold; color: #263238;")
    layout.addWidget(label)
    for widget in widgets:
        layout.addWidget(widget)
    box.title_label = label  # type: ignore[attr-defined]
    return box


def freeze_model(model) -> dict:
    """What a table model shows, cell by cell (text, tooltip, colours, bold, alignment), as plain data.
    A tooltip shared by every cell of a row is kept once (the row's ``tip``); the items behind a row
    are not kept (the live screen, which answers clicks, has them)."""
    return _drained(iter_freeze(model))


def _drained(steps):
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def iter_freeze(model, chunk: int = 40):
    """``freeze_model`` in steps of *chunk* rows (a generator: yields between steps, returns the data)."""
    columns = model.columnCount()
    heads = [[model.headerData(c, Qt.Orientation.Horizontal), model.headerData(c, Qt.Orientation.Horizontal,
                                                                               Qt.ItemDataRole.ToolTipRole)]
             for c in range(columns)]
    rows = []
    count = model.rowCount()
    for start in range(0, count, chunk):
        rows.extend(_frozen_row(model, r, columns) for r in range(start, min(count, start + chunk)))
        yield
    return {"heads": heads, "rows": rows}


def _frozen_row(model, r: int, columns: int) -> dict:
    cells = []
    for c in range(columns):
        index = model.index(r, c)
        text, tip, fg, bg, font, align = (index.data(role) for role in _ROLES)
        cells.append([text, tip, fg.color().name() if isinstance(fg, QBrush) else None,
                      bg.color().name() if isinstance(bg, QBrush) else None,
                      bool(font.bold()) if isinstance(font, QFont) else None,
                      int(align) if align is not None else None])
    row: dict = {"cells": cells}
    if len({cell[1] for cell in cells}) == 1 and cells and cells[0][1] is not None:
        row["tip"] = cells[0][1]
        for cell in cells:
            cell[1] = None
    return row


class FrozenModel(RowTableModel):
    """A table shown from its snapshot (``freeze_model``): the same cells, read-only."""

    def __init__(self, columns: tuple[Column, ...] = (), parent=None) -> None:
        super().__init__(None, parent)
        self.columns = columns

    def set_frozen(self, frozen: dict) -> None:
        self.beginResetModel()
        self.columns = tuple(Column(str(i), head or "", tip=tip) for i, (head, tip) in enumerate(frozen["heads"]))
        self.rows = list(frozen["rows"])
        self.endResetModel()

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        row = self.rows[index.row()]
        if role == ITEMS_ROLE:
            return []
        text, tip, fg, bg, bold, align = row["cells"][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip if tip is not None else row.get("tip")
        if role == Qt.ItemDataRole.ForegroundRole and fg:
            return QBrush(QColor(fg))
        if role == Qt.ItemDataRole.BackgroundRole and bg:
            return QBrush(QColor(bg))
        if role == Qt.ItemDataRole.FontRole and bold is not None:
            font = QFont()
            font.setBold(bold)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return align
        return None


# The snapshot keeps how many items are behind a figure, not which: only the live screen answers
# clicks (before it is there, the figures painted from the snapshot lead nowhere).
def _chart_json(rows: list[ChartRow]) -> list:
    return [[row.label, row.depth, [[s.key, s.count] for s in row.segments]] for row in rows]


def _chart_rows(data: list) -> list[ChartRow]:
    return [ChartRow(label, depth, tuple(Segment(key, count, ()) for key, count in segments))
            for label, depth, segments in data]


def _combo_items(combo: QComboBox) -> list:
    return [[combo.itemText(i), combo.itemData(i)] for i in range(combo.count())]


def _fill_combo(combo: QComboBox, items: list) -> None:
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.blockSignals(False)


class DashboardFrame(ScreenWidget):
    """The dashboard's widgets; as such (at start-up), empty or showing a snapshot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(HEADING)
        heading_font = QFont(self.font())
        heading_font.setPointSize(heading_font.pointSize() + 4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)  # a long plan title wraps instead of widening the window past the screen
        self.subtitle = QLabel("Đang tính…")
        self.subtitle.setStyleSheet("color: #455a64;")
        self.subtitle.setWordWrap(True)
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(190)
        self.refresh_button = QPushButton("Làm mới")
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(QLabel("Kỳ:"))
        top.addWidget(self.period_combo)
        top.addWidget(self.refresh_button)

        self.tiles = [TileWidget() for _ in range(5)]
        tiles = QHBoxLayout()
        for tile in self.tiles:
            tile.setVisible(False)
            tiles.addWidget(tile)

        self.task_chart = StackedBarChart("Nhiệm vụ theo nhóm", {k: codes.status_label(k) for k in TASK_KEYS},
                                          STATUS_COLORS)
        self.indicator_chart = StackedBarChart("Chỉ tiêu theo trụ cột",
                                               {k: codes.EVALUATION_LABELS[k] for k in INDICATOR_KEYS},
                                               EVALUATION_COLORS)
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.task_chart)
        charts_layout.addWidget(self.indicator_chart)
        charts_layout.addStretch(1)

        for name, _stretch, _widths in TABLES:
            setattr(self, name, make_table())
        self.frozen = {"warnings_view": FrozenModel(WARNING_COLUMNS, self), "missing_view": FrozenModel(MISSING_COLUMNS, self),
                       "completeness_view": FrozenModel((Column("unit", "Đơn vị"), Column("rate", "Tỷ lệ")), self),
                       "upcoming_view": FrozenModel(UPCOMING_COLUMNS, self),
                       "items_view": FrozenModel(ITEM_LINE_COLUMNS, self)}
        self.kind_combo = QComboBox()
        self.warnings_box = _box("Cảnh báo sớm", self.kind_combo, self.warnings_view)
        self.reporting_tabs = QTabWidget()
        self.reporting_tabs.addTab(self.missing_view, "Đơn vị chưa gửi báo cáo")
        self.reporting_tabs.addTab(self.completeness_view, "Tình hình gửi báo cáo")
        self.reporting_tabs.setTabToolTip(1, CELL_LEGEND)
        self.completeness_view.setToolTip(CELL_LEGEND)
        self.items_box = _box(ITEMS_HINT, self.items_view)

        charts_scroll = QScrollArea()  # a plan with many groups: the charts scroll, nothing is cut off
        charts_scroll.setWidgetResizable(True)
        charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        charts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        charts_scroll.setWidget(charts)
        self.charts_scroll = charts_scroll
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(charts_scroll)
        upper.addWidget(self.warnings_box)
        upper.setSizes([580, 800])
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.reporting_tabs)
        lower.addWidget(_box("Hạn trong 6 tuần tới", self.upcoming_view))
        lower.addWidget(self.items_box)
        lower.setSizes([440, 390, 550])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setSizes([455, 225])
        self.splitters = (upper, lower, body)

        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top, 0, 0)
        layout.addLayout(tiles, 1, 0)
        layout.addWidget(body, 2, 0)
        layout.setRowStretch(2, 1)
        self.use_frozen_models()

    def set_plan(self, plan_uuid: str | None) -> None:  # the frame alone follows no plan (start-up only)
        pass

    def use_frozen_models(self) -> None:
        for name, stretch, widths in TABLES:
            set_table_model(getattr(self, name), self.frozen[name], stretch, widths)

    def follow(self, shown: DashboardFrame) -> None:
        """Take the place of *shown* (the frame painted at start-up) as it is on screen: its size,
        where its splitters are (the officer may have moved them meanwhile), the tab chosen."""
        self.resize(shown.size())
        for mine, theirs in zip(self.splitters, shown.splitters, strict=True):
            mine.setSizes(theirs.sizes())
        self.reporting_tabs.setCurrentIndex(shown.reporting_tabs.currentIndex())

    def set_completeness_widths(self) -> None:
        view = self.completeness_view
        last = view.model().columnCount() - 1
        for column in range(1, last + 1):
            view.setColumnWidth(column, 34 if column < last else 52)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # -- the snapshot ---------------------------------------------------------
    def capture(self, tables: dict[str, Any] | None = None) -> dict:
        """What the frame shows, as plain data (*tables*: models to freeze instead of the views' own)."""
        return _drained(self.iter_capture(tables))

    def iter_capture(self, tables: dict[str, Any] | None = None):
        """``capture`` in steps of a few dozen table rows (a generator that returns the view), so that
        the window keeps painting; the caller drops it if the figures change meanwhile."""
        tables = tables or {}
        tiles = [[w.tile.key, w.tile.title, w.tile.value, w.tile.note, len(w.tile.uuids)]
                 for w in self.tiles if w.tile is not None and not w.isHidden()]
        view = {
            "heading": self.heading.text(), "subtitle": self.subtitle.text(),
            "periods": _combo_items(self.period_combo), "kinds": _combo_items(self.kind_combo),
            "tiles": tiles, "task_chart": _chart_json(self.task_chart.rows),
            "indicator_chart": _chart_json(self.indicator_chart.rows),
            "reporting_tab": self.reporting_tabs.tabText(0), "tables": {},
        }
        for name, _stretch, _widths in TABLES:
            if name != "items_view":
                view["tables"][name] = yield from iter_freeze(tables.get(name) or getattr(self, name).model())
        return view

    def show_snapshot(self, view: dict) -> None:
        """Paint *view* (from ``capture``): the figures as they were computed last time."""
        self.heading.setText(view["heading"])
        self.subtitle.setText(view["subtitle"])
        _fill_combo(self.period_combo, view["periods"])
        _fill_combo(self.kind_combo, view["kinds"])
        for widget, (key, title, value, note, count) in zip(self.tiles, view["tiles"], strict=False):
            tile = Tile(key, title, value, note, ("",) * count)  # the tooltip says how many items
            widget.set_tile(tile, TILE_COLORS.get(key, "#263238"))
            widget.setVisible(True)
        for widget in self.tiles[len(view["tiles"]):]:
            widget.setVisible(False)
        self.task_chart.set_rows(_chart_rows(view["task_chart"]))
        self.indicator_chart.set_rows(_chart_rows(view["indicator_chart"]))
        self.reporting_tabs.setTabText(0, view["reporting_tab"])
        for name, frozen in view["tables"].items():
            self.frozen[name].set_frozen(frozen)
        self.frozen["items_view"].set_frozen({"heads": [[c.header, c.header] for c in ITEM_LINE_COLUMNS], "rows": []})
        for name, stretch, widths in TABLES:
            set_table_model(getattr(self, name), self.frozen[name], stretch, widths)
        self.set_completeness_widths()
        self.items_box.title_label.setText(ITEMS_HINT)


__all__ = ["DashboardFrame", "FrozenModel", "freeze_model", "iter_freeze", "make_table", "set_table_model"]
