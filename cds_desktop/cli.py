"""Command line: ``cds-desktop`` (GUI) and headless subcommands for scripting and tests.

``cds-desktop FILE.cdspkg`` (or a unit workbook ``.xlsx``), as Windows runs it when such a
file is double-clicked or opened with *Mở bằng*, opens the window on the exchange screen
with the file checked (dry run) and ready to import.

Exit codes (README, «Mã thoát»), each failure with one Vietnamese line on stderr:
0 done; 1 refused or failed; 2 wrong usage (option, value, an existing ``--out``);
3 not found; 4 bad input file; 5 disk, permission or database file; 130 cancelled.
Details of unexpected failures go to the log file.
"""

from __future__ import annotations

import logging
import os
import sys

from cds_desktop.commands.registry import COMMANDS, build_parser

log = logging.getLogger(__name__)

OPENABLE_SUFFIXES = (".cdspkg", ".xlsx")
_TAKES_VALUE = {"--data-dir", "--db-url"}


def split_open_file(argv: list[str]) -> tuple[list[str], str | None]:
    """The arguments without the file to open in the window, and that file: the first
    positional argument when it is an existing ``.cdspkg``/``.xlsx`` file (a command name
    never is).  ``gui FILE`` works too."""
    skip = False
    for position, token in enumerate(argv):
        if skip:
            skip = False
            continue
        if token in _TAKES_VALUE:
            skip = True
            continue
        if token.startswith("-") or token == "gui":
            continue
        if token.lower().endswith(OPENABLE_SUFFIXES) and os.path.isfile(token):
            return argv[:position] + argv[position + 1:], os.path.abspath(token)
        return argv, None
    return argv, None


def _wants_subcommand(argv: list[str]) -> bool:
    """True unless the arguments only open the GUI (no subcommand, or ``gui``)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in _TAKES_VALUE:
            skip = True
        elif token in ("-h", "--help"):
            return True
        elif not token.startswith("-"):
            return token != "gui"
    return False


def _window_check(data_dir, package) -> str:
    from cds_desktop.ui.selftest import window_check

    return window_check(data_dir, package)


def run() -> int:
    """The program's entry (``python -m cds_desktop``, the ``cds-desktop`` script, the frozen app):
    :func:`main`, then the objects it made are frozen out of the garbage collector's sight.  The
    interpreter's last collections at exit would visit every one of them (SQLAlchemy, the models,
    the rows: ~0.15 s after an ``evidence attach`` had finished its work); the database is closed
    and the files are flushed by then, and reference counting still frees what it frees."""
    code = main()
    import gc

    gc.freeze()
    return code


def main(argv: list[str] | None = None) -> int:
    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.paths import app_paths
    from cds_desktop.stdio import ensure_streams, retarget_log_writers

    args_list = sys.argv[1:] if argv is None else list(argv)
    ensure_streams(has_arguments=bool(args_list))  # the window executable has no console
    args_list, open_file = split_open_file(args_list)
    parser = build_parser(with_commands=_wants_subcommand(args_list))
    args = parser.parse_args(args_list)
    args.open_file = open_file
    for stream in (sys.stdout, sys.stderr):  # Windows consoles: never die on "ệ"
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    if args.command and args.command != "gui":
        from cds_desktop.commands.registry import missing_data_dir

        problem = missing_data_dir(args)  # before anything is created in a mistyped folder
        if problem:
            print(f"Lỗi: {problem}", file=sys.stderr)
            return EXIT_NOT_FOUND
    paths = app_paths(args.data_dir)
    name = args.command or "gui"
    try:  # the window's start: rotated later, in the background (ui.app)
        log_file = configure_logging(paths.log_dir, rotating=name != "gui")
        retarget_log_writers(paths.log_dir)
    except OSError:  # a read-only data folder: the log goes to the temporary folder
        import tempfile
        from pathlib import Path

        try:
            log_file = configure_logging(Path(tempfile.gettempdir()) / "cds-desktop-logs", rotating=name != "gui")
        except OSError as exc:
            from cds_desktop.database.errors import os_error_message

            print(f"Lỗi: {os_error_message(exc, paths.log_dir)}", file=sys.stderr)
            return EXIT_STORAGE
    if name == "gui":
        import gc

        # The window collects garbage from a timer on its own thread (ui.common.collector); until it
        # does, automatic collections would visit the ~100,000 objects the imports make (~5 ms)
        gc.disable()
        from cds_desktop.ui.app import run_gui

        return run_gui(args)
    if name == "selftest":  # its window step needs the ui layer, which commands/ must not import
        args.window_check = _window_check
    handler = COMMANDS[name][2]
    sys.unraisablehook = _quiet_unraisable
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Đã hủy.", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. "| head")
        sys.stdout = None  # nothing more can be written there; keep the interpreter's flush quiet
        return 0
    except Exception as exc:
        code, message = describe_failure(exc, log_file, _output_of(args))
        if code == EXIT_FAILED and message.startswith("Lỗi không mong đợi"):
            log.exception("Unexpected failure in command %s", name)
        else:
            log.warning("Command %s failed: %s", name, message, exc_info=True)
        print(message, file=sys.stderr)
        import gc

        gc.collect()  # files left open by the failure are closed now, through _quiet_unraisable
        return code


EXIT_FAILED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_STORAGE, EXIT_CANCELLED = 1, 2, 3, 4, 5, 130


def one_line(text: str) -> str:
    """Messages on the terminal are one line; a full stop is never doubled."""
    line = " ".join(str(text).split())
    while ".." in line.replace("...", "…"):
        line = line.replace("..", ".")
    return line


def _output_of(args) -> str | None:
    """Where the command writes (to name it when the disk refuses a write)."""
    for name in ("out", "folder"):
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def _quiet_unraisable(unraisable) -> None:
    """A file object that fails again while being closed after a failure (a full disk): log it,
    never print it on the officer's terminal."""
    log.warning("Ignored in %r: %s", unraisable.object, unraisable.exc_value)


def describe_failure(exc: BaseException, log_file, output: str | None = None) -> tuple[int, str]:
    """Exit code and the one Vietnamese line for *exc* (the same rule for every command)."""
    import errno

    from sqlalchemy.exc import SQLAlchemyError

    from cds_desktop.database.errors import DatabaseError, os_error_message
    from cds_desktop.services.errors import ServiceError

    if isinstance(exc, DatabaseError | ServiceError):
        return exc.exit_code, one_line(f"Lỗi: {exc}")
    if isinstance(exc, OSError) and exc.errno is not None:
        code = EXIT_NOT_FOUND if exc.errno == errno.ENOENT else EXIT_STORAGE
        return code, one_line(f"Lỗi: {os_error_message(exc, exc.filename or output)}")
    if isinstance(exc, SQLAlchemyError):
        from cds_desktop.database.errors import sqlite_failure

        mapped = sqlite_failure(str(exc), None)
        if mapped is not None:
            return mapped.exit_code, one_line(f"Lỗi: {mapped}")
        from sqlalchemy.exc import InterfaceError, OperationalError

        if isinstance(exc, OperationalError | InterfaceError):
            where = f" Chi tiết trong tệp nhật ký {log_file}." if log_file else ""
            return EXIT_STORAGE, one_line("Lỗi: không kết nối hoặc không ghi được cơ sở dữ liệu (kiểm tra địa chỉ, "
                                          f"máy chủ, mật khẩu và ổ đĩa).{where}")
    where = f" Chi tiết trong tệp nhật ký {log_file}." if log_file else ""
    return EXIT_FAILED, one_line(f"Lỗi không mong đợi.{where}")

if __name__ == "__main__":
    sys.exit(main())
