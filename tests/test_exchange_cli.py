"""Exchange commands: export-package / import-package, unit-workbook / import-workbook."""

from __future__ import annotations

import json

import openpyxl
from support.cli import run_cli
from support.databases import copy_data_dir
from support.exchange import template_dir

from cds_desktop.exchange import workbook_format as wf


def test_export_and_import_a_package_with_json_counts(capsys, tmp_path):
    source = tmp_path / "a"
    copy_data_dir(template_dir(), source)
    code, out, _err = run_cli(capsys, "export-package", "--data-dir", source, "--out", tmp_path / "all", "--json")
    assert code == 0
    exported = json.loads(out)
    assert exported["file"].endswith("all.cdspkg") and exported["evidence_files"] == 2
    target = tmp_path / "b"
    code, out, _err = run_cli(capsys, "import-package", "--data-dir", target, tmp_path / "all.cdspkg", "--dry-run",
                           "--json", "--trust")
    preview = json.loads(out)
    assert code == 0 and preview["dry_run"] is True and preview["created"] > 400
    assert {"created", "updated", "unchanged", "deleted", "conflicts"} <= set(preview)
    code, out, _err = run_cli(capsys, "import-package", "--data-dir", target, tmp_path / "all.cdspkg", "--json",
                           "--trust")
    first = json.loads(out)
    assert code == 0 and first["created"] == preview["created"] and first["conflicts"] == []
    code, out, _err = run_cli(capsys, "import-package", "--data-dir", target, tmp_path / "all.cdspkg", "--json")
    again = json.loads(out)
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0) and again["already_imported"]


def test_scoped_export_by_unit_name_and_period(capsys, tmp_path):
    source = tmp_path / "a"
    copy_data_dir(template_dir(), source)
    code, out, _err = run_cli(capsys, "export-package", "--data-dir", source, "--out", tmp_path / "p.cdspkg",
                           "--unit", "Phòng Văn hóa - Xã hội", "--period", "2026-05", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["scope"]["kind"] == "unit+period" and result["scope"]["period_code"] == "2026-05"
    assert result["tables"]["task_progress"] >= 1


def test_a_rejected_package_exits_non_zero_with_the_reason(capsys, tmp_path):
    bad = tmp_path / "hỏng.cdspkg"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    code, out, err = run_cli(capsys, "import-package", "--data-dir", tmp_path / "b", bad, "--json")
    assert code == 4
    assert "Tệp «hỏng.cdspkg» bị từ chối" in err
    assert json.loads(out)["file"] == "hỏng.cdspkg"


def test_unit_workbook_then_import_workbook(capsys, tmp_path):
    data = tmp_path / "a"
    copy_data_dir(template_dir(), data)
    out_file = tmp_path / "phieu.xlsx"
    code, out, err = run_cli(capsys, "unit-workbook", "--data-dir", data, "--unit", "Văn phòng HĐND-UBND",
                          "--period", "2026-10", "--out", out_file)
    assert code == 0, err
    assert "phieu.xlsx" in out
    wb = openpyxl.load_workbook(out_file)
    ws = wb[wf.DATA_SHEET]
    task_rows = [r for r in range(wf.HEADER_ROW + 1, ws.max_row + 1)
                 if ws.cell(r, wf.COLUMN_INDEX["kind"]).value == "Nhiệm vụ"]
    ws.cell(task_rows[0], wf.COLUMN_INDEX["percent"]).value = 30
    ws.cell(task_rows[1], wf.COLUMN_INDEX["percent"]).value = "ba mươi"
    wb.save(out_file)
    code, out, _err = run_cli(capsys, "import-workbook", "--data-dir", data, out_file, "--dry-run", "--json")
    preview = json.loads(out)
    assert code == 0 and preview["created"] == 1 and preview["invalid"] == 1 and preview["conflicts"] == []
    invalid = next(r for r in preview["rows"] if r["status"] == "invalid")
    assert "«ba mươi» không phải là một số" in invalid["messages"][0] and "dòng" in invalid["messages"][0]
    code, out, _err = run_cli(capsys, "import-workbook", "--data-dir", data, out_file, "--json")
    assert code == 0 and json.loads(out)["created"] == 1
    code, out, _err = run_cli(capsys, "import-workbook", "--data-dir", data, out_file, "--json")
    assert json.loads(out)["created"] == 0 and json.loads(out)["updated"] == 0


def test_import_workbook_rejects_a_foreign_file(capsys, tmp_path):
    other = tmp_path / "khac.xlsx"
    openpyxl.Workbook().save(other)
    code, out, err = run_cli(capsys, "import-workbook", "--data-dir", tmp_path / "a", "--create", other, "--json")
    assert code == 4 and "khac.xlsx" in err and "không phải phiếu báo cáo" in err
    assert json.loads(out)["rejected"][0]["file"] == "khac.xlsx"
