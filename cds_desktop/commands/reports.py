"""``cds-desktop report``: print the official report tables as PDF or Excel, optionally signed
digitally (``--sign-p12 FILE`` or ``--sign-pkcs11 LIB --slot N``: the password or PIN is asked
on the terminal, or taken from ``CDS_SIGN_PASSWORD``; never on the command line).
``cds-desktop verify-pdf F``: check the digital signatures of a PDF."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from cds_desktop.commands.registry import add_force, command, open_db, unit_uuid_arg

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
    sign = parser.add_argument_group("Ký số (PDF)")
    how = sign.add_mutually_exclusive_group()
    how.add_argument("--sign-p12", metavar="TỆP", help="ký số bằng chứng thư số trong tệp .p12/.pfx")
    how.add_argument("--sign-pkcs11", metavar="THƯ_VIỆN",
                     help="ký số bằng thiết bị ký số (USB token) qua thư viện PKCS#11 của nhà cung cấp (.dll/.so)")
    sign.add_argument("--slot", type=int, default=0, metavar="SỐ", help="khe của thiết bị ký số (mặc định 0)")
    sign.add_argument("--sign-reason", metavar="LÝ_DO", default="", help="lý do ký (hiện trong ô chữ ký)")
    sign.add_argument("--sign-location", metavar="NƠI_KÝ", default="", help="nơi ký")
    sign.add_argument("--tsa-url", metavar="URL", default=None,
                      help="máy chủ dấu thời gian RFC 3161 (mặc định: không dùng, lấy giờ của máy)")
    add_force(parser)


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
    from cds_desktop.services.errors import refuse_existing

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
    if args.all_units and out.exists() and not out.is_dir():
        return _fail(f"«{out}» là một tệp; --all-units lưu mỗi đơn vị một tệp vào một thư mục.")
    if not args.all_units and out.exists() and out.is_dir():
        return _fail(f"{out} là thư mục; hãy cho tên tệp kết quả.")
    if not args.all_units:
        refuse_existing([out], args.force)
    key = None
    if args.sign_p12 or args.sign_pkcs11:
        if fmt != "pdf" or args.all_units:
            return _fail("chỉ ký số được một tệp PDF (không dùng với Excel hay --all-units).")
        from cds_desktop.reports.pdf_sign import P12, PKCS11, SigningKey

        key = SigningKey(P12, args.sign_p12) if args.sign_p12 else SigningKey(PKCS11, args.sign_pkcs11, args.slot)
        password = _password(key)
    elif not args.all_units:
        from cds_desktop.reports.light import light_appendix

        # the appendices of a SQLite file that needs nothing done: read with sqlite3, SQLAlchemy never loaded
        doc = light_appendix(args.data_dir, args.db_url, args.kind, args.plan, columns)
        if doc is not None:
            from cds_desktop.reports import render_document

            print(f"Đã ghi {render_document(doc, fmt, out)}")
            return 0
    db = open_db(args)
    try:
        if args.all_units:
            paths = render_all_units(db, fmt, out, plan_uuid=args.plan, overwrite=args.force)
            print(f"Đã lập {len(paths)} kế hoạch đơn vị trong {out}")
            for path in paths:
                print(f"  {path.name}")
            return 0
        if key is not None:
            from cds_desktop.reports import ReportRequest
            from cds_desktop.reports.pdf_sign import render_signed_report

            request = ReportRequest(kind=args.kind, plan=args.plan, period=args.period, unit=args.unit,
                                    columns=columns, today=args.today)
            signed = render_signed_report(db, request, out, key, password, reason=args.sign_reason,
                                          location=args.sign_location, timestamp_url=args.tsa_url)
            print(f"Đã ghi {signed.path} (ký số bởi {signed.signer}, trang {signed.spot.page + 1})")
            return 0
        path = render_report(db, args.kind, fmt, out, plan_uuid=args.plan, period=args.period,
                             unit_uuid=unit_uuid_arg(db, args.unit), columns=columns, today=args.today)
    finally:
        db.close()
    print(f"Đã ghi {path}")
    return 0


PASSWORD_ENV = "CDS_SIGN_PASSWORD"


def _password(key) -> str:
    """The password (p12) or PIN (token): from ``CDS_SIGN_PASSWORD``, else asked on the terminal
    without echo.  Never an argument: the command line is visible to other users and kept in
    the shell's history."""
    import getpass
    import os

    from cds_desktop.services.errors import ServiceError

    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise ServiceError(f"Cần mật khẩu (hoặc mã PIN) để ký: chạy lệnh trong cửa sổ dòng lệnh để nhập, hoặc "
                           f"đặt biến môi trường {PASSWORD_ENV}.")
    what = "Mật khẩu của tệp chữ ký số" if key.kind == "p12" else "Mã PIN của thiết bị ký số"
    return getpass.getpass(f"{what}: ")


def _configure_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="TỆP", help="tệp PDF đã ký số")
    parser.add_argument("--trust-root", metavar="TỆP", action="append", default=[],
                        help="chứng thư gốc tin cậy (.pem/.cer/.crt), có thể nhắc lại; ngoài ra mọi chứng thư "
                             "trong thư mục «ca» của thư mục dữ liệu")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


@command("verify-pdf", "kiểm tra chữ ký số của tệp PDF: người ký, thời điểm, tài liệu có bị sửa sau khi ký",
         _configure_verify)
def verify_pdf_command(args: argparse.Namespace) -> int:
    from cds_desktop.commands.registry import print_json
    from cds_desktop.paths import app_paths
    from cds_desktop.reports.pdf_sign import trust_roots_in, verify_pdf

    roots = [Path(p) for p in args.trust_root] + trust_roots_in(app_paths(args.data_dir).data_dir)
    checks = verify_pdf(args.file, roots)
    ok = bool(checks) and all(c.ok and (c.trusted or not roots) for c in checks)
    if args.json:
        print_json({"file": str(args.file), "ok": ok, "signatures": [
            {"field": c.field, "signer": c.signer, "issuer": c.issuer,
             "signed_at": c.signed_at.isoformat() if c.signed_at else None, "timestamped": c.timestamped,
             "intact": c.intact, "valid": c.valid, "trusted": c.trusted, "unchanged_after_signing": c.unchanged_after,
             "page": c.page, "box": list(c.box), "problems": c.problems} for c in checks]})
    elif not checks:
        print(f"Tệp «{Path(args.file).name}» không có chữ ký số nào.")
    for number, check in enumerate(checks if not args.json else [], 1):
        print(f"Chữ ký {number}/{len(checks)} ({check.field}):")
        for line in check.lines():
            print(f"  {line}")
    return 0 if ok else 1
