"""Stable codes and their Vietnamese labels that the command line needs before
(or without) loading the data layer: importing this module costs nothing."""

from __future__ import annotations

# Item kinds, the plan's two appendices and the roles of an assignment (the models re-export them).
INDICATOR = "indicator"
TASK = "task"
SECTION_INDICATORS = "indicators"  # Phụ lục 01
SECTION_TASKS = "tasks"  # Phụ lục 02
SECTION_OF_KIND = {INDICATOR: SECTION_INDICATORS, TASK: SECTION_TASKS}
LEAD = "lead"
COORDINATING = "coordinating"

# Evidence kinds: stable codes (stored) -> Vietnamese labels (shown).
EVIDENCE_KINDS: dict[str, str] = {
    "decision": "Quyết định",
    "plan": "Kế hoạch",
    "report": "Báo cáo",
    "minutes": "Biên bản",
    "dispatch": "Công văn",
    "image": "Hình ảnh",
    "other": "Khác",
}
DEFAULT_EVIDENCE_KIND = "other"

# Receiving mode (rollup): the overview's main pillars, sort keys (the screen's columns) and filters.
ROLLUP_MAIN_PILLARS = ("cqs", "kts", "xhs")
ROLLUP_SORTS = ("name", *(f"{p}_{what}" for p in (*ROLLUP_MAIN_PILLARS, "all") for what in ("indicators", "tasks")),
                "overdue", "missing", "package")
ROLLUP_FILTERS = {"all": "Tất cả", "alerts": "Có nhiệm vụ quá hạn hoặc thiếu báo cáo", "overdue": "Có nhiệm vụ quá hạn",
                  "missing": "Thiếu báo cáo", "clean": "Không có cảnh báo"}
