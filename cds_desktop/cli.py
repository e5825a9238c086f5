"""Command line: ``cds-desktop`` (GUI) and headless subcommands for scripting and tests.

Exit codes: 0 ok; 1 failure, with a one-line Vietnamese message on stderr;
2 wrong usage.  Details of unexpected failures go to the log file.

``cds-desktop FILE.cdspkg`` (or a unit workbook ``.xlsx``), as Windows runs it when such a
file is double-clicked or opened with *Mở bằng*, opens the window on the exchange screen
with the file checked (dry run) and ready to import.
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
            return 1
    try:
        paths = app_paths(args.data_dir)
        log_file = configure_logging(paths.log_dir)
        retarget_log_writers(paths.log_dir)
    except OSError as exc:
        print(f"Lỗi: không tạo được thư mục dữ liệu/nhật ký ({exc}).", file=sys.stderr)
        return 1
    name = args.command or "gui"
    if name == "gui":
        from cds_desktop.ui.app import run_gui

        return run_gui(args)
    if name == "selftest":  # its window step needs the ui layer, which commands/ must not import
        args.window_check = _window_check
    handler = COMMANDS[name][2]
    from cds_desktop.database.errors import DatabaseError
    from cds_desktop.services.errors import ServiceError

    try:
        return handler(args)
    except (DatabaseError, ServiceError) as exc:
        log.warning("Command %s failed: %s", name, exc, exc_info=True)
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã hủy.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. "| head")
        sys.stdout = None  # nothing more can be written there; keep the interpreter's flush quiet
        return 0
    except Exception as exc:
        log.exception("Unexpected failure in command %s", name)
        print(f"Lỗi không mong đợi: {exc}. Chi tiết trong tệp nhật ký {log_file}.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
