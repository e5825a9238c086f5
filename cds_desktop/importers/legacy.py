"""Old Office files (Word ``.doc``, Excel ``.xls``): converted by LibreOffice when it is installed.

``soffice --headless --convert-to docx`` runs in a temporary directory with its
own throw-away profile (so that an open LibreOffice window does not swallow
the request) and a time limit; the converted file is then read like any
``.docx``/``.xlsx``.  Without LibreOffice the officer is asked to save the
file again in the new format.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cds_desktop.importers.document import Document, ImportFailure

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 120
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def _fail(name: str, what: str) -> ImportFailure:
    return ImportFailure(f"Không nhập được tệp «{name}»: {what}")


def find_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _WINDOWS_PLACES if os.path.exists(p)), None) if os.name == "nt" else None


def kind_of(data: bytes) -> str:
    """``"doc"`` or ``"xls"`` from the stream names of an OLE compound file ("" when neither)."""
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return ""


def read_legacy(data: bytes, name: str) -> Document:
    kind = kind_of(data)
    word = "Word" if kind == "doc" else "Excel"
    new = "docx" if kind == "doc" else "xlsx"
    if not kind:
        raise _fail(name, "đây là định dạng Office cũ không nhận ra được. Hãy mở bằng Word/Excel và lưu lại dạng .docx/.xlsx.")
    soffice = find_soffice()
    if soffice is None:
        raise _fail(name, f"đây là tệp {word} cũ (.{kind}) và máy chưa cài LibreOffice để chuyển đổi. "
                    f"Hãy mở bằng {word} rồi lưu lại dạng .{new} (Lưu thành… → .{new}).")
    with tempfile.TemporaryDirectory(prefix="cds-convert-") as tmp:
        source = Path(tmp) / f"ke_hoach.{kind}"
        source.write_bytes(data)
        profile = (Path(tmp) / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", new,
                   "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            log.warning("%s: LibreOffice conversion timed out", name)
            raise _fail(name, f"LibreOffice chuyển đổi tệp .{kind} quá lâu (quá {TIMEOUT_SECONDS} giây). "
                        f"Hãy mở bằng {word} rồi lưu lại dạng .{new}.") from exc
        except (OSError, subprocess.CalledProcessError) as exc:
            log.warning("%s: LibreOffice conversion failed: %s", name, exc)
            raise _fail(name, f"LibreOffice không chuyển đổi được tệp .{kind} (tệp hỏng hoặc được bảo vệ). "
                        f"Hãy mở bằng {word} rồi lưu lại dạng .{new}.") from exc
        converted = source.with_suffix(f".{new}")
        if not converted.exists() or not converted.stat().st_size:
            log.warning("%s: LibreOffice produced no %s", name, new)
            raise _fail(name, f"LibreOffice không chuyển đổi được tệp .{kind}. Hãy mở bằng {word} rồi lưu lại dạng .{new}.")
        out = converted.read_bytes()
    from cds_desktop.importers.office import read_office

    document = read_office(out, name)
    document.notes.append(f"Tệp {word} cũ (.{kind}) đã được LibreOffice chuyển sang .{new} để đọc; hãy kiểm tra.")
    return document
