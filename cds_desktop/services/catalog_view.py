"""The catalogue as the catalogue dialogs show it (Qt-free): units with
their aliases, and people, as plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import UNIT_KINDS, Unit
from cds_desktop.services import catalog
from cds_desktop.services.common import get


@dataclass(frozen=True)
class UnitRow:
    uuid: str
    name: str
    short_name: str
    kind: str
    aliases: tuple[str, ...]
    deleted: bool

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)


def unit_rows(session: Session, search: str | None = None, include_deleted: bool = False) -> list[UnitRow]:
    return [
        UnitRow(
            u.uuid, u.name, u.short_name, u.kind,
            tuple(a.alias for a in u.aliases if a.deleted_at is None), u.deleted_at is not None,
        )
        for u in session.scalars(catalog.units_query(search, include_deleted=include_deleted))
    ]


def save_unit(
    session: Session, uuid: str | None, *, name: str, short_name: str, kind: str, aliases: list[str]
) -> str:
    """Create (uuid None) or edit a unit and make its live aliases exactly *aliases*."""
    if uuid:
        catalog.update_unit(session, uuid, name=name, short_name=short_name, kind=kind)
        unit = get(session, Unit, uuid)
    else:
        unit = catalog.create_unit(session, name, short_name=short_name, kind=kind)
    wanted = {catalog.unit_key(a): a for a in aliases if a.strip()}
    for entry in list(unit.aliases):
        if entry.deleted_at is None and catalog.unit_key(entry.alias) not in wanted:
            catalog.remove_alias(session, unit.uuid, entry.alias)
    for alias in wanted.values():
        catalog.add_alias(session, unit, alias)
    return unit.uuid


@dataclass(frozen=True)
class PersonRow:
    uuid: str
    name: str
    title: str
    phone: str
    email: str
    unit_uuid: str
    unit_name: str


def people_rows(session: Session, search: str | None = None) -> list[PersonRow]:
    return [
        PersonRow(
            p.uuid, p.name, p.title, p.phone, p.email,
            p.unit.uuid if p.unit else "", p.unit.name if p.unit else "",
        )
        for p in session.scalars(catalog.people_query(search))
    ]


def save_person(
    session: Session, uuid: str | None, *, name: str, title: str, phone: str, email: str, unit_uuid: str
) -> str:
    unit_id = get(session, Unit, unit_uuid).id if unit_uuid else None
    fields = {"title": title, "phone": phone, "email": email, "unit_id": unit_id}
    if uuid:
        catalog.update_person(session, uuid, name=name, **fields)
        return uuid
    return catalog.create_person(session, name, **fields).uuid


# --------------------------------------------------------------------------
# One unit of work per action of the catalogue dialogs and pickers


def load_units(db: Database, search: str | None = None, include_deleted: bool = False) -> list[UnitRow]:
    with db.session(source="ui") as session:
        return unit_rows(session, search, include_deleted)


def load_people(db: Database, search: str | None = None) -> list[PersonRow]:
    with db.session(source="ui") as session:
        return people_rows(session, search)


def store_unit(db: Database, uuid: str | None, **fields) -> str:
    """``save_unit`` in a transaction of its own; returns the unit's uuid."""
    with db.session(source="ui") as session:
        return save_unit(session, uuid, **fields)


def store_person(db: Database, uuid: str | None, **fields) -> str:
    """``save_person`` in a transaction of its own; returns the person's uuid."""
    with db.session(source="ui") as session:
        return save_person(session, uuid, **fields)


def delete_unit(db: Database, uuid: str) -> None:
    with db.session(source="ui") as session:
        catalog.delete_unit(session, uuid)


def restore_unit(db: Database, uuid: str) -> None:
    with db.session(source="ui") as session:
        catalog.restore_unit(session, uuid)


def delete_person(db: Database, uuid: str) -> None:
    with db.session(source="ui") as session:
        catalog.delete_person(session, uuid)
