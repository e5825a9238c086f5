"""The import dialog takes PDF plans: offered by the file dialog, dropped on the dialog, refused clearly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QUrl
from support.import_dialog import dialog_fixture, jobs_done_fixture, none_refcount_fixture  # noqa: F401
from support.paths import ROOT

pytestmark = pytest.mark.gui

BAT_TRANG_PDF = ROOT / "tests" / "fixtures" / "pdf" / "004_c2f9f5085f71fe4f.pdf"


def test_file_dialog_offers_pdf_and_doc() -> None:
    from cds_desktop.ui.plan.import_preview import FILE_FILTER

    plans = FILE_FILTER.split(";;")[0]
    assert "*.pdf" in plans and "*.doc " in plans and "*.docx" in plans


def test_pdf_dropped_on_the_dialog_is_previewed_and_imported(qtbot, dialog) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(BAT_TRANG_PDF))])

    class Drop:  # what dropEvent uses of a QDropEvent
        accepted = False

        def mimeData(self):
            return mime

        def acceptProposedAction(self):
            self.accepted = True

    event = Drop()
    with qtbot.waitSignal(dialog.loaded, timeout=20_000):
        dialog.dropEvent(event)
    assert event.accepted
    assert dialog.analysis.counts() == {"indicator": 27, "task": 12}
    assert dialog.meta["number"].text() == "139/KH-UBND"
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as signal:
        dialog.import_button.click()
    assert signal.args[0]["plan"]["indicator_count"] == 27


def test_scanned_pdf_shows_the_message(qtbot, dialog, tmp_path) -> None:
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from cds_desktop.ui.common.errors import open_error_dialogs

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 50, 400, 200, 100)
    page.showPage()
    page.save()
    path = tmp_path / "ban_quet.pdf"
    path.write_bytes(buffer.getvalue())
    dialog.load_file(path)
    qtbot.waitUntil(lambda: bool(open_error_dialogs()), timeout=10_000)
    error = open_error_dialogs()[-1]
    assert "ban_quet.pdf" in error.message and "ảnh quét" in error.message
    error.close()
    assert dialog.analysis is None and not dialog.import_button.isEnabled()
