"""Command line: ``cds-desktop`` (GUI) and headless subcommands for scripting and tests.

Exit codes: 0 ok; 1 failure, with a one-line Vietnamese message on stderr;
2 wrong usage.  Details of unexpected failures go to the log file.
"""

from __future__ import annotations

import logging
import sys

from cds_desktop.commands.registry import COMMANDS, build_parser

log = logging.getLogger(__name__)


def _wants_subcommand(argv: list[str]) -> bool:
    """True unless the arguments only open the GUI (no subcommand, or ``gui``)."""
    takes_value = {"--data-dir", "--db-url"}
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token in takes_value:
            skip = True
        elif token in ("-h", "--help"):
            return True
        elif not token.startswith("-"):
            return token != "gui"
    return False


def main(argv: list[str] | None = None) -> int:
    from cds_desktop.logging_setup import configure_logging
    from cds_desktop.paths import app_paths

    args_list = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(with_commands=_wants_subcommand(args_list))
    args = parser.parse_args(args_list)
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
    except OSError as exc:
        print(f"Lỗi: không tạo được thư mục dữ liệu/nhật ký ({exc}).", file=sys.stderr)
        return 1
    name = args.command or "gui"
    if name == "gui":
        from cds_desktop.ui.app import run_gui

        return run_gui(args)
    handler = COMMANDS[name][2]
    from cds_desktop.database.errors import DatabaseError
    from cds_desktop.services.common import ServiceError

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
