"""Tracking subcommands: ``status`` (warnings, completeness of reporting, indicator evaluations)."""

from __future__ import annotations

import argparse
from datetime import date

from cds_desktop.commands.registry import command, open_db, print_json

CELL_MARKS = {"on_time": "✓", "late": "M", "missing": "✗", "pending": "·", "not_required": "–"}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text} (cần YYYY-MM-DD)") from exc


def _configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", metavar="KỲ", help="kỳ báo cáo: 2026-05, 2026-Q2, 2026-H1, 2026 (mặc định: kỳ hiện tại)")
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=_day, help="coi hôm nay là ngày này (để tái lập kết quả)")
    parser.add_argument("--plan", metavar="KẾ_HOẠCH", help="số, từ trong tên hoặc mã UUID của kế hoạch (mặc định: kế hoạch năm nay)")
    parser.add_argument("--due-soon-days", metavar="N", type=int, help="số ngày coi là «sắp đến hạn» (mặc định theo lịch)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


@command("status", "tình hình thực hiện: cảnh báo, báo cáo của các đơn vị, đánh giá chỉ tiêu", _configure_status)
def status_command(args: argparse.Namespace) -> int:
    from cds_desktop.services.lookup import resolve_plan
    from cds_desktop.services.tracking import build_status, ensure_periods

    today = args.today or date.today()
    db = open_db(args)
    try:
        with db.session(source="cli") as session:
            plan = resolve_plan(session, args.plan, year=today.year)
            ensure_periods(session, plan)
        with db.session(source="cli") as session:
            plan = resolve_plan(session, args.plan, year=today.year)
            report = build_status(session, plan, today, args.period, due_soon_days=args.due_soon_days)
    finally:
        db.close()
    if args.json:
        print_json(report.to_dict())
    else:
        print_report(report)
    return 0


def print_report(report) -> None:
    from cds_desktop.services.tracking.codes import CELL_LABELS

    print(report.plan_label)
    print(f"Tình hình đến ngày {report.today:%d/%m/%Y} — kỳ {report.period.label} (hạn báo cáo {report.period.due:%d/%m/%Y})")
    for note in (report.draft_note, report.tracking_note):
        if note:
            print(note)
    print()
    print(f"CẢNH BÁO ({len(report.warnings)})")
    for warning in report.warnings:
        print(f"  • {warning.text}")
    if not report.warnings:
        print("  Không có cảnh báo.")
    print()
    completeness = report.completeness
    rate = completeness.overall_rate
    shown_rate = "—" if rate is None else f"{rate:.1f}%".replace(".", ",")
    print(f"TÌNH HÌNH GỬI BÁO CÁO (tỷ lệ chung: {shown_rate})")
    periods = [p for p in completeness.periods if any(u.cell(p.code).state != "not_required" for u in completeness.units)]
    header = "  " + "Đơn vị".ljust(36) + " ".join(p.code[-2:].rjust(3) for p in periods) + "   Tỷ lệ"
    print(header)
    for unit in completeness.units:
        marks = " ".join(CELL_MARKS[unit.cell(p.code).state].rjust(3) for p in periods)
        shown = "—" if unit.rate is None else f"{unit.rate:.0f}%"
        print("  " + unit.name[:35].ljust(36) + marks + shown.rjust(8))
    rates = " ".join(("—" if completeness.period_rate(p.code) is None else f"{completeness.period_rate(p.code):.0f}")
                     .rjust(3) for p in periods)
    print("  " + "Tỷ lệ theo kỳ (%)".ljust(36) + rates)
    print("  " + ", ".join(f"{mark} {CELL_LABELS[state].lower()}" for state, mark in CELL_MARKS.items()))
    print()
    achieved = sum(r.evaluation.code == "achieved" for r in report.indicators)
    print(f"CHỈ TIÊU ({achieved}/{len(report.indicators)} đạt)")
    for result in report.indicators:
        figure = result.figure_text or "—"
        print(f"  {result.info.ref:>6}  {result.evaluation.label:<20} {figure:<24} chỉ tiêu {result.info.target_display}")
