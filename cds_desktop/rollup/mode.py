"""Whether a data folder is in receiving mode (*Chế độ tổng hợp*).

One setting in the database, ``receiving_mode`` (never exchanged: it is in
``exchange.records.LOCAL_SETTING_KEYS``).  ``rollup import`` turns it on; the
menu *Tệp → Chế độ tổng hợp…* turns it on or off.  While it is on, the
communes received through packages are read-only (``database.readonly``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import RECEIVING_MODE_KEY, Setting


def is_receiving(session: Session) -> bool:
    value = session.scalar(select(Setting.value).where(Setting.key == RECEIVING_MODE_KEY))
    return value is True or value in (1, "1", "true")


def set_receiving(session: Session, on: bool) -> None:
    setting = session.scalar(select(Setting).where(Setting.key == RECEIVING_MODE_KEY)
                             .execution_options(include_deleted=True))
    if setting is None:
        session.add(Setting(key=RECEIVING_MODE_KEY, value=bool(on)))
    else:
        setting.value = bool(on)
        setting.deleted_at = None
    session.flush()


def receiving(db: Database) -> bool:
    """The setting, read in a session of its own (what the menu shows)."""
    with db.session(source="ui") as session:
        return is_receiving(session)


def store_receiving(db: Database, on: bool) -> None:
    with db.session(source="ui") as session:
        set_receiving(session, on)


def received_plan_note(db: Database, plan_uuid: str | None) -> str:
    """«Chỉ xem: …» when the plan is a received commune's (read-only here), else ''."""
    from cds_desktop.database.readonly import plan_received_from, read_only_note
    from cds_desktop.models import Plan

    if not plan_uuid:
        return ""
    with db.session(source="ui") as session:
        plan_id = session.scalar(select(Plan.id).where(Plan.uuid == plan_uuid))
        return read_only_note(plan_received_from(session, plan_id))
