"""Background jobs run in a worker process (``run_job(..., in_process=True)``): progress and
result come back, «Hủy» ends the process and leaves the database as it was, and a failure
goes to the one error dialog with a Vietnamese message."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from support import job_tasks

from cds_desktop.models import Unit

pytestmark = pytest.mark.gui


def _units(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Unit))


def test_process_job_reports_progress_and_its_result(qtbot):
    from cds_desktop.ui.common.jobs import run_job

    job = run_job(job_tasks.count_to, in_process=True, args=(5,), title="Đếm", progress=False)
    seen = []
    job.progressed.connect(lambda done, total, text: seen.append((done, total, text)))
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.state == "ok" and job.result == "đã đếm 5"
    assert seen and seen[-1] == (5, 5, "Bước 5/5")
    second = run_job(job_tasks.count_to, in_process=True, args=(2,), progress=False)  # the same worker, reused
    with qtbot.waitSignal(second.finished, timeout=60_000):
        pass
    assert second.result == "đã đếm 2"


def test_cancelled_process_job_leaves_the_database_unchanged(qtbot, db, tmp_path):
    from cds_desktop.ui.common.job_worker import DatabaseRef
    from cds_desktop.ui.common.jobs import run_job

    before = _units(db)
    marker = tmp_path / "written"
    job = run_job(job_tasks.add_unit_then_hang, in_process=True, cancellable=True, progress=False,
                  args=(DatabaseRef.of(db), "Tổ dân phố Hủy Bỏ", str(marker)))
    qtbot.waitUntil(marker.exists, timeout=60_000)
    cancelled = []
    job.cancelled.connect(lambda: cancelled.append(True))
    job.cancel()
    assert job.state == "cancelled" and cancelled
    assert _units(db) == before
    with db.session() as session:  # the write lock went with the process: the database takes writes
        from cds_desktop.services.catalog import create_unit

        create_unit(session, "Tổ dân phố Sau Hủy")
    assert _units(db) == before + 1


def test_process_job_error_shows_vietnamese_message_and_logs_details(qtbot, caplog):
    from cds_desktop.ui.common import errors
    from cds_desktop.ui.common.jobs import run_job

    job = run_job(job_tasks.fail_known, in_process=True, args=("ke-hoach.docx",), progress=False)
    with caplog.at_level("INFO"), qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.state == "error"
    dialog = errors.open_error_dialogs()[-1]
    assert dialog.message == "Tệp «ke-hoach.docx» bị hỏng: không đọc được bảng nào."
    assert "Traceback" not in dialog.message and not dialog.details_edit.isVisible()
    assert "Traceback" in dialog.details and "fail_known" in dialog.details
    logged = caplog.text
    assert "reading ke-hoach.docx" in logged  # the worker's own log record, written by the window's process
    assert "failed in its worker process" in logged and "fail_known" in logged
    dialog.close()


def test_unpicklable_process_error_still_reaches_the_dialog(qtbot):
    from cds_desktop.ui.common import errors
    from cds_desktop.ui.common.jobs import run_job

    job = run_job(job_tasks.fail_unexpected, in_process=True, progress=False)
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.state == "error"
    dialog = errors.open_error_dialogs()[-1]
    assert "lỗi lạ ở dòng 7" in dialog.message and dialog.message.startswith("Đã xảy ra lỗi không mong đợi")


def test_process_job_needs_a_top_level_function():
    from cds_desktop.ui.common.jobs import run_job

    with pytest.raises(TypeError):
        run_job(lambda ctx: None, in_process=True, progress=False)
