"""``cds-desktop selftest`` from source: every step passes on a working copy (the frozen
build runs the same command in .ci/run and the Windows workflow); a failing step makes
the exit code 1 and is named in the summary; the temporary folder is removed."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from cds_desktop.cli import main
from cds_desktop.commands.selftest import REPORT_KINDS, SelfTest, StepFailed

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _temporary_folders_in_tmp_path(tmp_path, monkeypatch):
    """The self-test's temporary folder goes under the test's own tmp_path."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def _temp_folder(out: str) -> Path:
    return Path(re.search(r"Thư mục tạm: (.+)", out).group(1).strip())


def test_every_step_passes_and_the_window_opens_the_package(capsys, qapp, tmp_path):
    assert main(["selftest"]) == 0
    out = capsys.readouterr().out
    steps = [line for line in out.splitlines() if line.startswith(("✓", "✗"))]
    assert len(steps) == 3 + 2 * len(REPORT_KINDS) + 6 + 1 + 1
    assert all(line.startswith("✓") for line in steps), out
    assert any("Báo cáo progress (PDF)" in line and "trang" in line for line in steps)
    assert any("Báo cáo unit-plan (XLSX)" in line and "trang tính" in line for line in steps)
    assert any("Trình điều khiển PostgreSQL" in line and "libpq" in line for line in steps)
    assert steps[-1].startswith("✓ Cửa sổ chương trình mở gói") and "Kết quả kiểm tra (chưa ghi gì)" in steps[-1]
    assert f"Kết quả: đạt cả {len(steps)} bước" in out
    assert _temp_folder(out).parent == tmp_path and not _temp_folder(out).exists()


def test_a_failing_step_fails_the_run_and_is_named(capsys, monkeypatch):
    import cds_desktop.services.demo as demo

    def broken(db):
        raise OSError("ổ đĩa đầy")

    monkeypatch.setattr(demo, "create_demo", broken)
    assert main(["selftest", "--no-window"]) == 1
    captured = capsys.readouterr()
    assert "✗ Tạo kế hoạch mẫu có tiến độ (demo)" in captured.out and "ổ đĩa đầy" in captured.out
    assert "Kết quả: 1/1 bước KHÔNG ĐẠT" in captured.err and "Tạo kế hoạch mẫu" in captured.err
    assert not _temp_folder(captured.out).exists()


def test_steps_after_a_failure_still_run(tmp_path):
    lines: list[str] = []
    test = SelfTest(Path(tempfile.mkdtemp(dir=tmp_path)), lines.append)

    def fails() -> str:
        raise StepFailed("tệp «x.pdf» không được lập hoặc rỗng")

    assert not test.step("Báo cáo x (PDF)", fails)
    assert test.step("Bước sau", lambda: "xong")
    assert [r.ok for r in test.results] == [False, True]
    assert lines[0].startswith("✗ Báo cáo x (PDF)") and lines[0].endswith("tệp «x.pdf» không được lập hoặc rỗng")


def test_a_missing_postgresql_driver_is_a_failed_step(monkeypatch):
    import sys

    from cds_desktop.commands.selftest import _postgres_driver

    assert "libpq" in _postgres_driver()
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a build that left the driver out
    with pytest.raises(StepFailed, match="thiếu trình điều khiển PostgreSQL"):
        _postgres_driver()
