"""Automatic backups: one at the first start of each day, kept 7 daily + 4 weekly, also copied
to a second folder the officer chose (a USB drive, a shared folder) when it is there."""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

from cds_desktop.paths import AppPaths
from cds_desktop.services.backup.archive import SUFFIX, BackupError, BackupInfo, create_backup

log = logging.getLogger(__name__)

AUTO_PREFIX = "auto-"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
SECOND_FOLDER_KEY = "second_backup_folder"


def _auto_day(path: Path) -> date | None:
    name = path.name
    if not (name.startswith(AUTO_PREFIX) and name.endswith(SUFFIX)):
        return None
    try:
        return date.fromisoformat(name[len(AUTO_PREFIX):-len(SUFFIX)])
    except ValueError:
        return None


def auto_backups(folder: Path) -> list[tuple[date, Path]]:
    """The automatic backups in *folder*, oldest first."""
    if not folder.is_dir():
        return []
    found = [(day, p) for p in folder.iterdir() if (day := _auto_day(p)) is not None]
    return sorted(found)


def prune(folder: Path) -> list[Path]:
    """Keep the 7 newest daily backups and the newest of each of the 4 newest weeks; remove
    the other automatic backups (the officer's own backups are never touched).  Returns what
    was removed."""
    backups = auto_backups(folder)
    keep = {p for _d, p in backups[-KEEP_DAILY:]}
    weeks: dict[tuple[int, int], Path] = {}
    for day, path in backups:
        weeks[day.isocalendar()[:2]] = path  # the newest of its week wins (sorted oldest first)
    keep |= {weeks[w] for w in sorted(weeks)[-KEEP_WEEKLY:]}
    removed = []
    for _day, path in backups:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# -- the second folder (a per-computer setting, in the data folder's settings.json) ---------------

def _settings(paths: AppPaths) -> dict:
    try:
        data = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được tệp cài đặt {paths.settings_file}: {exc}") from exc
    return data if isinstance(data, dict) else {}


def second_folder(paths: AppPaths) -> Path | None:
    value = _settings(paths).get(SECOND_FOLDER_KEY)
    return Path(value) if value else None


def set_second_folder(paths: AppPaths, folder: str | os.PathLike[str] | None) -> None:
    """Remember the second folder (None: no second copy)."""
    data = _settings(paths)
    if folder:
        data[SECOND_FOLDER_KEY] = str(Path(folder).expanduser().resolve())
    else:
        data.pop(SECOND_FOLDER_KEY, None)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, paths.settings_file)


def auto_backup(paths: AppPaths, today: date, *, app_version: str = "") -> tuple[BackupInfo | None, str]:
    """Today's automatic backup, unless there is one already; then prune, then copy to the
    second folder.  Returns (the backup made or None, a Vietnamese note on the second copy)."""
    if not paths.db_file.exists():
        return None, ""
    folder = paths.backup_dir
    if any(day == today for day, _p in auto_backups(folder)):
        return None, ""
    info = create_backup(paths.db_file, paths.evidence_dir, folder / f"{AUTO_PREFIX}{today.isoformat()}{SUFFIX}",
                         app_version=app_version)
    prune(folder)
    note = ""
    second = second_folder(paths)
    if second is not None:
        if second.is_dir():
            try:
                shutil.copy2(info.path, second / info.path.name)
                prune(second)
                note = f"Đã chép bản sao lưu sang {second}."
            except OSError as exc:
                note = f"Không chép được bản sao lưu sang {second}: {exc.strerror or exc}."
        else:
            note = f"Không thấy thư mục sao lưu thứ hai {second} (ổ USB chưa cắm?): chỉ sao lưu trong máy."
    log.info("Automatic backup %s. %s", info.path, note)
    return info, note
