"""LibreOffice for the tests that run it: ``soffice`` and the module (Writer, Calc) a test needs.

``soffice`` alone is not enough: Debian splits LibreOffice into packages, and converting a
workbook without ``libreoffice-calc`` fails ("no export filter").  A test asks for the module
it uses and is skipped, with the package to install, when that module is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# The library each module installs next to soffice (Linux, Windows, macOS spellings).
_LIBRARIES = {"writer": "swlo", "calc": "sclo"}
_PACKAGES = {"writer": "libreoffice-writer", "calc": "libreoffice-calc"}


def soffice(module: str) -> str | None:
    """The ``soffice`` command when LibreOffice with *module* ("writer" or "calc") is installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        return None
    program = Path(found).resolve().parent
    stem = _LIBRARIES[module]
    for folder in (program, program.parent / "Frameworks"):
        if any((folder / name).exists() for name in (f"lib{stem}.so", f"{stem}.dll", f"lib{stem}.dylib")):
            return found
    return None


def needs_libreoffice(module: str) -> pytest.MarkDecorator:
    """Skip the test unless LibreOffice with *module* is installed."""
    return pytest.mark.skipif(
        soffice(module) is None,
        reason=f"LibreOffice {module.capitalize()} is not installed (Debian: {_PACKAGES[module]})",
    )
