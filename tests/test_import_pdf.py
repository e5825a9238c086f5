"""PDF plans: born-digital PDFs printed by LibreOffice import like the text they were made from;
scans, password-protected and damaged PDFs are refused with a clear message and nothing written."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.databases import database_state
from support.libreoffice import needs_libreoffice
from support.paths import BAT_TRANG_SEED, PHU_DONG_SEED, ROOT

from cds_desktop.cli import main
from cds_desktop.importers.document import ImportFailure, RawTable
from cds_desktop.importers.readers import read_bytes, read_path

PDF_DIR = ROOT / "tests" / "fixtures" / "pdf"
SEED_PDFS = [(PHU_DONG_SEED, PDF_DIR / "000_0b2d4eebbd1ce4dd.pdf"), (BAT_TRANG_SEED, PDF_DIR / "004_c2f9f5085f71fe4f.pdf")]


def run_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    code = main(["import-plan", *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def per_group(report: dict) -> list[tuple]:
    return [(g["section"], g["parent_label"], g["label"], g["title"], g["indicator_count"], g["task_count"])
            for g in report["plan"]["groups"]]


@pytest.mark.parametrize(("seed", "pdf"), SEED_PDFS, ids=["phu_dong", "bat_trang"])
def test_seed_printed_as_pdf_imports_like_its_text(capsys, tmp_path: Path, seed: Path, pdf: Path) -> None:
    from_text = run_json(capsys, str(seed), "--dry-run", "--data-dir", str(tmp_path / "a"))
    from_pdf = run_json(capsys, str(pdf), "--dry-run", "--data-dir", str(tmp_path / "b"))
    assert len(per_group(from_text)) >= 10
    assert per_group(from_pdf) == per_group(from_text)
    for key in ("title", "number", "issue_date", "signer", "indicator_count", "task_count", "unit_count"):
        assert from_pdf["plan"][key] == from_text["plan"][key], key
    assert sorted(u["name"] for u in from_pdf["units"]) == sorted(u["name"] for u in from_text["units"])


def test_seed_pdf_rows_read_like_the_text() -> None:
    """Every item of the Bát Tràng PDF carries the same content, target, units and deadline as in the text."""
    from cds_desktop.importers.run import analyse_path

    pdf_items = analyse_path(SEED_PDFS[1][1]).draft["items"]
    text_items = analyse_path(BAT_TRANG_SEED).draft["items"]
    assert len(pdf_items) == len(text_items) == 39
    fields = ("content", "target_text", "lead_text", "coordinating_text", "deadline_text", "number", "group")
    mismatched = [(i, f) for i, (a, b) in enumerate(zip(pdf_items, text_items, strict=True))
                  for f in fields if a.get(f) != b.get(f)]
    assert mismatched == []


def test_tables_continued_over_pages_are_joined() -> None:
    document = read_path(SEED_PDFS[1][1])
    tables = document.tables
    # Phụ lục 01 runs over five pages and Phụ lục 02 over five: one table each, header rows
    # repeated by the word processor dropped at the page joins, rows cut by a page break mended.
    assert [t.page for t in tables] == [12, 17]
    first = tables[0]
    assert first.describe() == "bảng 1 của tệp PDF (trang 12)"
    cells = [r.cells for r in first.rows]
    assert not any(c[0] == "" and c[1][:1].islower() for c in cells), "a row cut by a page break was left apart"
    assert ["1", "Tỷ lệ người dân từ 14 tuổi trở lên có danh tính điện tử đạt trên 90%", "Công an xã",
            "Các thôn trên địa bàn xã", "Thực tế triển khai tại xã", ""] in cells


def test_front_matter_read_from_page_text() -> None:
    document = read_path(SEED_PDFS[1][1])
    paragraphs = document.paragraphs
    assert "Số: 139/KH-UBND" in paragraphs
    assert "Bát Tràng, ngày 03 tháng 4 năm 2026" in paragraphs
    assert paragraphs.index("KẾ HOẠCH") + 1 == paragraphs.index("Chuyển đổi số xã Bát Tràng năm 2026")


# --- refusals ------------------------------------------------------------------------------------


def _seed_pdf_bytes() -> bytes:
    return SEED_PDFS[1][1].read_bytes()


def _scanned() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(Image.new("RGB", (300, 200), "white")), 50, 400, 300, 200)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_seed_pdf_bytes())))
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _truncated() -> bytes:
    data = _seed_pdf_bytes()
    return data[: len(data) // 2]


def _no_text() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.line(50, 50, 300, 300)
    page.showPage()
    page.save()
    return buffer.getvalue()


REFUSED = [
    ("scan.pdf", _scanned, "chỉ có ảnh quét, không có lớp chữ"),
    ("mat_khau.pdf", _encrypted, "được đặt mật khẩu"),
    ("cut_ngang.pdf", _truncated, "bị hỏng hoặc không đầy đủ"),
    ("rac.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, "bị hỏng"),
    ("khong_chu.pdf", _no_text, "không có chữ"),
]


@pytest.fixture(scope="module")
def database_file(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("pdf-refused") / "data"
    assert main(["demo", "--data-dir", str(data_dir)]) == 0
    return data_dir / "cds.sqlite"


@pytest.mark.parametrize(("name", "make", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_unreadable_pdf_is_refused(capsys, tmp_path: Path, database_file: Path, name, make, expected) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    capsys.readouterr()
    before = database_state(database_file.parent)
    code = main(["import-plan", str(path), "--data-dir", str(database_file.parent)])
    out = capsys.readouterr()
    assert code == 4
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert f"«{name}»" in lines[0] and expected in lines[0], lines[0]
    assert database_state(database_file.parent) == before


def test_pdf_with_only_an_owner_password_is_read() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_seed_pdf_bytes())))
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    document = read_bytes(buffer.getvalue(), "han_che_in.pdf")
    assert len(document.tables) == 2


def test_layout_error_is_a_message_not_a_traceback(monkeypatch) -> None:
    from cds_desktop.importers import pdf_layout

    def broken(pages):
        raise ValueError("unexpected layout")

    monkeypatch.setattr(pdf_layout, "document_blocks", broken)
    with pytest.raises(ImportFailure, match="không đọc được bố cục"):
        read_bytes(_seed_pdf_bytes(), "la.pdf")


def _fixture_tool():
    """tools/make_pdf_fixtures.py, the script that prints Word files to PDF with LibreOffice."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_pdf_fixtures
    finally:
        sys.path.pop(0)
    return make_pdf_fixtures


