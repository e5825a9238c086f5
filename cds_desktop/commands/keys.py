"""``cds-desktop keys``: this office's signing key and the offices it trusts.

    cds-desktop keys show [--json]              this office's key fingerprint and the trust list
    cds-desktop keys export --out F             the public key, to send ahead of the packages
    cds-desktop keys trust FILE [--fingerprint "12345 …"]
                                                trust the office of a key file or a signed package
    cds-desktop keys revoke MÃ_KHÓA|TÊN         stop trusting a key (its packages are refused)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cds_desktop.commands.registry import _common, add_force, command, open_db, print_json
from cds_desktop.services.errors import ServiceError, refuse_existing

_PROTECTION = {"keyring": "mật khẩu giữ trong kho khóa của hệ điều hành (Windows: DPAPI)",
               "file": "tệp chỉ tài khoản người dùng này đọc được"}


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="VIỆC", required=True, title="các việc",
                                parser_class=type(parser))
    show = sub.add_parser("show", help="xem mã khóa của máy này và các nơi gửi tin cậy")
    show.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    export = sub.add_parser("export", help="ghi khóa công khai của máy này ra tệp để gửi cho nơi nhận")
    export.add_argument("--out", metavar="TỆP", required=True, help="tệp khóa (.cdskey)")
    add_force(export)
    trust = sub.add_parser("trust", help="tin cậy nơi gửi của một tệp khóa hoặc một gói dữ liệu đã ký")
    trust.add_argument("file", metavar="TỆP", help="tệp khóa (.cdskey) hoặc gói dữ liệu (.cdspkg)")
    trust.add_argument("--fingerprint", metavar="MÃ_KHÓA",
                       help="mã khóa nơi gửi đọc qua điện thoại: chỉ tin cậy nếu khớp")
    revoke = sub.add_parser("revoke", help="thu hồi (thôi tin cậy) khóa của một nơi gửi")
    revoke.add_argument("ref", metavar="MÃ_KHÓA|TÊN", help="mã khóa (30 chữ số) hoặc tên nơi gửi")
    for action in (show, export, trust, revoke):
        _common(action, suppress=True)  # --data-dir after the action too


def _date(text: str | None) -> str:
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if text else ""


@command("keys", "khóa ký gói dữ liệu của máy này và các nơi gửi tin cậy", _configure)
def keys_command(args: argparse.Namespace) -> int:
    return {"show": _show, "export": _export, "trust": _trust, "revoke": _revoke}[args.action](args)


def _show(args: argparse.Namespace) -> int:
    from cds_desktop.exchange.office_keys import b64, keys_dir, load_office_key
    from cds_desktop.exchange.package_write import office_name
    from cds_desktop.exchange.trust import load_trust

    db = open_db(args)
    try:
        name, installation, data_dir = office_name(db), db.installation_id, db.paths.data_dir
    finally:
        db.close()
    key = load_office_key(data_dir)
    trusted = load_trust(data_dir)
    if args.json:
        print_json({"office": name, "installation": installation, "fingerprint": key.fingerprint,
                    "public_key": b64(key.public_key), "algorithm": "Ed25519", "protection": key.protection,
                    "folder": str(keys_dir(data_dir)), "trusted": trusted})
        return 0
    print(f"Khóa ký của máy này ({name or 'chưa có tên cơ quan'})")
    print(f"  Mã khóa:  {key.fingerprint}")
    print(f"  Mã máy:   {installation}")
    print(f"  Bảo vệ:   {_PROTECTION.get(key.protection, key.protection)}")
    print(f"  Thư mục:  {keys_dir(data_dir)}")
    print(f"Nơi gửi tin cậy: {sum(1 for e in trusted if not e.get('revoked_at'))}")
    for entry in trusted:
        state = f"đã thu hồi {_date(entry['revoked_at'])}" if entry.get("revoked_at") else \
            f"tin cậy từ {_date(entry.get('trusted_at'))}"
        print(f"  • {entry.get('office') or 'không rõ tên'} — {entry.get('fingerprint')} — {state}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from cds_desktop.exchange.package_write import office_name
    from cds_desktop.exchange.trust import key_file_data

    db = open_db(args)
    try:
        data = key_file_data(db.paths.data_dir, office_name(db), db.installation_id)
    finally:
        db.close()
    out = Path(args.out)
    if not out.suffix:
        out = out.with_name(out.name + ".cdskey")
    refuse_existing([out], args.force)
    try:
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        from cds_desktop.database.errors import os_reason

        raise ServiceError(f"Không ghi được tệp {out} ({os_reason(exc)}).") from exc
    print(f"Đã ghi khóa công khai vào {out}. Mã khóa: {data['fingerprint']}")
    return 0


def _trust(args: argparse.Namespace) -> int:
    from cds_desktop.exchange.office_keys import normal_fingerprint
    from cds_desktop.exchange.package_read import package_signer
    from cds_desktop.exchange.trust import signer_from_key_file, trust_signer

    path = Path(args.file)
    if path.suffix.lower() == ".cdspkg":
        signer = package_signer(path)
        if signer is None:
            raise ServiceError(f"Gói «{path.name}» không có chữ ký số: không có khóa nào để tin cậy.")
    else:
        signer = signer_from_key_file(path)
    if args.fingerprint is not None:
        wanted = normal_fingerprint(args.fingerprint)
        if not wanted:
            raise ServiceError("Mã khóa phải gồm đúng 30 chữ số (6 nhóm 5 chữ số).")
        if wanted != signer.fingerprint:
            raise ServiceError(f"Mã khóa không khớp: tệp mang mã {signer.fingerprint}, không phải {wanted}. "
                               "Không tin cậy khóa này.")
    db = open_db(args)
    try:
        data_dir = db.paths.data_dir
    finally:
        db.close()
    added = trust_signer(data_dir, signer)
    verb = "Đã tin cậy" if added else "Đã tin cậy từ trước"
    print(f"{verb} «{signer.office or 'không rõ tên'}», mã khóa {signer.fingerprint}.")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from cds_desktop.exchange.trust import revoke

    db = open_db(args)
    try:
        data_dir = db.paths.data_dir
    finally:
        db.close()
    for entry in revoke(data_dir, args.ref):
        print(f"Đã thu hồi khóa của «{entry.get('office') or 'không rõ tên'}», mã khóa {entry.get('fingerprint')}.")
    return 0
