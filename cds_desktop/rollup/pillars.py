"""Which pillar (trụ cột) an item belongs to, and the key that matches an indicator with
the same indicator of other communes.

The pillar is read from the titles of the item's group and its ancestors ("I. Chính
quyền số", "2. Nhiệm vụ, giải pháp phát triển kinh tế số"…), diacritics and case
ignored; an item under no such title is *Chung* (``other``).

The match key is the indicator's text folded (:func:`cds_desktop.text.fold`) without
its target (percentages, signed numbers, the level, "đạt", "tối thiểu"…), joined with
its structured target (comparator, level, unit): "Tỷ lệ hồ sơ xử lý trước hạn, đúng
hạn đạt ≥ 98%" in one plan and "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" with the target
"≥98%" in its own column in another give the same key.
"""

from __future__ import annotations

import re

from cds_desktop.models.rollup import PILLAR_ECONOMY, PILLAR_GOVERNMENT, PILLAR_OTHER, PILLAR_SOCIETY
from cds_desktop.text import fold

_PILLAR_WORDS = ((PILLAR_GOVERNMENT, "chinh quyen so"), (PILLAR_ECONOMY, "kinh te so"),
                 (PILLAR_SOCIETY, "xa hoi so"))
_TARGET_WORDS = re.compile(
    r"\b(?:phan dau|dat|toi thieu|toi da|it nhat|tren|duoi|khong qua|khong thap hon|tro len|"
    r"lon hon|nho hon|hoac hon)\b")
_PERCENT = re.compile(r"(?:[<>≤≥=]\s*)?\d+(?:[.,]\d+)?\s*(?:[-–]\s*\d+(?:[.,]\d+)?\s*)?%")
_SIGNED = re.compile(r"[<>≤≥=]\s*\d+(?:[.,]\d+)?")
_NOISE = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def pillar_of_title(title: str) -> str | None:
    folded = fold(title)
    found = [code for code, words in _PILLAR_WORDS if words in folded]
    return found[0] if len(found) == 1 else None


def pillar_of_group(group_id: int | None, groups: dict[int, tuple[int | None, str]]) -> str:
    """*groups*: {id: (parent id, title)}; the nearest ancestor naming one pillar decides."""
    seen = 0
    while group_id is not None and group_id in groups and seen < 8:
        parent, title = groups[group_id]
        pillar = pillar_of_title(title)
        if pillar is not None:
            return pillar
        group_id, seen = parent, seen + 1
    return PILLAR_OTHER


def indicator_text_key(content: str, target_value: float | None = None) -> str:
    """The text without its target: percentages, signed numbers, the target's level and its words."""
    text = _SIGNED.sub(" ", _PERCENT.sub(" ", fold(content)))
    text = _NOISE.sub(" ", text)
    if target_value is not None:
        level = f"{target_value:g}"
        text = re.sub(rf"\b{re.escape(level)}\b", " ", text)
    text = _TARGET_WORDS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def target_key(comparator: str, value: float | None, value_max: float | None, unit: str, text: str) -> str:
    if comparator in ("none", "", "qualitative") or value is None:
        return comparator or "none"
    return f"{comparator}:{_number(value)}-{_number(value_max)}{fold(unit)}"


def match_key(content: str, comparator: str, value: float | None, value_max: float | None, unit: str,
              target_text: str = "") -> str:
    return f"{indicator_text_key(content, value)}|{target_key(comparator, value, value_max, unit, target_text)}"
