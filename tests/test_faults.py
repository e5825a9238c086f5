"""What a fault and bad-input campaign found (issue 13): overwritten outputs, another program's
SQLite file, a full disk, a read-only data folder, English in messages, number format."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
from sqlalchemy import event

from cds_desktop.cli import main
from cds_desktop.database import open_database
from cds_desktop.database.errors import NotOurDatabaseError, StorageError
from cds_desktop.database.migrate import APPLICATION_ID
from cds_desktop.text import format_mb, format_number


def _err(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if not line.startswith("Tạo dữ liệu mới")]


# -- never overwrite silently -----------------------------------------------------------------------


def test_all_units_workbooks_never_go_into_one_existing_file(db_templates, tmp_path, capsys):
    data = tmp_path / "data"
    db_templates.copy("progress", data)
    existing = tmp_path / "cua-toi.xlsx"
    existing.write_bytes(b"du lieu cua nguoi dung")
    code = main(["unit-workbook", "--all-units", "--period", "2026-05", "--out", str(existing), "--data-dir", str(data)])
    assert code == 2
    assert existing.read_bytes() == b"du lieu cua nguoi dung"
    [line] = _err(capsys)
    assert "là một tệp" in line and "thư mục" in line


def test_outputs_are_kept_unless_forced(db_templates, tmp_path, capsys):
    data = tmp_path / "data"
    db_templates.copy("progress", data)
    folder = tmp_path / "phieu"
    argv = ["unit-workbook", "--all-units", "--period", "2026-05", "--out", str(folder), "--data-dir", str(data)]
    assert main(argv) == 0
    made = sorted(folder.iterdir())
    assert len(made) >= 2
    made[0].write_bytes(b"sua tay")
    capsys.readouterr()
    assert main(argv) == 2
    assert made[0].read_bytes() == b"sua tay"
    [line] = _err(capsys)
    assert "đã có" in line and "--force" in line
    assert main([*argv, "--force"]) == 0
    assert made[0].read_bytes() != b"sua tay"

    package = tmp_path / "goi.cdspkg"
    package.write_bytes(b"cu")
    export = ["export-package", "--out", str(package), "--data-dir", str(data)]
    assert main(export) == 2 and package.read_bytes() == b"cu"
    assert main([*export, "--force"]) == 0 and zipfile.is_zipfile(package)

    report = tmp_path / "pl1.pdf"
    report.write_bytes(b"cu")
    assert main(["report", "phu-luc-01", "--out", str(report), "--data-dir", str(data)]) == 2
    assert report.read_bytes() == b"cu"
    capsys.readouterr()


# -- another program's SQLite file ------------------------------------------------------------------


def test_another_programs_database_is_refused_unchanged(tmp_path):
    other = tmp_path / "khac.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(NotOurDatabaseError, match="chương trình khác"):
        open_database(tmp_path / "d", f"sqlite:///{other}")
    assert other.read_bytes() == before


def test_tables_without_alembic_version_are_refused_in_one_line(tmp_path, capsys):
    other = tmp_path / "bang.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE plans (id INTEGER)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    assert main(["info", "--db-url", f"sqlite:///{other}"]) == 5
    [line] = _err(capsys)
    assert "không phải là cơ sở dữ liệu của CĐS Desktop" in line
    assert other.read_bytes() == before


@pytest.mark.sqlite_only(reason="a property of the SQLite file (application_id, full disk, read-only folder)")
def test_new_and_earlier_databases_are_stamped(tmp_path, db_templates):
    db = open_database(tmp_path / "moi")
    db.close()
    assert sqlite3.connect(tmp_path / "moi" / "cds.sqlite").execute("PRAGMA application_id").fetchone()[0] \
        == APPLICATION_ID
    old = tmp_path / "cu"
    db_templates.copy("empty", old)
    conn = sqlite3.connect(old / "cds.sqlite")
    conn.execute("PRAGMA application_id = 0")  # as an earlier version left it
    conn.commit()
    conn.close()
    open_database(old).close()
    assert sqlite3.connect(old / "cds.sqlite").execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


# -- a full disk ------------------------------------------------------------------------------------


@pytest.mark.sqlite_only(reason="a property of the SQLite file (application_id, full disk, read-only folder)")
def test_a_full_disk_is_said_with_where(db_templates, tmp_path, monkeypatch, capsys):
    """SQLite's real SQLITE_FULL: the file may not grow by one page (max_page_count)."""
    from cds_desktop.database import engine as engine_mod

    data = tmp_path / "data"
    db_templates.copy("demo", data)
    original = engine_mod.make_engine

    def full_engine(url, **kwargs):
        engine = original(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _no_room(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        return engine

    monkeypatch.setattr(engine_mod, "make_engine", full_engine)
    code = main(["import-plan", str(_seed()), "--data-dir", str(data)])
    [line] = _err(capsys)
    assert code == 5, line
    assert line.startswith("Lỗi: Ổ đĩa đầy") and str(data / "cds.sqlite") in line


def _seed():
    from support.paths import PHU_DONG_SEED

    return PHU_DONG_SEED


def test_a_write_error_with_enospc_names_the_disk(tmp_path):
    import errno

    from cds_desktop.database.errors import os_error_message

    message = os_error_message(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "x")
    assert message.startswith("Ổ đĩa đầy") and str(tmp_path / "x") in message and "space" not in message


def test_the_free_space_refusal_shows_the_real_need(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from cds_desktop.exchange import package_read

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(100 << 20, 90 << 20, 13_000_000))
    checked = type("Checked", (), {"infos": [zipfile.ZipInfo("a")], "display": "goi.cdspkg"})()
    checked.infos[0].file_size = 3_000_000
    with pytest.raises(StorageError) as raised:
        package_read._check_space(checked, tmp_path)
    text = str(raised.value)
    assert text.startswith("Ổ đĩa đầy") and str(tmp_path) in text
    assert f"cần {format_mb(3_000_000 + (64 << 20))}" in text and "dự phòng" in text


# -- a read-only data folder ------------------------------------------------------------------------


@pytest.mark.sqlite_only(reason="a property of the SQLite file (application_id, full disk, read-only folder)")
def test_a_read_only_folder_can_be_read_not_written(db_templates, tmp_path, monkeypatch, capsys):
    from cds_desktop.database import opening

    data = tmp_path / "data"
    db_templates.copy("demo", data)
    before = (data / "cds.sqlite").read_bytes()
    monkeypatch.setattr(opening, "_writable", lambda _path: False)  # as for a folder shared read-only
    assert main(["info", "--data-dir", str(data), "--json"]) == 0
    assert main(["check", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["import-plan", str(_seed()), "--data-dir", str(data)]) == 5
    [line] = _err(capsys)
    assert "chỉ cho đọc" in line and str(data / "cds.sqlite") in line
    assert (data / "cds.sqlite").read_bytes() == before


# -- messages ---------------------------------------------------------------------------------------


def test_a_damaged_member_is_said_in_vietnamese(db_templates, tmp_path, capsys):
    data = tmp_path / "data"
    db_templates.copy("demo", data)
    package = tmp_path / "p.cdspkg"
    assert main(["export-package", "--out", str(package), "--data-dir", str(data)]) == 0
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("records/") and i.compress_size > 200)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0x55
    package.write_bytes(bytes(raw))
    capsys.readouterr()
    code = main(["import-package", str(package), "--dry-run", "--data-dir", str(tmp_path / "b"), "--create"])
    [line] = _err(capsys)
    assert code == 4
    assert "CRC" not in line and "Error" not in line and "bị" in line, line


def test_unknown_records_are_named_not_their_table(progress_db):
    from cds_desktop.models import Plan
    from cds_desktop.services.common import NotFoundError, get

    with progress_db.session() as session, pytest.raises(NotFoundError) as raised:
        get(session, Plan, "999")
    assert str(raised.value) == "Không tìm thấy kế hoạch 999."


def test_numbers_use_vietnamese_separators():
    assert format_number(1029) == "1.029"
    assert format_number(1234567.891, 2) == "1.234.567,89"
    assert format_mb(3_250_000, 1) == "3,2 MB"


def test_the_window_says_a_full_disk_in_vietnamese():
    import errno

    from cds_desktop.ui.common.errors import is_known, user_message

    exc = OSError(errno.ENOSPC, "No space left on device", "/mnt/usb/bao-cao.pdf")
    assert is_known(exc)
    assert user_message(exc).startswith("Ổ đĩa đầy: không ghi được vào /mnt/usb/bao-cao.pdf")


def test_a_full_disk_while_writing_an_output_names_the_output(db_templates, tmp_path, monkeypatch, capsys):
    import errno

    from cds_desktop.exchange import package_write

    data = tmp_path / "data"
    db_templates.copy("demo", data)

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package_write, "_seal", full)
    out = tmp_path / "usb" / "goi.cdspkg"
    assert main(["export-package", "--out", str(out), "--data-dir", str(data)]) == 5
    [line] = _err(capsys)
    assert line.startswith("Lỗi: Ổ đĩa đầy") and str(out) in line and "space" not in line
    assert not out.exists() and not list(out.parent.glob("*.part"))
