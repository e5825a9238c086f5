"""``cds-desktop report``: formats, arguments, one-line Vietnamese errors."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from support.reports import pdf_text, squash

from cds_desktop.cli import main


@pytest.fixture
def demo_dir(db_templates, data_dir):
    """A data directory with the demo plan (what ``cds-desktop demo`` makes)."""
    return db_templates.copy("demo", data_dir)


@pytest.mark.parametrize("kind", ["phu-luc-01", "phu-luc-02"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_report_appendix(demo_dir, tmp_path, capsys, kind, fmt):
    out = tmp_path / f"r.{fmt}"
    assert main(["report", kind, "--format", fmt, "--out", str(out), "--data-dir", str(demo_dir)]) == 0
    assert out.is_file() and out.stat().st_size > 2000
    assert "Đã ghi" in capsys.readouterr().out


def test_format_follows_the_file_suffix_and_plan_by_number(demo_dir, tmp_path):
    out = tmp_path / "pl.xlsx"
    assert main(["report", "phu-luc-01", "--out", str(out), "--plan", "139/KH-UBND", "--data-dir", str(demo_dir)]) == 0
    assert load_workbook(out).worksheets[0].title == "Phụ lục 1"


def test_columns_option(demo_dir, tmp_path):
    out = tmp_path / "c.pdf"
    args = ["report", "phu-luc-02", "--out", str(out), "--columns", "content,deadline", "--data-dir", str(demo_dir)]
    assert main(args) == 0
    text = pdf_text(out)
    assert squash("Thời gian hoàn thành") in squash(text)
    assert "Đơn vị chủ trì" not in text


def test_unit_plan_and_all_units(demo_dir, tmp_path, capsys):
    out = tmp_path / "u.pdf"
    assert main(["report", "unit-plan", "--unit", "VP HĐND – UBND", "--out", str(out), "--data-dir", str(demo_dir)]) == 0
    assert "VĂN PHÒNG HĐND-UBND" in pdf_text(out)
    folder = tmp_path / "units"
    assert main(["report", "unit-plan", "--all-units", "--format", "xlsx", "--out", str(folder),
                 "--data-dir", str(demo_dir)]) == 0
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) >= 5
    assert f"Đã lập {len(files)} kế hoạch đơn vị" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["unit-plan", "--unit", "Phòng Không Có"], "Không tìm thấy đơn vị «Phòng Không Có»."),
    (["phu-luc-01", "--plan", "999/KH-UBND"], "Không tìm thấy kế hoạch «999/KH-UBND»."),
    (["phu-luc-01", "--columns", "content,khong_co"], "Cột không hợp lệ: khong_co"),
    (["unit-plan"], "unit-plan cần --unit"),
    (["phu-luc-01", "--all-units"], "--all-units chỉ dùng với unit-plan"),
])
def test_bad_arguments_exit_non_zero_with_one_vietnamese_line(demo_dir, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    code = main(["report", *args, "--out", str(out), "--data-dir", str(demo_dir)])
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: ") and message in err
    assert len(err.splitlines()) == 1
    assert not out.exists()


def test_unknown_kind_is_a_usage_error(demo_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "phu-luc-09", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(demo_dir)])
    assert exc.value.code == 2


def test_no_plan_yet(data_dir, tmp_path, capsys):
    assert main(["report", "phu-luc-01", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(data_dir), "--create"]) == 3  # not found (README «Mã thoát»)
    assert "Chưa có kế hoạch nào" in capsys.readouterr().err
