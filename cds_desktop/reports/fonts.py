"""Fonts for official documents: the system's Times New Roman where installed,
otherwise the bundled Liberation Serif (metric-compatible, SIL OFL 1.1, in
``resources/fonts`` with its licence).

Fonts are registered with reportlab once per process as a family, so that
``<b>``/``<i>`` in paragraphs pick the right face; reportlab embeds the
subset of each TrueType font the document uses.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from cds_desktop.paths import resources_dir

log = logging.getLogger(__name__)

FACES = ("regular", "bold", "italic", "bolditalic")
# File names of Times New Roman per face, as Windows, macOS and Linux packages name them.
TIMES_FILES: dict[str, tuple[str, ...]] = {
    "regular": ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf"),
    "bold": ("timesbd.ttf", "Times New Roman Bold.ttf", "Times_New_Roman_Bold.ttf"),
    "italic": ("timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf"),
    "bolditalic": ("timesbi.ttf", "Times New Roman Bold Italic.ttf", "Times_New_Roman_Bold_Italic.ttf"),
}
BUNDLED_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
# Set CDS_REPORT_FONT=bundled to always use the bundled font (reproducible output).
FONT_ENV = "CDS_REPORT_FONT"


@dataclass(frozen=True)
class FontSet:
    family: str  # reportlab family name
    display_name: str  # what Excel cells name ("Times New Roman")
    faces: dict[str, str]  # face -> reportlab font name
    files: dict[str, Path]

    @property
    def regular(self) -> str:
        return self.faces["regular"]

    def face(self, bold: bool = False, italic: bool = False) -> str:
        key = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
        return self.faces[key]


def font_dirs() -> list[Path]:
    """Where Times New Roman may be installed on this machine."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts"),
                 Path.home() / "Library" / "Fonts"]
    else:
        dirs += [Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/msttcore"),
                 Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/TTF"),
                 Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts"),
                 Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


def _find_in(folder: Path, names: tuple[str, ...]) -> Path | None:
    wanted = {n.lower() for n in names}
    try:
        for entry in folder.iterdir():
            if entry.name.lower() in wanted and entry.is_file():
                return entry
        # One level down (Linux packages keep fonts in per-family folders).
        for sub in folder.iterdir():
            if sub.is_dir():
                for entry in sub.iterdir():
                    if entry.name.lower() in wanted and entry.is_file():
                        return entry
    except OSError:
        return None
    return None


def find_times_new_roman(dirs: list[Path] | None = None) -> dict[str, Path] | None:
    """Paths of the four Times New Roman faces, or None unless all four are found."""
    found: dict[str, Path] = {}
    for face, names in TIMES_FILES.items():
        for folder in dirs if dirs is not None else font_dirs():
            path = _find_in(folder, names)
            if path is not None:
                found[face] = path
                break
        else:
            return None
    return found


def bundled_font_files() -> dict[str, Path]:
    folder = resources_dir() / "fonts"
    return {face: folder / name for face, name in BUNDLED_FILES.items()}


_lock = threading.Lock()
_registered: FontSet | None = None


def _register(family: str, display: str, files: dict[str, Path]) -> FontSet:
    from reportlab.pdfbase import pdfmetrics

    from cds_desktop.reports.font_cache import CachedTTFont

    names = {face: family if face == "regular" else f"{family}-{face.capitalize()}" for face in FACES}
    for face in FACES:
        pdfmetrics.registerFont(CachedTTFont(names[face], str(files[face])))
    pdfmetrics.registerFontFamily(
        family, normal=names["regular"], bold=names["bold"], italic=names["italic"],
        boldItalic=names["bolditalic"],
    )
    return FontSet(family=family, display_name=display, faces=names, files=dict(files))


def report_fonts() -> FontSet:
    """The registered font set (registered on first use, thread-safe)."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        system = None if os.environ.get(FONT_ENV, "").lower() == "bundled" else find_times_new_roman()
        if system is not None:
            try:
                _registered = _register("TimesNewRoman", "Times New Roman", system)
                log.info("Report font: Times New Roman from %s", system["regular"].parent)
                return _registered
            except Exception:  # a damaged or unreadable system font: fall back
                log.warning("Could not use Times New Roman from %s", system["regular"], exc_info=True)
        files = bundled_font_files()
        missing = [str(p) for p in files.values() if not p.is_file()]
        if missing:
            from cds_desktop.services.common import ServiceError

            raise ServiceError("Thiếu tệp phông chữ đi kèm phần mềm: " + ", ".join(missing))
        _registered = _register("LiberationSerif", "Times New Roman", files)
        log.info("Report font: bundled Liberation Serif (Times New Roman not installed)")
        return _registered
