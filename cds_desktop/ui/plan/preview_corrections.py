"""The officer's corrections in the import preview: a column's meaning, a table's kind, the plan's
header fields, a row merged into the one above, two units merged into one.  Each correction is
applied to the analysis and the preview shown again.  Mixed into
:class:`cds_desktop.ui.plan.import_preview.ImportPreviewDialog`.
"""

from __future__ import annotations

from typing import Any

from cds_desktop.importers.tables import DetectedTable
from cds_desktop.text import parse_date


class PreviewCorrections:
    """The correction actions of the import preview (a mixin: ``self`` is the ImportPreviewDialog)."""

    def _table(self, number: int) -> DetectedTable:
        assert self.analysis is not None
        return next(t for t in self.analysis.tables if t.number == number)

    def set_column_field(self, table_number: int, column: int, field: str) -> None:
        self._table(table_number).set_field(column, field)
        self.refresh()

    def _kind_changed(self, _index: int) -> None:
        if self.analysis is None or self.tables_list.currentRow() < 0:
            return
        table = self.analysis.tables[self.tables_list.currentRow()]
        table.kind, table.kind_locked = self.kind_combo.currentData(), True
        self.refresh()

    def set_table_kind(self, table_number: int, kind: str) -> None:
        table = self._table(table_number)
        table.kind, table.kind_locked = kind, True
        self.refresh()

    def _meta_edited(self, key: str) -> None:
        if self.analysis is None:
            return
        if key == "tracking_start":
            try:
                day = parse_date(self.tracking_edit.text())
            except ValueError:
                self.tracking_error.setText("Ngày không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.")
                return
            self.tracking_error.setText("")
            self.tracking_proposed = False
            self.analysis.meta_overrides[key] = day.isoformat() if day else None
            self.refresh()
            return
        value: Any = self.year_spin.value() if key == "year" else self.meta[key].text().strip()
        current = (self.analysis.draft["commune"]["name"] if key == "commune"
                   else self.analysis.draft["plan"].get(key))
        if value != current:
            self.analysis.meta_overrides[key] = value
            self.refresh()

    def merge_selected_row(self) -> None:
        index = self.rows_view.currentIndex()
        if index.isValid():
            self.merge_row_up(index.row())

    def merge_row_up(self, model_row: int) -> None:
        _table, row, _entry = self.rows_model.rows[model_row]
        row.merge_up = not row.merge_up
        self.refresh()

    def merge_selected_units(self) -> None:
        rows = sorted({i.row() for i in self.units_table.selectedIndexes()})
        if len(rows) == 2:
            self.merge_units(rows[1], rows[0])

    def merge_units(self, row: int, into_row: int) -> None:
        """The unit on *row* is the same as the unit on *into_row* (e.g. two spellings the importer kept apart)."""
        assert self.analysis is not None
        keys = self.analysis.unit_keys
        self.analysis.unit_merges[keys[row]] = keys[into_row]
        self.refresh()
