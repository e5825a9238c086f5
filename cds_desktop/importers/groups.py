"""Group rows a table writes without a group numeral in its own cell.

- a numbered row with rows numbered below it ("1" then "1.1", "a)") or under which the numbering starts again
  at 1, naming no unit: a group ("1 | Công tác chỉ đạo");
- a short title alone in its row, in the content column or in a numbering column ("CHÍNH QUYỀN SỐ"), before
  numbered rows: a group; the title on the row after a numeral alone ("II" / "Kinh tế số"): that group's title.
"""

from __future__ import annotations

import re

from cds_desktop.importers.tables import DetectedTable, TableRow
from cds_desktop.text import clean_text

ITEM_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?$|^([a-zđ])\s*[.)]?$")


def find_numbered_groups(plans: list[tuple[TableRow, str, tuple]], table: DetectedTable) -> None:
    """A numbered row followed by rows numbered below it ("1" then "1.1", "1.2") and naming no unit is a group."""
    unit_cols = [table.col(f) for f in ("lead", "coordinating", "deadline")]
    numbered = [i for i, (_, role, _) in enumerate(plans) if role == "item"]
    for a, b in zip(numbered, numbered[1:], strict=False):
        row, _, (number, local) = plans[a]
        mine = local or number
        theirs = plans[b][2][1] or plans[b][2][0]
        below = theirs.startswith(mine + ".") or (mine.isdigit() and re.fullmatch(r"[a-zđ]\s*[.)]?", theirs) is not None)
        if not below and mine.isdigit() and theirs == "1" and _title_only(row, table) and \
                not _title_only(plans[b][0], table):
            below = True  # "2 | Hạ tầng số" alone on its row, then the numbering starts again at 1 under it
        if below and not any(row.value(c).strip() for c in unit_cols if c is not None):
            values = [clean_text(row.value(i)) for i in range(len(table.columns))]
            c_col = table.col("content")
            title = values[c_col] if c_col is not None else ""
            plans[a] = (row, "group", (mine, title, ""))


def _title_only(row: TableRow, table: DetectedTable) -> bool:
    """Whether a row holds only its numbering and a short content (nothing in any other column)."""
    keep = {table.col("number"), table.col("local_number"), table.col("content")}
    content = row.value(table.col("content")).strip() if table.col("content") is not None else ""
    return bool(content) and len(content) <= 150 and not any(
        row.value(c.index).strip() for c in table.columns if c.index not in keep)


def find_unlabelled_groups(plans: list[tuple[TableRow, str, tuple]], table: DetectedTable) -> None:
    """A short title alone in its row, without a label ("CHÍNH QUYỀN SỐ"), before numbered rows, is a group."""
    c_col = table.col("content")
    title_cols = {c for c in (c_col, table.col("number"), table.col("local_number")) if c is not None}
    for i, (row, role, _data) in enumerate(plans):
        if role != "loose" or c_col is None:
            continue
        values = [clean_text(row.value(c)) for c in range(len(table.columns))]
        filled = [c for c, v in enumerate(values) if v]
        # the title alone in its row, in the content column or in a numbering column (a cell merged over the row)
        if len(filled) != 1 or filled[0] not in title_cols:
            continue
        text = values[filled[0]]
        if len(text) > 120 or (filled[0] != c_col and (len(text) < 4 or ITEM_NUMBER.match(text))):
            continue
        if not text[0].isupper() or text[-1] in ",;:-–(" or re.match(r"(?i)^(theo|ghi chú|lưu ý)\b", text):
            continue
        previous = next((j for j in range(i - 1, -1, -1) if plans[j][1] not in ("skip", "header")), None)
        before = plans[previous][1] if previous is not None else None
        if before == "group" and not plans[previous][2][1]:
            # the numeral alone on its row, the title on the next row: one group row
            group_row, _, (label, _, note) = plans[previous]
            plans[previous] = (group_row, "group", (label, text, note))
            plans[i] = (row, "group_title", ())
            continue
        after = next(((r, d) for _, r, d in plans[i + 1:] if r not in ("skip", "header")), None)
        restarts = after is not None and after[0] == "item" and "1" in after[1]
        if text.isupper() or before in (None, "group") or restarts:
            if after is not None and after[0] in ("item", "group"):
                plans[i] = (row, "group", ("", text, ""))
