"""Report fonts parsed once and kept between processes (``reports.font_cache``): the face loaded back
is the face reportlab parses, a damaged cache only means parsing again, and the cached font is a
``TTFont`` like reportlab's own."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from cds_desktop.reports import font_cache
from cds_desktop.reports.fonts import bundled_font_files

FACE_FIELDS = ("name", "familyName", "unitsPerEm", "ascent", "descent", "capHeight", "bbox", "flags",
               "italicAngle", "stemV", "defaultWidth", "charWidths", "charToGlyph", "glyphPos", "hmetrics",
               "numGlyphs", "_ttf_data", "table")


@pytest.fixture
def regular(tmp_path, monkeypatch):
    monkeypatch.setenv("CDS_CACHE_DIR", str(tmp_path / "cache"))
    return bundled_font_files()["regular"]


def test_the_face_loaded_back_is_the_face_reportlab_parses(regular, tmp_path, monkeypatch):
    parsed = TTFontFace(str(regular))
    first = font_cache.parsed_face(regular)
    assert list((tmp_path / "cache" / "fonts").glob("LiberationSerif-Regular-*.pickle"))

    def refuse(*_args, **_kwargs):
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(font_cache, "TTFontFace", type("Refusing", (TTFontFace,), {"__init__": refuse}))
    cached = font_cache.parsed_face(regular)
    assert cached is not first and isinstance(cached, TTFontFace)
    for name in FACE_FIELDS:
        assert getattr(cached, name) == getattr(parsed, name), name
    assert len(cached.charWidths) > 1000
    assert cached._pdfScale(2048) == parsed._pdfScale(2048)
    assert cached.getCharWidth(ord("ệ")) == parsed.getCharWidth(ord("ệ")) > 0


def test_a_damaged_cache_is_parsed_again_and_rewritten(regular, tmp_path):
    font_cache.parsed_face(regular)
    (entry,) = (tmp_path / "cache" / "fonts").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    face = font_cache.parsed_face(regular)
    assert face.charWidths == TTFontFace(str(regular)).charWidths
    assert entry.read_bytes() != b"not a pickle"  # written again from the parsed face


def test_an_unwritable_cache_folder_only_means_parsing(regular, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CDS_CACHE_DIR", str(blocker))  # a file where the folder should be
    assert font_cache.parsed_face(regular).charWidths == TTFontFace(str(regular)).charWidths


def test_the_cached_font_has_what_reportlabs_own_has(regular):
    own = TTFont("Own", str(regular))
    cached = font_cache.CachedTTFont("Own", str(regular))
    assert sorted(vars(cached)) == sorted(vars(own))
    for name in vars(own):
        if name not in ("face", "state", "encoding"):
            assert getattr(cached, name) == getattr(own, name), name
    assert cached.stringWidth("Ủy ban nhân dân xã", 12) == own.stringWidth("Ủy ban nhân dân xã", 12) > 0


def test_a_moved_font_finds_its_entry_and_an_older_entry_is_removed(regular, tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "fonts"
    folder.mkdir(parents=True)
    older = folder / "LiberationSerif-Regular-0123456789abcdef01234567.pickle"
    older.write_bytes(b"an entry of an earlier version of the font")
    font_cache.parsed_face(regular)
    assert not older.exists()
    (entry,) = folder.glob("*.pickle")
    moved = tmp_path / "elsewhere" / regular.name  # the program installed in another folder
    moved.parent.mkdir()
    moved.write_bytes(regular.read_bytes())
    monkeypatch.setattr(font_cache, "TTFontFace", type("Refusing", (TTFontFace,), {"__init__": None}))
    face = font_cache.parsed_face(moved)
    assert face.filename == str(moved)
    assert list(folder.glob("*.pickle")) == [entry]
