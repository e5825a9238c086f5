"""Signed packages on the exchange screen: an office not trusted yet is shown with its name and
key fingerprint and trusted once by its button; no signature asks too; a changed key is
refused with a Vietnamese message; nothing is written before «Nhập dữ liệu»."""

from __future__ import annotations

import pytest
from support.exchange import rewrite_package, stranger_key

from cds_desktop.exchange import export_package
from cds_desktop.exchange.dump import logical_dump
from cds_desktop.exchange.trust import load_trust

pytestmark = pytest.mark.gui


@pytest.fixture
def office(tmp_path, new_db):
    return new_db(tmp_path / "office", "demo")


@pytest.fixture
def page(qtbot, tmp_path, new_db):
    from cds_desktop.ui.exchange.import_page import ImportPage

    widget = ImportPage(new_db(tmp_path / "laptop"))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _wait(qtbot, job):
    qtbot.waitUntil(lambda: job.done, timeout=60_000)
    return job


def _button(box, text: str):
    matches = [b for b in box.buttons() if b.text() == text]
    assert len(matches) == 1, [b.text() for b in box.buttons()]
    return matches[0]


def _click(qtbot, button) -> None:
    from PySide6.QtCore import Qt

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_unknown_office_is_shown_and_trusted_once_by_its_button(qtbot, page, office, tmp_path):
    package = export_package(office, tmp_path / "van-phong.cdspkg")
    before = logical_dump(page.db, include_audit=True)
    _wait(qtbot, page.check_package(package.path))
    box = page.trust_box
    assert box is not None and box.isVisible()
    shown = box.text()
    assert "xã Bát Tràng" in shown and package.fingerprint.replace(" ", "&nbsp;&nbsp;") in shown
    assert "chưa được tin cậy" in page.summary.text()
    assert logical_dump(page.db, include_audit=True) == before and load_trust(page.db.paths.data_dir) == []
    _click(qtbot, _button(box, "Tin cậy và kiểm tra"))
    qtbot.waitUntil(lambda: page.result is not None, timeout=60_000)
    assert f"Người ký: xã Bát Tràng (mã khóa {package.fingerprint}" in page.summary.text()
    assert load_trust(page.db.paths.data_dir) == []  # only a check so far
    assert page.apply_button.isEnabled()
    _click(qtbot, page.apply_button)
    qtbot.waitUntil(lambda: page.result is not None and page.result.applied, timeout=60_000)
    (entry,) = load_trust(page.db.paths.data_dir)
    assert entry["fingerprint"] == package.fingerprint
    # the next package of that office needs no question
    _wait(qtbot, page.check_package(export_package(office, tmp_path / "lan-2.cdspkg").path))
    assert page.result is not None and "nơi gửi đã tin cậy" in page.summary.text()


def test_refusing_leaves_everything_as_it_was(qtbot, page, office, tmp_path):
    package = export_package(office, tmp_path / "van-phong.cdspkg").path
    unsigned = rewrite_package(package, tmp_path / "cu.cdspkg", lambda r, m: None)
    before = logical_dump(page.db, include_audit=True)
    _wait(qtbot, page.check_package(unsigned))
    box = page.trust_box
    assert "không có chữ ký số" in box.text()
    _click(qtbot, _button(box, "Không nhập"))
    assert page.result is None and not page.apply_button.isEnabled()
    assert logical_dump(page.db, include_audit=True) == before
    _wait(qtbot, page.check_package(unsigned))
    _click(qtbot, _button(page.trust_box, "Vẫn kiểm tra gói không ký"))
    qtbot.waitUntil(lambda: page.result is not None, timeout=60_000)
    assert "Gói không có chữ ký số." in page.summary.text()
    assert logical_dump(page.db, include_audit=True) == before


def test_a_changed_key_is_refused_with_a_message_and_nothing_written(qtbot, page, office, tmp_path):
    from cds_desktop.exchange import import_package
    from cds_desktop.ui.common.errors import open_error_dialogs

    package = export_package(office, tmp_path / "van-phong.cdspkg").path
    import_package(page.db, package, trust_new=True)
    forged = rewrite_package(package, tmp_path / "gia.cdspkg", lambda r, m: None, key=stranger_key(tmp_path))
    before = logical_dump(page.db, include_audit=True)
    job = _wait(qtbot, page.check_package(forged))
    assert job.state == "error" and page.trust_box is None
    dialogs = open_error_dialogs()
    assert dialogs and "đã được tin cậy với một khóa khác" in dialogs[-1].message
    for dialog in dialogs:
        dialog.close()
    assert "Có thể gói bị giả mạo" in page.summary.text()
    assert logical_dump(page.db, include_audit=True) == before


