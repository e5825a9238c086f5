"""Wording of the decree's header lines, fonts, column sets and the neutral document."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from cds_desktop.reports.document import Para, ReportDocument, Section, normalize_document
from cds_desktop.reports.fonts import BUNDLED_FILES, bundled_font_files, find_times_new_roman, report_fonts
from cds_desktop.reports.wording import NBSP, date_words, month_text, number_line, place_date_line


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 4, 3), "Bát Tràng, ngày 03 tháng 4 năm 2026"),
    (date(2026, 1, 15), "Bát Tràng, ngày 15 tháng 01 năm 2026"),
    (date(2026, 2, 9), "Bát Tràng, ngày 09 tháng 02 năm 2026"),
    (date(2026, 12, 31), "Bát Tràng, ngày 31 tháng 12 năm 2026"),
    (date(2026, 10, 10), "Bát Tràng, ngày 10 tháng 10 năm 2026"),
])
def test_place_and_date_line(value, expected):
    assert place_date_line("Bát Tràng", value) == expected


def test_months_with_leading_zero_are_only_january_and_february():
    assert [month_text(m) for m in range(1, 13)] == ["01", "02"] + [str(m) for m in range(3, 13)]


def test_blank_date_and_number_keep_their_blanks():
    blank = date_words(None, 2026)
    assert blank.replace(NBSP, " ") == "ngày     tháng     năm 2026"
    assert number_line("").replace(NBSP, " ") == "Số:      /KH-UBND"
    assert number_line("139/KH-UBND") == "Số: 139/KH-UBND"
    assert number_line("  139 / KH-UBND ") == "Số: 139/KH-UBND"


def test_document_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Chính quyền số")
    doc = ReportDocument(title=decomposed, sections=[Section(name=decomposed, blocks=[Para(decomposed)])])
    normalize_document(doc)
    assert doc.title == "Chính quyền số" and doc.sections[0].blocks[0].text == "Chính quyền số"


def test_bundled_font_and_licence_are_shipped():
    files = bundled_font_files()
    assert set(files) == set(BUNDLED_FILES) and all(p.is_file() for p in files.values())
    licence = next(iter(files.values())).parent / "LICENSE-LiberationSerif.txt"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")


def test_times_new_roman_is_found_when_installed(tmp_path: Path):
    for name in ("times.ttf", "TIMESBD.TTF", "timesi.ttf", "timesbi.ttf"):
        (tmp_path / name).write_bytes(b"")
    found = find_times_new_roman([tmp_path])
    assert found is not None and found["bold"].name == "TIMESBD.TTF"
    (tmp_path / "timesbi.ttf").unlink()
    assert find_times_new_roman([tmp_path]) is None  # all four faces or none


def test_registered_family_has_every_face():
    fonts = report_fonts()
    assert fonts.display_name == "Times New Roman"
    assert len({fonts.face(b, i) for b in (False, True) for i in (False, True)}) == 4
