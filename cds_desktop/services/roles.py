"""Managing the roles of a shared database (``database.access``): list, grant, revoke.

Only an administrator changes roles (or anyone while none is configured).  On SQLite the first
grant must make the one granting an administrator, so that nobody locks themselves out.  On
PostgreSQL the login must exist on the server (the server administrator creates it with its
password); granting also gives it the table privileges its role needs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text

from cds_desktop.database.access import AccessDenied, identify
from cds_desktop.database.access_rls import grant_sql
from cds_desktop.models import ROLE_ADMIN, ROLE_COMMUNE, ROLE_LABELS, Commune, UserRole
from cds_desktop.services.errors import BadValueError, NotFoundError, ServiceError
from cds_desktop.text import fold, nfc


def list_roles(db: Any) -> list[dict]:
    with db.session(source="system") as s:
        rows = s.execute(select(UserRole, Commune).outerjoin(Commune, Commune.id == UserRole.commune_id)
                         .order_by(UserRole.login)).all()
        return [{"login": r.login, "role": r.role, "role_label": ROLE_LABELS.get(r.role, r.role),
                 "commune": c.display_name if c is not None else "", "commune_uuid": c.uuid if c is not None else "",
                 "note": r.note, "granted_at": r.granted_at.date().isoformat()} for r, c in rows]


def _may_manage(db: Any) -> None:
    access = db.access
    if access.role not in (None, ROLE_ADMIN):
        raise AccessDenied(f"Không có quyền: tài khoản {access.describe} không được phân quyền; "
                           "chỉ người quản trị làm được việc này.")


def _find_commune(session: Any, ref: str) -> Commune:
    ref = nfc(ref).strip()
    communes = list(session.scalars(select(Commune)))
    key = fold(ref)
    for words in (lambda c: fold(c.display_name), lambda c: fold(c.name)):
        found = [c for c in communes if c.uuid == ref.lower() or words(c) == key]
        if len(found) == 1:
            return found[0]
    known = "; ".join(c.display_name for c in communes) or "chưa có xã/phường nào"
    raise NotFoundError(f"Không tìm thấy xã/phường «{ref}». Các xã/phường có: {known}.")


def grant_role(db: Any, login: str, role: str, commune: str | None = None, note: str = "") -> dict:
    """Give *login* the *role* (``commune`` needs the commune); replaces its earlier role."""
    login = nfc(login).strip()
    if not login:
        raise BadValueError("Chưa ghi tên đăng nhập.")
    if role not in ROLE_LABELS:
        raise BadValueError(f"Vai trò «{role}» không có (chọn một trong: {', '.join(ROLE_LABELS)}).")
    if (role == ROLE_COMMUNE) != bool(commune):
        raise BadValueError("Vai trò «commune» cần --commune (xã/phường của người dùng); vai trò khác thì không.")
    _may_manage(db)
    with db.session(source="cli", reason="phân quyền") as s:
        configured = s.scalar(select(func.count()).select_from(UserRole))
        if not configured and db.is_sqlite and not (login == db.access.login and role == ROLE_ADMIN):
            raise ServiceError(f"Chưa có ai được phân quyền: hãy cấp quyền quản trị cho chính mình trước "
                               f"(roles grant «{db.access.login}» --role admin), rồi mới cấp cho người khác.")
        commune_id = _find_commune(s, commune).id if commune else None
        row = s.scalar(select(UserRole).where(UserRole.login == login))
        if row is None:
            row = UserRole(login=login, role=role)
            s.add(row)
        row.role, row.commune_id, row.note = role, commune_id, note
        if not db.is_sqlite:
            schema = s.scalar(text("SELECT current_schema()"))
            exists = s.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": login})
            if not exists:
                raise NotFoundError(f"Máy chủ chưa có tài khoản đăng nhập «{login}» (người quản trị máy chủ "
                                    "tạo bằng CREATE ROLE … LOGIN PASSWORD …).")
            for statement in grant_sql(login, role, schema):
                s.execute(text(statement))
    db.load_access()
    return next(r for r in list_roles(db) if r["login"] == login)


def revoke_role(db: Any, login: str) -> None:
    login = nfc(login).strip()
    _may_manage(db)
    with db.session(source="cli", reason="phân quyền") as s:
        row = s.scalar(select(UserRole).where(UserRole.login == login))
        if row is None:
            raise NotFoundError(f"Tài khoản «{login}» chưa được phân quyền.")
        others = s.scalar(select(func.count()).select_from(UserRole)
                          .where(UserRole.role == ROLE_ADMIN, UserRole.login != login))
        remaining = s.scalar(select(func.count()).select_from(UserRole).where(UserRole.login != login))
        if row.role == ROLE_ADMIN and remaining and not others and db.is_sqlite:
            raise ServiceError(f"«{login}» là người quản trị cuối cùng: thu hồi quyền của những người khác trước, "
                               "hoặc cấp quyền quản trị cho người khác.")
        s.delete(row)
    db.access = identify(db)
