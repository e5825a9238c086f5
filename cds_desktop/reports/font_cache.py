"""TrueType faces parsed once, kept between processes: reportlab parses the whole font file
(its tables, every glyph's width) in pure Python each time a font is registered, ~15 ms per
face, four faces per report process; loading the parsed face back takes ~1 ms.

The cache file is named by the font file's content, reportlab's version and Python's, so
that a changed font or library never reads an old entry (an older entry of the same font is
removed when a new one is written).  Anything
wrong with the cache (missing, damaged, unwritable folder) only means the font is parsed as
before.  It lives in the user's own cache folder (``paths.cache_dir``), written by this program.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
_UNSAVED = ("_pdfScale",)  # a function of unitsPerEm (a lambda: not picklable), made again on loading


def _cache_file(path: Path) -> Path | None:
    """The cache entry of the font file *path*: named by its content (hashing 400 KB takes well under a
    millisecond), so that a moved or reinstalled program finds it and a changed font never matches."""
    from cds_desktop.paths import cache_dir

    try:
        digest = hashlib.sha256(path.read_bytes())
    except OSError:
        return None
    digest.update(f"|{REPORTLAB_VERSION}|{sys.version_info[:2]}|{CACHE_FORMAT}".encode())
    return cache_dir() / "fonts" / f"{path.stem}-{digest.hexdigest()[:24]}.pickle"


def _scale(units_per_em: int):
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _load(file: Path, path: Path) -> TTFontFace | None:
    try:
        with open(file, "rb") as stream:
            state = pickle.load(stream)
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state)
        face.filename = str(path)  # as parsing it here would have named it
        face._pdfScale = _scale(face.unitsPerEm)
        if not face.charWidths or not face._ttf_data:
            return None
        return face
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged or from elsewhere: parse the font again
        log.info("Font cache %s not used: %s", file, exc)
        return None


def _save(file: Path, face: TTFontFace) -> None:
    state = {k: v for k, v in face.__dict__.items() if k not in _UNSAVED}
    tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as stream:
            pickle.dump(state, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
        for old in file.parent.glob(f"{file.name.rsplit('-', 1)[0]}-*.pickle"):  # an earlier version of the font
            if old != file:
                old.unlink(missing_ok=True)
    except Exception as exc:  # a read-only cache folder, a full disk: parse again next time
        log.info("Font cache %s not written: %s", file, exc)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def parsed_face(path: Path) -> TTFontFace:
    """The face of the TrueType file *path*, from the cache when it holds it."""
    file = _cache_file(path)
    face = _load(file, path) if file is not None else None
    if face is None:
        face = TTFontFace(str(path))
        if file is not None:
            _save(file, face)
    return face


class CachedTTFont(TTFont):
    """``TTFont(name, filename)`` with its face from :func:`parsed_face` (what ``TTFont.__init__``
    does otherwise: the tests check that both give the same attributes)."""

    def __init__(self, name: str, filename: str | Path) -> None:
        self.fontName = name
        self.face = parsed_face(Path(filename))
        self.encoding = TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = _shapable(name)


def _shapable(name: str) -> bool:
    from fnmatch import fnmatch

    return not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)
