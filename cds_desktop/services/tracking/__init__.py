"""Tracking the plan through the year (Qt-free): reporting calendar and periods,
task progress, indicator values and their evaluation, early warnings,
completeness of reporting, the dashboard, month entry, period locks.

Modules:

- :mod:`.codes` — stored codes and Vietnamese labels;
- :mod:`.calendar` — the commune's calendar, period codes, ``ensure_periods``;
- :mod:`.locks` — lock / unlock (with a reason in the audit log);
- :mod:`.entry` — writing task progress, indicator values, village checklists, flags;
- :mod:`.queries` — the SQL aggregations everything below is built on;
- :mod:`.evaluation` — indicator figures and Đạt / Chưa đạt / …;
- :mod:`.warnings`, :mod:`.completeness`, :mod:`.status` — the status engine;
- :mod:`.dashboard` — figures per pillar/group with the items behind each;
- :mod:`.month` — the rows of the month-entry screen, saving a cell, saved filters.

Every function that depends on the date takes ``today`` as a parameter.

The names below are imported on first use (PEP 562), so that ``from
cds_desktop.services.tracking import codes`` stays light (no SQLAlchemy): the window's
first paint (the dashboard shown from its snapshot) relies on it.
"""

from __future__ import annotations

from cds_desktop.lazy_names import lazy_getattr

_SOURCES = {
    "calendar": ("CalendarSettings", "calendar_settings", "ensure_periods", "get_period", "period_label",
                 "report_title", "set_calendar"),
    "codes": ("EVALUATION_LABELS", "SOURCE_LABELS", "STATUS_LABELS", "WARNING_KINDS", "WARNING_LABELS"),
    "entry": ("parse_value_text", "record_indicator_value", "record_progress", "set_at_risk", "set_measure",
              "set_report_requirement", "set_village_done"),
    "locks": ("check_writable", "is_locked", "lock_period", "unlock_period"),
    "status": ("StatusReport", "build_status"),
}
_WHERE = {name: module for module, names in _SOURCES.items() for name in names}


__getattr__ = lazy_getattr(__name__, _WHERE, globals())


__all__ = [
    "EVALUATION_LABELS", "SOURCE_LABELS", "STATUS_LABELS", "WARNING_KINDS", "WARNING_LABELS", "CalendarSettings",
    "StatusReport", "build_status", "calendar_settings", "check_writable", "ensure_periods", "get_period",
    "is_locked", "lock_period", "parse_value_text", "period_label", "record_indicator_value", "record_progress",
    "report_title", "set_at_risk", "set_calendar", "set_measure", "set_report_requirement", "set_village_done",
    "unlock_period",
]
