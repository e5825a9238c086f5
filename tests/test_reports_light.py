"""The appendices read with plain ``sqlite3`` (``reports.light``, what ``cds-desktop report phu-luc-0x``
uses on a SQLite data folder) print the very same report as the ORM path: the same document, the
same PDF text, the same workbook cells; on the demo plan, seed plans, a plan of the program's own
columns (leader, extra columns) and one with deleted items, assignments and units.  Anything the
light path cannot take (a plan named by number, a database needing a migration) goes the ordinary way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support.paths import PHU_DONG_SEED
from support.plans import database_with_plan, parts_plan
from support.reports import pdf_text

from cds_desktop.reports import ReportRequest, build_report_document, render_document
from cds_desktop.reports.light import light_appendix

KINDS = ("phu-luc-01", "phu-luc-02")
# The light path reads a SQLite data folder with plain sqlite3; on a server database the report goes the
# ordinary way (tested with the other reports), so each comparison here needs the SQLite file.
pytestmark = pytest.mark.sqlite_only(reason="the light report path reads a SQLite file with plain sqlite3")

AN_KHANH = Path(__file__).parent / "fixtures" / "print_back" / "an_khanh_2026.txt"
ROOT = Path(__file__).resolve().parent.parent


def _both(db, kind: str, plan: str | None = None, columns: list[str] | None = None):
    """(ORM document, light document) of the same appendix."""
    orm = build_report_document(db, ReportRequest(kind=kind, plan=plan, columns=columns))
    light = light_appendix(db.paths.data_dir, None, kind, plan, columns)
    assert light is not None
    return orm, light


def _cells(path: Path) -> list[list]:
    return [[list(row) for row in ws.iter_rows(values_only=True)] for ws in load_workbook(path).worksheets]


def _same_files(orm, light, folder: Path) -> None:
    for fmt in ("pdf", "xlsx"):
        a = render_document(orm, fmt, folder / f"orm.{fmt}")
        b = render_document(light, fmt, folder / f"light.{fmt}")
        if fmt == "pdf":
            text = pdf_text(b)
            assert text == pdf_text(a)
            assert len(text) > 200
        else:
            assert _cells(b) == _cells(a)


@pytest.mark.parametrize("kind", KINDS)
def test_the_demo_plans_appendix_is_the_same_from_sqlite(demo_db, tmp_path, kind):
    orm, light = _both(demo_db, kind)
    assert orm.row_count() > 5
    assert light == orm
    _same_files(orm, light, tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_seed_plan_and_the_plans_own_columns_are_the_same_from_sqlite(tmp_path, kind):
    for name, source in (("phu-dong", PHU_DONG_SEED), ("an-khanh", AN_KHANH)):
        db = database_with_plan(tmp_path / name, source)
        try:
            orm, light = _both(db, kind)
            assert orm.row_count() > 0
            assert light == orm, name
            if name == "phu-dong":
                _same_files(orm, light, tmp_path)
            chosen = ["number", "content", "lead", "leader", "deadline", "note"]
            assert _both(db, kind, columns=chosen)[1] == _both(db, kind, columns=chosen)[0]
        finally:
            db.close()


def test_a_plan_named_by_its_number_is_the_same_plan(demo_db):
    for ref in ("139", "139/KH-UBND", " 139/kh-ubnd "):
        orm, light = _both(demo_db, "phu-luc-01", plan=ref)
        assert light == orm
    assert "139/KH-UBND" in repr(light)


@pytest.mark.parametrize("kind", KINDS)
def test_tombstones_are_left_out_as_by_the_orm(db, kind):
    plan_uuid = parts_plan(db)  # deleted items, a deleted assignment's unit, two-level numbering
    orm, light = _both(db, kind, plan=plan_uuid)
    assert orm.row_count() >= 3
    assert light == orm
    text = repr(light)
    assert "Đã xóa" not in text and "Đơn vị đã xóa" not in text


def test_what_the_light_path_does_not_take_goes_the_ordinary_way(demo_db, tmp_path):
    data_dir = demo_db.paths.data_dir
    assert light_appendix(data_dir, None, "progress") is None  # not an appendix
    assert light_appendix(data_dir, None, "phu-luc-01", plan_ref="chuyen doi so") is None  # words: services.lookup
    assert light_appendix(data_dir, None, "phu-luc-01", plan_ref="999") is None  # no such plan: its message
    assert light_appendix(data_dir, "sqlite:///" + str(tmp_path / "other.sqlite"), "phu-luc-01") is None
    assert light_appendix(tmp_path / "nothing-here", None, "phu-luc-01") is None
    import sqlite3

    demo_db.close()
    with sqlite3.connect(data_dir / "cds.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")  # a migration would run first
    assert light_appendix(data_dir, None, "phu-luc-01") is None


def test_the_report_command_prints_an_appendix_without_loading_sqlalchemy(demo_data_dir, tmp_path):
    out, sheet = tmp_path / "pl01.pdf", tmp_path / "pl02.xlsx"
    script = (
        "import sys\n"
        "from cds_desktop.cli import main\n"
        f"code = main(['--data-dir', {str(demo_data_dir)!r}, 'report', 'phu-luc-01', '--out', {str(out)!r}])\n"
        f"code += main(['--data-dir', {str(demo_data_dir)!r}, 'report', 'phu-luc-02', '--out', {str(sheet)!r}])\n"
        "print('sqlalchemy' in sys.modules, 'cds_desktop.models' in sys.modules, code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False False 0"
    assert "DANH MỤC CÁC CHỈ TIÊU" in pdf_text(out).replace("\n", " ").upper()
    assert any("NHIỆM VỤ" in str(cell).upper() for sheet_cells in _cells(sheet) for row in sheet_cells
               for cell in row)
