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
"""

from cds_desktop.services.tracking.calendar import (
    CalendarSettings,
    calendar_settings,
    ensure_periods,
    get_period,
    period_label,
    report_title,
    set_calendar,
)
from cds_desktop.services.tracking.codes import (
    EVALUATION_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    WARNING_KINDS,
    WARNING_LABELS,
)
from cds_desktop.services.tracking.entry import (
    parse_value_text,
    record_indicator_value,
    record_progress,
    set_at_risk,
    set_measure,
    set_report_requirement,
    set_village_done,
)
from cds_desktop.services.tracking.locks import check_writable, is_locked, lock_period, unlock_period
from cds_desktop.services.tracking.status import StatusReport, build_status

__all__ = [
    "EVALUATION_LABELS", "SOURCE_LABELS", "STATUS_LABELS", "WARNING_KINDS", "WARNING_LABELS", "CalendarSettings",
    "StatusReport", "build_status", "calendar_settings", "check_writable", "ensure_periods", "get_period",
    "is_locked", "lock_period", "parse_value_text", "period_label", "record_indicator_value", "record_progress",
    "report_title", "set_at_risk", "set_calendar", "set_measure", "set_report_requirement", "set_village_done",
    "unlock_period",
]
