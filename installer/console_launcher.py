"""cds-desktop.com (Windows): the command-line face of CDS-Desktop.exe, built by installer/cds_desktop.spec.

The window program (no console) can run every command too, but a program without a console
gets no standard streams from cmd or PowerShell, and Windows does not wait for it.  This small
console program starts ``CDS-Desktop.exe`` next to it with the same arguments, hands it its own
standard handles (the console, or the file or pipe they are redirected to), waits for it and
exits with its status.  It replaces a second, complete console build of the app, which carried its
own copy of every Python module (about 14 MiB); this one imports only ``subprocess``.
"""

from __future__ import annotations

import os
import subprocess
import sys

WINDOW_PROGRAM = "CDS-Desktop.exe" if os.name == "nt" else "CDS-Desktop"


def run(command: list[str]) -> int:
    """Run *command* on this process's standard streams; its exit status (1 when it cannot start)."""
    streams = {}
    for name in ("stdin", "stdout", "stderr"):
        try:  # a stream without a file (None, or replaced by a test) is left to the default
            streams[name] = getattr(sys, name).fileno()
        except (AttributeError, OSError, ValueError):
            pass
    try:
        process = subprocess.Popen(command, **streams)
    except OSError as error:
        print(f"Không chạy được {command[0]}: {error}", file=sys.stderr)
        return 1
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:  # Ctrl+C reaches only the console program: stop the window program too
            process.terminate()


def main() -> int:
    folder = os.path.dirname(os.path.abspath(sys.executable))
    return run([os.path.join(folder, WINDOW_PROGRAM), *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
