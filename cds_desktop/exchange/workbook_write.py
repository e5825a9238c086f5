"""Generating unit report workbooks (Phiếu báo cáo) for a unit and a period.

One row per indicator or task the unit is expected to report on in the period
(the rows of the month-entry screen for that unit), pre-filled with what is
already recorded.  Locked columns: hidden row id, number, kind, content,
target, deadline, last reported status; editable ones (unlocked, yellow, with
data validation): status (drop-down list), % done (0–100), result,
difficulties, proposals, numerator / denominator / value, evidence file names.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.database.migrate import head_revision
from cds_desktop.exchange import workbook_format as wf
from cds_desktop.exchange.errors import ExchangeCancelled, ExchangeError
from cds_desktop.exchange.history import record_history
from cds_desktop.models import INDICATOR, TASK, Commune, Item, Plan, ReportingPeriod, Unit, new_uuid, utcnow
from cds_desktop.models.exchange import EXPORT_WORKBOOK
from cds_desktop.services.common import BadValueError, refuse_existing
from cds_desktop.services.lookup import resolve_plan, resolve_unit
from cds_desktop.services.targets import display_target
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import get_period, period_label
from cds_desktop.services.tracking.filters import Criteria
from cds_desktop.services.tracking.month import month_rows
from cds_desktop.text import fold

log = logging.getLogger(__name__)

FONT = "Times New Roman"
EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
NOT_APPLICABLE_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
TEXT_FIELDS = ("result", "difficulties", "proposals", "evidence")
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN PHIẾU BÁO CÁO",
    "",
    "1. Phiếu gồm các chỉ tiêu, nhiệm vụ đơn vị được giao báo cáo trong kỳ, ở trang «Báo cáo».",
    "2. Chỉ nhập vào các ô nền vàng. Các ô nền trắng hoặc xám là thông tin của kế hoạch, không sửa được.",
    "3. Nhiệm vụ: chọn «Trạng thái» trong danh sách; nhập «% hoàn thành» là số nguyên từ 0 đến 100;",
    "   ghi «Kết quả thực hiện», «Khó khăn, vướng mắc», «Đề xuất, kiến nghị» nếu có.",
    "4. Chỉ tiêu: nhập «Tử số» và «Mẫu số» (ví dụ 45 và 60), hoặc một «Giá trị» nếu chỉ tiêu không tính theo",
    "   tỷ lệ; ghi kết quả hoặc ghi chú ở cột «Kết quả thực hiện».",
    "5. Minh chứng: gửi kèm các tệp (quyết định, biên bản, ảnh…) và ghi tên tệp vào cột «Tên tệp minh chứng",
    "   gửi kèm», nhiều tệp cách nhau bởi dấu chấm phẩy (;).",
    "6. Không thêm, xóa, đổi tên trang tính; không sửa cột «Mã dòng» (cột ẩn); không dùng công thức",
    "   (nội dung bắt đầu bằng dấu «=» sẽ được coi là văn bản).",
    "7. Lưu tệp ở định dạng Excel (.xlsx) — dùng được Microsoft Excel hoặc LibreOffice — rồi gửi lại cho cán bộ",
    "   chuyên trách chuyển đổi số qua thư điện tử hoặc USB.",
]


@dataclass
class WorkbookRowData:
    item_uuid: str
    kind: str
    number: str
    content: str
    target: str
    deadline: str
    previous: str
    prefill: dict[str, Any] = field(default_factory=dict)


@dataclass
class GeneratedWorkbook:
    path: Path
    workbook_uuid: str
    unit_name: str
    period_code: str
    rows: int


def _plan_of_period(session: Session, plan_ref: str | None, period_code: str) -> Plan:
    """The plan named, or the plan of the period's year."""
    year = int(period_code[:4]) if period_code[:4].isdigit() else None
    return resolve_plan(session, plan_ref, year=year, year_required=year is not None)


def _target(item: Item) -> str:
    if item.kind == INDICATOR:
        return display_target(item)
    return item.expected_result or item.output_product or ""


