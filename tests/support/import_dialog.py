"""Fixtures of the import dialog's GUI tests (test_ui_import_preview, test_ui_import_pdf);
a test module imports the three ``*_fixture`` functions and asks for ``dialog`` (no tests here)."""

from __future__ import annotations

import ctypes
import sys

import pytest


@pytest.fixture(scope="module", autouse=True, name="pyside_none_refcount")
def none_refcount_fixture():
    """PySide6 6.12 drops one reference to ``None`` each time a Python model method returns ``None`` to Qt
    (``data()`` for every role a view asks and the model does not answer).  On CPython < 3.12, where ``None``
    is not immortal, the process then aborts with "none_dealloc" once the count reaches zero.  Give ``None``
    a reserve of references so that the tests can run (the application needs the same at start-up)."""
    if sys.version_info < (3, 12):
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 32
    yield


@pytest.fixture(autouse=True, name="jobs_done")
def jobs_done_fixture():
    """Every background job of the test finished before the next test starts."""
    yield
    from cds_desktop.ui.common.jobs import wait_for_jobs

    wait_for_jobs(10_000)


@pytest.fixture(name="dialog")
def dialog_fixture(qtbot, db):
    """The import dialog on an empty database."""
    from cds_desktop.ui.plan.import_preview import ImportPreviewDialog

    dlg = ImportPreviewDialog(db)
    qtbot.addWidget(dlg)
    return dlg