# --------------------------------------------------------------------------
# Reports screen: «Ký số…» and «Kiểm tra chữ ký…»


@pytest.fixture
def reports(qtbot, demo_db, tmp_path):
    from PySide6.QtCore import QSettings

    from cds_desktop.ui.reports.screen import ReportsWidget

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    widget = ReportsWidget(demo_db, settings=settings)
    qtbot.addWidget(widget)
    with demo_db.session() as s:
        from sqlalchemy import select

        from cds_desktop.models import Plan

        widget.set_plan(s.scalar(select(Plan)).uuid)
    widget.resize(1200, 800)
    widget.show()
    return widget


def test_sign_a_report_on_the_reports_screen_then_check_it(qtbot, reports, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
    from support.signing import PASSWORD, make_p12, shared_ca

    from cds_desktop.reports.pdf_sign import verify_pdf
    from cds_desktop.ui.reports.signing import SigningKeyDialog, stored_key

    p12 = make_p12(shared_ca(), tmp_path / "can-bo.p12")
    assert stored_key(reports.settings) is None
    dialog = SigningKeyDialog(reports.settings, reports)  # what «Chọn cách ký số…» opens
    qtbot.addWidget(dialog)
    dialog.p12_radio.setChecked(True)
    dialog.p12_edit.setText(str(p12))
    save = next(b for b in dialog.findChild(QDialogButtonBox).buttons() if b.text() == "Lưu")
    _click(qtbot, save)
    assert stored_key(reports.settings).path == str(p12)  # remembered: not asked again

    out = tmp_path / "phu-luc-ky-so.pdf"
    asked = []
    monkeypatch.setattr(reports, "ask_password", lambda key: asked.append(key) or PASSWORD)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert reports.sign_button.text() == "Ký số…" and reports.sign_button.isEnabled()
    with qtbot.waitSignal(reports.saved, timeout=60_000):
        _click(qtbot, reports.sign_button)
    assert [k.path for k in asked] == [str(p12)]
    assert "ký số bởi Nguyễn Văn An" in reports.status_label.text()
    (check,) = verify_pdf(out, [shared_ca().pem])
    assert check.ok and check.signer == "Nguyễn Văn An"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(reports.signaturesChecked, timeout=60_000):
        _click(qtbot, reports.verify_button)
    text = reports.signature_box.text()
    assert "Người ký: Nguyễn Văn An" in text and "Tài liệu không bị thay đổi sau khi ký." in text
    assert "Thời điểm ký:" in text


def test_the_file_menu_checks_a_changed_pdf(qtbot, demo_db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    from support.signing import PASSWORD, make_p12, shared_ca

    from cds_desktop.reports import ReportRequest
    from cds_desktop.reports.pdf_sign import P12, SigningKey, render_signed_report
    from cds_desktop.ui.main_window import MainWindow

    p12 = make_p12(shared_ca(), tmp_path / "can-bo.p12")
    signed = render_signed_report(demo_db, ReportRequest(kind="phu-luc-01"), tmp_path / "pl.pdf",
                                  SigningKey(P12, str(p12)), PASSWORD).path
    data = bytearray(signed.read_bytes())
    data[data.index(b"ReportLab")] = ord("r")
    changed = tmp_path / "pl-sua.pdf"
    changed.write_bytes(bytes(data))
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(changed), ""))
    action = next(a for a in window.menuBar().actions()[0].menu().actions()
                  if a.text() == "Kiểm tra chữ ký số của tệp PDF…")
    action.trigger()
    screen = window.workspace.screen("reports")
    assert window.workspace.current_key() == "reports"
    qtbot.waitUntil(lambda: screen.signature_box is not None, timeout=60_000)
    assert "ĐÃ BỊ THAY ĐỔI sau khi ký" in screen.signature_box.text()
