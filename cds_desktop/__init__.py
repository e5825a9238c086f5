"""CĐS Desktop: offline plan keeping and reporting for the commune
digital-transformation (chuyển đổi số) officer."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "CĐS Desktop"
APP_ID = "cds-desktop"
DISTRIBUTION = "cds-desktop"


def _read_version() -> str:
    """The version, from its one place: ``[project] version`` in pyproject.toml.

    From a source checkout the file itself is read (an editable install's metadata keeps
    the version of the day it was installed); an installed or frozen copy reads the
    metadata written from it (the PyInstaller spec bundles that metadata)."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, ValueError):
            project = {}
        if project.get("name") == DISTRIBUTION and project.get("version"):
            return str(project["version"])
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> str:
    """``__version__`` is read when first asked for (tomllib and the file cost ~8 ms at every start)."""
    if name == "__version__":
        globals()["__version__"] = version = _read_version()
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
