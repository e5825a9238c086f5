#!/usr/bin/env python3
"""Set up and run CĐS Desktop from a source checkout, on any OS with Python 3.11+.

    python3 dev.py app     # create .venv, install, open the app on the demo plan
    python3 dev.py test    # create .venv, install with test extras, run the whole test suite
                           # on every core (pytest-xdist; "-n 0" runs it in one process)
    python3 dev.py bench   # run the benchmarks: one table, app vs. floor (--quick: small sizes;
                           # --only info,report,evidence,import,startup)
    python3 dev.py build   # build the one-folder program (PyInstaller, installer/cds_desktop.spec)
                           # into dist/CDS-Desktop; prints the build time and the folder's size

Extra arguments after the command go to the app / pytest / benchmark runner.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py may be run by an older python)
        sys.exit("CĐS Desktop cần Python 3.11 trở lên (needs Python 3.11+).")
    if not PYTHON.exists():
        print("Creating virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = VENV / ".installed"
    stamp = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not marker.exists() or marker.read_text() != stamp:
        print("Installing CĐS Desktop and its dependencies …", flush=True)
        subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,postgres]"])
        marker.write_text(stamp)


def _parallel(pytest_args: list[str]) -> list[str]:
    """Run the tests on every core (pytest-xdist) unless the arguments choose (-n 0, -p no:xdist)."""
    chosen = any(a.startswith(("-n", "--numprocesses", "--dist")) or "xdist" in a for a in pytest_args)
    return pytest_args if chosen else ["-n", "auto", *pytest_args]


def build(extra: list[str]) -> int:
    """The frozen app: dist/CDS-Desktop (what installer/cds-desktop.iss wraps on Windows)."""
    subprocess.check_call([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,build,postgres]"])
    started = time.monotonic()
    code = subprocess.call([str(PYTHON), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
                            str(ROOT / "installer" / "cds_desktop.spec"), *extra], cwd=ROOT)
    seconds = time.monotonic() - started
    folder = ROOT / "dist" / "CDS-Desktop"
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()] if folder.is_dir() else []
    size = sum(p.stat().st_size for p in files)
    print(f"Build: {seconds:.0f} s; {folder}: {size / 2**20:.0f} MiB in {len(files)} files", flush=True)
    return code


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "app"
    rest = argv[1:]
    ensure_env()
    if command == "app":
        return subprocess.call([str(PYTHON), "-m", "cds_desktop", "--demo", *rest])
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *_parallel(rest)], cwd=ROOT)
    if command == "bench":
        return subprocess.call([str(PYTHON), str(ROOT / "benchmarks" / "run_all.py"), *rest], cwd=ROOT)
    if command == "build":
        return build(rest)
    sys.exit(f"Unknown command {command!r}: use app, test, bench or build.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
