"""The subcommand registry and what every command module shares: the parser
(usage errors in Vietnamese), opening the database, printing JSON.

Command modules register themselves with ``@command``; ``load_all`` imports
them (only when a subcommand runs: the GUI path must start fast).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from cds_desktop import APP_NAME

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
    (re.compile(r"argument (\S+): expected at least one argument"), "tham số {0} cần ít nhất một giá trị"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "không dùng {0} cùng với {1}"),
    (re.compile(r"argument (\S+): ignored explicit argument '([^']*)'"), "tham số {0} không nhận giá trị «{1}»"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), "tùy chọn {0} không rõ, có thể là: {1}"),
    (re.compile(r"argument (\S+): (.*)"), "{0}: {1}"),  # a value our own type= checker refused, already Vietnamese
)


def translate_usage_error(message: str) -> str:
    """argparse's English usage errors, said in Vietnamese."""
    for pattern, template in _USAGE_MESSAGES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return message


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its English headings said in Vietnamese ("Cách dùng:")."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "Cách dùng: ")


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose help is in Vietnamese and whose usage errors are one
    Vietnamese line (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Tham số"
        self._optionals.title = "Tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        reason = translate_usage_error(message).rstrip(". ")
        self.exit(2, f"Lỗi: {reason}. Xem «{self.prog} --help».\n")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="thư mục dữ liệu (mặc định: thư mục người dùng)")
    parser.add_argument("--db-url", metavar="URL", default=default, help="địa chỉ CSDL SQLAlchemy (thay cho SQLite)")
    parser.add_argument("--create", action="store_true", default=default if suppress else False,
                        help="tạo dữ liệu mới nếu thư mục --data-dir chưa có (tránh tạo nhầm khi gõ sai đường dẫn)")


def _version() -> str:
    import cds_desktop

    return cds_desktop.__version__


class _VersionAction(argparse.Action):
    """``--version``: the version is read only when asked for (not on every start of the window)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:
        parser._print_message(f"{APP_NAME} {_version()}\n", sys.stdout)  # as argparse's own "version" action
        parser.exit()


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The argument parser; without commands for the GUI path, which must start fast
    (the command modules import the whole data layer)."""
    if with_commands:
        load_all()
    parser = Parser(prog="cds-desktop", description=f"{APP_NAME} {_version()}" if with_commands else APP_NAME)
    parser.add_argument("--version", action=_VersionAction, help="hiện phiên bản rồi thoát")
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


def load_all() -> None:
    """Import every command module (each registers its subcommands)."""
    from cds_desktop.commands import (  # noqa: F401
        backup,
        basic,
        evidence,
        exchange,
        importing,
        keys,
        reports,
        roles,
        rollup,
        selftest,
        tracking,
    )


# Commands that bring data into a folder: they may start a new one (and say so).
CREATING_COMMANDS = {"demo", "import-plan", "import-package", "restore"}


def missing_data_dir(args: argparse.Namespace) -> str | None:
    """Why the command must not run: ``--data-dir`` names a folder without data (most likely
    mistyped) and neither ``--create`` nor a command that brings data in was asked for."""
    import os

    from cds_desktop.paths import app_paths

    if not getattr(args, "data_dir", None) or getattr(args, "db_url", None) or os.environ.get("CDS_DATABASE_URL"):
        return None
    paths = app_paths(args.data_dir)
    if paths.db_file.exists() or paths.settings_file.exists():
        return None
    command = getattr(args, "command", None)
    receiving = command == "rollup" and getattr(args, "rollup_action", "") == "import"
    if getattr(args, "create", False) or command in CREATING_COMMANDS or receiving:
        print(f"Tạo dữ liệu mới tại {paths.data_dir}.", file=sys.stderr)
        return None
    return (f"thư mục dữ liệu «{paths.data_dir}» chưa có dữ liệu (không thấy tệp {paths.db_file.name}). "
            "Kiểm tra lại đường dẫn --data-dir, hoặc thêm --create để tạo dữ liệu mới ở đó.")


def add_force(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace output files that are already there (without it they are never overwritten)."""
    parser.add_argument("--force", action="store_true", help="ghi đè tệp kết quả đã có (mặc định: không ghi đè)")


def open_db(args: argparse.Namespace):
    from cds_desktop.database import open_database
    from cds_desktop.services.leftovers import clean_leftovers

    db = open_database(args.data_dir, args.db_url)
    if not db.read_only and args.command not in ("check",):  # check reports leftovers, it does not remove them
        clean_leftovers(db.paths, db.evidence_dir)
    return db


def plan_uuid_arg(db, ref: str | None) -> str | None:
    """``--plan``: UUID of the plan named by id, number or title words (None when not given)."""
    if not ref:
        return None
    from cds_desktop.services.lookup import resolve_plan_uuid

    with db.session(source="cli") as session:
        return resolve_plan_uuid(session, ref)


def unit_uuid_arg(db, ref: str | None) -> str | None:
    """``--unit``: UUID of the unit named by id, name, short name, alias or words (None when not given)."""
    if not ref:
        return None
    from cds_desktop.services.lookup import resolve_unit_uuid

    with db.session(source="cli") as session:
        return resolve_unit_uuid(session, ref)


def json_default(value: object) -> object:
    """What ``json.dumps`` cannot write itself: a Decimal (PostgreSQL's numeric) as the number it
    is, as SQLite's float or integer would be written; anything else as text."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
        return float(value)
    return str(value)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n")
