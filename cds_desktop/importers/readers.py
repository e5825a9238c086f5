"""Read a file (or pasted text) into a neutral :class:`Document`.

- Plain text: UTF-8 (with or without BOM), UTF-16 (as Windows puts it on the
  clipboard, with or without BOM); other bytes fall back to Windows-1258 with
  a warning when the result reads as Vietnamese, and are refused otherwise.
  Tables are runs of tab-separated lines (a run may be broken by blank lines);
  cells Excel quoted because they hold line breaks are understood, and so are
  Markdown pipe tables.
- ``.xlsx`` / ``.docx``: see :mod:`cds_desktop.importers.office`; old ``.doc`` / ``.xls`` are converted
  by LibreOffice first (:mod:`cds_desktop.importers.legacy`).
- ``.pdf``: see :mod:`cds_desktop.importers.pdf`; text copied out of a PDF viewer (no tabs) has its
  tables rebuilt by :mod:`cds_desktop.importers.pdf_copy`.

The file type is decided by the content, not by the extension.  Every refusal
is an :class:`ImportFailure` with a one-line Vietnamese message naming the file.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from pathlib import Path

from cds_desktop.importers.document import (
    CLOSING_SPAN,
    CLOSING_START,
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    Document,
    ImportFailure,
    MissingFile,
    RawRow,
    RawTable,
)

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_GROUP_LINE = re.compile(r"^\s*(?:[IVXLA-H]{1,5}|\d{1,3})(?:[.)]\s*|\s+)\S|^\s*(?:[IVXL]{1,5}|[A-H])\.?\s*$")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|á[»º]|Æ[°¡]|Ä[‘\u0090]|Ã¢|Ãª|Ã´")


def _fail(name: str, what: str) -> ImportFailure:
    return ImportFailure(f"Không nhập được tệp «{name}»: {what}")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def read_path(path: str | Path) -> Document:
    """Read a file from disk, refusing anything larger than 50 MB before reading it."""
    path = Path(path)
    name = path.name
    try:
        if path.is_dir():
            raise _fail(name, "đây là một thư mục, không phải tệp.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(name, f"tệp quá lớn ({_megabytes(size)} MB; tối đa {MAX_FILE_BYTES // 1024 // 1024} MB).")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise MissingFile(f"Không nhập được tệp «{name}»: không tìm thấy tệp.") from exc
    except PermissionError as exc:
        raise _fail(name, "không có quyền đọc tệp.") from exc
    except OSError as exc:
        log.warning("Cannot read %s: %s", path, exc)
        raise _fail(name, "không đọc được tệp (lỗi đọc đĩa).") from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Document:
    """Sniff the content and hand it to the right reader."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, f"tệp quá lớn ({_megabytes(len(data))} MB; tối đa 50 MB).")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(name, "tệp rỗng, không có nội dung.")
    if data.startswith(_ZIP_MAGIC):
        from cds_desktop.importers import office

        return office.read_office(data, name)
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data.replace(b"\x00", b""):
            raise _fail(name, "tệp được bảo vệ bằng mật khẩu. Hãy mở bằng Excel/Word, bỏ mật khẩu rồi lưu lại.")
        from cds_desktop.importers.legacy import read_legacy

        return read_legacy(data, name)
    if b"%PDF-" in data[:1024]:
        from cds_desktop.importers.pdf import read_pdf

        return read_pdf(data, name)
    if data.startswith(b"{\\rtf"):
        raise _fail(name, "tệp RTF chưa được hỗ trợ. Hãy mở bằng Word rồi lưu dạng .docx.")
    if len(data) > MAX_TEXT_BYTES:
        raise _fail(name, f"tệp văn bản quá lớn cho một kế hoạch ({_megabytes(len(data))} MB; tối đa "
                          f"{MAX_TEXT_BYTES // 1024 // 1024} MB). Một kế hoạch dạng văn bản chỉ vài trăm KB; "
                          "hãy kiểm tra lại tệp đã chọn.")
    text, notes = decode_text(data, name)
    return read_text(text, name, notes)


# --- text decoding -------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


_VI_MARKED = set("ăâêôơưđĂÂÊÔƠƯĐ")


def _reads_as_vietnamese(text: str) -> bool:
    """Most letters are Vietnamese letters, some carry Vietnamese marks, few odd symbols."""
    sample = unicodedata.normalize("NFC", text[:200_000])
    letters = odd = marked = 0
    for ch in sample:
        if ch.isalpha():
            base = unicodedata.normalize("NFD", ch)[0]
            if base.isascii() or ch in _VI_MARKED:
                letters += 1
                if not ch.isascii():
                    marked += 1
            else:
                odd += 1
        elif not ch.isascii() and not ch.isspace() and unicodedata.category(ch)[0] in "SCo":
            odd += 1
    total = letters + odd
    return total > 0 and odd / total < 0.01 and marked / max(letters, 1) > 0.05


