"""«Ký số…» and «Kiểm tra chữ ký…» on the Reports screen: the report saved as a digitally signed PDF
(a certificate file or a token, chosen once and remembered), and a signed PDF checked.  Mixed into
:class:`cds_desktop.ui.reports.screen.ReportsWidget`, whose rendering jobs and choices it uses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog

from cds_desktop.ui.reports.signing import SigningKeyDialog, show_checks, stored_key

FILTERS = {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Sổ tính Excel (*.xlsx)"}


class SigningActions:
    """The signing actions of the Reports screen (a mixin: ``self`` is the ReportsWidget)."""

    def choose_signing_key(self) -> bool:
        """How to sign (certificate file or token library), chosen once and remembered."""
        dialog = SigningKeyDialog(self.settings, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def sign_dialog(self) -> None:
        """«Ký số…»: the remembered key (or choose it), the password or PIN, where to save."""
        if not self._ready():
            return
        key = stored_key(self.settings)
        if key is None:
            if not self.choose_signing_key():
                return
            key = stored_key(self.settings)
        password = self.ask_password(key)
        if password is None:
            return
        path = self._ask_path("pdf")
        if path:
            self.save_signed(path, key, password)

    def save_signed(self, path: str | Path, key, password: str) -> None:
        """Render the current choice, signed, into *path* in the background."""
        if not self._ready():
            return
        from cds_desktop.ui.reports.report_tasks import render_signed

        target = Path(path)
        self.settings.setValue("reports/dir", str(target.parent))
        self._start(render_signed, "Đang lập và ký số báo cáo…", self._on_saved,
                    args=(self._db_ref(), self.request(), key, password, str(target)))

    def check_signature_dialog(self) -> None:
        start = str(self.settings.value("reports/dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp PDF đã ký số", start, FILTERS["pdf"])
        if path:
            self.check_signature(path)

    def check_signature(self, path: str | Path) -> None:
        """«Kiểm tra chữ ký»: signer, time, changed after signing (trust roots: the data folder's ``ca``)."""
        if self.busy:
            return
        from cds_desktop.ui.reports.report_tasks import check_signatures

        target = Path(path)
        data_dir = str(self.db.paths.data_dir) if self.db is not None else None
        self._start(check_signatures, "Đang kiểm tra chữ ký số…", lambda checks: self._show_checks(target, checks),
                    args=(str(target), data_dir))

    def _show_checks(self, path: Path, checks: list) -> None:
        if self.signature_box is not None:
            self.signature_box.close()
        self.signature_box = show_checks(self, path, checks)
        bad = [c for c in checks if not c.ok]
        self.status_label.setText(f"«{path.name}»: " + ("không có chữ ký số." if not checks else
                                  f"{len(checks)} chữ ký số, " + ("có vấn đề." if bad else "hợp lệ.")))
        self.signaturesChecked.emit(len(checks))
