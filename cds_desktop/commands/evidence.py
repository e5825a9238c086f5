"""``cds-desktop evidence …``: attach, list, check, collect and export evidence files."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

from cds_desktop.commands.registry import add_force, command, open_db, print_json, unit_uuid_arg
from cds_desktop.vocabulary import EVIDENCE_KINDS

if TYPE_CHECKING:
    from cds_desktop.database import Database


def _dd_mm_yyyy(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dạng dd/mm/yyyy)")


def _target(text: str) -> tuple[str, str]:
    kind, sep, uuid = text.partition(":")
    if not sep or not uuid:
        raise argparse.ArgumentTypeError(f"cần dạng LOẠI:UUID, ví dụ task_progress:…, nhận được {text!r}")
    return kind, uuid


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    parser.add_argument("--db-url", metavar="URL", default=argparse.SUPPRESS, help="địa chỉ CSDL SQLAlchemy")


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="evidence_command", metavar="VIỆC", required=True)
    kinds = ", ".join(f"{code} ({label})" for code, label in EVIDENCE_KINDS.items())

    attach = sub.add_parser("attach", help="gắn tệp minh chứng vào chỉ tiêu/nhiệm vụ")
    _common(attach)
    attach.add_argument("files", nargs="+", metavar="TỆP")
    attach.add_argument("--item", action="append", default=[], metavar="UUID", help="chỉ tiêu/nhiệm vụ (lặp lại được)")
    attach.add_argument("--target", action="append", default=[], type=_target, metavar="LOẠI:UUID",
                        help="bản ghi khác: task_progress:UUID, indicator_value:UUID")
    attach.add_argument("--kind", choices=list(EVIDENCE_KINDS), help=f"loại minh chứng: {kinds}")
    attach.add_argument("--number", default="", help="số, ký hiệu văn bản (12/QĐ-UBND)")
    attach.add_argument("--date", type=_dd_mm_yyyy, help="ngày văn bản (dd/mm/yyyy)")
    attach.add_argument("--issuer", default="", help="cơ quan ban hành")
    attach.add_argument("--description", default="", help="mô tả")
    attach.add_argument("--period", default="", help="kỳ: 2026-05, «Quý II/2026», «Năm 2026»…")
    attach.add_argument("--unit", default="", help="đơn vị (tên hoặc tên gọi khác)")

    listing = sub.add_parser("list", help="liệt kê minh chứng")
    _common(listing)
    listing.add_argument("--item", default="", metavar="UUID")
    listing.add_argument("--kind", choices=list(EVIDENCE_KINDS))
    listing.add_argument("--period", default="")
    listing.add_argument("--unit", default="")
    listing.add_argument("--search", default="", help="tìm không cần dấu")
    listing.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    check = sub.add_parser("check", help="đối chiếu kho minh chứng với dữ liệu (kiểm tra mã băm)")
    _common(check)
    check.add_argument("--json", action="store_true")
    check.add_argument("--quick", action="store_true", help="không băm lại nội dung, chỉ đối chiếu tên và kích thước")

    collect = sub.add_parser("gc", help="dọn các tệp không còn minh chứng nào dùng")
    _common(collect)
    collect.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ dọn gì")
    collect.add_argument("--grace-seconds", type=float, default=None, help="giữ lại tệp mới hơn chừng này giây")

    report = sub.add_parser("report", help="in Danh mục minh chứng (PDF hoặc Excel) theo kỳ, đơn vị")
    _common(report)
    report.add_argument("--out", required=True, metavar="TỆP", help="tệp kết quả .pdf hoặc .xlsx")
    add_force(report)
    report.add_argument("--format", dest="fmt", choices=("pdf", "xlsx"), default=None)
    report.add_argument("--period", default="", help="kỳ: 2026-05, «Quý II/2026», «Năm 2026»…")
    report.add_argument("--unit", default="", help="đơn vị (tên hoặc tên gọi khác)")
    report.add_argument("--kind", choices=list(EVIDENCE_KINDS))
    report.add_argument("--plan", default=None, metavar="KẾ_HOẠCH", help="kế hoạch: số, từ trong tên hoặc mã UUID (mặc định: kế hoạch mới nhất)")

    export = sub.add_parser("export", help="sao chép một minh chứng ra thư mục, với tên gốc")
    _common(export)
    export.add_argument("uuid")
    export.add_argument("folder")
    add_force(export)

    store = sub.add_parser("store", help="xem hoặc đặt thư mục kho minh chứng dùng chung (ghi trong cơ sở dữ liệu)")
    _common(store)
    chosen = store.add_mutually_exclusive_group()
    chosen.add_argument("--set", dest="store_folder", metavar="THƯ_MỤC",
                        help="thư mục dùng chung cho mọi máy dùng cơ sở dữ liệu này (ví dụ \\\\may-chu\\cds\\minh-chung)")
    chosen.add_argument("--clear", action="store_true", help="trở lại kho trong thư mục dữ liệu của từng máy")
    store.add_argument("--json", action="store_true")


@command("evidence", "minh chứng: gắn tệp, liệt kê, kiểm tra, dọn kho", _configure)
def evidence_command(args: argparse.Namespace) -> int:
    early = None
    if args.evidence_command == "attach":  # copy while SQLAlchemy loads and the database opens
        from cds_desktop.services.evidence.early import start_early_copy

        early = start_early_copy(args.data_dir, args.db_url, args.files)
    args.early_copy = early
    try:
        db = open_db(args)
    except BaseException:
        if early is not None:
            early.abandon()
        raise
    try:
        return _HANDLERS[args.evidence_command](db, args)
    finally:
        db.close()


def _attach(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.services.evidence import EvidenceMetadata, attach_files

    targets = [("item", uuid) for uuid in args.item] + list(args.target)
    try:
        meta = EvidenceMetadata(
            kind=args.kind, doc_number=args.number, doc_date=args.date, issuer=args.issuer,
            description=args.description, period=args.period, unit_uuid=unit_uuid_arg(db, args.unit),
        )
    except BaseException:
        if args.early_copy is not None:
            from cds_desktop.services.evidence.attach import discard_early

            discard_early(db, args.early_copy)
        raise
    result = attach_files(db, args.files, targets, meta, source="cli", early=args.early_copy)
    print(result.summary())
    for f in result.files:
        print(f"  {f.evidence_uuid}  {f.original_name}  ({f.size} byte)")
    print(f"  {result.bytes / 1e6:.1f} MB trong {result.seconds:.2f} giây ({result.mb_per_s:.0f} MB/s)")
    return 0


def _list(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.services.evidence import EvidenceFilter, evidence_rows
    from cds_desktop.services.evidence.periods import normalize_period

    flt = EvidenceFilter(search=args.search, kind=args.kind or "", period=normalize_period(args.period),
                         unit_uuid=unit_uuid_arg(db, args.unit) or "", item_uuid=args.item)
    with db.session(source="cli") as session:
        rows = evidence_rows(session, flt)
    if args.json:
        print_json([
            {
                "uuid": r.uuid, "name": r.original_name, "kind": r.kind, "kind_label": r.kind_label,
                "doc_number": r.doc_number, "doc_date": r.doc_date, "issuer": r.issuer,
                "description": r.description, "period": r.period, "unit": r.unit_name, "size": r.size,
                "sha256": r.sha256,
                "links": [{"type": lk.target_type, "uuid": lk.target_uuid, "label": lk.label} for lk in r.links],
            }
            for r in rows
        ])
        return 0
    if not rows:
        print("Chưa có minh chứng nào.")
    for r in rows:
        meta = " — ".join(x for x in (r.kind_label, r.doc_number, r.doc_date_text, r.period_label, r.unit_name) if x)
        print(f"{r.original_name} ({r.size_text}) — {meta}  [{r.uuid}]")
        for lk in r.links:
            print(f"    ↳ {lk.label}")
    return 0


def _check(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.services.evidence import check_store

    result = check_store(db, verify=not args.quick)
    if args.json:
        print_json(result.to_dict())
    elif result.ok:
        print(f"Kho minh chứng tốt: {result.files} tệp ({result.root}).")
    if not result.ok:
        print("Lỗi: " + " ".join(result.problems()), file=sys.stderr)
        return 1
    return 0


def _gc(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.services.evidence import gc
    from cds_desktop.services.evidence.maintenance import GC_GRACE_SECONDS

    grace = GC_GRACE_SECONDS if args.grace_seconds is None else args.grace_seconds
    result = gc(db, grace_seconds=grace, dry_run=args.dry_run)
    print(("(thử) " if args.dry_run else "") + result.summary())
    return 0


def _export(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.models import Evidence
    from cds_desktop.services.common import get
    from cds_desktop.services.evidence import store_for

    with db.session(source="cli") as session:
        evidence = get(session, Evidence, args.uuid)
        sha, name = evidence.sha256, evidence.original_name
    print(store_for(db).copy_out(sha, name, args.folder, overwrite=args.force))
    return 0


def _report(db: Database, args: argparse.Namespace) -> int:
    from pathlib import Path

    from cds_desktop.reports import render_document
    from cds_desktop.reports.evidence_list import build_evidence_list
    from cds_desktop.services.errors import refuse_existing
    from cds_desktop.services.lookup import resolve_plan

    out = Path(args.out)
    fmt = args.fmt or (out.suffix.lower().lstrip(".") if out.suffix.lower() in (".pdf", ".xlsx") else "pdf")
    unit_uuid = unit_uuid_arg(db, args.unit) or ""
    refuse_existing([out], args.force)
    with db.session(source="report") as session:
        doc = build_evidence_list(session, resolve_plan(session, args.plan), period=args.period or "",
                                  unit_uuid=unit_uuid, kind=args.kind or "")
    print(f"Đã ghi {render_document(doc, fmt, out)} ({doc.row_count()} minh chứng)")
    return 0


def _store(db: Database, args: argparse.Namespace) -> int:
    from cds_desktop.services.evidence.location import read_location, set_location

    if args.store_folder or args.clear:
        location = set_location(db, None if args.clear else args.store_folder, source="cli")
    else:
        location = read_location(db)
    if args.json:
        print_json(location.to_dict())
    else:
        print(f"Kho minh chứng: {location.describe()}")
    return 0


_HANDLERS = {
    "attach": _attach, "list": _list, "check": _check, "gc": _gc, "report": _report, "export": _export,
    "store": _store,
}