# --- printed live by LibreOffice -------------------------------------------------------------------


@needs_libreoffice("writer")
def test_plan_printed_by_libreoffice_now(tmp_path: Path) -> None:
    """A small plan written as a Word file and printed to PDF by LibreOffice at test time."""
    tool = _fixture_tool()
    text = (
        "UBND XÃ THỬ NGHIỆM\nSố: 12/KH-UBND\nThử Nghiệm, ngày 05 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
        "Chuyển đổi số xã Thử Nghiệm năm 2026\n\nPhụ lục 01\nDANH MỤC CHỈ TIÊU\n"
        "STT\tChỉ tiêu\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n"
        "I\tChính quyền số\t\t\t\n"
        "1\tTỷ lệ hồ sơ xử lý trực tuyến đạt 80%\tVăn phòng HĐND-UBND\tCác phòng, ban chuyên môn\tQuý IV/2026\n"
        "2\t100% văn bản được ký số\tVăn phòng HĐND-UBND\tCác phòng, ban chuyên môn\tThường xuyên\n"
        "II\tXã hội số\t\t\t\n"
        "3\tTỷ lệ người dân có danh tính điện tử đạt 90%\tCông an xã\tCác thôn\tNăm 2026\n"
        "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An\n"
    )
    source = tmp_path / "thu_nghiem.docx"
    tool.text_to_docx(text, source)
    try:
        pdf = tool.docx_to_pdf(source, tmp_path)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"LibreOffice could not print: {exc}")
    document = read_path(pdf)
    assert isinstance(document.blocks[-1], str) or document.tables
    rows = [r.cells for r in document.tables[0].rows]
    assert rows[0] == ["STT", "Chỉ tiêu", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]
    assert ["3", "Tỷ lệ người dân có danh tính điện tử đạt 90%", "Công an xã", "Các thôn", "Năm 2026"] in rows
    assert isinstance(document.blocks[0], str) and not isinstance(document.blocks[0], RawTable)


# --- text copied out of a PDF viewer ---------------------------------------------------------------

