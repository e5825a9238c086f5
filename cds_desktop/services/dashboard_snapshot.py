"""The dashboard's snapshot: what the Tổng quan screen showed, kept in the data folder so that
the next start paints the same figures at once, before SQLAlchemy and the status engine load.

The snapshot (``dashboard_snapshot.json`` next to the SQLite file) is written after the
dashboard shows freshly computed figures of the current period; it is valid only for the
same plan, the same day (statuses depend on the date), the same program (a hash of the
modules that compute and show the figures) and the same data-version token
(:mod:`cds_desktop.database.data_version`: any write since, by anyone, changes it).
Anything else: nothing stale is shown, the figures are computed as before.

The view itself (texts, tiles, bars, table cells) is made and shown by
:mod:`cds_desktop.ui.dashboard.frame`; this module only stores and checks it.  Standard
library only (it runs before the data layer is imported).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import zlib
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

FILENAME = "dashboard_snapshot.json"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent
# The modules whose change may change what the dashboard shows for the same data.
_CODE = ("services/tracking", "ui/dashboard", "ui/month/models.py", "ui/month/marks.py",
         "services/dashboard_snapshot.py")
_code_stamp: str | None = None


def code_stamp() -> str:
    """A checksum of the sizes and times of the modules that compute and show the figures."""
    global _code_stamp
    if _code_stamp is None:
        parts = []
        for name in _CODE:
            path = _PACKAGE / name
            files = sorted(path.glob("*.py")) if path.is_dir() else [path]
            for file in files:
                try:
                    stat = file.stat()
                except OSError:
                    continue
                parts.append(f"{name}/{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
        text = ";".join(parts).encode()
        _code_stamp = f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"  # (hashlib costs ~5 ms to import)
    return _code_stamp


def snapshot_path(folder: str | os.PathLike[str]) -> Path:
    return Path(folder) / FILENAME


def _key(token: str, plan_uuid: str, day: date) -> dict:
    return {"format": FORMAT, "code": code_stamp(), "token": token, "plan": plan_uuid, "day": day.isoformat()}


def save(folder: str | os.PathLike[str], token: str | None, plan_uuid: str, day: date, view: dict) -> bool:
    """Keep *view* for the next start (atomically: a reader sees the old file or the new one)."""
    if not token:
        return False
    path = snapshot_path(folder)
    data = {**_key(token, plan_uuid, day), "view": view}
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dashboard-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError as exc:  # a read-only data folder: no snapshot, the figures are computed at start
        log.info("Dashboard snapshot not written: %s", exc)
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
        return False
    return True


def load(folder: str | os.PathLike[str], token: str | None, plan_uuid: str | None, day: date) -> dict | None:
    """The view kept for exactly this data, plan, day and program, else None."""
    if not token or not plan_uuid:
        return None
    try:
        data = json.loads(snapshot_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("view"), dict):
        return None
    if any(data.get(k) != v for k, v in _key(token, plan_uuid, day).items()):
        return None
    return data["view"]


def discard(folder: str | os.PathLike[str]) -> None:
    try:
        snapshot_path(folder).unlink()
    except OSError:
        pass


__all__ = ["FILENAME", "code_stamp", "discard", "load", "save", "snapshot_path"]
