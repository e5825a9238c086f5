"""Danh mục minh chứng: the report's content (Qt-free), and the PDF / Excel files
written through the shared report machinery by ``cds-desktop evidence report``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from cds_desktop.cli import main
from cds_desktop.models import INDICATOR, TASK, Item, Unit
from cds_desktop.services.evidence import EvidenceMetadata, attach_files
from cds_desktop.services.evidence.report import COLUMNS, evidence_list


def _setup(db, tmp_path: Path) -> dict[str, str]:
    with db.session("test") as s:
        indicator = s.scalar(select(Item.uuid).where(Item.kind == INDICATOR).order_by(Item.position))
        task = s.scalar(select(Item.uuid).where(Item.kind == TASK).order_by(Item.position))
        unit = s.scalar(select(Unit.uuid).where(Unit.name.like("%Văn hóa - Xã hội%")))
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("qd.pdf", "anh.jpg", "bc.docx"):
        (folder / name).write_bytes(name.encode() * 10)
    attach_files(db, [folder / "bc.docx"], [("item", task)], EvidenceMetadata(
        kind="report", doc_number="45/BC-UBND", doc_date=date(2026, 6, 2), issuer="UBND xã Bát Tràng", period="2026-05"))
    attach_files(db, [folder / "qd.pdf"], [("item", indicator), ("item", task)], EvidenceMetadata(
        kind="decision", doc_number="12/QĐ-UBND", doc_date=date(2026, 3, 5), issuer="UBND xã Bát Tràng",
        description="Quyết định thành lập Tổ công nghệ số cộng đồng", period="2026-03", unit_uuid=unit))
    attach_files(db, [folder / "anh.jpg"], [("item", indicator)], EvidenceMetadata(period="2026-05", unit_uuid=unit))
    return {"unit": unit, "indicator": indicator, "task": task}


def test_content_rows_columns_and_filters(demo_db, tmp_path):
    ids = _setup(demo_db, tmp_path)
    with demo_db.session("test") as s:
        everything = evidence_list(s)
        q2 = evidence_list(s, period="Quý II/2026")
        unit_q2 = evidence_list(s, period="2026-Q2", unit_uuid=ids["unit"])
        decisions = evidence_list(s, kind="decision")
    assert [c.header for c in COLUMNS] == [
        "STT", "Tên minh chứng", "Loại", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành",
        "Chỉ tiêu, nhiệm vụ liên quan", "Đơn vị", "Kỳ",
    ]
    assert everything.count == 3 and [r[0] for r in everything.rows] == ["1", "2", "3"]
    first = everything.as_dicts()[0]  # indicator evidence first, in plan order, then by date
    assert first["name"] == "Quyết định thành lập Tổ công nghệ số cộng đồng (tệp: qd.pdf)"
    assert (first["kind"], first["number"], first["date"], first["period"]) == (
        "Quyết định", "12/QĐ-UBND", "05/03/2026", "Tháng 3/2026")
    assert first["targets"].count("\n") == 1 and first["targets"].startswith("- Chỉ tiêu 1.")
    assert first["unit"] == "Phòng Văn hóa - Xã hội"
    assert q2.count == 2 and q2.filter_lines == ["Kỳ: Quý II/2026"]
    assert unit_q2.count == 1 and unit_q2.filter_lines == ["Kỳ: Quý II/2026", "Đơn vị: Phòng Văn hóa - Xã hội"]
    assert decisions.count == 1 and decisions.summary.startswith("Tổng số: 01 minh chứng")


def test_cli_writes_pdf_and_excel(demo_db, tmp_path, capsys):
    _setup(demo_db, tmp_path)
    data_dir = str(demo_db.paths.data_dir)
    demo_db.close()
    pdf, xlsx = tmp_path / "dmmc.pdf", tmp_path / "dmmc.xlsx"
    assert main(["evidence", "report", "--data-dir", data_dir, "--out", str(pdf), "--period", "2026"]) == 0
    assert main(["evidence", "report", "--data-dir", data_dir, "--out", str(xlsx), "--unit", "Phòng VHXH"]) == 0
    assert "Đã ghi" in capsys.readouterr().out
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "DANH MỤC MINH CHỨNG" in text and "12/QĐ-UBND" in text and "Năm 2026" in text
    assert PdfReader(pdf).pages[0].mediabox.width > PdfReader(pdf).pages[0].mediabox.height  # landscape A4
    sheet = load_workbook(xlsx).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Tên minh chứng" in values and "Đơn vị: Phòng Văn hóa - Xã hội" in " ".join(values)
    assert sum("anh.jpg" in v or "qd.pdf" in v for v in values) == 2


def test_report_command_has_the_evidence_kind(demo_db, tmp_path, capsys):
    """`cds-desktop report evidence` goes through the same builder as `evidence report`."""
    _setup(demo_db, tmp_path)
    data_dir = str(demo_db.paths.data_dir)
    demo_db.close()
    pdf, xlsx = tmp_path / "report-evidence.pdf", tmp_path / "report-evidence.xlsx"
    assert main(["report", "evidence", "--data-dir", data_dir, "--out", str(pdf), "--period", "2026"]) == 0
    assert main(["report", "evidence", "--data-dir", data_dir, "--out", str(xlsx), "--unit", "Phòng VHXH"]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "DANH MỤC MINH CHỨNG" in text and "12/QĐ-UBND" in text and "Năm 2026" in text
    values = [str(c.value) for row in load_workbook(xlsx).active.iter_rows() for c in row if c.value]
    assert "Đơn vị: Phòng Văn hóa - Xã hội" in " ".join(values)
