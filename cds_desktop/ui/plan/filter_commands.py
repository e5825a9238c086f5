"""The main window's side of the Kế hoạch filter bar: the bar above the item tabs,
filtering both tables, and the exact list behind a dashboard figure.

Kept apart from :mod:`cds_desktop.ui.plan.filter_bar` so that importing the main
window needs only Qt (the data layer is imported when the window attaches).
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget


class FilterCommandsMixin:
    """The main window's side of the filter bar (a mixin of MainWindow)."""

    def setup_filters(self) -> QWidget:
        """The filter bar above the item tabs; returns the widget holding both."""
        from cds_desktop.ui.plan.filter_bar import FilterBar

        self.filter_bar = FilterBar(self.db, self)
        self.filter_bar.filterChanged.connect(self.apply_item_filter)
        center = QWidget()
        center.setObjectName("planCenter")
        layout = QVBoxLayout(center)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.tabs, 1)
        return center

    def apply_item_filter(self, f) -> None:
        """Filter both tables (in SQL); an exact list shows the whole plan's matching items."""
        if f is not None and f.uuids is not None:
            self._restoring = True
            try:
                self.tree_view.clearSelection()
            finally:
                self._restoring = False
            for model in (self.indicator_model, self.task_model):
                model.group_ids = None
        for model in (self.indicator_model, self.task_model):
            model.item_filter = f
            model.reload()
        counts = (self.indicator_model.rowCount(), self.task_model.rowCount())
        self.filter_bar.show_counts(*counts)
        for tab, title in enumerate(("Chỉ tiêu", "Nhiệm vụ")):
            self.tabs.setTabText(tab, title if f is None else f"{title} ({counts[tab]})")
        if f is not None and counts[self.tabs.currentIndex()] == 0 and any(counts):
            self.tabs.setCurrentIndex(0 if counts[0] else 1)
        self._on_item_selection()

    def open_item_list(self, caption: str, uuids: list) -> None:
        """The Kế hoạch tables filtered to exactly the items behind a figure; the first is selected."""
        uuids = [u for u in uuids if u]
        self.workspace.show_screen("plan")
        self.filter_bar.show_exact(caption, uuids)
        if uuids and not self.select_item(uuids[0]):
            self.statusBar().showMessage("Các mục này không còn trong kế hoạch đang chọn.", 5000)


__all__ = ["FilterCommandsMixin"]
