"""Foundation subcommands: demo, info, check."""

from __future__ import annotations

import argparse

from cds_desktop.commands.registry import command, open_db, print_json


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--with-progress", action="store_true",
                        help="thêm vài tháng tiến độ, số liệu mẫu (đến ngày 18/09/2026)")


@command("demo", "tạo cơ sở dữ liệu với kế hoạch mẫu (xã Bát Tràng 2026)", _configure_demo)
def demo_command(args: argparse.Namespace) -> int:
    from cds_desktop.services.demo import create_demo

    db = open_db(args)
    try:
        plan, created = create_demo(db)
        word = "Đã tạo" if created else "Đã có sẵn"
        print(f"{word} kế hoạch mẫu «{plan.title}» ({plan.number}) trong {db.paths.data_dir}")
        if getattr(args, "with_progress", False):
            from cds_desktop.services.demo_progress import DEMO_TODAY, create_demo_progress

            _plan, added = create_demo_progress(db)
            word = "Đã thêm" if added else "Đã có sẵn"
            print(f"{word} tiến độ mẫu các tháng 4–9/2026 (ngày tham chiếu {DEMO_TODAY:%d/%m/%Y})")
    finally:
        db.close()
    return 0


def _configure_info(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


@command("info", "thông tin các kế hoạch trong cơ sở dữ liệu", _configure_info)
def info_command(args: argparse.Namespace) -> int:
    from cds_desktop.services.info_light import quick_database_info

    info = quick_database_info(args.data_dir, args.db_url)  # plain sqlite3 when nothing has to be written
    if info is None:
        from cds_desktop.services.info import database_info

        db = open_db(args)
        try:
            with db.session(source="cli") as session:
                info = database_info(session)
        finally:
            db.close()
    if args.json:
        print_json(info)
        return 0
    if not info["plans"]:
        print("Chưa có kế hoạch nào.")
    for plan in info["plans"]:
        number = plan["number"] or "(chưa có số)"
        print(f"{plan['title']} — {number} — {plan['commune_kind']} {plan['commune']}, năm {plan['year']}")
        print(f"  {plan['indicator_count']} chỉ tiêu, {plan['task_count']} nhiệm vụ, {plan['unit_count']} đơn vị")
        for group in plan["groups"]:
            counts = group["indicator_count"] or group["task_count"]
            print(f"    {group['label']}. {group['title']} ({counts})")
    return 0


@command("check", "kiểm tra toàn vẹn cơ sở dữ liệu", _configure_info)
def check_command(args: argparse.Namespace) -> int:
    from cds_desktop.services.check import check_database

    db = open_db(args)
    try:
        result = check_database(db)
    finally:
        db.close()
    if args.json:
        print_json(result)
    elif result["ok"]:
        print(f"Cơ sở dữ liệu tốt (lược đồ {result['schema_version']}).")
        store = result.get("evidence")
        if store is not None:
            where = "kho dùng chung ghi trong cơ sở dữ liệu: " if store.get("shared") else ""
            print(f"Kho minh chứng tốt: {store['files']} tệp, nội dung khớp mã băm ({where}{store['root']}).")
            if store["collectable"]:
                print(f"  {len(store['collectable'])} tệp của minh chứng đã xóa có thể dọn bằng «cds-desktop evidence gc».")
    if not result["ok"]:
        import sys

        print("Lỗi: " + " ".join(result["problems"]), file=sys.stderr)
        return 1
    return 0
