"""Backups of a data folder (Tệp → Sao lưu… / Khôi phục…, ``cds-desktop backup`` / ``restore``).

A backup is one ``.cdsbak`` file: a ZIP archive (stored, not compressed: evidence is
mostly PDF and pictures) holding the database copied through SQLite's backup API
(a consistent snapshot of a live database), every evidence file of the store under
its hash name, and ``manifest.json`` (written last) with the SHA-256 and size of every
member.  Each file is read once, hashed and written in the same pass.

A restore verifies the whole file first (every member's hash, the database's own
integrity check and schema), keeps the current data as a backup, then swaps the data
in by renaming; a damaged backup is refused with nothing changed.  Automatic backups
are made at the first start of each day and kept 7 daily + 4 weekly
(:mod:`.schedule`).
"""

from cds_desktop.services.backup.archive import (
    SUFFIX,
    BackupError,
    BackupInfo,
    create_backup,
    read_manifest,
    verify_backup,
)
from cds_desktop.services.backup.restore import RestoreResult, restore_backup
from cds_desktop.services.backup.schedule import auto_backup, prune, second_folder, set_second_folder

__all__ = [
    "SUFFIX", "BackupError", "BackupInfo", "RestoreResult", "auto_backup", "create_backup", "prune",
    "read_manifest", "restore_backup", "second_folder", "set_second_folder", "verify_backup",
]