def _question_damage(text: str) -> bool:
    """Vietnamese letters replaced by '?' (text saved in an encoding that cannot hold them)."""
    hits = len(re.findall(r"\w\?\w|\w\?(?=\s)", text))
    words = max(len(text.split()), 1)
    return hits >= 5 and hits / words > 0.05


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode text bytes; returns the text (NFC) and warnings about the decoding."""
    notes: list[str] = []
    encoding: str | None = None
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            encoding = enc
            break
    encoding = encoding or _utf16_without_bom(data)
    text: str | None = None
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            log.warning("%s: invalid %s: %s", name, encoding, exc)
            raise _fail(name, f"tệp văn bản bị hỏng (không đúng bảng mã {encoding.upper()}).") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            log.info("%s is not UTF-8 (%s); trying Windows-1258", name, exc)
            loose = data.decode("utf-8", errors="replace")
            bad = loose.count("\ufffd")
            if bad <= max(2, len(loose) // 2000) and _reads_as_vietnamese(loose):
                text = loose
                notes.append(f"Tệp có {bad} ký tự không đọc được theo UTF-8 (đã thay bằng «\ufffd»); hãy kiểm tra.")
            elif _control_ratio(data.decode("latin-1")) > 0.02:
                raise _fail(name, "không phải tệp văn bản, bảng tính Excel (.xlsx) hay tài liệu Word (.docx).") from exc
            else:
                fallback = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
                if not _reads_as_vietnamese(fallback):
                    raise _fail(
                        name, "tệp văn bản không ở bảng mã UTF-8/UTF-16 và không đọc được tiếng Việt. "
                        "Hãy mở tệp và lưu lại với bảng mã UTF-8."
                    ) from exc
                text = fallback
                notes.append("Tệp không ở bảng mã UTF-8: đã đọc theo bảng mã Windows-1258, hãy kiểm tra dấu tiếng Việt.")
    assert text is not None
    if _control_ratio(text) > 0.01:
        raise _fail(name, "không phải tệp văn bản, bảng tính Excel (.xlsx) hay tài liệu Word (.docx).")
    if len(_MOJIBAKE.findall(text)) >= 5:
        raise _fail(
            name, "chữ tiếng Việt trong tệp đã bị hỏng do sai bảng mã (dạng «Ã¡», «á»‡»). "
            "Hãy lấy lại tệp gốc hoặc sao chép trực tiếp từ Word/Excel."
        )
    if _question_damage(text):
        raise _fail(
            name, "chữ tiếng Việt trong tệp đã bị thay bằng dấu «?» (tệp được lưu sai bảng mã). "
            "Hãy lưu lại tệp với bảng mã UTF-8."
        )
    return unicodedata.normalize("NFC", text), notes


# --- text to blocks ------------------------------------------------------------------------------


def _records(text: str) -> list[tuple[int, list[str], bool]]:
    """Split text into records ``(first line number, cells, is_table_row)``.

    A record is one line, except that a cell Excel quoted (because it holds a
    line break, a tab or a quote) may run over several lines.
    """
    out: list[tuple[int, list[str], bool]] = []
    pos, n, line_no = 0, len(text), 1
    while pos <= n:
        start_line = line_no
        cells: list[str] = []
        tabbed = excel = False
        while True:
            value, pos, lines = _field(text, pos)
            excel = excel or lines > 0
            line_no += lines
            cells.append(value)
            if pos < n and text[pos] == "\t":
                tabbed = True
                pos += 1
                continue
            pos += 1  # the newline (or past the end)
            line_no += 1
            break
        if not tabbed and len(cells) == 1 and _is_pipe_row(cells[0]):
            cells = [c.strip() for c in cells[0].strip().strip("|").split("|")]
            tabbed = True
        if tabbed:
            cells = _unquote_all(cells, excel)
        out.append((start_line, cells, tabbed))
    return out


def _unquote_all(cells: list[str], excel: bool) -> list[str]:
    """Cells quoted by a spreadsheet ("quote all text cells", or a row where Excel quoted a line break):
    drop the quotes."""
    filled = [c for c in cells if c.strip()]
    quoted = [c for c in filled if len(c) >= 2 and c.startswith('"') and c.endswith('"') and '"' not in c[1:-1].replace('""', "")]
    if not quoted or (not excel and len(quoted) < max(2, 0.6 * len(filled))):
        return cells
    return [c[1:-1].replace('""', '"') if c in quoted else c for c in cells]


def _field(text: str, pos: int) -> tuple[str, int, int]:
    """One cell starting at *pos*; returns (value, position after it, line breaks consumed)."""
    n = len(text)
    if pos < n and text[pos] == '"':
        j = pos + 1
        limit = min(n, pos + 20_000)
        while j < limit:
            k = text.find('"', j, limit)
            if k < 0:
                break
            if k + 1 < n and text[k + 1] == '"':
                j = k + 2
                continue
            if k + 1 >= n or text[k + 1] in "\t\n":
                inner = text[pos + 1:k]
                if "\n" in inner or "\t" in inner or '""' in inner:
                    return inner.replace('""', '"'), k + 1, inner.count("\n")
            break
    end = pos
    while end < n and text[end] not in "\t\n":
        end += 1
    return text[pos:end], end, 0


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3


def _mark_closing_blocks(records: list[tuple[int, list[str], bool]], kinds: list[str]) -> None:
    """Mark the signature block as "closing": a line whose few cells open it ("TM. ỦY BAN NHÂN DÂN",
    "Nơi nhận:") and the short lines of at most two cells that follow it (position, "(Đã ký)", name)."""
    i = 0
    while i < len(records):
        filled = [c.strip() for c in records[i][1] if c.strip()]
        if kinds[i] != "row" or len(filled) > 2 or not any(CLOSING_START.match(c) for c in filled):
            i += 1
            continue
        end = i
        for j in range(i, min(len(records), i + CLOSING_SPAN)):
            cells = [c.strip() for c in records[j][1] if c.strip()]
            if len(cells) > 2 or any(len(c) > 80 for c in cells) or kinds[j] == "para":
                break
            if cells:
                kinds[j] = "closing"
                end = j
        i = end + 1


def read_text(text: str, name: str = "", notes: list[str] | None = None) -> Document:
    """Turn text (a whole plan or a single pasted table) into paragraphs and tables."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    if not text.strip():
        raise _fail(name or "dữ liệu dán", "không có nội dung.")
    records = _records(text)
    # A short line without tabs sitting between two table rows is a row whose
    # empty cells were dropped by the conversion (typically a group row).
    kinds = ["blank" if not any(c.strip() for c in cells) else ("row" if tabbed else "para")
             for _, cells, tabbed in records]
    for i, kind in enumerate(kinds):
        if kind != "para":
            continue
        line = records[i][1][0].strip()
        if len(line) > 200 or not _GROUP_LINE.match(line) or re.match(r"(?i)phụ lục|danh mục", line):
            continue
        prev = next((kinds[j] for j in range(i - 1, -1, -1) if kinds[j] != "blank"), "")
        nxt = next((kinds[j] for j in range(i + 1, len(kinds)) if kinds[j] != "blank"), "")
        if prev == "row" and nxt == "row":
            kinds[i] = "row"
    _mark_closing_blocks(records, kinds)
    blocks: list[str | RawTable] = []
    current: list[RawRow] = []
    count = 0
    left_column: list[str] = []  # "Nơi nhận" lines beside the signature, put after it
    for (line_no, cells, _tabbed), kind in zip(records, kinds, strict=True):
        if kind == "row":
            current.append(RawRow([c.strip() for c in cells], line_no))
            continue
        if kind == "closing":
            if current:
                count += 1
                blocks.append(RawTable(current, "text", count))
                current = []
            filled = [(j, c.strip()) for j, c in enumerate(cells) if c.strip()]
            blocks.extend(c for j, c in filled if j > 0 or len(filled) == 1 and not left_column and
                          CLOSING_START.match(c))
            left_column.extend(c for j, c in filled if j == 0 and not (len(filled) == 1 and CLOSING_START.match(c)))
            continue
        if left_column:
            blocks.extend(left_column)
            left_column = []
        if kind == "blank":
            if not current:
                blocks.append("")
            continue
        if current:
            count += 1
            blocks.append(RawTable(current, "text", count))
            current = []
        blocks.append(cells[0].strip())
    if current:
        count += 1
        blocks.append(RawTable(current, "text", count))
    blocks.extend(left_column)
    notes = list(notes or [])
    if not any(isinstance(b, RawTable) for b in blocks):
        from cds_desktop.importers.pdf_copy import rebuild

        rebuilt = rebuild(text)
        if rebuilt is not None:
            blocks = rebuilt
            notes.append("Văn bản không có dấu tab (sao chép từ tệp PDF): các bảng được dựng lại từ thứ tự chữ, "
                         "hãy kiểm tra từng dòng.")
    return Document(name=name, blocks=blocks, origin="text", notes=notes)
