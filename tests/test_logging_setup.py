"""The log file: one per process, rotated at 1 MB; the window's start appends first, rotates later."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_windows_start_logs_at_once_and_rotates_from_the_background(tmp_path):
    """In a process of its own (the root logger is the process's): the plain handler writes at
    once, without logging.handlers; the swap keeps the same file and adds rotation."""
    code = f"""
import logging, sys
from pathlib import Path
from cds_desktop import logging_setup
log_file = logging_setup.configure_logging(Path({str(tmp_path / 'logs')!r}), rotating=False)
logging.getLogger('cds_desktop.test').info('trước khi vẽ')
assert 'logging.handlers' not in sys.modules, 'loaded before the first paint'
kinds = [type(h).__name__ for h in logging.getLogger().handlers if getattr(h, '_cds', False)]
logging_setup.rotate_from_now()
logging.getLogger('cds_desktop.test').info('sau khi nạp')
after = [type(h).__name__ for h in logging.getLogger().handlers if getattr(h, '_cds', False)]
handler = next(h for h in logging.getLogger().handlers if getattr(h, '_cds', False))
print(kinds, after, handler.maxBytes, handler.backupCount, log_file)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("] ")[0] + "]" == "['FileHandler']"
    assert "['RotatingFileHandler'] 1000000 5" in out.stdout
    text = (tmp_path / "logs" / "cds-desktop.log").read_text(encoding="utf-8")
    assert text.index("trước khi vẽ") < text.index("sau khi nạp")