COPIED = """KẾ HOẠCH
Chuyển đổi số xã Thử Nghiệm năm 2026
PHỤ LỤC
DANH MỤC CHỈ TIÊU
STT Nội dung Mục tiêu Lãnh đạo chỉ
đạo
Đơn vị chủ trì Đơn vị phối
hợp
Thời gian
thực hiện
I. CHÍNH QUYỀN
SỐ
1 1 Tỷ lệ hồ sơ xử lý
trực tuyến toàn
trình
100%
Đ/c Nguyễn Văn
An, Chủ tịch
Văn phòng
HĐND - UBND
Các phòng
chuyên môn
Năm 2026
2 2 Văn bản đi được ký
số
≥ 95% Đ/c Trần Thị
Bình, PCT
Văn phòng
HĐND - UBND
Quý IV/2026
II. XÃ HỘI SỐ
3 1 Người dân có danh
tính điện tử mức 2
90% Công an xã Các thôn Năm 2026
"""


def test_copied_pdf_text_tables_are_rebuilt() -> None:
    from cds_desktop.importers.readers import read_text

    document = read_text(COPIED, "sao_chep.txt")
    assert any("sao chép từ tệp PDF" in note for note in document.notes)
    [table] = document.tables
    rows = [r.cells for r in table.rows]
    assert rows[0] == ["STT", "", "Nội dung", "Mục tiêu", "Lãnh đạo chỉ đạo", "Đơn vị chủ trì",
                       "Đơn vị phối hợp", "Thời gian thực hiện"]
    assert rows[1][:3] == ["I", "", "CHÍNH QUYỀN SỐ"]
    assert rows[2] == ["1", "1", "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình", "100%", "Đ/c Nguyễn Văn An, Chủ tịch",
                       "Văn phòng HĐND - UBND", "Các phòng chuyên môn", "Năm 2026"]
    assert rows[3] == ["2", "2", "Văn bản đi được ký số", "≥ 95%", "Đ/c Trần Thị Bình, PCT",
                       "Văn phòng HĐND - UBND", "", "Quý IV/2026"]
    assert rows[5] == ["3", "1", "Người dân có danh tính điện tử mức 2", "90%", "", "Công an xã", "Các thôn",
                       "Năm 2026"]
    assert document.paragraphs[:2] == ["KẾ HOẠCH", "Chuyển đổi số xã Thử Nghiệm năm 2026"]


def test_copied_text_imports_as_a_plan() -> None:
    from cds_desktop.importers.run import analyse_text

    analysis = analyse_text(COPIED, "sao_chep.txt")
    items = analysis.draft["items"]
    assert [i["content"] for i in items] == ["Tỷ lệ hồ sơ xử lý trực tuyến toàn trình", "Văn bản đi được ký số",
                                             "Người dân có danh tính điện tử mức 2"]
    assert [i["target_text"] for i in items] == ["100%", "≥ 95%", "90%"]
    assert all(i["kind"] == "indicator" for i in items)


# --- old Word files (.doc) -------------------------------------------------------------------------

SMALL_PLAN = (
    "UBND XÃ THỬ NGHIỆM\nSố: 12/KH-UBND\nThử Nghiệm, ngày 05 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
    "Chuyển đổi số xã Thử Nghiệm năm 2026\n\nPhụ lục 01\nDANH MỤC CHỈ TIÊU\n"
    "STT\tChỉ tiêu\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n"
    "I\tChính quyền số\t\t\t\n"
    "1\tTỷ lệ hồ sơ xử lý trực tuyến đạt 80%\tVăn phòng HĐND-UBND\tCác phòng, ban chuyên môn\tQuý IV/2026\n"
    "2\t100% văn bản được ký số\tVăn phòng HĐND-UBND\tCác phòng, ban chuyên môn\tThường xuyên\n"
    "II\tXã hội số\t\t\t\n"
    "3\tTỷ lệ người dân có danh tính điện tử đạt 90%\tCông an xã\tCác thôn\tNăm 2026\n"
    "\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An\n"
)