def workbook_rows(session: Session, plan: Plan, period: ReportingPeriod, unit: Unit) -> list[WorkbookRowData]:
    rows = month_rows(session, plan, period, Criteria(unit_uuid=unit.uuid))
    items = {i.id: i for i in session.scalars(select(Item).where(Item.id.in_([r.item.id for r in rows])))}
    out = []
    for row in rows:
        item = items[row.item.id]
        prefill: dict[str, Any] = {"result": row.result or "", "evidence": ""}
        if row.kind == TASK:
            prefill.update(status=row.status if row.has_report else None, percent=row.percent,
                           difficulties=row.difficulties or "", proposals=row.proposals or "")
        else:
            prefill.update(numerator=row.numerator, denominator=row.denominator, value=row.value)
        out.append(WorkbookRowData(item.uuid, row.kind, row.item.ref, item.content, _target(item),
                                   item.deadline_text, row.previous, prefill))
    return out


def workbook_filename(unit_name: str, period_code: str) -> str:
    """``Phieu-bao-cao_2026-05_Phong-Kinh-te.xlsx``: ASCII, safe for e-mail and every file system."""
    plain = unicodedata.normalize("NFD", unit_name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:60] or "Don-vi"
    return f"Phieu-bao-cao_{period_code}_{stem}.xlsx"


