"""The store check finds every planted fault, through the service and through
``cds-desktop check`` / ``cds-desktop evidence …``; the CLI attaches, lists and collects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from cds_desktop.cli import main
from cds_desktop.database import open_database
from cds_desktop.models import Item
from cds_desktop.services.evidence import attach_files, check_store, store_for


@pytest.fixture
def store_db(demo_db, tmp_path):
    with demo_db.session("test") as s:
        item = s.scalar(select(Item.uuid).order_by(Item.id).limit(1))
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for name, data in (("quyet dinh.pdf", b"%PDF decision"), ("anh.png", b"\x89PNG photo" * 100), ("bb.docx", b"PK minutes")):
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    result = attach_files(demo_db, paths, [("item", item)])
    return demo_db, {f.original_name: f.sha256 for f in result.files}


def test_a_healthy_store_checks_ok(store_db):
    db, _ = store_db
    report = check_store(db)
    assert report.ok and report.files == 3 and report.problems() == []


def test_missing_file_is_reported(store_db):
    db, shas = store_db
    store_for(db).path_for(shas["anh.png"]).unlink()
    report = check_store(db)
    assert [f.names for f in report.missing] == [["anh.png"]]
    assert "thiếu 1 tệp: «anh.png»" in " ".join(report.problems())


@pytest.mark.parametrize("how", ["same-size", "truncated"])
def test_changed_content_is_reported(store_db, how):
    db, shas = store_db
    path = store_for(db).path_for(shas["quyet dinh.pdf"])
    data = path.read_bytes()
    path.write_bytes(data[:-1] + b"X" if how == "same-size" else data[:3])
    report = check_store(db)
    assert [f.names for f in report.mismatches] == [["quyet dinh.pdf"]]
    assert "không còn khớp mã băm" in " ".join(report.problems())
    if how == "same-size":
        assert check_store(db, verify=False).ok  # only hashing can see it


def test_unreferenced_temporary_and_stray_files_are_reported(store_db):
    db, _ = store_db
    store = store_for(db)
    orphan = store.path_for("0" * 64)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"nobody's")
    store.tmp_dir.mkdir(exist_ok=True)
    (store.tmp_dir / "in-x.part").write_bytes(b"half")
    (store.root / "Thumbs.db").write_bytes(b"windows")
    report = check_store(db)
    assert [Path(f.path) for f in report.orphans] == [orphan]
    assert len(report.temporary) == 1 and [Path(f.path).name for f in report.stray] == ["Thumbs.db"]
    text = " ".join(report.problems())
    assert "không thuộc minh chứng nào" in text and "tệp tạm" in text and "tệp lạ" in text


def test_check_command_reports_store_problems_with_a_non_zero_exit(store_db, capsys):
    db, shas = store_db
    data_dir = db.paths.data_dir
    db.close()
    capsys.readouterr()
    assert main(["check", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Cơ sở dữ liệu tốt" in out and "Kho minh chứng tốt: 3 tệp" in out

    again = open_database(data_dir)
    store_for(again).path_for(shas["bb.docx"]).unlink()
    again.close()
    assert main(["check", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "«bb.docx»" in err
    assert main(["check", "--data-dir", str(data_dir), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert not result["ok"] and len(result["evidence"]["missing"]) == 1
    assert main(["evidence", "check", "--data-dir", str(data_dir)]) == 1


def test_evidence_cli_attach_list_gc_export(demo_db, tmp_path, capsys):
    with demo_db.session("test") as s:
        first, second = s.scalars(select(Item.uuid).order_by(Item.id).limit(2)).all()
    data_dir = str(demo_db.paths.data_dir)
    demo_db.close()
    photo = tmp_path / "Ảnh hội nghị.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    capsys.readouterr()
    assert main(["evidence", "attach", "--data-dir", data_dir, "--item", first, "--item", second,
                 "--number", "12/QĐ-UBND", "--date", "05/03/2026", "--period", "Quý II/2026",
                 "--unit", "Phòng VHXH", str(photo)]) == 0
    assert "Đã gắn 1 tệp minh chứng" in capsys.readouterr().out
    assert main(["evidence", "list", "--data-dir", data_dir, "--json", "--search", "hoi nghi"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["kind"] == "image" and row["period"] == "2026-Q2" and row["doc_date"] == "2026-03-05"
    assert row["unit"] == "Phòng Văn hóa - Xã hội" and len(row["links"]) == 2
    assert main(["evidence", "list", "--data-dir", data_dir, "--period", "2026-Q3"]) == 0
    assert "Chưa có minh chứng nào" in capsys.readouterr().out
    assert main(["evidence", "export", "--data-dir", data_dir, row["uuid"], str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "Ảnh hội nghị.jpg").read_bytes() == photo.read_bytes()
    assert main(["evidence", "gc", "--data-dir", data_dir, "--grace-seconds", "0"]) == 0
    assert "Đã dọn 0 tệp" in capsys.readouterr().out
    assert main(["evidence", "attach", "--data-dir", data_dir, "--item", first, str(tmp_path)]) == 1
    assert "là một thư mục" in capsys.readouterr().err
