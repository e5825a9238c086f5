"""Where things live: user data, logs, backups, bundled resources."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

from cds_desktop import APP_ID

DB_FILENAME = "cds.sqlite"
_DIRS = PlatformDirs(appname=APP_ID, appauthor=False)


@dataclass(frozen=True)
class AppPaths:
    """All per-user locations, derived from one data directory."""

    data_dir: Path
    log_dir: Path

    @property
    def db_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Paths for *data_dir* (``--data-dir``), ``CDS_DATA_DIR``, or the platformdirs defaults.

    With an explicit data directory, logs go to ``<data_dir>/logs`` so that a
    test or a portable copy keeps everything in one folder.
    """
    chosen = data_dir or os.environ.get("CDS_DATA_DIR")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(data_dir=root, log_dir=root / "logs")
    return AppPaths(data_dir=Path(_DIRS.user_data_dir), log_dir=Path(_DIRS.user_log_dir))


def cache_dir() -> Path:
    """Where the program keeps what it can compute again (parsed fonts): ``CDS_CACHE_DIR``, or the
    user's cache folder.  Anything in it may be deleted at any time."""
    chosen = os.environ.get("CDS_CACHE_DIR")
    return Path(chosen).expanduser() if chosen else Path(_DIRS.user_cache_dir)


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (source checkout, or a frozen build)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
