"""Screenshots of the exchange screen (Trao đổi dữ liệu).

    .venv/bin/python tools/screenshot_exchange.py [--out screenshots]

Builds, in a temporary folder, an office database (the demo plan with its
progress and two evidence files) and a laptop copy made from its package; both
are edited apart so that they conflict.  Saves ``exchange.png`` (the send page
after an export), ``exchange_conflict.png`` (the laptop's package checked on the
office PC, a conflict selected, side by side), ``exchange_workbooks.png`` (a
returned unit workbook checked) and ``exchange_history.png``.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(root: Path):
    """(office db, laptop db, laptop package path, returned workbook path)."""
    import openpyxl
    from sqlalchemy import select

    from cds_desktop.database import open_database
    from cds_desktop.exchange import export_package, import_package
    from cds_desktop.exchange import workbook_format as wf
    from cds_desktop.exchange.workbook_write import generate_unit_workbook, reporting_units
    from cds_desktop.models import Item, Plan, TaskProgress, Unit
    from cds_desktop.services.demo_progress import create_demo_progress
    from cds_desktop.services.evidence import attach_files
    from cds_desktop.services.tracking import entry
    from cds_desktop.services.tracking.calendar import get_period

    office = open_database(root / "office")
    create_demo_progress(office)
    files = root / "files"
    files.mkdir()
    (files / "QĐ 12-QĐ-UBND thành lập Tổ CNS.pdf").write_bytes(b"%PDF-1.4 quyet dinh " * 50)
    with office.session() as s:
        first = s.scalar(select(Item.uuid).order_by(Item.position))
    attach_files(office, [files / "QĐ 12-QĐ-UBND thành lập Tổ CNS.pdf"], [("item", first)])
    laptop = open_database(root / "laptop")
    import_package(laptop, export_package(office, root / "van-phong.cdspkg").path, trust_new=True)

    def edit(db, who: str) -> None:
        with db.session() as s:
            items = list(s.scalars(select(Item).order_by(Item.position)))
            items[1].content = f"{items[1].content} ({who} sửa)"
            items[2].note = f"Ghi chú của {who}"
            if who == "văn phòng":
                items[4].deleted_at = datetime.now(UTC)
            else:
                items[4].target_text = "≥ 95%"
            progress = s.scalar(select(TaskProgress).order_by(TaskProgress.id))
            progress.percent = 80 if who == "văn phòng" else 65
            progress.result = f"Kết quả theo {who}"
    edit(office, "văn phòng")
    edit(laptop, "máy xách tay")
    package = export_package(laptop, root / "may-xach-tay.cdspkg").path

    unit = next(uuid for uuid, name in reporting_units(office, "2026-10") if name.startswith("Văn phòng"))
    book = generate_unit_workbook(office, unit, "2026-10", root / "phieu").path
    wb = openpyxl.load_workbook(book)
    ws = wb[wf.DATA_SHEET]
    col = wf.COLUMN_INDEX
    rows = [r for r in range(wf.HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, col["kind"]).value == "Nhiệm vụ"]
    ws.cell(rows[0], col["status"]).value = "Hoàn thành"
    ws.cell(rows[0], col["result"]).value = "Đã triển khai tại 100% bộ phận"
    ws.cell(rows[1], col["status"]).value = "Xong rồi"
    ws.cell(rows[2], col["percent"]).value = 70
    ws.cell(rows[2], col["result"]).value = "Theo phiếu của đơn vị"
    uuid = ws.cell(rows[2], col["row_id"]).value
    wb.save(book)
    with office.session() as s:
        plan = s.scalar(select(Plan))
        entry.record_progress(s, s.scalar(select(Item).where(Item.uuid == uuid)), s.scalar(select(Unit).where(
            Unit.uuid == unit)), get_period(s, plan, "2026-10"), today=date(2026, 10, 10), percent=50,
            result="Theo điện thoại")
    return office, laptop, package, book


def _wait(app, job) -> None:
    from PySide6.QtCore import QEventLoop

    if job is not None and not job.done:
        loop = QEventLoop()
        job.finished.connect(loop.quit)
        loop.exec()
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from sqlalchemy import select

    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.models import Plan
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.exchange.screen import ExchangeWidget

    with tempfile.TemporaryDirectory(prefix="cds-exchange-shot-") as tmp:
        root = Path(tmp)
        configure_logging(root / "logs")
        app = create_application()
        office, laptop, package, book = build(root)
        try:
            with office.session() as s:
                plan = s.scalar(select(Plan)).uuid
            widget = ExchangeWidget(office)
            widget.resize(1400, 850)
            widget.set_plan(plan)
            widget.show()
            page = widget.export_page
            page.scope_plan.setChecked(True)
            page.package_path.setText(str(root / "gui" / "ke-hoach-2026.cdspkg"))
            page.book_folder.setText(str(root / "gui" / "phieu"))
            _wait(app, page.export_to(page.package_path.text()))
            widget.grab().save(str(out / "exchange.png"))

            widget.tabs.setCurrentIndex(1)
            imports = widget.import_page
            _wait(app, imports.check_package(package, trust_new=True))
            conflict = next(i for i, r in enumerate(imports.model.rows) if r.fields and len(r.fields) > 1)
            imports.table.selectRow(conflict)
            imports.choose("theirs")
            app.processEvents()
            widget.grab().save(str(out / "exchange_conflict.png"))

            _wait(app, imports.check_workbooks([book]))
            row = next(i for i, r in enumerate(imports.model.rows) if r.is_conflict)
            imports.table.selectRow(row)
            app.processEvents()
            widget.grab().save(str(out / "exchange_workbooks.png"))
            _wait(app, imports.apply())

            widget.tabs.setCurrentIndex(2)
            app.processEvents()
            widget.grab().save(str(out / "exchange_history.png"))
            for name in ("exchange.png", "exchange_conflict.png", "exchange_workbooks.png", "exchange_history.png"):
                print(out / name)
            widget.close()
        finally:
            from cds_desktop.ui.common.jobs import wait_for_jobs

            wait_for_jobs()
            office.close()
            laptop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
