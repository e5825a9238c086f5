"""Whether a cell cut out of a row of copied PDF text reads as its column: a cut that does not is a guess
the preview must show.  Used by :mod:`cds_desktop.importers.pdf_copy` on the cells
:mod:`cds_desktop.importers.pdf_copy_cells` fitted.
"""

from __future__ import annotations

from cds_desktop.importers.pdf_copy_cells import (
    _DEADLINE,
    _DEADLINE_WHOLE,
    _NOT_PERSON,
    _PERSON,
    _PERSON_START,
    _TARGET_FULL,
    _TITLE_END,
    _UNIT,
    _ends_dangling,
    _ends_with_head,
)
from cds_desktop.text import fold


def doubtful_cell(field: str, text: str) -> bool:
    """*text*, cut out for a *field* cell, does not read as one: the cut is a guess the preview must show."""
    folded = fold(text)
    if not folded:
        return False
    words = folded.split()
    if field in ("deadline", "schedule", "completion"):
        whole = any(_DEADLINE_WHOLE.match(" ".join(words[:k])) for k in range(1, len(words)))
        return not _DEADLINE.match(folded) or len(words) > 12 or _ends_dangling(words) or whole
    if field in ("leader", "specialist", "co_specialist"):
        # "…, Phó Chủ tịch" waits for "UBND xã": the words after it went to the next cell
        return not (_PERSON.search(folded) or any(w in ("d/c", "d.c", "pct") for w in words)) \
            or (bool(_NOT_PERSON.search(folded)) and not _PERSON_START.match(folded)) \
            or bool(_TITLE_END.search(folded) and "," in text)
    if field in ("lead", "coordinating"):
        return (not _UNIT.match(folded) or any(w in ("d/c", "d.c") for w in words) or _ends_with_head(text)
                or _glued_unit(text))
    if field == "target":
        return not _TARGET_FULL.match(folded) and "%" not in text
    return False


def _glued_unit(text: str) -> bool:
    """A unit cell holding more than one cell's words: a person's name at its end ("Bộ phận Một cửa
    Nguyễn Thị Lan"), or a second unit starting inside it with nothing between ("Trung tâm điều hành …
    Văn phòng HĐND - UBND"; units are parted by ";" or ",", "và", "-")."""
    from cds_desktop.importers.people import looks_like_person

    words = text.split()
    if any(len(words) > k and looks_like_person(" ".join(words[-k:])) for k in (3, 4)):
        return True
    for i in range(1, len(words)):
        before = words[i - 1]
        if not words[i][:1].isupper() or before[-1:] in ";,-–" or fold(before) in ("va", "-", "–", "cac"):
            continue
        if fold(words[i]) not in ("xa", "phuong", "thanh", "so", "ban", "to", "khu", "ho", "bo", "dai") \
                and _UNIT.match(fold(" ".join(words[i:i + 3]))) and words[i - 1][:1].islower():
            return True
    return False
