"""The command line a new user hit (issue 11): Vietnamese help, a mistyped --data-dir,
report files of the wrong kind or in a folder that does not exist."""

from __future__ import annotations

import pytest
from support.cli import run_cli

from cds_desktop.cli import main


@pytest.fixture
def demo_dir(tmp_path, capsys):
    folder = tmp_path / "data"
    assert main(["--data-dir", str(folder), "demo"]) == 0
    assert "Tạo dữ liệu mới" in capsys.readouterr().err  # said, not silent
    return folder


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["import-plan", "--help"]])
def test_help_is_in_vietnamese(capsys, args):
    code, out, _err = run_cli(capsys, *args)
    assert code == 0
    assert out.startswith("Cách dùng: cds-desktop") and "Tùy chọn" in out
    assert "usage:" not in out and "options:" not in out and "positional arguments" not in out


def test_a_mistyped_data_dir_creates_nothing(capsys, tmp_path, demo_dir):
    typo = tmp_path / "dataa"
    code, _out, err = run_cli(capsys, "--data-dir", typo, "info")
    assert code == 3 and "chưa có dữ liệu" in err and "--create" in err
    assert not typo.exists()
    code, _out, err = run_cli(capsys, "--data-dir", typo, "--create", "info")
    assert code == 0 and "Tạo dữ liệu mới" in err and typo.exists()
    code, out, _err = run_cli(capsys, "--data-dir", demo_dir, "info")
    assert code == 0 and "Bát Tràng" in out


def test_report_refuses_a_docx_name(capsys, tmp_path, demo_dir):
    out = tmp_path / "y.docx"
    code, _out, err = run_cli(capsys, "--data-dir", demo_dir, "report", "phu-luc-01", "--out", out)
    assert code == 2 and ".pdf hoặc .xlsx" in err and not out.exists()
    code, _out, err = run_cli(capsys, "--data-dir", demo_dir, "report", "phu-luc-01", "--format", "xlsx",
                           "--out", tmp_path / "y.pdf")
    assert code == 2 and "không khớp" in err


def test_report_into_a_folder_that_does_not_exist_says_so(capsys, tmp_path, demo_dir):
    folder = tmp_path / "no" / "such" / "dir"
    code, _out, err = run_cli(capsys, "--data-dir", demo_dir, "report", "phu-luc-01", "--out", folder / "y.pdf")
    assert code == 2 and "không tồn tại" in err and str(folder) in err
    assert not (tmp_path / "no").exists()
    code, _out, _err = run_cli(capsys, "--data-dir", demo_dir, "report", "phu-luc-01", "--out", tmp_path / "bang")
    assert code == 0 and (tmp_path / "bang.pdf").read_bytes().startswith(b"%PDF")
