"""Screenshots of the evidence library and of an item's evidence panel.

    .venv/bin/python tools/screenshot_evidence.py [--out screenshots]

Creates a demo database in a temporary folder (nothing of the user's is
touched), generates a few small files (photos as PNG/JPEG, a PDF, a DOCX),
attaches them to demo items with metadata, and saves
``evidence_library.png`` (1400×850) and ``evidence_panel.png``.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_photo(path: Path, title: str, colors: tuple[str, str], fmt: str = "PNG") -> Path:
    """A picture that looks like something: sky, hall, a screen with a title."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

    image = QImage(960, 640, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(0, 640))
    gradient.setColorAt(0, QColor(colors[0]))
    gradient.setColorAt(1, QColor(colors[1]))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor("#f7f2e7"))
    painter.drawRect(QRectF(180, 90, 600, 300))
    painter.setPen(QColor("#7a2020"))
    font = QFont()
    font.setPixelSize(42)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(190, 100, 580, 280), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, title)
    painter.setPen(Qt.PenStyle.NoPen)
    for i in range(9):  # rows of people
        painter.setBrush(QColor("#2f3b4a" if i % 2 else "#46566b"))
        painter.drawEllipse(QPointF(110 + i * 95, 520), 34, 34)
        painter.drawRoundedRect(QRectF(70 + i * 95, 555, 80, 90), 18, 18)
    painter.end()
    image.save(str(path), fmt)
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        pdf.drawString(72, y, line.encode("ascii", "replace").decode())
        y -= 18
    pdf.save()
    return path


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def build_demo(data_dir: Path, files_dir: Path):
    """A demo database with a handful of evidence files attached; returns (db, item_uuid)."""
    from sqlalchemy import select

    from cds_desktop.database import open_database
    from cds_desktop.models import INDICATOR, TASK, Item, Unit
    from cds_desktop.services.demo import create_demo
    from cds_desktop.services.evidence import EvidenceMetadata, attach_files

    db = open_database(data_dir)
    create_demo(db)
    with db.session() as s:
        indicators = list(s.scalars(select(Item.uuid).where(Item.kind == INDICATOR).order_by(Item.position)))
        tasks = list(s.scalars(select(Item.uuid).where(Item.kind == TASK).order_by(Item.position)))
        vhxh = s.scalar(select(Unit.uuid).where(Unit.name.like("%Văn hóa - Xã hội%")))
        office = s.scalar(select(Unit.uuid).where(Unit.name.like("Văn phòng%")))
    files_dir.mkdir(parents=True, exist_ok=True)
    training = make_photo(files_dir / "Ảnh tập huấn kỹ năng số thôn Giang Cao.png",
                          "Tập huấn kỹ năng số cho người dân", ("#8ec5fc", "#e0c3fc"))
    meeting = make_photo(files_dir / "Hội nghị triển khai Kế hoạch CĐS.jpg",
                         "Hội nghị triển khai Kế hoạch chuyển đổi số năm 2026", ("#f6d365", "#fda085"), "JPG")
    screen = make_photo(files_dir / "Ảnh chụp màn hình iGate.png",
                        "Hệ thống giải quyết TTHC: 98,7% hồ sơ trực tuyến", ("#a1c4fd", "#c2e9fb"))
    decision = make_pdf(files_dir / "12-QĐ-UBND thành lập Tổ CNS cộng đồng.pdf",
                        ["UY BAN NHAN DAN XA BAT TRANG", "QUYET DINH 12/QD-UBND", "Thanh lap To cong nghe so cong dong"])
    minutes = make_docx(files_dir / "Biên bản họp Tổ công nghệ số tháng 5.docx",
                        ["BIÊN BẢN HỌP", "Tổ công nghệ số cộng đồng thôn Giang Cao", "Ngày 20/5/2026"])
    report = make_docx(files_dir / "Báo cáo kết quả CĐS tháng 5-2026.docx", ["BÁO CÁO", "Kết quả tháng 5/2026"])
    plan = make_pdf(files_dir / "KH 139-KH-UBND chuyển đổi số 2026.pdf", ["KE HOACH 139/KH-UBND"])
    item = indicators[0]
    attach_files(db, [decision], [("item", item), ("item", tasks[0])], EvidenceMetadata(
        kind="decision", doc_number="12/QĐ-UBND", doc_date=date(2026, 3, 5), issuer="UBND xã Bát Tràng",
        description="Quyết định thành lập Tổ công nghệ số cộng đồng", period="2026-03", unit_uuid=office))
    attach_files(db, [training, meeting], [("item", item)], EvidenceMetadata(
        period="2026-05", unit_uuid=vhxh, description="Lớp tập huấn kỹ năng số cơ bản"))
    attach_files(db, [minutes], [("item", item), ("item", indicators[1])], EvidenceMetadata(
        kind="minutes", doc_number="05/BB-TCNS", doc_date=date(2026, 5, 20), issuer="Tổ công nghệ số cộng đồng",
        period="2026-05", unit_uuid=vhxh))
    attach_files(db, [screen], [("item", indicators[2])], EvidenceMetadata(period="Quý II/2026", unit_uuid=office))
    attach_files(db, [report], [("item", tasks[1])], EvidenceMetadata(
        kind="report", doc_number="45/BC-UBND", doc_date=date(2026, 6, 2), issuer="UBND xã Bát Tràng",
        period="2026-05"))
    attach_files(db, [plan], [("item", tasks[0])], EvidenceMetadata(
        kind="plan", doc_number="139/KH-UBND", doc_date=date(2026, 4, 3), issuer="UBND xã Bát Tràng", period="2026"))
    return db, item


def _settle(app, rounds: int = 30) -> None:
    """Let background thumbnail jobs finish and their results arrive."""
    import time

    from cds_desktop.ui.evidence.models import wait_for_thumbnails

    for _ in range(rounds):
        app.processEvents()
        wait_for_thumbnails(100, drop_queued=False)
        time.sleep(0.02)
    app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.ui.app import create_application
    from cds_desktop.ui.evidence.library import EvidenceLibraryWidget
    from cds_desktop.ui.evidence.panel import EvidencePanel

    with tempfile.TemporaryDirectory(prefix="cds-evidence-shot-") as tmp:
        configure_logging(Path(tmp) / "data" / "logs")
        app = create_application()
        db, item = build_demo(Path(tmp) / "data", Path(tmp) / "files")
        try:
            library = EvidenceLibraryWidget(db)
            library.resize(1400, 850)
            library.show()
            _settle(app)
            photo = next(i for i, r in enumerate(library.model.rows) if r.original_name.startswith("Ảnh tập huấn"))
            library.view.selectRow(photo)
            _settle(app)
            library.grab().save(str(out / "evidence_library.png"))
            print(out / "evidence_library.png")

            panel = EvidencePanel(db)
            panel.resize(720, 420)
            panel.set_target("item", item)
            panel.show()
            _settle(app)
            panel.view.selectRow(0)
            _settle(app)
            panel.grab().save(str(out / "evidence_panel.png"))
            print(out / "evidence_panel.png")
            library.close()
            panel.close()
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
