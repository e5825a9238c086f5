"""``cds-desktop roles``: who may see and change which commune's data on a shared database.

    cds-desktop roles list [--json]                   the roles and who this process is
    cds-desktop roles grant TÊN --role admin|reader|commune [--commune XÃ] [--note …]
    cds-desktop roles revoke TÊN
"""

from __future__ import annotations

import argparse

from cds_desktop.commands.registry import _common, command, open_db, print_json


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="VIỆC", required=True, title="các việc",
                                parser_class=type(parser))
    show = sub.add_parser("list", help="xem ai có quyền gì, và tài khoản đang dùng")
    show.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    grant = sub.add_parser("grant", help="cấp (hoặc đổi) quyền cho một tài khoản")
    grant.add_argument("login", metavar="TÊN", help="tên đăng nhập (PostgreSQL: vai trò đăng nhập; SQLite: CDS_USER "
                                                    "hoặc tên người dùng máy)")
    grant.add_argument("--role", required=True, choices=("admin", "reader", "commune"),
                       help="admin: quản trị; reader: cấp huyện/thành phố, chỉ xem mọi xã; commune: cán bộ xã, "
                            "chỉ xem và sửa xã mình")
    grant.add_argument("--commune", metavar="XÃ", help="xã/phường của vai trò commune (tên hoặc mã UUID)")
    grant.add_argument("--note", default="", help="ghi chú (họ tên, chức vụ)")
    revoke = sub.add_parser("revoke", help="thu hồi quyền của một tài khoản")
    revoke.add_argument("login", metavar="TÊN", help="tên đăng nhập")
    for action in (show, grant, revoke):
        _common(action, suppress=True)


@command("roles", "phân quyền trên cơ sở dữ liệu dùng chung: cán bộ xã chỉ xem, sửa xã mình", _configure)
def roles_command(args: argparse.Namespace) -> int:
    from cds_desktop.services import roles

    db = open_db(args)
    try:
        if args.action == "grant":
            row = roles.grant_role(db, args.login, args.role, args.commune, args.note)
            where = f", {row['commune']}" if row["commune"] else ""
            print(f"Đã cấp quyền cho «{row['login']}»: {row['role_label']}{where}.")
        elif args.action == "revoke":
            roles.revoke_role(db, args.login)
            print(f"Đã thu hồi quyền của «{args.login}».")
        else:
            rows = roles.list_roles(db)
            if args.json:
                print_json({"current": {"login": db.access.login, "role": db.access.role}, "roles": rows})
                return 0
            print(f"Tài khoản đang dùng: {db.access.describe}")
            if not rows:
                print("Chưa phân quyền: mọi người dùng cơ sở dữ liệu này đều có toàn quyền.")
            for row in rows:
                where = f" — {row['commune']}" if row["commune"] else ""
                note = f" ({row['note']})" if row["note"] else ""
                print(f"  • {row['login']}: {row['role_label']}{where}{note}")
        return 0
    finally:
        db.close()
