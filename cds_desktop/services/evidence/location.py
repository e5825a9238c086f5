"""Where the evidence store is: a setting of the database, so every PC on a shared database
(PostgreSQL, or one SQLite file on a network share) finds the same files.

``evidence_store`` in ``settings`` holds a folder path (a shared folder such as
``\\\\may-chu\\cds\\minh-chung``); without it the store is ``<data_dir>/evidence`` beside the
database, as for one officer on one PC.  Files are not moved when the setting changes: the
officer copies the folder (``check`` then names the store it looked at and what is missing).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from cds_desktop.database import Database, DatabaseError
from cds_desktop.database.engine import EVIDENCE_STORE_KEY as STORE_KEY
from cds_desktop.models import Setting
from cds_desktop.text import nfc


@dataclass(frozen=True)
class StoreLocation:
    root: Path
    shared: bool  # True: the folder named in the database; False: the data folder's own store

    def describe(self) -> str:
        where = "ghi trong cơ sở dữ liệu, dùng chung" if self.shared else "trong thư mục dữ liệu của máy này"
        return f"{self.root} ({where})"

    def to_dict(self) -> dict[str, object]:
        return {"root": str(self.root), "shared": self.shared}


def read_location(db: Database) -> StoreLocation:
    """The store the database names (and remember it on *db*), or the data folder's own."""
    folder = db.load_evidence_root()
    return StoreLocation(folder, True) if folder else StoreLocation(db.paths.evidence_dir, False)


def set_location(db: Database, folder: str | os.PathLike[str] | None, *, source: str = "ui") -> StoreLocation:
    """Name *folder* (None: none, the data folder's own store) as the evidence store of the database.

    The folder must exist and be writable from this PC: a path only one PC can reach is refused."""
    value = None
    if folder is not None and str(folder).strip():
        path = Path(nfc(str(folder)).strip()).expanduser()
        if not path.is_absolute():
            raise DatabaseError(f"Thư mục kho minh chứng phải là đường dẫn đầy đủ (ví dụ \\\\may-chu\\cds): «{path}».")
        if not path.is_dir():
            raise DatabaseError(f"Không thấy thư mục kho minh chứng «{path}» (thư mục phải có sẵn).")
        if not os.access(path, os.W_OK):
            raise DatabaseError(f"Không ghi được vào thư mục kho minh chứng «{path}».")
        value = str(path)
    with db.session(source=source, reason="evidence store") as s:
        setting = s.scalar(select(Setting).where(Setting.key == STORE_KEY))
        if setting is None:
            s.add(Setting(key=STORE_KEY, value=value))
        else:
            setting.value = value
    return read_location(db)
