"""Leftovers of an interrupted program: a package import's staging folder
(``exchange-staging/import-<pid>-…``) and an evidence copy's temporary file
(``evidence/tmp/in-<pid>-….part``).

Each carries the id of the process that made it (in its name): it is stale when
that process is gone - whatever its age - and then removed at start-up and by
``evidence gc``, and reported by ``check``.  A name without a process id (an
earlier version) is stale only after :data:`STALE_WITHOUT_OWNER` seconds.
A process never removes what a live process (itself included) is using.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cds_desktop.paths import AppPaths

log = logging.getLogger(__name__)

STAGING_DIR = "exchange-staging"
STAGING_PREFIX = "import-"
TEMP_PREFIX = "in-"
TEMP_SUFFIX = ".part"
STALE_WITHOUT_OWNER = 3600
_OWNER = re.compile(r"^(?:import|in)-(\d+)-")


def owner_prefix(prefix: str) -> str:
    """``import-`` -> ``import-<pid>-``: names made by this process say so."""
    return f"{prefix}{os.getpid()}-"


def owner_pid(name: str) -> int | None:
    match = _OWNER.match(name)
    return int(match.group(1)) if match else None


def process_alive(pid: int) -> bool:
    """Whether process *pid* runs (never signals it; on Windows ``os.kill`` would end it)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def is_stale(path: Path, now: float | None = None) -> bool:
    pid = owner_pid(path.name)
    if pid is not None:
        return not process_alive(pid)
    try:
        age = (now or time.time()) - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age > STALE_WITHOUT_OWNER


def stale_staging(data_dir: Path) -> list[Path]:
    root = data_dir / STAGING_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX) and is_stale(p))


def stale_temps(evidence_dir: Path) -> list[Path]:
    root = evidence_dir / "tmp"
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.name.endswith(TEMP_SUFFIX) and is_stale(p))


@dataclass
class Leftovers:
    staging: list[Path] = field(default_factory=list)
    temps: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.staging or self.temps)

    def problems(self) -> list[str]:
        lines = []
        if self.staging:
            lines.append(f"{len(self.staging)} thư mục tạm của lần nhập gói dữ liệu bị gián đoạn "
                         f"({self.staging[0].parent}); sẽ được dọn khi mở lại chương trình hoặc bằng "
                         "«cds-desktop evidence gc».")
        if self.temps:
            lines.append(f"{len(self.temps)} tệp tạm của lần gắn minh chứng bị gián đoạn; sẽ được dọn khi mở lại "
                         "chương trình hoặc bằng «cds-desktop evidence gc».")
        return lines


def find_leftovers(paths: AppPaths, evidence_dir: Path | None = None) -> Leftovers:
    """*evidence_dir*: the store the database names (``Database.evidence_dir``), else the data folder's."""
    return Leftovers(stale_staging(paths.data_dir), stale_temps(evidence_dir or paths.evidence_dir))


def clean_leftovers(paths: AppPaths, evidence_dir: Path | None = None) -> Leftovers:
    """Remove the stale leftovers; returns what was removed.  Never fails (a leftover that
    cannot be removed now stays for the next time)."""
    found = find_leftovers(paths, evidence_dir)
    removed = Leftovers()
    for folder in found.staging:
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.staging.append(folder)
    for temp in found.temps:
        try:
            temp.unlink(missing_ok=True)
            removed.temps.append(temp)
        except OSError:
            log.warning("Could not remove leftover %s", temp, exc_info=True)
    if removed:
        log.info("Removed leftovers of interrupted runs: %d staging folders, %d temporary files",
                 len(removed.staging), len(removed.temps))
    return removed
