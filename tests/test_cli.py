"""The headless commands: demo, info --json, check; exit codes and messages."""

from __future__ import annotations

import json
import sqlite3

import pytest

from cds_desktop.cli import main


def _info(capsys, data_dir):
    assert main(["info", "--data-dir", str(data_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_then_info_reports_the_bat_trang_plan(capsys, data_dir):
    assert main(["demo", "--data-dir", str(data_dir)]) == 0
    assert "Bát Tràng" in capsys.readouterr().out
    info = _info(capsys, data_dir)
    assert len(info["plans"]) == 1
    plan = info["plans"][0]
    assert plan["number"] == "139/KH-UBND"
    assert plan["year"] == 2026
    assert plan["commune"] == "Bát Tràng"
    assert plan["signer"] == "Hoàng Tiến Dũng"
    assert plan["indicator_count"] == 27
    assert plan["task_count"] == 12
    assert plan["unit_count"] >= 10
    indicator_groups = [g for g in plan["groups"] if g["indicator_count"]]
    assert [(g["label"], g["title"], g["indicator_count"]) for g in indicator_groups] == [
        ("I", "Chính quyền số", 12), ("II", "Kinh tế số", 3), ("III", "Xã hội số", 12)
    ]
    task_groups = [g for g in plan["groups"] if g["task_count"]]
    assert len(task_groups) == 7
    assert [g["task_count"] for g in task_groups] == [1, 2, 1, 3, 1, 2, 2]
    for group in plan["groups"]:
        assert set(group) >= {"label", "title", "parent_label", "indicator_count", "task_count"}
        assert group["parent_label"] is None


def test_demo_is_idempotent(capsys, data_dir):
    assert main(["demo", "--data-dir", str(data_dir)]) == 0
    assert main(["demo", "--data-dir", str(data_dir)]) == 0
    assert "Đã có sẵn" in capsys.readouterr().out
    assert len(_info(capsys, data_dir)["plans"]) == 1


def test_info_text_output(capsys, data_dir):
    main(["demo", "--data-dir", str(data_dir)])
    capsys.readouterr()
    assert main(["info", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "27 chỉ tiêu, 12 nhiệm vụ" in out


def test_check_ok_and_json(capsys, data_dir):
    main(["demo", "--data-dir", str(data_dir)])
    capsys.readouterr()
    assert main(["check", "--data-dir", str(data_dir)]) == 0
    assert "Cơ sở dữ liệu tốt" in capsys.readouterr().out
    assert main(["check", "--data-dir", str(data_dir), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["foreign_key_check"] == []
    assert result.get("integrity_check", ["ok"]) == ["ok"]  # SQLite's own integrity check


@pytest.mark.sqlite_only(reason="breaks a reference with PRAGMA foreign_keys=OFF (test_shared_database covers both)")
def test_check_reports_broken_references(capsys, data_dir):
    main(["demo", "--data-dir", str(data_dir)])
    with sqlite3.connect(data_dir / "cds.sqlite") as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE assignments SET unit_id = 99999 WHERE id = 1")
    capsys.readouterr()
    assert main(["check", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "không tồn tại" in err


@pytest.mark.sqlite_only(reason="writes a newer revision into the SQLite file")
def test_newer_database_gives_one_line_vietnamese_error(capsys, data_dir):
    main(["demo", "--data-dir", str(data_dir)])
    with sqlite3.connect(data_dir / "cds.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    capsys.readouterr()
    assert main(["info", "--data-dir", str(data_dir), "--json"]) == 5  # the database file (README «Mã thoát»)
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi:") and "mới hơn" in err and "\n" not in err


def test_logs_go_to_the_log_directory(capsys, data_dir):
    main(["demo", "--data-dir", str(data_dir)])
    log = data_dir / "logs" / "cds-desktop.log"
    assert log.exists() and "Opened database" in log.read_text(encoding="utf-8")


def test_usage_errors_are_one_vietnamese_line(capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["khong-co-lenh-nay"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: «khong-co-lenh-nay» không hợp lệ") and "\n" not in err
    with pytest.raises(SystemExit):
        main(["info", "--khong-ro"])
    assert "tham số không nhận ra: --khong-ro" in capsys.readouterr().err


def test_gui_path_does_not_load_the_data_layer():
    """Start-up speed: the GUI arguments are parsed without importing the command modules."""
    from cds_desktop.cli import _wants_subcommand

    assert not _wants_subcommand([])
    assert not _wants_subcommand(["--data-dir", "info"])  # a folder named "info"
    assert not _wants_subcommand(["gui", "--demo"])
    assert _wants_subcommand(["info", "--json"])
    assert _wants_subcommand(["--data-dir", "D", "demo"])
