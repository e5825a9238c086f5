"""Digital signatures (PAdES) on report PDFs with pyHanko, and checking them.

A report is signed with the officer's certificate, either from a ``.p12``/``.pfx`` file or
from a USB token through its PKCS#11 library (Vietnamese government and commercial CA
tokens ship one: the officer picks the library file once).  The visible signature box is
put where the report's signature block leaves room for the signature
(:class:`.pdf.SignatureSpot`: between the signer's title and name, on the last block's
page); a report without a signature block gets the box at the bottom right of its last
page.  The signing time is the PC's clock (the office is offline); an RFC 3161 time-stamp
server can be given but none is used by default.

:func:`verify_pdf` checks every signature of a PDF offline: who signed (the certificate's
name), when, whether the signed bytes are intact, whether anything was added after
signing, and whether the certificate chains up to a trusted root (roots passed in, or
the ``.pem``/``.cer``/``.crt`` files of the ``ca`` folder in the data folder).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cds_desktop.database.errors import os_reason
from cds_desktop.reports.pdf_parts import SignatureSpot
from cds_desktop.services.common import NotFoundError, ServiceError

log = logging.getLogger(__name__)

FIELD_NAME = "ChuKySo"
P12, PKCS11 = "p12", "pkcs11"
STAMP_TIME = "%d/%m/%Y %H:%M"
CA_DIR = "ca"


class SigningError(ServiceError):
    """Signing could not be done (Vietnamese message)."""


@dataclass(frozen=True)
class SigningKey:
    """Where the officer's certificate is: a ``.p12``/``.pfx`` file, or a token's PKCS#11 library
    and slot.  The password or PIN is never stored: it is passed to :func:`sign_pdf`."""

    kind: str  # P12 | PKCS11
    path: str
    slot: int | None = None

    def describe(self) -> str:
        if self.kind == P12:
            return f"tệp chữ ký số «{Path(self.path).name}»"
        return f"thiết bị ký số (thư viện «{Path(self.path).name}», khe {self.slot if self.slot is not None else 0})"


def _open_signer(key: SigningKey, password: str):
    """(pyHanko signer, closer)."""
    if key.kind == P12:
        return _p12_signer(key, password), lambda: None
    if key.kind == PKCS11:
        return _pkcs11_signer(key, password)
    raise SigningError(f"Cách ký không hợp lệ: «{key.kind}».")


def _p12_signer(key: SigningKey, password: str):
    from pyhanko.sign import signers

    path = Path(key.path)
    if not path.is_file():
        raise SigningError(f"Không thấy tệp chữ ký số «{path}».")
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode("utf-8") if password else None)
    except (ValueError, OSError, TypeError) as exc:
        log.info("Could not open %s: %s", path, exc)
        signer = None
    if signer is None:
        raise SigningError(f"Không mở được tệp chữ ký số «{path.name}»: sai mật khẩu, hoặc tệp không phải "
                           "chứng thư số .p12/.pfx.")
    return signer


def _pkcs11_signer(key: SigningKey, pin: str):
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not Path(key.path).is_file():
        raise SigningError(f"Không thấy thư viện PKCS#11 «{key.path}» của thiết bị ký số.")
    try:
        session = open_pkcs11_session(key.path, slot_no=key.slot or 0, user_pin=pin)
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SigningError("Mã PIN của thiết bị ký số không đúng.") from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SigningError("Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần.") from exc
    except Exception as exc:  # a library that does not load, no token in the slot…
        raise SigningError(f"Không mở được thiết bị ký số qua thư viện «{Path(key.path).name}» (khe "
                           f"{key.slot or 0}): {exc or type(exc).__name__}. Kiểm tra thiết bị đã cắm và "
                           "đúng thư viện của nhà cung cấp.") from exc
    try:
        # one search at a time (a token allows no nested search)
        certs = [cert[Attribute.ID] for cert in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})]
        keys = {key[Attribute.ID]: key[Attribute.KEY_TYPE]
                for key in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
        for ident in certs:
            if ident in keys:
                # ECDSA: hash here, sign raw (many tokens have no combined ECDSA-SHA256 mechanism)
                return PKCS11Signer(session, cert_id=ident, key_id=ident,
                                    use_raw_mechanism=keys[ident] == pkcs11.KeyType.EC), session.close
    except Exception:
        session.close()
        raise
    session.close()
    raise SigningError("Thiết bị ký số không có chứng thư số nào đi kèm khóa bí mật.")


def _fallback_spot(path: Path) -> SignatureSpot:
    """Bottom right of the last page (a report without a signature block)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(path, "rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        pages = int(reader.root["/Pages"]["/Count"])
        page = reader.find_page_for_modification(pages - 1)[0].get_object()
        box = page.get("/MediaBox") or (0, 0, 595.3, 841.9)
        right = float(box[2])
    width, height, margin, bottom = 226.8, 73.7, 42.5, 56.7  # 80 x 26 mm, 15 mm right, 20 mm bottom
    return SignatureSpot(pages - 1, (right - margin - width, bottom, right - margin, bottom + height))


def _stamp_pdf(folder: Path, spot: SignatureSpot, signer: str, when: datetime, reason: str) -> Path:
    """The visible box's picture: a one-page PDF drawn with the report's font (reportlab shapes
    Vietnamese text as the report itself does)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from cds_desktop.reports.fonts import report_fonts

    fonts = report_fonts()
    width, height = spot.box[2] - spot.box[0], spot.box[3] - spot.box[1]
    lines = [(f"Ký số bởi: {signer}", fonts.face(bold=True)), (f"Thời gian: {when.strftime(STAMP_TIME)}", fonts.regular)]
    if reason:
        lines.append((f"Lý do: {reason}", fonts.face(italic=True)))
    size = 10.0
    while size > 6 and any(stringWidth(text, font, size) > width - 8 for text, font in lines):
        size -= 0.5
    path = folder / "o-ky.pdf"
    canvas = Canvas(str(path), pagesize=(width, height))
    canvas.setStrokeColorRGB(0.1, 0.2, 0.6)
    canvas.setFillColorRGB(0.1, 0.2, 0.6)
    canvas.setLineWidth(1)
    canvas.rect(0.5, 0.5, width - 1, height - 1)
    leading = size * 1.35
    y = height / 2 + leading * (len(lines) - 1) / 2 - size / 3
    for text, font in lines:
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, text)
        y -= leading
    canvas.showPage()
    canvas.save()
    return path


@dataclass
class SignedPdf:
    path: Path
    signer: str
    spot: SignatureSpot


def sign_pdf(src: str | os.PathLike[str], out: str | os.PathLike[str], key: SigningKey, password: str,
             spot: SignatureSpot | None = None, *, reason: str = "", location: str = "",
             timestamp_url: str | None = None) -> SignedPdf:
    """Sign *src* into *out* (PAdES baseline B, or B-T with *timestamp_url*); *spot* is where
    the visible box goes (default: bottom right of the last page)."""
    import tempfile

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    src, out = Path(src), Path(out)
    spot = spot or _fallback_spot(src)
    signer, close = _open_signer(key, password)
    tmp = out.with_name(out.name + ".part")
    try:
        name = signer.signing_cert.subject.native.get("common_name") or signer.signing_cert.subject.human_friendly
        meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256", reason=reason or None,
                                            location=location or None, subfilter=fields.SigSeedSubFilter.PADES)
        box = tuple(int(round(v)) for v in spot.box)
        field_spec = fields.SigFieldSpec(FIELD_NAME, on_page=spot.page, box=box)
        timestamper = None
        if timestamp_url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(timestamp_url)
        with tempfile.TemporaryDirectory(prefix="cds-o-ky-") as folder:
            picture = _stamp_pdf(Path(folder), spot, str(name), datetime.now().astimezone(), reason)
            style = StaticStampStyle.from_pdf_file(str(picture), border_width=0)
            pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=field_spec,
                                           timestamper=timestamper)
            with open(src, "rb") as inf, open(tmp, "wb") as outf:
                writer = IncrementalPdfFileWriter(inf, strict=False)
                pdf_signer.sign_pdf(writer, output=outf)
        os.replace(tmp, out)
    except SigningError:
        raise
    except PermissionError as exc:
        raise SigningError(f"Không ghi được tệp {out} (tệp đang mở trong chương trình khác?).") from exc
    except Exception as exc:
        raise SigningError(f"Không ký được tài liệu bằng {key.describe()}: {exc or type(exc).__name__}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
        close()
    log.info("Signed %s as %s (page %d, box %s)", out, name, spot.page + 1, spot.box)
    return SignedPdf(out, str(name), spot)


def render_signed_report(db, request, out: str | os.PathLike[str], key: SigningKey, password: str,
                         progress=None, *, reason: str = "", location: str = "",
                         timestamp_url: str | None = None) -> SignedPdf:
    """Build, render and sign one report (PDF); the box goes on the last signature block."""
    import tempfile
    from dataclasses import replace

    from cds_desktop.reports import build_report_document, render_document
    from cds_desktop.reports.loading import no_progress

    progress = progress or no_progress
    out = Path(out)
    doc = build_report_document(db, replace(request, for_signing=True), progress)
    spots: list[SignatureSpot] = []
    with tempfile.TemporaryDirectory(prefix="cds-ky-so-") as folder:
        plain = render_document(doc, "pdf", Path(folder) / "bao-cao.pdf", progress, spots)
        progress(0, 0, "Đang ký số…")
        return sign_pdf(plain, out, key, password, spots[-1] if spots else None, reason=reason,
                        location=location, timestamp_url=timestamp_url)


# --------------------------------------------------------------------------
# Checking


@dataclass
class SignatureCheck:
    """One signature of a PDF, as the officer reads it."""

    field: str
    signer: str = ""
    issuer: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the signature is mathematically correct
    trusted: bool = False  # the certificate chains up to a trusted root
    unchanged_after: bool = False  # nothing was added to the file after signing
    changes: str = ""
    page: int | None = None
    box: tuple[float, ...] = ()
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.unchanged_after

    def lines(self) -> list[str]:
        when = self.signed_at.astimezone().strftime("%d/%m/%Y %H:%M:%S") if self.signed_at else "không rõ"
        lines = [f"Người ký: {self.signer or 'không rõ'}" + (f" (cấp bởi {self.issuer})" if self.issuer else ""),
                 f"Thời điểm ký: {when}" + (" (có dấu thời gian)" if self.timestamped else " (theo đồng hồ máy ký)")]
        if not (self.intact and self.valid):
            lines.append("Tài liệu ĐÃ BỊ THAY ĐỔI sau khi ký: chữ ký không còn giá trị.")
        elif self.unchanged_after:
            lines.append("Tài liệu không bị thay đổi sau khi ký.")
        else:
            lines.append(f"Tài liệu CÓ THAY ĐỔI sau khi ký ({self.changes or 'phần thêm vào sau chữ ký'}).")
        lines.append("Chứng thư số: tin cậy (xác minh được tới tổ chức chứng thực gốc)." if self.trusted else
                     "Chứng thư số: chưa xác minh được tới một tổ chức chứng thực gốc tin cậy.")
        return lines + self.problems


def trust_roots_in(data_dir: str | os.PathLike[str] | None) -> list[Path]:
    folder = Path(data_dir) / CA_DIR if data_dir else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pem", ".cer", ".crt", ".der"))


def _load_roots(paths: list[Path]):
    from asn1crypto import pem, x509

    roots = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
            blobs = [der for _type, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            roots += [x509.Certificate.load(der) for der in blobs]
            for cert in roots:
                cert.native  # parse now: a damaged file fails here, not inside the validator  # noqa: B018
        except (OSError, ValueError, TypeError) as exc:
            raise ServiceError(f"Không đọc được chứng thư gốc «{Path(path).name}»: {exc}.") from exc
    return roots


def verify_pdf(path: str | os.PathLike[str], trust_roots: list[Path] | tuple[Path, ...] = ()) -> list[SignatureCheck]:
    """Check every signature of the PDF at *path* (offline); [] when it has none."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    path = Path(path)
    roots = _load_roots(list(trust_roots))
    checks: list[SignatureCheck] = []
    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            for embedded in reader.embedded_signatures:
                check = SignatureCheck(str(embedded.field_name))
                checks.append(check)
                _where(reader, embedded, check)
                context = ValidationContext(trust_roots=roots, allow_fetching=False)
                try:
                    status = validate_pdf_signature(embedded, signer_validation_context=context)
                except (SignatureValidationError, ValueError, KeyError, PdfError) as exc:
                    check.problems.append(f"Không kiểm tra được chữ ký: {exc}")
                    continue
                _fill(check, status)
    except FileNotFoundError as exc:
        raise NotFoundError(f"Không tìm thấy tệp «{path.name}».") from exc
    except OSError as exc:
        raise ServiceError(f"Không mở được tệp «{path.name}» ({os_reason(exc)}).") from exc
    except PdfError as exc:
        raise ServiceError(f"Tệp «{path.name}» không phải PDF hợp lệ hoặc đã bị hỏng ({exc}).") from exc
    return checks


def _where(reader, embedded, check: SignatureCheck) -> None:
    """The visible box of the signature: its page (0-based) and rectangle."""
    try:
        widget = embedded.sig_field["/Kids"][0] if "/Kids" in embedded.sig_field else embedded.sig_field
        check.box = tuple(float(v) for v in widget["/Rect"])
        target = widget.raw_get("/P").idnum
        pages: list[int] = []

        def walk(ref) -> None:
            node = ref.get_object()
            if "/Kids" in node:
                kids = node["/Kids"]
                for index in range(len(kids)):
                    walk(kids.raw_get(index))
            else:
                pages.append(ref.idnum)

        walk(reader.root.raw_get("/Pages"))
        check.page = pages.index(target) if target in pages else None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        pass


def _fill(check: SignatureCheck, status) -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    cert = status.signing_cert  # plain values only: a check is sent from a worker process
    check.signer = str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
    check.issuer = str(cert.issuer.native.get("common_name") or cert.issuer.human_friendly)
    check.intact, check.valid, check.trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
    stamp = getattr(status, "timestamp_validity", None)
    check.timestamped = stamp is not None
    when = stamp.timestamp if stamp is not None else status.signer_reported_dt
    check.signed_at = datetime.fromisoformat(when.isoformat()) if when is not None else None
    check.unchanged_after = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not check.unchanged_after:
        level = getattr(status, "modification_level", None)
        check.changes = f"mức thay đổi: {level.name}" if level is not None else ""
