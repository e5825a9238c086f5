"""Stable codes and their Vietnamese labels that the command line needs before
(or without) loading the data layer: importing this module costs nothing."""

from __future__ import annotations

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
