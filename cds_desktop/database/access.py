"""Roles on a shared database: a commune officer sees and changes only their commune's data.

Who the user is (``identify``): on PostgreSQL the database login role (``current_user``), on
SQLite the ``CDS_USER`` environment variable or the operating system's user name.  What they may
do is the ``user_roles`` row of that login (``models.access``):

- no row in ``user_roles`` at all: everyone is the local officer (unrestricted), as before roles;
- ``admin``: everything; ``reader`` (district / city): reads every commune, changes nothing;
- ``commune``: reads and changes only the data of their commune;
- a login without a row once roles exist: sees nothing, changes nothing.  On PostgreSQL the owner
  of the tables and superusers are administrators (row-level security does not apply to them).

"A commune's data" is the commune row, its plans, units and calendar and everything under a plan
(groups, items, assignments, periods, locks, progress, figures, checklists, saved filters): the
ownership chain of ``database.readonly``.  Shared records (a unit or a saved filter of no
commune, people, evidence files) are readable by all.

Enforced in one place for the services, like the tombstones (``database.tombstones``): a
``do_orm_execute`` hook adds loader criteria to every ORM query (another commune's records are
simply not there: "không tìm thấy"), and a ``before_flush`` hook refuses a change outside the
user's commune with :class:`AccessDenied`.  On PostgreSQL the same rule is also row-level security
(``database.access_rls``), so even Core statements and other clients are held to it.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, event, or_, select, text, union_all
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from cds_desktop.database.errors import DatabaseError
from cds_desktop.models import (
    ROLE_ADMIN,
    ROLE_COMMUNE,
    ROLE_READER,
    Assignment,
    AuditEntry,
    Commune,
    Evidence,
    EvidenceLink,
    Group,
    IndicatorValue,
    Item,
    ItemTracking,
    PeriodLock,
    Plan,
    ReportingCalendar,
    ReportingPeriod,
    ReportRequirement,
    SavedFilter,
    Setting,
    Synced,
    TaskProgress,
    Unit,
    UnitAlias,
    UserRole,
    VillageCheck,
)

USER_ENV = "CDS_USER"
ACCESS = "access"  # session.info key
NO_ROLE = "none"  # roles exist but this login has none


class AccessDenied(DatabaseError):
    """A change (or a read) the user's role does not allow."""

    exit_code = 6


@dataclass(frozen=True)
class Access:
    login: str
    role: str | None = None  # None: no roles configured, the local officer
    commune_id: int | None = None
    commune_name: str = ""

    @property
    def restricted(self) -> bool:
        """Reads are limited (a commune officer, or a login without a role)."""
        return self.role in (ROLE_COMMUNE, NO_ROLE)

    @property
    def describe(self) -> str:
        if self.role is None:
            return f"«{self.login}» (chưa phân quyền: cán bộ tại máy, toàn quyền)"
        if self.role == ROLE_COMMUNE:
            return f"«{self.login}» (cán bộ {self.commune_name})"
        if self.role == ROLE_READER:
            return f"«{self.login}» (cấp huyện/thành phố: chỉ xem)"
        if self.role == ROLE_ADMIN:
            return f"«{self.login}» (quản trị)"
        return f"«{self.login}» (chưa được cấp quyền)"


UNRESTRICTED = Access(login="")


