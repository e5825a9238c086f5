"""Running the command line in the test's own process (no tests here)."""

from __future__ import annotations


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    """``cds-desktop ARGV…`` through :func:`cds_desktop.cli.main`: (exit code, stdout, stderr).
    ``--help`` and ``--version`` end with SystemExit, whose code is returned the same way."""
    from cds_desktop.cli import main

    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err
