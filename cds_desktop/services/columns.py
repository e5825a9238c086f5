"""The columns of the appendix tables (Phụ lục 01 / 02): one table for the whole program.

A column key (``"lead"``, ``"deadline"``, ``"extra:<header>"`` …) is what a
plan draft stores in ``plan.appendices[section]["columns"]``.  For each key
this table says which item field(s) the column holds (what an import fills
and what a report prints), what the column means (shown when the officer
picks columns or checks an import) and the standard header printed when the
plan did not write its own.  Layout (widths, alignment) stays with the
reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from cds_desktop.vocabulary import SECTION_INDICATORS, SECTION_TASKS

EXTRA_PREFIX = "extra:"  # "extra:<header>": a column of the plan the model has no field for, kept in item.extra


@dataclass(frozen=True)
class ColumnDef:
    key: str
    fields: tuple[str, ...]  # the item fields the column fills on import and prints in a report
    meaning: str  # what the column holds, in Vietnamese
    indicators_header: str  # standard print header in Phụ lục 01
    tasks_header: str  # standard print header in Phụ lục 02

    def header(self, section: str) -> str:
        return self.indicators_header if section == SECTION_INDICATORS else self.tasks_header


_DEFS = (
    ColumnDef("number", ("number",), "Số thứ tự", "STT", "STT"),
    ColumnDef("local_number", ("local_number",), "Số trong nhóm (chi tiết)", "Chi tiết", "Chi tiết"),
    ColumnDef("content", ("content",), "Nội dung", "Chỉ tiêu", "Tên nhóm nhiệm vụ/ nhiệm vụ"),
    ColumnDef("target", ("target_text",), "Chỉ tiêu (giá trị)", "Mục tiêu", "Mục tiêu"),
    ColumnDef("guiding_agency", ("guiding_agency",), "Sở, ngành hướng dẫn", "Sở, ngành TP hướng dẫn",
              "Sở, ngành cấp trên chỉ đạo, hướng dẫn"),
    ColumnDef("lead", ("lead_text",), "Đơn vị chủ trì", "Đơn vị chủ trì", "Đơn vị chủ trì"),
    ColumnDef("coordinating", ("coordinating_text",), "Đơn vị phối hợp", "Đơn vị phối hợp", "Đơn vị phối hợp"),
    ColumnDef("leader", ("leader_text",), "Lãnh đạo chỉ đạo", "Lãnh đạo chỉ đạo", "Lãnh đạo chỉ đạo"),
    ColumnDef("deadline", ("deadline_text",), "Thời hạn", "Thời gian thực hiện", "Thời hạn hoàn thành"),
    ColumnDef("expected_result", ("expected_result",), "Kết quả cần đạt", "Kết quả cần đạt",
              "Kết quả cần đạt (Định lượng)"),
    ColumnDef("output_product", ("output_product",), "Sản phẩm đầu ra", "Sản phẩm đầu ra", "Sản phẩm đầu ra"),
    ColumnDef("basis", ("basis",), "Căn cứ", "Căn cứ", "Căn cứ"),
    ColumnDef("note", ("note",), "Ghi chú", "Ghi chú", "Ghi chú"),
)
# Keys in the order they appear when the officer picks columns.
COLUMNS: dict[str, ColumnDef] = {d.key: d for d in _DEFS}
EXTRA = ColumnDef("extra", ("extra",), "Cột khác (giữ nguyên)", "", "")

# The text fields of an item a draft row carries (every column's field but ``extra``).
ITEM_TEXT_FIELDS: tuple[str, ...] = tuple(f for d in _DEFS for f in d.fields)

# The columns a plan prints when it did not bring its own.
STANDARD_COLUMNS: dict[str, list[str]] = {
    SECTION_INDICATORS: ["number", "content", "target", "guiding_agency", "lead", "coordinating", "deadline", "note"],
    SECTION_TASKS: [
        "number", "content", "guiding_agency", "lead", "coordinating", "deadline", "expected_result",
        "output_product", "note",
    ],
}


def column_def(key: str) -> ColumnDef | None:
    """The definition of *key*; ``extra:<header>`` columns share :data:`EXTRA`."""
    if key.startswith(EXTRA_PREFIX) or key == "extra":
        return EXTRA
    return COLUMNS.get(key)


def column_fields(key: str) -> tuple[str, ...]:
    """The item fields a column of the plan fills (() for a column the program does not know)."""
    spec = column_def(key)
    return spec.fields if spec is not None else ()


def standard_header(key: str, section: str) -> str:
    """The header a column prints when the plan wrote none ('' for unknown keys)."""
    if key.startswith(EXTRA_PREFIX):
        return key[len(EXTRA_PREFIX):]
    spec = COLUMNS.get(key)
    return spec.header(section) if spec is not None else ""


def fields_of_columns(keys: set[str] | list[str]) -> set[str]:
    """The item fields a document with these columns states (numbering and content always)."""
    return {f for k in keys for f in column_fields(k or "")} | {"number", "local_number", "content"}