def _ole_doc() -> bytes:
    """An OLE compound file that names a WordDocument stream (enough to be taken for a .doc)."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 4096


def test_doc_without_libreoffice_asks_for_docx(monkeypatch) -> None:
    from cds_desktop.importers import legacy

    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    with pytest.raises(ImportFailure) as caught:
        read_bytes(_ole_doc(), "ke_hoach_cu.doc")
    message = str(caught.value)
    assert "«ke_hoach_cu.doc»" in message and "LibreOffice" in message and ".docx" in message


def test_doc_that_libreoffice_cannot_convert(monkeypatch, tmp_path: Path) -> None:
    from cds_desktop.importers import legacy

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(legacy, "find_soffice", lambda: str(fake))
    with pytest.raises(ImportFailure, match="không chuyển đổi được tệp .doc"):
        read_bytes(_ole_doc(), "hong.doc")


@needs_libreoffice("writer")
def test_doc_is_converted_by_libreoffice(tmp_path: Path) -> None:
    tool = _fixture_tool()
    source = tmp_path / "cu.docx"
    tool.text_to_docx(SMALL_PLAN, source)
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                       check=True, capture_output=True, timeout=180)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"LibreOffice could not write a .doc: {exc}")
    document = read_path(tmp_path / "cu.doc")
    assert any(".doc" in note for note in document.notes)
    rows = [r.cells for r in document.tables[0].rows]
    assert ["2", "100% văn bản được ký số", "Văn phòng HĐND-UBND", "Các phòng, ban chuyên môn", "Thường xuyên"] in rows


def test_guesses_about_copied_rows_are_flagged_in_the_preview() -> None:
    """A merged lead or leader cell is printed once in the PDF: the rows below it are filled from above,
    and the preview says so on each of those rows."""
    from cds_desktop.importers.run import analyse_path

    analysis = analyse_path(ROOT / "tests" / "fixtures" / "plans" / "thanh_lam_tasks_pdf_copy.txt")
    flagged = [w for w in analysis.warnings if w["row"] is not None and "ô gộp" in w["message"]]
    assert len(flagged) >= 4
    assert all(w["table"] == 1 for w in flagged)


def test_row_cut_by_a_page_break_is_mended_and_flagged() -> None:
    """Phù Đổng's group row «A | Các nhiệm vụ do Thành phố giao cho …» is cut by a page break after
    «giao cho»: the rest, at the top of the next page, goes back into it, and the preview says so."""
    from cds_desktop.importers.run import analyse_path

    analysis = analyse_path(SEED_PDFS[0][1])
    cut = [w for w in analysis.warnings if "ngắt sang trang" in w["message"]]
    assert cut and all(w["row"] is not None for w in cut)
    titles = [g["title"] for g in analysis.draft["groups"]]
    assert any(t.startswith("Các nhiệm vụ do Thành phố giao cho UBND xã") for t in titles)


def test_copied_cells_read_two_ways_are_flagged_and_glued_units_are_doubtful() -> None:
    """A cut that another cut reads almost as well is a guess (both cells named); a unit cell ending on
    a person's name or holding a second unit is doubtful; a date broken inside its year is joined."""
    from cds_desktop.importers.pdf_copy_cells import fit_cells
    from cds_desktop.importers.pdf_copy_doubt import doubtful_cell
    from cds_desktop.text import date_cut_inside_year

    cells, unsure = fit_cells(["Phát triển hạ tầng Văn phòng", "HĐND và UBND"], ["content", "lead", "coordinating"])
    assert cells[0].startswith("Phát triển") and unsure <= {0, 1, 2}
    sure_cells, sure = fit_cells(["Cập nhật dữ liệu Công an xã Các thôn"], ["content", "lead", "coordinating"])
    assert sure_cells[1:] == ["Công an xã", "Các thôn"] and not sure
    assert doubtful_cell("coordinating", "Bộ phận Một cửa Nguyễn Thị Lan")
    assert doubtful_cell("lead", "Trung tâm điều hành thông minh cấp phường Văn phòng HĐND - UBND phường")
    assert not doubtful_cell("lead", "Văn phòng HĐND - UBND phường")
    assert not doubtful_cell("coordinating", "Viettel Hà Nội")
    assert date_cut_inside_year("Trước 15/10/202", "6") and not date_cut_inside_year("Tháng 12", "2026")


def test_copied_text_with_a_unit_column_and_decimal_rows() -> None:
    """Tây Hồ copied out of its PDF: "Đơn vị tính" is a column of its own (targets keep their unit),
    and tasks numbered 1.1, 1.2 under numbered group rows 1, 2, 3 are six tasks in three groups."""
    from cds_desktop.importers.run import analyse_path

    analysis = analyse_path(ROOT / "tests" / "fixtures" / "plans" / "tay_ho_pdf_copy.txt")
    items = analysis.draft["items"]
    tasks = [i for i in items if i["kind"] == "task"]
    assert [t["number"] for t in tasks] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    meeting = next(i for i in items if i["content"].startswith("Số cuộc họp trực tuyến"))
    assert meeting["target_text"] == "≥ 12" and meeting["extra"] == {"Đơn vị tính": "Cuộc"}
