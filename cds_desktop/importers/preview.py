"""What the import preview shows, computed without Qt (the dialog and the CLI only lay it out)."""

from __future__ import annotations

from cds_desktop.importers.build import Analysis
from cds_desktop.importers.rows import Entry
from cds_desktop.importers.tables import DetectedTable, TableRow

ROLE_LABELS = {"item": "Mục", "group": "Nhóm", "note": "Ghi chú nhóm", "continuation": "↳ gộp vào dòng trên",
               "header": "Tiêu đề lặp lại", "skip": "Bỏ qua", "excluded": "Đã loại"}


def format_warning(warning: dict) -> str:
    """"bảng 1, dòng 489: message" (without the parts a warning does not have)."""
    where = ", ".join(x for x in (f"bảng {warning['table']}" if warning.get("table") else "",
                                  f"dòng {warning['row']}" if warning.get("row") else "") if x)
    return f"{where}: {warning['message']}" if where else warning["message"]


def preview_rows(analysis: Analysis) -> list[tuple[DetectedTable, TableRow, Entry | None]]:
    """Every data row of the plan tables, with the entry it starts (None for continuations, skipped rows)."""
    out: list[tuple[DetectedTable, TableRow, Entry | None]] = []
    for table in analysis.tables:
        if table.kind not in ("indicators", "tasks"):
            continue
        first = {id(e.rows[0]): e for e in analysis.entries.get(table.number, [])}
        out += [(table, row, first.get(id(row))) for row in table.rows]
    return out


def row_warnings(row: TableRow, entry: Entry | None) -> list[str]:
    return row.warnings + (entry.warnings if entry is not None else [])


def row_text(key: str, table: DetectedTable, row: TableRow, entry: Entry | None, year: int | None) -> str:
    """The text of one preview column for one row (the joined values of the entry the row starts)."""
    if key == "where":
        return f"{table.number} / {row.ref}"
    if key == "role":
        return ROLE_LABELS.get(row.role, row.role)
    if key == "warnings":
        return " ".join(row_warnings(row, entry))
    if key == "parsed":
        return parsed_summary(entry, year)
    if entry is not None and entry.kind == "group":
        if key == "number":
            return entry.label
        return f"{entry.title}{' — ' + entry.note if entry.note else ''}" if key == "content" else ""
    if entry is not None:
        return entry.number if key == "number" else entry.values.get(key, "")
    return row.value(table.col(key))


def parsed_summary(entry: Entry | None, year: int | None) -> str:
    """How the target and the deadline of an item were understood ("Chỉ tiêu: ≥ 95%; Hạn: 30/06/2026")."""
    if entry is None or entry.kind != "item":
        return ""
    from cds_desktop.services.deadlines import describe_deadline, parse_deadline
    from cds_desktop.services.measure_units import measure_unit, with_measure_unit
    from cds_desktop.services.targets import extract_target, format_target, parse_target

    target_text = with_measure_unit(entry.values.get("target", ""), measure_unit(entry.extra))
    target = parse_target(target_text) if target_text else extract_target(entry.values.get("content", ""))
    parts = [f"Chỉ tiêu: {format_target(target)}"] if target.comparator != "none" else []
    if entry.values.get("deadline"):
        parts.append(describe_deadline(parse_deadline(entry.values["deadline"], year)))
    parts += [f"{label}: {value}" for label, value in entry.reading.items() if value]
    return "; ".join(parts)


def group_lines(draft: dict) -> list[tuple[str, str | None, str, int, str]]:
    """``(key, parent key, "I. Title", items directly in it, note)`` for every group, in order."""
    direct: dict[str | None, int] = {}
    for item in draft["items"]:
        direct[item["group"]] = direct.get(item["group"], 0) + 1
    return [(g["key"], g["parent"], f"{g['label']}. {g['title']}" if g["label"] else g["title"],
             direct.get(g["key"], 0), g["note"]) for g in draft["groups"]]


def summary_text(analysis: Analysis, matches: dict[str, str | None]) -> str:
    counts = analysis.counts()
    created = sum(1 for value in matches.values() if value is None)
    return (f"{counts['indicator']} chỉ tiêu, {counts['task']} nhiệm vụ, {len(matches)} đơn vị ({created} tạo mới), "
            f"{len(analysis.warnings)} cảnh báo.")
