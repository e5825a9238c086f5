"""Summary reports of the receiving mode (issue 16), rendered from ten received communes:
each kind as PDF (read back, and drawn to PNG with pdftoppm) and Excel; the official
layout (issuing body, national title, place and date, signature), the numbers, and the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from support.reports import assert_in_order, font_problems, page_sizes, pdf_pages, sheet_strings, squash
from support.rollup import TODAY, packages_dir, received_copy

from cds_desktop.cli import main
from cds_desktop.rollup.summary import render_rollup

HEADER = ["UBND THÀNH PHỐ HÀ NỘI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 26 tháng 11 năm 2026"]


@pytest.fixture
def received(tmp_path):
    db = received_copy(tmp_path / "received")
    yield db
    db.close()


def _render(db, kind, path):
    return render_rollup(db, kind, path, today=TODAY, period="2026-11")


def _png(pdf, tmp_path):
    """Every page drawn by pdftoppm (the tool CI installs: poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
    return sorted(tmp_path.glob(f"{pdf.stem}*.png"))


def test_shared_indicators_table(received, tmp_path):
    pdf = _render(received, "chi-tieu-chung", tmp_path / "chi-tieu-chung.pdf")
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert_in_order(text, [*HEADER, "BIỂU TỔNG HỢP", "Tổng hợp kết quả các chỉ tiêu dùng chung năm 2026",
                           "STT", "Xã, phường", "Tử số", "Mẫu số", "Kết quả thực hiện", "Mục tiêu", "Đánh giá",
                           "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "xã Thử Nghiệm 001", "41", "50", "41/50 (82%)",
                           "xã Thử Nghiệm 010", "140/140 (100%)", "Đạt", "Toàn thành phố", "905", "950", "95,3%",
                           "Chưa đạt"])
    assert "Toàn thành phố 616 700 88%" in text.replace("\n", " ")  # danh tính điện tử, communes 1–7
    assert "KT. GIÁM ĐỐC" in pages[-1] and "Nơi nhận" in pages[-1]
    assert all(w > h for w, h in page_sizes(pdf))  # landscape
    assert font_problems(pdf) == []
    pngs = _png(pdf, tmp_path)
    assert len(pngs) == len(pages) and all(p.stat().st_size > 5000 for p in pngs)


def test_ranking_and_missing_and_the_covering_report(received, tmp_path):
    ranking = "\n".join(pdf_pages(_render(received, "xep-hang", tmp_path / "xep-hang.pdf")))
    # one row per commune: overall rank, then per pillar (met / total, rank); xã 010 leads with 2 of 5 met
    assert_in_order(ranking, ["Xếp hạng", "Hạng chung", "Xã, phường", "Chính quyền số", "Kinh tế số", "Xã hội số",
                              "Tổng số chỉ tiêu đạt", "1", "xã Thử Nghiệm 010", "1/2", "1/2", "0/1", "2/5 (40%)"])
    missing = pdf_pages(_render(received, "chua-gui", tmp_path / "chua-gui.pdf"))
    assert_in_order("\n".join(missing), ["Các xã, phường chưa gửi số liệu tháng 11/2026", "xã Thử Nghiệm 009",
                                         "xã Thử Nghiệm 010"])
    assert "xã Thử Nghiệm 008" not in "\n".join(missing)
    summary = _render(received, "tong-hop", tmp_path / "tong-hop.pdf")
    pages = pdf_pages(summary)
    sizes = page_sizes(summary)
    assert sizes[0][0] < sizes[0][1] and sizes[-1][0] > sizes[-1][1]  # portrait report, landscape appendices
    assert_in_order(pages[0], [*HEADER, "BÁO CÁO", "Số xã, phường đã gửi dữ liệu: 10",
                               "chưa gửi số liệu tháng 11/2026: 2",
                               "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "905/950", "chưa đạt mục tiêu"])
    text = "\n".join(pages)
    assert_in_order(text, ["Phụ lục 01", "Phụ lục 02", "Phụ lục 03"])
    assert len(_png(summary, tmp_path)) == len(PdfReader(str(summary)).pages)


def test_excel_of_each_kind(received, tmp_path):
    for kind in ("tong-hop", "chi-tieu-chung", "xep-hang", "chua-gui"):
        wb = load_workbook(_render(received, kind, tmp_path / f"{kind}.xlsx"))
        strings = [s for ws in wb.worksheets for s in sheet_strings(ws)]
        assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in strings, kind
    wb = load_workbook(tmp_path / "chi-tieu-chung.xlsx")
    strings = sheet_strings(wb.worksheets[0])
    at = strings.index("Toàn thành phố")
    assert strings[at + 1:at + 4] in (["905", "950", "95,3%"], [905, 950, "95,3%"]) or \
        squash(" ".join(map(str, strings[at + 1:at + 4]))) == "90595095,3%"


def test_cli_import_status_and_report(data_dir, tmp_path, capsys):
    folder = tmp_path / "goi"
    shutil.copytree(packages_dir(), folder)
    (folder / "hong.cdspkg").write_bytes(b"rac")
    args = ["--data-dir", str(data_dir)]
    assert main(["rollup", "import", str(folder), "--json", "--today", TODAY.isoformat(), "--trust",
                 *args]) == 1  # one bad
    result = json.loads(capsys.readouterr().out)
    assert (result["imported"], result["failed"]) == (10, 1)
    assert main(["rollup", "status", "--json", "--sort", "overdue", "--desc", *args]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["communes"] == 10 and status["rows"][0]["total"]["tasks_overdue"] == 6
    assert main(["rollup", "status", "--find", "nghiem 003", *args]) == 0
    assert "xã Thử Nghiệm 003" in capsys.readouterr().out
    out = tmp_path / "bc.pdf"
    assert main(["rollup", "report", "chi-tieu-chung", "--out", str(out), "--today", TODAY.isoformat(), *args]) == 0
    assert "Toàn thành phố" in "\n".join(pdf_pages(out))
    with pytest.raises(SystemExit) as usage:
        main(["rollup", "report", "khong-co", "--out", str(out), *args])
    assert usage.value.code == 2
    assert "không hợp lệ" in capsys.readouterr().err
    # the packages that came by e-mail, named one by one: a newer copy of two communes' data
    assert main(["rollup", "import", str(folder / "xa-001.cdspkg"), str(folder / "xa-002.cdspkg"), "--json",
                 "--today", TODAY.isoformat(), *args]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["imported"], again["failed"]) == (2, 0)
