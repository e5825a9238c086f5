"""Digitally signed reports (PAdES, pyHanko): with a .p12 file and with a PKCS#11 token
(SoftHSM2), the box where the signature block leaves room for the signature, verification
by our ``verify-pdf``, by pyHanko's validator and by the ``pyhanko`` command line; one
changed byte fails them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_cli
from support.signing import PASSWORD, PIN, make_p12, shared_ca, shared_token, softhsm_library

from cds_desktop.reports import ReportRequest, build_report_document, render_document
from cds_desktop.reports.pdf_sign import SigningKey, sign_pdf, verify_pdf


@pytest.fixture
def office(demo_data_dir):
    return demo_data_dir


@pytest.fixture
def p12(tmp_path):
    return make_p12(shared_ca(), tmp_path / "can-bo.p12")


def _spot_of(data_dir: Path, request: ReportRequest, tmp_path: Path):
    """Where the report's (last) signature block leaves room for the signature."""
    from cds_desktop.database import open_database

    db = open_database(data_dir)
    try:
        spots: list = []
        render_document(build_report_document(db, request), "pdf", tmp_path / "plain.pdf", spots=spots)
    finally:
        db.close()
    return spots[-1]


def _pyhanko_status(path: Path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from cds_desktop.reports.pdf_sign import _load_roots

    with open(path, "rb") as fh:
        (embedded,) = PdfFileReader(fh).embedded_signatures
        context = ValidationContext(trust_roots=_load_roots([shared_ca().pem]), allow_fetching=False)
        return validate_pdf_signature(embedded, signer_validation_context=context)


def _changed_byte(path: Path, target: Path) -> Path:
    """The signed file with one byte of the signed document changed (the producer's name)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"ReportLab")
    data[at] = ord("r")
    target.write_bytes(bytes(data))
    return target


def test_a_signed_appendix_validates_and_its_box_is_where_the_signer_signs(capsys, office, p12, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("CDS_SIGN_PASSWORD", PASSWORD)
    out = tmp_path / "phu-luc-01.pdf"
    code, text, err = run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", out, "--sign-p12", p12,
                           "--sign-reason", "Phê duyệt phụ lục")
    assert code == 0, err
    assert "ký số bởi Nguyễn Văn An" in text
    spot = _spot_of(office, ReportRequest(kind="phu-luc-01", for_signing=True), tmp_path)
    (check,) = verify_pdf(out, [shared_ca().pem])
    assert check.ok and check.trusted and check.signer == "Nguyễn Văn An"
    assert check.issuer == "CA thử nghiệm CĐS" and check.signed_at is not None and not check.timestamped
    assert check.page == spot.page
    assert all(abs(a - b) <= 1 for a, b in zip(check.box, spot.box, strict=True)), (check.box, spot.box)
    # pyHanko's own validator, with the test CA as the only trust root
    status = _pyhanko_status(out)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    # our command
    code, text, _ = run_cli(capsys, "verify-pdf", out, "--trust-root", shared_ca().pem, "--json")
    report = json.loads(text)
    assert code == 0 and report["ok"] and report["signatures"][0]["unchanged_after_signing"]
    code, text, _ = run_cli(capsys, "verify-pdf", out, "--trust-root", shared_ca().pem)
    assert code == 0 and "Người ký: Nguyễn Văn An" in text and "không bị thay đổi sau khi ký" in text


def test_one_changed_byte_fails_every_validator(capsys, office, p12, tmp_path, monkeypatch):
    monkeypatch.setenv("CDS_SIGN_PASSWORD", PASSWORD)
    out = tmp_path / "tien-do.pdf"
    assert run_cli(capsys, "report", "unit-plan", "--unit", "Công an xã", "--data-dir", office, "--out", out,
                "--sign-p12", p12)[0] == 0
    changed = _changed_byte(out, tmp_path / "bi-sua.pdf")
    (check,) = verify_pdf(changed, [shared_ca().pem])
    assert not check.intact and not check.ok
    assert not _pyhanko_status(changed).intact
    code, text, _ = run_cli(capsys, "verify-pdf", changed, "--trust-root", shared_ca().pem)
    assert code == 1 and "ĐÃ BỊ THAY ĐỔI sau khi ký" in text


def test_pyhanko_command_line_validates_the_signed_appendix(office, p12, tmp_path):
    cli = shutil.which("pyhanko") or str(Path(sys.executable).with_name("pyhanko"))
    if not Path(cli).exists():
        pytest.skip("pyhanko-cli không được cài (pip install pyhanko-cli)")
    from cds_desktop.database import open_database
    from cds_desktop.reports.pdf_sign import P12, render_signed_report

    db = open_database(office)
    try:
        out = render_signed_report(db, ReportRequest(kind="phu-luc-02"), tmp_path / "pl02.pdf",
                                   SigningKey(P12, str(p12)), PASSWORD).path
    finally:
        db.close()
    good = subprocess.run([cli, "sign", "validate", "--trust", str(shared_ca().pem), "--trust-replace", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and "INTACT:TRUSTED,UNTOUCHED" in good.stdout, good.stdout + good.stderr
    changed = _changed_byte(out, tmp_path / "pl02-sua.pdf")
    bad = subprocess.run([cli, "sign", "validate", "--trust", str(shared_ca().pem), "--trust-replace", str(changed)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "INTACT" not in bad.stdout


def test_something_added_after_signing_is_reported(office, p12, tmp_path):
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    plain = tmp_path / "plain.pdf"
    from cds_desktop.database import open_database

    db = open_database(office)
    try:
        render_document(build_report_document(db, ReportRequest(kind="phu-luc-01")), "pdf", plain)
    finally:
        db.close()
    signed = sign_pdf(plain, tmp_path / "signed.pdf", SigningKey("p12", str(p12)), PASSWORD).path
    later = tmp_path / "later.pdf"
    shutil.copyfile(signed, later)
    with open(later, "r+b") as fh:
        writer = IncrementalPdfFileWriter(fh)
        writer.root["/Lang"] = pdf_string("en")
        writer.update_root()
        writer.write_in_place()
    (check,) = verify_pdf(later, [shared_ca().pem])
    assert check.intact and not check.unchanged_after and not check.ok
    assert any("CÓ THAY ĐỔI sau khi ký" in line for line in check.lines())


def test_wrong_password_and_missing_password_are_clear(capsys, office, p12, tmp_path, monkeypatch):
    monkeypatch.setenv("CDS_SIGN_PASSWORD", "sai")
    code, _, err = run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", tmp_path / "a.pdf",
                        "--sign-p12", p12)
    assert code == 1 and "sai mật khẩu" in err and not (tmp_path / "a.pdf").exists()
    monkeypatch.delenv("CDS_SIGN_PASSWORD")
    code, _, err = run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", tmp_path / "a.pdf",
                        "--sign-p12", p12)
    assert code == 1 and "CDS_SIGN_PASSWORD" in err
    code, _, err = run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", tmp_path / "a.xlsx",
                        "--sign-p12", p12)
    assert code == 2 and "chỉ ký số được một tệp PDF" in err
    code, text, _ = run_cli(capsys, "verify-pdf", p12.with_suffix(".khong-co.pdf"))
    assert code == 3  # not found (README «Mã thoát»)


def test_an_unsigned_pdf_has_no_signature(capsys, office, tmp_path):
    out = tmp_path / "khong-ky.pdf"
    assert run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", out)[0] == 0
    assert verify_pdf(out) == []
    code, text, _ = run_cli(capsys, "verify-pdf", out)
    assert code == 1 and "không có chữ ký số nào" in text


needs_softhsm = pytest.mark.skipif(softhsm_library() is None,
                                   reason="SoftHSM2 chưa được cài (apt-get install softhsm2): không có token thử")


@needs_softhsm
def test_sign_through_a_pkcs11_token_and_verify(capsys, office, tmp_path, monkeypatch):
    token = shared_token()
    monkeypatch.setenv("CDS_SIGN_PASSWORD", PIN)
    out = tmp_path / "ke-hoach-don-vi.pdf"
    code, text, err = run_cli(capsys, "report", "unit-plan", "--unit", "Công an xã", "--data-dir", office, "--out", out,
                           "--sign-pkcs11", token.library, "--slot", token.slot)
    assert code == 0, err
    assert "ký số bởi Trần Thị Bình" in text
    spot = _spot_of(office, ReportRequest(kind="unit-plan", unit="Công an xã", for_signing=True), tmp_path)
    (check,) = verify_pdf(out, [shared_ca().pem])
    assert check.ok and check.trusted and check.signer == "Trần Thị Bình" and check.page == spot.page
    status = _pyhanko_status(out)
    assert status.intact and status.valid and status.trusted
    changed = _changed_byte(out, tmp_path / "sua.pdf")
    assert not _pyhanko_status(changed).intact and not verify_pdf(changed, [shared_ca().pem])[0].ok


@needs_softhsm
def test_a_wrong_pin_is_refused_and_nothing_is_written(capsys, office, tmp_path, monkeypatch):
    token = shared_token()
    monkeypatch.setenv("CDS_SIGN_PASSWORD", "000000")
    out = tmp_path / "pin-sai.pdf"
    code, _, err = run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", out,
                        "--sign-pkcs11", token.library, "--slot", token.slot)
    assert code == 1 and "Mã PIN của thiết bị ký số không đúng" in err
    assert not out.exists()


def test_the_drawn_page_shows_the_stamp_in_the_signature_room(capsys, office, p12, tmp_path, monkeypatch):
    """pdftoppm draws the signed page: the stamp's blue frame and text are inside the box the
    signature block left, between the signer's title and name; nothing blue elsewhere."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) chưa được cài; .ci/run cài nó")
    from PIL import Image

    monkeypatch.setenv("CDS_SIGN_PASSWORD", PASSWORD)
    out = tmp_path / "pl01.pdf"
    assert run_cli(capsys, "report", "phu-luc-01", "--data-dir", office, "--out", out, "--sign-p12", p12)[0] == 0
    (check,) = verify_pdf(out)
    dpi = 72
    page = check.page + 1
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(out),
                    str(tmp_path / "trang")], check=True, timeout=120)
    (png,) = tmp_path.glob("trang*.png")
    image = Image.open(png).convert("RGB")
    width, height = image.size
    x1, y1, x2, y2 = check.box  # PDF points, origin bottom-left; 72 dpi: one pixel a point
    inside = outside = 0
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            r, g, b = image.getpixel((x, y))
            if b > 100 and b > r + 60:  # the stamp's blue
                if x1 - 2 <= x <= x2 + 2 and height - y2 - 2 <= y <= height - y1 + 2:
                    inside += 1
                else:
                    outside += 1
    assert inside > 50 and outside == 0, (inside, outside)
