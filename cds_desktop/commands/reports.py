"""``cds-desktop report``: print the official report tables as PDF or Excel."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from cds_desktop.commands.registry import command, open_db

KIND_CHOICES = ("phu-luc-01", "phu-luc-02", "unit-plan", "progress", "reminders", "evidence")


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="LOẠI", choices=KIND_CHOICES,
                        help="phu-luc-01 | phu-luc-02 | unit-plan | progress | reminders | evidence")
    parser.add_argument("--format", dest="fmt", choices=("pdf", "xlsx"), default=None,
                        help="pdf hoặc xlsx (mặc định: theo đuôi tệp --out, nếu không thì pdf)")
    parser.add_argument("--out", metavar="TỆP", required=True,
                        help="tệp kết quả (với --all-units: thư mục)")
    parser.add_argument("--plan", metavar="UUID|SỐ", default=None, help="kế hoạch (mặc định: kế hoạch mới nhất)")
    parser.add_argument("--period", metavar="KỲ", default=None, help="kỳ báo cáo của progress và reminders: 2026-09 (tháng), 2026-Q3 (quý), 2026-H1 (6 tháng), 2026 (năm)")
    parser.add_argument("--unit", metavar="ĐƠN_VỊ", default=None,
                        help="tên hoặc mã UUID của đơn vị: unit-plan; với reminders: chỉ đơn vị này")
    parser.add_argument("--columns", metavar="CỘT,CỘT", default=None,
                        help="các cột của phụ lục, ví dụ number,content,lead,coordinating,deadline")
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=_day, default=None,
                        help="progress, reminders: coi hôm nay là ngày này (mặc định: hôm nay)")
    parser.add_argument("--all-units", action="store_true",
                        help="unit-plan: lập kế hoạch cho mọi đơn vị được giao, mỗi đơn vị một tệp trong thư mục --out")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text} (cần dạng 2026-09-18)") from exc


def _fail(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 2


@command("report", "in biểu báo cáo (phụ lục, kế hoạch đơn vị, báo cáo kết quả, đôn đốc) ra PDF hoặc Excel", _configure)
def report_command(args: argparse.Namespace) -> int:
    from cds_desktop.reports import render_all_units, render_report

    out = Path(args.out)
    suffix = out.suffix.lower()
    if not args.all_units and suffix and suffix not in (".pdf", ".xlsx"):
        return _fail(f"chỉ lập được tệp .pdf hoặc .xlsx, không lập được «{out.name}».")
    fmt = args.fmt or (suffix.lstrip(".") if suffix else "pdf")
    if not args.all_units and suffix and suffix != "." + fmt:
        return _fail(f"--format {fmt} không khớp với đuôi tệp «{out.name}».")
    if not args.all_units and not suffix:
        out = out.with_name(out.name + "." + fmt)
    folder = out if args.all_units else out.parent
    if not folder.exists() and not (args.all_units and folder.parent.is_dir()):
        return _fail(f"thư mục «{folder if not args.all_units else folder.parent}» không tồn tại.")
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    if args.all_units and args.kind != "unit-plan":
        return _fail("--all-units chỉ dùng với unit-plan.")
    if args.all_units and args.unit:
        return _fail("chọn --unit hoặc --all-units, không dùng cả hai.")
    if columns and args.kind not in ("phu-luc-01", "phu-luc-02"):
        return _fail("--columns chỉ dùng với phu-luc-01 và phu-luc-02.")
    if args.period and args.kind not in ("progress", "reminders", "evidence"):
        return _fail("--period chỉ dùng với progress, reminders và evidence.")
    if args.kind == "unit-plan" and not (args.unit or args.all_units):
        return _fail("unit-plan cần --unit TÊN_ĐƠN_VỊ hoặc --all-units.")
    if not args.all_units and out.exists() and out.is_dir():
        return _fail(f"{out} là thư mục; hãy cho tên tệp kết quả.")
    db = open_db(args)
    try:
        if args.all_units:
            paths = render_all_units(db, fmt, out, plan_uuid=args.plan)
            print(f"Đã lập {len(paths)} kế hoạch đơn vị trong {out}")
            for path in paths:
                print(f"  {path.name}")
            return 0
        path = render_report(db, args.kind, fmt, out, plan_uuid=args.plan, period=args.period,
                             unit_uuid=args.unit, columns=columns, today=args.today)
    finally:
        db.close()
    print(f"Đã ghi {path}")
    return 0
