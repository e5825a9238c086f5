"""Receiving mode (*Tổng hợp*): many communes' packages in one data folder.

    cds-desktop rollup import DIR|ZIP [--json] [--today YYYY-MM-DD] [--trust] [--allow-unsigned]
    cds-desktop rollup status [--json] [--year N] [--sort KEY] [--desc] [--filter F] [--find WORDS]
    cds-desktop rollup report KIND --out F [--period P] [--year N] [--today YYYY-MM-DD]
    cds-desktop rollup refresh [--today YYYY-MM-DD]
    cds-desktop rollup mode on|off

``import`` takes every ``.cdspkg`` of a folder (or of a ``.zip``), one by one through the
exchange's package import: a bad file is reported and the others go on (exit 1 if any
file was refused).  It puts the data folder in receiving mode, where the received
communes' data is read-only.  Packages must be signed by trusted offices: ``--trust``
accepts (and remembers) every office not seen before, ``--allow-unsigned`` packages of older
versions without signature.  ``report`` writes PDF or Excel by the file's extension.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cds_desktop.commands.registry import Parser, _common, add_force, command, open_db, print_json

REPORT_KINDS = ("tong-hop", "chi-tieu-chung", "xep-hang", "chua-gui")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text} (cần YYYY-MM-DD)") from exc


def _configure(parser: argparse.ArgumentParser) -> None:
    from cds_desktop.vocabulary import ROLLUP_FILTERS as FILTERS
    from cds_desktop.vocabulary import ROLLUP_SORTS as SORTS

    sub = parser.add_subparsers(dest="rollup_action", metavar="VIỆC", parser_class=Parser, title="các việc")
    sub.required = True
    imp = sub.add_parser("import", help="nhận các gói dữ liệu (.cdspkg) của một thư mục hoặc tệp .zip")
    imp.add_argument("source", nargs="+", metavar="THƯ_MỤC|ZIP",
                     help="thư mục chứa gói .cdspkg, tệp .zip của chúng, hoặc các tệp .cdspkg (một hay nhiều)")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    imp.add_argument("--today", type=_day, default=None, help="ngày tính số liệu (mặc định: hôm nay)")
    imp.add_argument("--trust", action="store_true",
                     help="tin cậy các nơi gửi chưa biết (sau khi đã đối chiếu mã khóa của từng nơi)")
    imp.add_argument("--allow-unsigned", action="store_true", help="vẫn nhận gói không có chữ ký số")
    status = sub.add_parser("status", help="bảng tổng hợp các xã, phường theo trụ cột")
    status.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    status.add_argument("--year", type=int, default=None, help="năm kế hoạch (mặc định: năm mới nhất)")
    status.add_argument("--sort", choices=SORTS, default="name", help="sắp xếp theo cột")
    status.add_argument("--desc", action="store_true", help="sắp xếp giảm dần")
    status.add_argument("--filter", choices=tuple(FILTERS), default="all", help="lọc theo cảnh báo")
    status.add_argument("--find", default="", metavar="TỪ", help="lọc theo tên xã, phường (không dấu cũng được)")
    report = sub.add_parser("report", help="lập báo cáo tổng hợp (PDF hoặc Excel)")
    report.add_argument("kind", choices=REPORT_KINDS, metavar="LOẠI", help=f"một trong: {', '.join(REPORT_KINDS)}")
    report.add_argument("--out", required=True, metavar="TỆP", help="tệp .pdf hoặc .xlsx để ghi")
    add_force(report)
    report.add_argument("--period", default=None, metavar="KỲ", help="kỳ báo cáo cho «chưa gửi số liệu» (2026-05…)")
    report.add_argument("--year", type=int, default=None, help="năm kế hoạch (mặc định: năm mới nhất)")
    report.add_argument("--today", type=_day, default=None, help="ngày của báo cáo (mặc định: hôm nay)")
    refresh = sub.add_parser("refresh", help="tính lại số liệu tổng hợp của mọi xã, phường")
    refresh.add_argument("--today", type=_day, default=None, help="ngày tính số liệu (mặc định: hôm nay)")
    mode = sub.add_parser("mode", help="bật hoặc tắt chế độ tổng hợp của thư mục dữ liệu")
    mode.add_argument("state", choices=("on", "off"), metavar="on|off", help="on: bật, off: tắt")
    for p in (imp, status, report, refresh, mode):
        _common(p, suppress=True)


@command("rollup", "chế độ tổng hợp: nhận gói dữ liệu của nhiều xã, phường, xem và lập báo cáo", _configure)
def rollup_command(args: argparse.Namespace) -> int:
    action = args.rollup_action
    db = open_db(args)
    try:
        return {"import": _import, "status": _status, "report": _report, "refresh": _refresh,
                "mode": _mode}[action](db, args)
    finally:
        db.close()


def _import(db, args: argparse.Namespace) -> int:
    from cds_desktop.rollup.importing import import_packages

    def progress(done: int, total: int, text: str) -> None:
        if not args.json:
            print(f"[{done}/{total}] {text}", file=sys.stderr, flush=True)

    batch = import_packages(db, args.source, today=args.today, progress=progress, trust_new=args.trust,
                            allow_unsigned=args.allow_unsigned)
    if args.json:
        print_json(batch.to_dict())
    else:
        for result in batch.files:
            print(f"{'✓' if result.ok else '✗'} {result.message}")
        print(batch.summary())
    return 1 if batch.failed else 0


def _status(db, args: argparse.Namespace) -> int:
    from cds_desktop.models import PILLARS
    from cds_desktop.rollup.overview import MAIN_PILLARS, build_overview

    with db.session(source="cli") as session:
        overview = build_overview(session, args.year, args.sort, args.desc, args.find, args.filter)
    if args.json:
        print_json(overview.to_dict())
        return 0
    if not overview.communes:
        print("Chưa nhận gói dữ liệu của xã, phường nào.")
        return 0
    day = overview.as_of.strftime("%d/%m/%Y") if overview.as_of else "—"
    print(f"Năm {overview.year}: {len(overview.rows)}/{overview.communes} xã, phường (số liệu tính đến {day})")
    heads = "".join(f"{PILLARS[p][:16]:>34}" for p in MAIN_PILLARS)
    print(f"{'Xã, phường':<28}{heads}{'Thiếu BC':>10}{'Gói mới nhất':>14}")
    for row in overview.rows:
        cells = "".join(f"{f.indicators_text + ' CT; ' + f.tasks_text + ' NV':>34}"
                        for f in (row.pillars[p] for p in MAIN_PILLARS))
        print(f"{row.name[:27]:<28}{cells}{row.total.reports_missing:>10}{row.package_text:>14}")
    return 0


def _report(db, args: argparse.Namespace) -> int:
    from pathlib import Path

    from cds_desktop.rollup.summary import render_rollup
    from cds_desktop.services.errors import refuse_existing

    refuse_existing([Path(args.out)], args.force)
    path = render_rollup(db, args.kind, args.out, today=args.today, period=args.period, year=args.year)
    print(path)
    return 0


def _refresh(db, args: argparse.Namespace) -> int:
    from cds_desktop.rollup.snapshot import refresh

    count = refresh(db, args.today or date.today())
    print(f"Đã tính lại số liệu của {count} kế hoạch.")
    return 0


def _mode(db, args: argparse.Namespace) -> int:
    from cds_desktop.rollup.mode import store_receiving

    store_receiving(db, args.state == "on")
    print("Đã bật chế độ tổng hợp." if args.state == "on" else "Đã tắt chế độ tổng hợp.")
    return 0
