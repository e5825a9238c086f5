"""Bad input: a clear one-line Vietnamese message naming the file, exit 1, the database untouched."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from support.databases import database_state
from support.paths import BAT_TRANG_SEED

from cds_desktop.cli import main


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _blank(path: Path) -> None:
    path.write_bytes(b"\r\n  \n\t\n")


def _junk(path: Path) -> None:
    rng = random.Random(7)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))


def _docx_without_tables(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Chuyển đổi số xã Bát Tràng năm 2026")
    document.save(path)


def _damaged_xlsx(path: Path) -> None:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["TT", "Chỉ tiêu", "Đơn vị chủ trì"])
    workbook.save(buffer)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])


def _xlsx_with_broken_xml(path: Path) -> None:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data[:50]
            target.writestr(info, data)


def _encrypted_xlsx(path: Path) -> None:
    # Office encrypts .xlsx into an OLE compound file holding "EncryptionInfo" and "EncryptedPackage".
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
                     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2048)


def _question_marks(path: Path) -> None:
    path.write_bytes(BAT_TRANG_SEED.read_text(encoding="utf-8").encode("cp1252", errors="replace"))


def _mojibake(path: Path) -> None:
    text = BAT_TRANG_SEED.read_text(encoding="utf-8")
    path.write_text(text.encode("utf-8").decode("cp1252", errors="replace"), encoding="utf-8")


def _legacy_font_encoding(path: Path) -> None:
    # TCVN3-style bytes: Vietnamese drawn with symbols of the Latin code page.
    line = "STT\tChØ tiªu\t§¬n vÞ chñ tr×\n1\tTû lÖ hå s¬ xö lý ®óng h¹n\tV¨n phßng H§ND-UBND\n"
    path.write_bytes((line * 50).encode("cp1252"))


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<" + b" " * (20 * 1024 * 1024) + b"/>")


def _pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + b"\x00\x01" * 100)


def _text_without_tables(path: Path) -> None:
    path.write_text("KẾ HOẠCH\nChuyển đổi số xã Bát Tràng năm 2026\n\nKhông có bảng nào.\n", encoding="utf-8")


CASES = [
    ("rong.txt", _empty, "rỗng"),
    ("trang.txt", _blank, "rỗng"),
    ("rac.bin", _junk, "không phải tệp văn bản"),
    ("khong_bang.docx", _docx_without_tables, "không tìm thấy bảng"),
    ("hong.xlsx", _damaged_xlsx, "bị hỏng"),
    ("hong_xml.xlsx", _xlsx_with_broken_xml, "bị hỏng"),
    ("mat_khau.xlsx", _encrypted_xlsx, "mật khẩu"),
    ("dau_hoi.txt", _question_marks, "bảng mã"),
    ("sai_ma.txt", _mojibake, "bảng mã"),
    ("tcvn3.txt", _legacy_font_encoding, "bảng mã"),
    ("qua_lon.txt", _huge, "quá lớn"),
    ("bom.xlsx", _zip_bomb, "bất thường"),
    ("ke_hoach.pdf", _pdf, "PDF"),
    ("khong_bang.txt", _text_without_tables, "không tìm thấy bảng"),
]


@pytest.fixture(scope="module")
def database_file(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("bad-input") / "data"
    assert main(["demo", "--data-dir", str(data_dir)]) == 0
    return data_dir / "cds.sqlite"


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused(capsys, tmp_path: Path, database_file: Path, name, make, expected) -> None:
    path = tmp_path / name
    make(path)
    capsys.readouterr()
    before = database_state(database_file.parent)
    code = main(["import-plan", str(path), "--data-dir", str(database_file.parent)])
    out = capsys.readouterr()
    assert code == 4  # bad input file (README «Mã thoát»)
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith("Lỗi: ") and f"«{name}»" in lines[0] and expected in lines[0], lines[0]
    assert database_state(database_file.parent) == before
    for file in database_file.parent.glob("cds.sqlite-*"):
        assert file.stat().st_size == 0 or file.name.endswith("-shm")


def test_bad_file_details_go_to_the_log(capsys, tmp_path: Path, database_file: Path) -> None:
    path = tmp_path / "hong.xlsx"
    _damaged_xlsx(path)
    main(["import-plan", str(path), "--data-dir", str(database_file.parent)])
    capsys.readouterr()
    log_text = "".join(p.read_text(encoding="utf-8") for p in (database_file.parent / "logs").glob("*.log*"))
    assert "hong.xlsx" in log_text


def test_cp1258_text_is_read_with_a_warning(capsys, tmp_path: Path) -> None:
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    chars = []
    for ch in BAT_TRANG_SEED.read_text(encoding="utf-8"):
        try:
            ch.encode("cp1258")
            chars.append(ch)
        except UnicodeEncodeError:  # Windows-1258 writes the tone mark after the (precomposed) vowel
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            chars.append(base + "".join(c for c in parts if c in tones))
    path = tmp_path / "windows1258.txt"
    path.write_bytes("".join(chars).replace("≥", ">=").replace("≤", "<=").encode("cp1258", errors="strict"))
    from cds_desktop.importers.run import analyse_path

    analysis = analyse_path(path)
    assert analysis.counts() == {"indicator": 27, "task": 12}
    assert any("Windows-1258" in w["message"] for w in analysis.warnings)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_clipboard_encodings(tmp_path: Path, encoding: str) -> None:
    from cds_desktop.importers.run import analyse_path

    path = tmp_path / f"dan_{encoding}.txt"
    path.write_bytes(BAT_TRANG_SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    analysis = analyse_path(path)
    assert analysis.counts() == {"indicator": 27, "task": 12}
    assert analysis.draft["plan"]["number"] == "139/KH-UBND"