def current_login(db: Any) -> str:
    """The identity of this process on *db*: the PostgreSQL login role, else ``CDS_USER`` or the OS user."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            return str(conn.execute(text("SELECT current_user")).scalar())
    name = os.environ.get(USER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service account)
        return "local"


def _postgres_owner(db: Any) -> bool:
    """The owner of the tables or a superuser: row-level security does not hold them."""
    with db.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT r.rolsuper OR t.tableowner = current_user FROM pg_roles r, pg_tables t "
            "WHERE r.rolname = current_user AND t.tablename = 'plans' AND t.schemaname = current_schema()"
        )).scalar())


def identify(db: Any) -> Access:
    """The access of this process on *db* (read once when the database is opened)."""
    from sqlalchemy.exc import SQLAlchemyError

    login = current_login(db)
    roles, communes = UserRole.__table__, Commune.__table__
    with db.engine.connect() as conn:
        try:
            if conn.execute(select(roles.c.id).limit(1)).first() is None:
                return Access(login=login)
        except SQLAlchemyError:  # a schema before roles (opened without migrating)
            return Access(login=login)
        row = conn.execute(select(roles.c.role, roles.c.commune_id, communes.c.kind, communes.c.name)
                           .outerjoin(communes, communes.c.id == roles.c.commune_id)
                           .where(roles.c.login == login)).first()
    if row is None:
        if db.engine.dialect.name == "postgresql" and _postgres_owner(db):
            return Access(login=login, role=ROLE_ADMIN)
        return Access(login=login, role=NO_ROLE)
    name = f"{row.kind} {row.name}".strip() if row.name else ""
    return Access(login=login, role=row.role, commune_id=row.commune_id, commune_name=name)


def _criteria(commune: int) -> list[Any]:
    plans, items, periods, units = Plan.__table__, Item.__table__, ReportingPeriod.__table__, Unit.__table__
    own_plans = select(plans.c.id).where(plans.c.commune_id == commune)
    own_items = select(items.c.id).where(items.c.plan_id.in_(own_plans))
    own_periods = select(periods.c.id).where(periods.c.plan_id.in_(own_plans))
    own_units = select(units.c.id).where(or_(units.c.commune_id == commune, units.c.commune_id.is_(None)))
    found = [
        with_loader_criteria(Commune, Commune.id == commune),
        with_loader_criteria(Plan, Plan.commune_id == commune),
        with_loader_criteria(ReportingCalendar, ReportingCalendar.commune_id == commune),
        with_loader_criteria(Unit, or_(Unit.commune_id == commune, Unit.commune_id.is_(None))),
        with_loader_criteria(UnitAlias, UnitAlias.unit_id.in_(own_units)),
        with_loader_criteria(SavedFilter, or_(SavedFilter.plan_id.in_(own_plans), SavedFilter.plan_id.is_(None))),
        with_loader_criteria(PeriodLock, PeriodLock.period_id.in_(own_periods)),
    ]
    # evidence: what is linked to the commune's items, progress reports or figures, or linked to
    # nothing and filed under one of its units (or none)
    progress, values, links = TaskProgress.__table__, IndicatorValue.__table__, EvidenceLink.__table__
    own_targets = union_all(select(items.c.uuid).where(items.c.plan_id.in_(own_plans)),
                            select(progress.c.uuid).where(progress.c.item_id.in_(own_items)),
                            select(values.c.uuid).where(values.c.item_id.in_(own_items)))
    own_linked = select(links.c.evidence_id).where(links.c.target_uuid.in_(own_targets))
    found += [
        with_loader_criteria(EvidenceLink, EvidenceLink.target_uuid.in_(own_targets)),
        with_loader_criteria(Evidence, or_(Evidence.id.in_(own_linked),
                                           and_(Evidence.id.not_in(select(links.c.evidence_id)),
                                                or_(Evidence.unit_id.is_(None), Evidence.unit_id.in_(own_units))))),
    ]
    found += [with_loader_criteria(entity, entity.plan_id.in_(own_plans))
              for entity in (Group, Item, ReportingPeriod)]
    found += [with_loader_criteria(entity, entity.item_id.in_(own_items))
              for entity in (Assignment, ItemTracking, ReportRequirement, TaskProgress, IndicatorValue, VillageCheck)]
    return found


def _limit_reads(state: ORMExecuteState) -> None:
    access = state.session.info.get(ACCESS)
    if access is None or not access.restricted or not state.is_select or state.is_column_load:
        return
    commune = access.commune_id if access.role == ROLE_COMMUNE and access.commune_id is not None else -1
    state.statement = state.statement.options(*_criteria(commune))


def _refusal(access: Access) -> AccessDenied:
    if access.role == ROLE_READER:
        return AccessDenied(f"Không có quyền: tài khoản {access.describe} chỉ được xem, không được sửa dữ liệu.")
    if access.role == ROLE_COMMUNE:
        return AccessDenied(f"Không có quyền: tài khoản {access.describe} chỉ được sửa dữ liệu của "
                            f"{access.commune_name or 'xã/phường của mình'}.")
    return AccessDenied(f"Không có quyền: tài khoản {access.describe} chưa được cấp quyền trên cơ sở dữ liệu "
                        "này (người quản trị cấp bằng lệnh «roles grant»).")


def _check_writes(session: Session, _context: Any, _instances: Any) -> None:
    access = session.info.get(ACCESS)
    if access is None or access.role in (None, ROLE_ADMIN):
        return
    from cds_desktop.database.readonly import _OWNER, _commune_of

    changed = [o for o in (*session.new, *session.dirty, *session.deleted)
               if isinstance(o, Synced) and not isinstance(o, AuditEntry | Setting)
               and (o in session.new or o in session.deleted or session.is_modified(o))]
    if not changed:
        return
    if access.role != ROLE_COMMUNE:
        raise _refusal(access)
    for obj in changed:
        table = obj.__tablename__
        if table == "communes":
            if obj in session.new or obj.id != access.commune_id:
                raise _refusal(access)
        elif table in _OWNER:
            commune = _commune_of(session, obj)
            shared = commune is None and table in ("units", "saved_filters")
            if commune != access.commune_id and not shared:
                raise _refusal(access)


def install(session_class: type[Session]) -> None:
    if not event.contains(session_class, "do_orm_execute", _limit_reads):
        event.listen(session_class, "do_orm_execute", _limit_reads)
        event.listen(session_class, "before_flush", _check_writes)


def require_admin(access: Access, what: str) -> None:
    """Refuse *what* (a whole-database operation such as importing a package) to every role but
    an administrator (and the local officer while no role is configured)."""
    if access.role not in (None, ROLE_ADMIN):
        raise AccessDenied(f"Không có quyền: tài khoản {access.describe} không được {what}; "
                           "chỉ người quản trị làm được việc này.")


def check_export(db: Any, plan_uuid: str | None) -> None:
    """A commune officer exports only a plan of their commune (``--plan``): the exchange reads the
    tables directly, past the loader criteria."""
    access: Access = db.access
    if not access.restricted:
        return
    if access.role != ROLE_COMMUNE:
        raise _refusal(access)
    if not plan_uuid:
        raise AccessDenied(f"Không có quyền: tài khoản {access.describe} chỉ được xuất kế hoạch của "
                           f"{access.commune_name}; hãy chọn kế hoạch (--plan).")
    plans = Plan.__table__
    with db.engine.connect() as conn:
        commune = conn.execute(select(plans.c.commune_id).where(plans.c.uuid == plan_uuid)).scalar()
    if commune != access.commune_id:
        raise _refusal(access)
