"""Leftovers of a killed run (issue 13): an import's staging folder and an evidence copy's
temporary file are reported by ``check`` and removed at start-up and by ``evidence gc`` - as soon
as the process that made them is gone, never while it runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cds_desktop.cli import main
from cds_desktop.services import leftovers


@pytest.fixture(scope="module")
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not leftovers.process_alive(proc.pid)
    return proc.pid


def _plant(data, pid: int):
    staging = data / leftovers.STAGING_DIR / f"import-{pid}-abcd"
    (staging / "records").mkdir(parents=True)
    (staging / "records" / "plans.jsonl").write_text("{}\n")
    temp = data / "evidence" / "tmp" / f"in-{pid}-xyz.part"
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"nua chung")
    return staging, temp


def test_check_reports_leftovers_of_a_killed_run(db_templates, tmp_path, capsys, dead_pid):
    data = tmp_path / "data"
    db_templates.copy("demo", data)
    staging, temp = _plant(data, dead_pid)
    assert main(["check", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "thư mục tạm của lần nhập gói" in err and "tệp tạm" in err
    assert staging.exists() and temp.exists()  # check only reports


def test_the_next_start_removes_them(db_templates, tmp_path, capsys, dead_pid):
    data = tmp_path / "data"
    db_templates.copy("demo", data)
    staging, temp = _plant(data, dead_pid)
    assert main(["evidence", "list", "--data-dir", str(data)]) == 0  # any command that opens the database
    assert not staging.exists() and not temp.exists()
    capsys.readouterr()
    assert main(["check", "--data-dir", str(data)]) == 0


def test_gc_removes_them_at_once(db_templates, tmp_path, dead_pid):
    from cds_desktop.database import open_database
    from cds_desktop.services.evidence import gc

    data = tmp_path / "data"
    db_templates.copy("demo", data)
    db = open_database(data)
    try:
        staging, temp = _plant(data, dead_pid)
        result = gc(db)  # the default grace period does not protect what a dead process left
        assert result.temporary_removed == 1 and result.staging_removed == 1
        assert not staging.exists() and not temp.exists()
    finally:
        db.close()


def test_what_a_live_process_uses_is_left_alone(db_templates, tmp_path):
    from cds_desktop.database import open_database
    from cds_desktop.services.evidence import check_store, gc

    data = tmp_path / "data"
    db_templates.copy("demo", data)
    staging, temp = _plant(data, os.getpid())
    db = open_database(data)
    try:
        assert gc(db, grace_seconds=0).staging_removed == 0
        assert not check_store(db).temporary
    finally:
        db.close()
    assert main(["evidence", "list", "--data-dir", str(data)]) == 0
    assert staging.exists() and temp.exists()
