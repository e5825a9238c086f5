"""The left side of the Reports screen: which report, for which period, unit and
columns; the choices are remembered with ``QSettings``."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS
from cds_desktop.reports import APPENDIX_SECTIONS, KINDS
from cds_desktop.reports.choices import ALWAYS_COLUMNS, ReportChoices

PERIOD_KINDS = ("progress", "reminders")
UNIT_KINDS = ("unit-plan", "reminders")
ALL_UNITS = ""  # the unit combo's "every unit" entry (reminders)


class ReportChoicesForm(QWidget):
    """Kind, period, unit and columns of the report to make."""

    kindChanged = Signal(str)
    changed = Signal()  # the officer changed a choice (kind, period, unit or columns)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.choices: ReportChoices | None = None
        self._loading = False
        self.kind_combo = QComboBox()
        for key, label in KINDS.items():
            self.kind_combo.addItem(label, key)
        self.period_combo = QComboBox()
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(24)
        self.columns_list = QListWidget()
        self.columns_list.setMinimumHeight(180)
        self.default_columns_button = QPushButton("Cột như kế hoạch")
        self.plan_label = QLabel("Chưa chọn kế hoạch.")
        self.plan_label.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.plan_label)
        form.addRow("Báo cáo:", self.kind_combo)
        form.addRow("Kỳ báo cáo:", self.period_combo)
        form.addRow("Đơn vị:", self.unit_combo)
        form.addRow("Các cột:", self.columns_list)
        form.addRow("", self.default_columns_button)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.period_combo.currentIndexChanged.connect(self._remember)
        self.unit_combo.currentIndexChanged.connect(self._remember)
        self.columns_list.itemChanged.connect(self._remember)
        self.default_columns_button.clicked.connect(self.reset_columns)
        self.set_kind(str(self.settings.value("reports/kind", "phu-luc-01")))

    # -- what was chosen ---------------------------------------------------------------
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def period(self) -> str | None:
        return self.period_combo.currentData() if self.kind() in PERIOD_KINDS else None

    def unit(self) -> str | None:
        return (self.unit_combo.currentData() if self.kind() in UNIT_KINDS else None) or None

    def checked_columns(self) -> list[str]:
        keys = []
        for row in range(self.columns_list.count()):
            item = self.columns_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(item.data(Qt.ItemDataRole.UserRole))
        return keys

    def set_columns(self, keys: list[str]) -> None:
        self._loading = True
        try:
            for row in range(self.columns_list.count()):
                item = self.columns_list.item(row)
                key = item.data(Qt.ItemDataRole.UserRole)
                on = key in keys or key in ALWAYS_COLUMNS
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._loading = False
        self._remember()

    def reset_columns(self) -> None:
        section = APPENDIX_SECTIONS.get(self.kind())
        if self.choices and section:
            self.set_columns(self.choices.default_columns[section])

    # -- filling -------------------------------------------------------------------------
    def set_choices(self, choices: ReportChoices | None) -> None:
        self.choices = choices
        self.plan_label.setText(f"Kế hoạch: {choices.plan_label}" if choices else "Chưa có kế hoạch.")
        self._fill_lists()
        self.update_enabled()

    def _on_kind_changed(self, _index: int) -> None:
        self._fill_lists()
        self.update_enabled()
        self._remember()
        self.kindChanged.emit(self.kind())

    def _fill_lists(self) -> None:
        """Periods, units and columns for the chosen kind, with the remembered choices."""
        self._loading = True
        try:
            choices, kind = self.choices, self.kind()
            self.period_combo.clear()
            self.unit_combo.clear()
            self.columns_list.clear()
            if choices is None:
                return
            for code, label in choices.periods:
                self.period_combo.addItem(label, code)
            index = self.period_combo.findData(self.settings.value("reports/period"))
            if index < 0:
                index = self.period_combo.findData(choices.default_period)
            self.period_combo.setCurrentIndex(max(index, 0))
            if kind == "reminders":
                self.unit_combo.addItem("Tất cả đơn vị", ALL_UNITS)
            for uuid, name in choices.units:
                self.unit_combo.addItem(name, uuid)
            unit = self.settings.value("reports/unit")
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit), 0))
            section = APPENDIX_SECTIONS.get(kind, SECTION_INDICATORS if kind != "phu-luc-02" else SECTION_TASKS)
            saved = self.settings.value(f"reports/columns/{section}")
            keys = str(saved).split(",") if saved else choices.default_columns.get(section, [])
            for key, header in choices.columns.get(section, []):
                item = QListWidgetItem(f"{header}")
                item.setData(Qt.ItemDataRole.UserRole, key)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if key not in ALWAYS_COLUMNS:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                on = key in keys or key in ALWAYS_COLUMNS
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.columns_list.addItem(item)
        finally:
            self._loading = False

    def _remember(self, *_args) -> None:
        if self._loading:
            return
        self.changed.emit()
        kind = self.kind()
        self.settings.setValue("reports/kind", kind)
        if kind in PERIOD_KINDS and self.period_combo.currentData():
            self.settings.setValue("reports/period", self.period_combo.currentData())
        if kind in UNIT_KINDS and self.unit_combo.currentData():
            self.settings.setValue("reports/unit", self.unit_combo.currentData())
        section = APPENDIX_SECTIONS.get(kind)
        if section and self.columns_list.count():
            self.settings.setValue(f"reports/columns/{section}", ",".join(self.checked_columns()))

    def update_enabled(self) -> None:
        kind = self.kind()
        self.period_combo.setEnabled(kind in PERIOD_KINDS and self.period_combo.count() > 0)
        self.unit_combo.setEnabled(kind in UNIT_KINDS)
        self.columns_list.setEnabled(kind in APPENDIX_SECTIONS)
        self.default_columns_button.setEnabled(kind in APPENDIX_SECTIONS)