def generate_unit_workbook(db: Database, unit_uuid: str, period_code: str, out: str | os.PathLike[str], *,
                           plan_uuid: str | None = None, record: bool = True,
                           overwrite: bool = True) -> GeneratedWorkbook:
    """Write the workbook of one unit for one period to *out* (a file, or a folder to put it in);
    an existing file is replaced only with *overwrite*."""
    with db.session(source="exchange") as session:
        plan = _plan_of_period(session, plan_uuid, period_code)
        period = get_period(session, plan, period_code)
        unit = resolve_unit(session, unit_uuid)
        rows = workbook_rows(session, plan, period, unit)
        commune = session.get(Commune, plan.commune_id)
        meta = {
            "format": wf.FORMAT, "format_version": wf.FORMAT_VERSION, "workbook_uuid": new_uuid(),
            "unit_uuid": unit.uuid, "unit_name": unit.name, "plan_uuid": plan.uuid,
            "plan_label": f"Kế hoạch {plan.number} năm {plan.year}".replace("  ", " "),
            "period_code": period.code, "period_label": period_label(period.code),
            "due_date": period.due_date.strftime("%d/%m/%Y"), "generated_at": utcnow().isoformat(),
            "schema_revision": head_revision(), "installation": db.installation_id,
            "commune": commune.display_name if commune else "",
        }
    if not rows:
        raise ExchangeError(f"{unit.name} không có chỉ tiêu, nhiệm vụ nào phải báo cáo trong kỳ "
                            f"{period_label(period.code)}.")
    target = Path(out)
    if target.is_dir() or not target.suffix:
        target = target / workbook_filename(meta["unit_name"], meta["period_code"])
    refuse_existing([target], overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(meta, rows).save(target)
    if record:
        record_history(db, EXPORT_WORKBOOK, package_uuid=meta["workbook_uuid"], peer_name=meta["unit_name"],
                       file_name=target.name, counts={"rows": len(rows)},
                       scope={"kind": "workbook", "unit_uuid": meta["unit_uuid"], "unit_label": meta["unit_name"],
                              "period_code": meta["period_code"], "period_label": meta["period_label"]})
    log.info("Workbook for %s, %s written to %s (%d rows)", meta["unit_name"], meta["period_code"], target, len(rows))
    return GeneratedWorkbook(target, meta["workbook_uuid"], meta["unit_name"], meta["period_code"], len(rows))


def reporting_units(db: Database, period_code: str, plan_uuid: str | None = None) -> list[tuple[str, str]]:
    """``(uuid, name)`` of every unit expected to report in the period, in catalogue order."""
    with db.session(source="exchange") as session:
        plan = _plan_of_period(session, plan_uuid, period_code)
        period = get_period(session, plan, period_code)
        seen: dict[str, str] = {}
        for row in month_rows(session, plan, period):
            if row.expected and row.unit_uuid not in seen:
                seen[row.unit_uuid] = row.unit_name
        units = {u.uuid: u for u in session.scalars(select(Unit).where(Unit.uuid.in_(list(seen))))}
        ordered = sorted(seen, key=lambda u: (units[u].kind == "village", units[u].position or 0,
                                              fold(units[u].name)))
        return [(uuid, seen[uuid]) for uuid in ordered]


def generate_all_workbooks(db: Database, period_code: str, folder: str | os.PathLike[str], *,
                           plan_uuid: str | None = None, progress: Callable[[int, int, str], None] | None = None,
                           cancel: Callable[[], bool] | None = None, overwrite: bool = True) -> list[GeneratedWorkbook]:
    """One workbook per reporting unit of the period, in *folder* (never a file: several workbooks
    never go into one file), ready to e-mail; existing workbooks are replaced only with *overwrite*."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise BadValueError(f"«{target}» là một tệp; phiếu của mọi đơn vị được lưu vào một thư mục, "
                            "hãy chọn một thư mục.")
    units = reporting_units(db, period_code, plan_uuid)
    refuse_existing([target / workbook_filename(name, period_code) for _uuid, name in units], overwrite)
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for number, (uuid, name) in enumerate(units, 1):
        if cancel is not None and cancel():
            raise ExchangeCancelled()
        if progress is not None:
            progress(number - 1, len(units), f"Đang lập phiếu cho {name} ({number}/{len(units)})…")
        out.append(generate_unit_workbook(db, uuid, period_code, target, plan_uuid=plan_uuid))
    if progress is not None:
        progress(len(units), len(units), "Đã lập xong các phiếu báo cáo.")
    return out


# --------------------------------------------------------------------------
# The workbook itself


def build_workbook(meta: dict[str, Any], rows: list[WorkbookRowData]) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "CĐS Desktop"
    wb.properties.title = f"Phiếu báo cáo {meta['period_label']} — {meta['unit_name']}"
    _instructions(wb.active, meta)
    _data_sheet(wb.create_sheet(wf.DATA_SHEET), meta, rows)
    _meta_sheet(wb.create_sheet(wf.META_SHEET), meta, rows)
    wb.active = 1
    return wb


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # resizing columns and rows stays allowed
    ws.protection.formatRows = False


def _instructions(ws: Worksheet, meta: dict[str, Any]) -> None:
    ws.title = wf.INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 110
    lines = [*INSTRUCTIONS, "", f"Đơn vị: {meta['unit_name']}", f"Kỳ báo cáo: {meta['period_label']} — hạn gửi "
             f"{meta['due_date']}", f"Kế hoạch: {meta['plan_label']} — {meta['commune']}"]
    for number, line in enumerate(lines, 1):
        cell = ws.cell(number, 1)
        wf.set_text(cell, line)
        cell.font = Font(name=FONT, size=12, bold=number == 1)
    _protect(ws)


def _data_sheet(ws: Worksheet, meta: dict[str, Any], rows: list[WorkbookRowData]) -> None:
    last_col = wf.column_letter(wf.COLUMNS[-1].key)
    titles = [
        (f"PHIẾU BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH CHUYỂN ĐỔI SỐ — {meta['period_label'].upper()}", 14, True),
        (f"Đơn vị báo cáo: {meta['unit_name']}", 12, True),
        (f"{meta['plan_label']} — {meta['commune']}; hạn gửi báo cáo: {meta['due_date']}", 12, False),
        ("Chỉ nhập vào các ô nền vàng; không thêm, xóa cột hoặc trang tính.", 11, False),
    ]
    for number, (text, size, bold) in enumerate(titles, 1):
        ws.merge_cells(f"B{number}:{last_col}{number}")
        cell = ws.cell(number, 2)
        wf.set_text(cell, text)
        cell.font = Font(name=FONT, size=size, bold=bold, italic=number == 4)
        cell.alignment = Alignment(horizontal="center" if number < 4 else "left")
    for index, column in enumerate(wf.COLUMNS, 1):
        cell = ws.cell(wf.HEADER_ROW, index)
        wf.set_text(cell, column.header)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[wf.column_letter(column.key)].width = column.width
    ws.column_dimensions["A"].hidden = True
    ws.row_dimensions[wf.HEADER_ROW].height = 45
    status = DataValidation(type="list", formula1='"' + ",".join(codes.STATUS_LABELS.values()) + '"',
                            allow_blank=True, showErrorMessage=True, errorTitle="Trạng thái không hợp lệ",
                            error="Hãy chọn một trạng thái trong danh sách.", showInputMessage=True,
                            promptTitle="Trạng thái", prompt="Chọn trong danh sách")
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                             showErrorMessage=True, errorTitle="Tỷ lệ không hợp lệ",
                             error="Nhập số nguyên từ 0 đến 100.")
    number_dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                               showErrorMessage=True, errorTitle="Số liệu không hợp lệ", error="Nhập một số không âm.")
    denominator = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True,
                                 showErrorMessage=True, errorTitle="Mẫu số không hợp lệ",
                                 error="Mẫu số phải là số lớn hơn 0.")
    for dv in (status, percent, number_dv, denominator):
        ws.add_data_validation(dv)
    validations = {"status": status, "percent": percent, "numerator": number_dv, "value": number_dv,
                   "denominator": denominator}
    for offset, row in enumerate(rows):
        _write_row(ws, wf.HEADER_ROW + 1 + offset, row, validations)
    last_row = wf.HEADER_ROW + max(len(rows), 1)
    ws.freeze_panes = f"E{wf.HEADER_ROW + 1}"
    ws.print_title_rows = f"{wf.HEADER_ROW}:{wf.HEADER_ROW}"
    ws.print_area = f"B1:{last_col}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "Trang &P / &N"
    _protect(ws)


def _write_row(ws: Worksheet, r: int, row: WorkbookRowData, validations: dict[str, DataValidation]) -> None:
    kind_label = "Chỉ tiêu" if row.kind == INDICATOR else "Nhiệm vụ"
    shown = {"row_id": row.item_uuid, "number": row.number, "kind": kind_label, "content": row.content,
             "target": row.target, "deadline": row.deadline, "previous": row.previous}
    lines = 1
    for index, column in enumerate(wf.COLUMNS, 1):
        cell = ws.cell(r, index)
        text = shown.get(column.key) or (row.prefill.get(column.key) if column.key in TEXT_FIELDS else "")
        if column.wrap and isinstance(text, str) and text:
            lines = max(lines, _lines(text, column.width))
        cell.font = Font(name=FONT, size=11)
        cell.border = BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
        if column.key in shown:
            wf.set_text(cell, shown[column.key] or "")
            continue
        if row.kind not in column.editable:
            cell.fill = NOT_APPLICABLE_FILL
            continue
        cell.fill = EDITABLE_FILL
        cell.protection = UNLOCKED
        value = row.prefill.get(column.key)
        if column.key == "status":
            value = codes.STATUS_LABELS.get(value) if value else None
        if isinstance(value, str):
            wf.set_text(cell, value)
        elif value is not None:
            cell.value = value
        if column.key == "percent":
            cell.number_format = "0"
        elif column.key in ("numerator", "denominator", "value"):
            cell.number_format = "General"
        if column.key in validations:
            validations[column.key].add(cell.coordinate)
    ws.row_dimensions[r].height = min(14.5 * lines + 3, 400)


def _lines(text: str, width: float) -> int:
    """How many lines *text* takes in a wrapped column of *width* characters (an estimate)."""
    per_line = max(int(width * 1.3) - 1, 4)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _meta_sheet(ws: Worksheet, meta: dict[str, Any], rows: list[WorkbookRowData]) -> None:
    for number, key in enumerate(wf.META_KEYS, 1):
        wf.set_text(ws.cell(number, 1), key)
        value = meta[key]
        if isinstance(value, str):
            wf.set_text(ws.cell(number, 2), value)
        else:
            ws.cell(number, 2).value = value
    wf.set_text(ws.cell(wf.META_ROWS_START - 1, 1), "item_uuid")
    wf.set_text(ws.cell(wf.META_ROWS_START - 1, 2), "kind")
    wf.set_text(ws.cell(wf.META_ROWS_START - 1, 3), "prefill")
    for offset, row in enumerate(rows):
        r = wf.META_ROWS_START + offset
        wf.set_text(ws.cell(r, 1), row.item_uuid)
        wf.set_text(ws.cell(r, 2), row.kind)
        wf.set_text(ws.cell(r, 3), json.dumps(row.prefill, ensure_ascii=False, default=_json_default))
    ws.sheet_state = "veryHidden"
    _protect(ws)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))
