"""``cds-desktop import-plan FILE [--dry-run] [--json] [--plan KẾ_HOẠCH]``: import a plan document."""

from __future__ import annotations

import argparse
from typing import Any

from cds_desktop.commands.registry import command, open_db, plan_uuid_arg, print_json

_WORD = {"indicator": "chỉ tiêu", "task": "nhiệm vụ"}


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="TỆP", help="tệp kế hoạch: văn bản (.txt, bảng dán từ Word/Excel/PDF), .xlsx, .docx, .doc hoặc .pdf")
    parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và báo cáo, không ghi gì vào dữ liệu")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.add_argument("--plan", metavar="KẾ_HOẠCH", default=None,
                        help="nhập vào kế hoạch đã có (số, từ trong tên hoặc mã UUID của kế hoạch)")
    parser.add_argument("--track-from", metavar="NGÀY", type=_day, default=None,
                        help="theo dõi từ ngày dd/mm/yyyy: kỳ báo cáo và thời hạn trước ngày này không bị tính "
                             "là thiếu hay quá hạn (mặc định: từ ngày ban hành)")


def _day(text: str):
    from cds_desktop.text import parse_date

    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: «{text}» (hãy ghi dd/mm/yyyy)")
    return day


@command("import-plan", "nhập kế hoạch từ tệp văn bản, Excel (.xlsx), Word (.docx, .doc) hoặc PDF", _configure)
def import_plan_command(args: argparse.Namespace) -> int:
    from cds_desktop.importers.run import analyse_path, check_importable, dry_run_import, import_analysis

    analysis = analyse_path(args.file)  # bad files fail here, before the database is opened
    if args.track_from is not None:
        analysis.meta_overrides["tracking_start"] = args.track_from.isoformat()
        analysis.draft["plan"]["tracking_start"] = args.track_from.isoformat()
        analysis.stated.add("tracking_start")
    if args.plan:
        db = open_db(args)
        try:
            args.plan = plan_uuid_arg(db, args.plan)
        finally:
            db.close()
    if not args.plan:
        tables_ok = any(t.kind in ("indicators", "tasks") for t in analysis.tables) and analysis.draft["items"]
        if not tables_ok:
            check_importable(analysis)
    else:
        check_importable(analysis, plan_uuid=args.plan)
    if args.dry_run:
        report = dry_run_import(args.data_dir, args.db_url, analysis, plan_uuid=args.plan)
    else:
        db = open_db(args)
        try:
            report = import_analysis(db, analysis, plan_uuid=args.plan)
        finally:
            db.close()
    if args.json:
        print_json(report)
    else:
        _print_report(report, analysis.draft)
    return 0


def _date(value: str | None) -> str:
    if not value:
        return "chưa có ngày"
    year, month, day = value.split("-")
    return f"ngày {day}/{month}/{year}"


def _print_report(report: dict[str, Any], draft: dict[str, Any]) -> None:
    from cds_desktop.importers.preview import format_warning

    plan, meta = report["plan"], draft["plan"]
    print(f"Tệp: {report['file']}")
    print(f"Kế hoạch: {plan['title']}")
    number = f"Số {plan['number']}" if plan["number"] else "Chưa có số"
    status = "đã ban hành" if plan["status"] == "issued" else "dự thảo"
    print(f"  {number}, {_date(plan['issue_date'])}, {plan['commune_kind']} {plan['commune']}, năm {plan['year']} — {status}")
    if plan["signer"]:
        print(f"  Người ký: {plan['signer']} ({meta['authority']}, {meta['position'].replace(chr(10), ' ')})")
    extras = [f"nơi nhận: {len(meta['recipients'])}"]
    if meta.get("report_day"):
        extras.append(f"báo cáo hằng tháng trước ngày {meta['report_day']}")
    print("  " + "; ".join(extras).capitalize())
    print("Bảng đã nhận ra:")
    for table in report["tables"]:
        columns = "; ".join(f"{c['header'] or '(trống)'} → {_field_label(c['field'])}"
                            for c in table["columns"] if c["field"] != "ignore")
        print(f"  Bảng {table['table']} ({table['where']}): {table['kind_label']} — {columns}")
    _print_groups(draft)
    units = report["units"]
    created = sum(1 for u in units if u["created"])
    print(f"Đơn vị ({len(units)}): {len(units) - created} đã có trong danh mục, {created} tạo mới")
    for unit in units:
        print(f"  {'+' if unit['created'] else '='} {unit['name']}{' (mới)' if unit['created'] else ''}")
    if report["people"]:
        print(f"Người ({len(report['people'])}):")
        for person in report["people"]:
            details = ", ".join(x for x in (person["title"], f"ĐT {person['phone']}" if person["phone"] else "") if x)
            print(f"  {person['name']}{' — ' + details if details else ''}")
    warnings = report["warnings"]
    print(f"Cảnh báo ({len(warnings)}):" if warnings else "Không có cảnh báo.")
    for warning in warnings:
        print(f"  - {format_warning(warning)}")
    groups, items = report["groups"], report["items"]
    head = "Đã tạo kế hoạch mới" if report["plan_created"] else "Kế hoạch đã có, đã đối chiếu"
    print(f"Kết quả: {head}; nhóm: {groups['created']} tạo mới, {groups['updated']} cập nhật, "
          f"{groups['unchanged']} giữ nguyên; mục: {items['created']} tạo mới, {items['updated']} cập nhật, "
          f"{items['unchanged']} giữ nguyên.")
    if report["items_not_in_file"]:
        print(f"  {report['items_not_in_file']} mục đang có trong kế hoạch nhưng không có trong tệp (giữ nguyên).")
    if report["dry_run"]:
        print("Chạy thử (--dry-run): không ghi gì vào dữ liệu.")


def _field_label(field: str) -> str:
    from cds_desktop.importers.headers import FIELDS

    return FIELDS.get(field, field)


def _print_groups(draft: dict[str, Any]) -> None:
    children: dict[str | None, list[dict]] = {}
    for group in draft["groups"]:
        children.setdefault(group["parent"], []).append(group)
    direct: dict[str | None, int] = {}
    for item in draft["items"]:
        direct[item["group"]] = direct.get(item["group"], 0) + 1

    def total(key: str) -> int:
        return direct.get(key, 0) + sum(total(g["key"]) for g in children.get(key, []))

    def show_one(group: dict, depth: int, word: str) -> None:
        label = f"{group['label']}. " if group["label"] else ""
        print(f"{'  ' * depth}{label}{group['title']}: {total(group['key'])} {word}")
        if group["note"]:
            print(f"{'  ' * (depth + 1)}(Ghi chú: {group['note']})")
        for child in children.get(group["key"], []):
            show_one(child, depth + 1, word)

    for kind, section in (("indicator", "indicators"), ("task", "tasks")):
        print(f"{_WORD[kind].capitalize()}: {sum(1 for i in draft['items'] if i['kind'] == kind)}")
        for group in children.get(None, []):
            if group["section"] == section:
                show_one(group, 1, _WORD[kind])
        loose = sum(1 for i in draft["items"] if i["kind"] == kind and i["group"] is None)
        if loose:
            print(f"  (không thuộc nhóm nào: {loose})")
