"""Exchange subcommands: unit report workbooks and data packages.

    cds-desktop unit-workbook --unit U --period P --out F
    cds-desktop import-workbook F… [--dry-run] [--json]
    cds-desktop export-package --out F [--plan …] [--unit …] [--period …]
    cds-desktop import-package F [--dry-run] [--json] [--trust] [--allow-unsigned]

With ``--json`` an import prints one object with the counts ``created``,
``updated``, ``unchanged``, ``deleted`` and the list ``conflicts``.  A rejected
file exits with 1 and the reason (on stderr; in the JSON object too).  A package
must be signed by this office or a trusted one: ``--trust`` accepts (and, once
imported, remembers) an office never seen before, ``--allow-unsigned`` a package
of an older version without signature; ``signer`` in the JSON says who signed.
Conflicts are left as they are unless ``--resolve mine|theirs`` says otherwise.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cds_desktop.commands.registry import (
    add_force,
    command,
    open_db,
    plan_uuid_arg,
    print_json,
    unit_uuid_arg,
)
from cds_desktop.services.errors import ServiceError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text} (cần YYYY-MM-DD)") from exc


def _period(text: str) -> str:
    from cds_desktop.services.tracking.calendar import normal_code

    try:
        return normal_code(text)
    except ServiceError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


# --------------------------------------------------------------------------
# unit-workbook


def _configure_workbook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", metavar="ĐƠN_VỊ", help="đơn vị: tên, tên viết tắt hoặc mã UUID")
    parser.add_argument("--all-units", action="store_true", help="lập phiếu cho mọi đơn vị phải báo cáo trong kỳ")
    parser.add_argument("--period", metavar="KỲ", required=True, type=_period, help="kỳ báo cáo: 2026-05, 2026-Q2…")
    parser.add_argument("--out", metavar="TỆP|THƯ_MỤC", required=True,
                        help="tệp .xlsx (hoặc thư mục) để ghi; với --all-units: thư mục")
    add_force(parser)
    parser.add_argument("--plan", metavar="KẾ_HOẠCH", help="kế hoạch: số, từ trong tên hoặc mã UUID (mặc định: kế hoạch của năm của kỳ)")


@command("unit-workbook", "lập phiếu báo cáo (.xlsx) cho đơn vị trong một kỳ", _configure_workbook)
def unit_workbook_command(args: argparse.Namespace) -> int:
    from cds_desktop.exchange.workbook_write import generate_all_workbooks, generate_unit_workbook

    if not args.unit and not args.all_units:
        raise ServiceError("Hãy chọn đơn vị (--unit) hoặc lập cho mọi đơn vị (--all-units).")
    db = open_db(args)
    try:
        plan = plan_uuid_arg(db, args.plan)
        if args.all_units:
            made = generate_all_workbooks(db, args.period, args.out, plan_uuid=plan, overwrite=args.force)
        else:
            made = [generate_unit_workbook(db, unit_uuid_arg(db, args.unit), args.period, args.out, plan_uuid=plan,
                                           overwrite=args.force)]
    finally:
        db.close()
    for item in made:
        print(f"{item.path}  ({item.unit_name}, {item.rows} dòng)")
    return 0


# --------------------------------------------------------------------------
# import-workbook


def _configure_import_workbook(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="TỆP", help="phiếu .xlsx hoặc thư mục chứa phiếu")
    parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.add_argument("--resolve", choices=["mine", "theirs"], default="mine",
                        help="khi phiếu khác số liệu đã có: giữ số liệu đã có (mine, mặc định) hay lấy theo phiếu")
    parser.add_argument("--skip-rejected", action="store_true", help="vẫn nhập các phiếu khác khi có phiếu bị từ chối")
    parser.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="ngày nhận báo cáo (mặc định: hôm nay)")


@command("import-workbook", "nhập phiếu báo cáo do đơn vị gửi lại", _configure_import_workbook)
def import_workbook_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cds_desktop.exchange import RejectedFile
    from cds_desktop.exchange.workbooks import import_workbooks
    from cds_desktop.services.errors import NotFoundError

    missing = [name for name in args.files if not Path(name).exists()]
    if missing:
        raise NotFoundError(f"Không tìm thấy tệp «{Path(missing[0]).name}».")
    db = open_db(args)
    try:
        preview = import_workbooks(db, args.files, dry_run=True, today=args.today)
        if args.dry_run or (preview.rejected and not args.skip_rejected):
            result = preview
        else:
            resolutions = {row.key: args.resolve for row in preview.conflicts}
            result = import_workbooks(db, args.files, resolutions=resolutions, today=args.today,
                                      skip_rejected=args.skip_rejected)
    finally:
        db.close()
    refused_only = bool(result.rejected) and not result.rows and not result.applied
    if args.json:
        print_json(result.to_dict())
    elif not refused_only:  # a refusal is said once, on stderr
        print(result.summary())
        for row in result.rows:
            for message in row.messages:
                print(f"  • {message}")
            for field, recorded, returned in row.conflicts:
                print(f"  ≠ {row.file}, dòng {row.row}, {field}: đã có «{recorded}», phiếu ghi «{returned}»")
        for note in result.missing_evidence:
            print(f"  • {note}")
    for rejected in result.rejected:
        print(f"Lỗi: {rejected}", file=sys.stderr)
    return RejectedFile.exit_code if result.rejected and not (args.skip_rejected and result.applied) else 0


# --------------------------------------------------------------------------
# packages


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="TỆP", required=True, help="tệp gói dữ liệu (.cdspkg)")
    add_force(parser)
    parser.add_argument("--plan", metavar="KẾ_HOẠCH", help="chỉ một kế hoạch (số, từ trong tên hoặc mã UUID)")
    parser.add_argument("--unit", metavar="ĐƠN_VỊ", help="chỉ một đơn vị (tên hoặc mã UUID)")
    parser.add_argument("--period", metavar="KỲ", type=_period, help="chỉ một kỳ báo cáo (2026-05…)")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


@command("export-package", "xuất gói dữ liệu (.cdspkg) để chuyển sang máy khác", _configure_export)
def export_package_command(args: argparse.Namespace) -> int:
    from cds_desktop.exchange import Scope, export_package

    db = open_db(args)
    try:
        scope = Scope(plan_uuid=plan_uuid_arg(db, args.plan), unit_uuid=unit_uuid_arg(db, args.unit),
                      period_code=args.period)
        result = export_package(db, args.out, scope, overwrite=args.force)
    finally:
        db.close()
    if args.json:
        print_json({"file": str(result.path), "package_uuid": result.package_uuid, "scope": result.scope,
                    "tables": result.tables, "evidence_files": result.evidence_files, "size": result.size})
    else:
        print(result.summary())
    return 0


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="TỆP", help="gói dữ liệu (.cdspkg)")
    parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.add_argument("--resolve", choices=["mine", "theirs"],
                        help="giải quyết mọi xung đột: giữ bản của máy này (mine) hoặc lấy bản trong gói (theirs)")
    parser.add_argument("--trust", action="store_true",
                        help="tin cậy nơi gửi chưa biết (sau khi đã đối chiếu mã khóa qua điện thoại)")
    parser.add_argument("--allow-unsigned", action="store_true",
                        help="vẫn nhập gói không có chữ ký số (gói của phiên bản cũ)")


@command("import-package", "nhập gói dữ liệu (.cdspkg) từ máy khác", _configure_import)
def import_package_command(args: argparse.Namespace) -> int:
    from cds_desktop.exchange import RejectedFile, import_package
    from cds_desktop.exchange.trust import STATUS_LABELS, SignerRefused

    db = open_db(args)
    trust = {"trust_new": args.trust, "allow_unsigned": args.allow_unsigned}
    try:
        resolutions = None
        if args.resolve and not args.dry_run:
            preview = import_package(db, args.file, dry_run=True, **trust)
            resolutions = {c.uuid: args.resolve for c in preview.conflicts}
        result = import_package(db, args.file, dry_run=args.dry_run, resolutions=resolutions, **trust)
    except RejectedFile as exc:
        if args.json:
            refused = {"refused": exc.kind, "signer": exc.signer.to_dict() if exc.signer else None} \
                if isinstance(exc, SignerRefused) else {}
            print_json({"error": str(exc), "file": exc.file_name, "reason": exc.reason, **refused})
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    finally:
        db.close()
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.summary())
        signer = result.signer
        print(f"Người ký: {signer.office or 'không rõ tên'}, mã khóa {signer.fingerprint} "
              f"({STATUS_LABELS[signer.status]})." if signer else "Người ký: không có (gói không ký).")
        for conflict in result.conflicts:
            print(f"  ≠ {conflict.spec.label}: {conflict.label}")
            for field, mine, theirs in conflict.fields:
                print(f"      {field}: máy này «{mine}» / gói «{theirs}»")
    return 0
