"""Command line: ``cds-desktop`` (GUI) and headless subcommands for scripting and tests.

Exit codes: 0 ok; 1 failure, with a one-line Vietnamese message on stderr;
2 wrong usage.  Details of unexpected failures go to the log file.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from cds_desktop import APP_NAME, __version__

log = logging.getLogger(__name__)
Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None] | None = None):
    """Register a subcommand (other modules add theirs the same way)."""

    def decorator(func: Handler) -> Handler:
        COMMANDS[name] = (help_text, configure or (lambda p: None), func)
        return func

    return decorator


_USAGE_MESSAGES = (
    (re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)"),
     "«{1}» không hợp lệ cho {0} (chọn một trong: {2})"),
    (re.compile(r"the following arguments are required: (.*)"), "thiếu tham số bắt buộc: {0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "tham số không nhận ra: {0}"),
    (re.compile(r"argument (\S+): expected one argument"), "tham số {0} cần một giá trị"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '([^']*)'"), "giá trị «{2}» không hợp lệ cho {0}"),
)


def translate_usage_error(message: str) -> str:
    """argparse's English usage errors, said in Vietnamese."""
    for pattern, template in _USAGE_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return message


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one Vietnamese line (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Lỗi: {translate_usage_error(message)}. Xem «{self.prog} --help».\n")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="thư mục dữ liệu (mặc định: thư mục người dùng)")
    parser.add_argument("--db-url", metavar="URL", default=default, help="địa chỉ CSDL SQLAlchemy (thay cho SQLite)")


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The argument parser; without commands for the GUI path, which must start fast
    (the command modules import the whole data layer)."""
    if with_commands:
        _load_command_modules()
    parser = Parser(prog="cds-desktop", description=f"{APP_NAME} {__version__}")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="hiện phiên bản rồi thoát")
    _common(parser, suppress=False)
    parser.add_argument("--demo", action="store_true", help="mở ngay kế hoạch mẫu nếu chưa có kế hoạch nào")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser, title="các lệnh")
    gui = sub.add_parser("gui", help="mở giao diện (mặc định)")
    _common(gui, suppress=True)
    gui.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="mở ngay kế hoạch mẫu")
    for name, (help_text, configure, _func) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        _common(p, suppress=True)
        configure(p)
    return parser


def _load_command_modules() -> None:
    from cds_desktop import commands  # noqa: F401  (registers the subcommands)


def open_db(args: argparse.Namespace):
    from cds_desktop.database import open_database

    return open_database(args.data_dir, args.db_url)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


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
    from cds_desktop.database.engine import DatabaseError
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
