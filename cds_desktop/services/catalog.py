"""Units (with aliases) and people: create, edit, delete, restore, find by any spelling."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from cds_desktop.models import UNIT_KINDS, Person, Unit, UnitAlias
from cds_desktop.services.common import ServiceError, apply_fields, get, like_pattern, restore, tombstone
from cds_desktop.text import fold, nfc

UNIT_FIELDS = {"name", "short_name", "kind", "note", "position", "commune_id"}
PERSON_FIELDS = {"name", "title", "phone", "email", "unit_id"}


def unit_key(name: str) -> str:
    """Key under which two spellings of a unit name are the same:
    folded, dashes/ampersands/"và" unified, spaces removed around them."""
    text = fold(name)
    text = re.sub(r"\s*(?:[-–—&]|\bva\b)\s*", "-", text)
    text = re.sub(r"[.;,:]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def new_unit(session: Session, name: str, **fields: Any) -> Unit:
    """A unit built with the catalogue's rules, added to *session* without a flush.
    The caller has made sure the name is new (:func:`create_unit`, :class:`UnitCatalogue`)."""
    name = nfc(name).strip()
    if not name:
        raise ServiceError("Tên đơn vị không được để trống.")
    if fields.get("kind", "other") not in UNIT_KINDS:
        raise ServiceError(f"Loại đơn vị không hợp lệ: {fields.get('kind')}")
    unit = Unit(name=name)
    apply_fields(unit, fields, UNIT_FIELDS)
    session.add(unit)
    return unit


def create_unit(session: Session, name: str, *, aliases: list[str] | None = None, **fields: Any) -> Unit:
    if find_unit(session, nfc(name).strip()) is not None:
        raise ServiceError(f"Đơn vị «{nfc(name).strip()}» đã có trong danh mục.")
    unit = new_unit(session, name, **fields)
    for alias in aliases or []:
        add_alias(session, unit, alias)
    session.flush()
    return unit


def update_unit(session: Session, uuid: str, **fields: Any) -> list[str]:
    unit = get(session, Unit, uuid)
    if "kind" in fields and fields["kind"] not in UNIT_KINDS:
        raise ServiceError(f"Loại đơn vị không hợp lệ: {fields['kind']}")
    changed = apply_fields(unit, fields, UNIT_FIELDS)
    if not unit.name:
        raise ServiceError("Tên đơn vị không được để trống.")
    session.flush()
    return changed


def add_alias(session: Session, unit: Unit, alias: str) -> UnitAlias | None:
    alias = nfc(alias).strip()
    if not alias or unit_key(alias) in {unit_key(unit.name)} | {
        unit_key(a.alias) for a in unit.aliases if a.deleted_at is None
    }:
        return None
    other = find_unit(session, alias)
    if other is not None and other is not unit:
        raise ServiceError(f"Tên gọi «{alias}» đã dùng cho đơn vị «{other.name}».")
    entry = UnitAlias(unit=unit, alias=alias)
    session.add(entry)
    session.flush()
    return entry


def remove_alias(session: Session, unit_uuid: str, alias: str) -> None:
    unit = get(session, Unit, unit_uuid)
    for entry in unit.aliases:
        if entry.deleted_at is None and unit_key(entry.alias) == unit_key(alias):
            tombstone(entry)
    session.flush()


def delete_unit(session: Session, uuid: str) -> None:
    tombstone(get(session, Unit, uuid))
    session.flush()


def restore_unit(session: Session, uuid: str) -> None:
    restore(get(session, Unit, uuid, include_deleted=True))
    session.flush()


def find_unit(session: Session, name: str) -> Unit | None:
    """The live unit whose name, short name or alias is *name* (any spelling)."""
    key = unit_key(name)
    if not key:
        return None
    folded = fold(name)
    candidates = session.scalars(
        select(Unit)
        .options(selectinload(Unit.aliases))
        .where(
            or_(
                Unit.search_text.like(like_pattern(folded.split(" ")[0]), escape="\\"),
                Unit.id.in_(select(UnitAlias.unit_id)),
            )
        )
    )
    for unit in candidates:
        spellings = [unit.name, unit.short_name] + [a.alias for a in unit.aliases if a.deleted_at is None]
        if any(s and unit_key(s) == key for s in spellings):
            return unit
    return None


class UnitCatalogue:
    """The live units loaded once and found by any spelling, the way :func:`find_unit` finds them:
    many lookups and creations without a query or a flush each (a whole plan is written at once)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Unit] = {}
        self.created: list[str] = []
        self.warnings: list[str] = []
        units = session.scalars(select(Unit).options(selectinload(Unit.aliases)))
        for unit in units:
            for spelling in [unit.name, unit.short_name, *(a.alias for a in unit.aliases if a.deleted_at is None)]:
                if spelling:
                    self.by_key.setdefault(unit_key(spelling), unit)

    def find(self, *spellings: str) -> Unit | None:
        for spelling in spellings:
            unit = self.by_key.get(unit_key(spelling))
            if unit is not None:
                return unit
        return None

    def ensure(self, name: str, *, aliases: list[str] | None = None, **fields: Any) -> Unit:
        """The unit called *name* (or one of *aliases*), created when the catalogue has none;
        spellings it does not know yet become its aliases (one already taken by another unit is
        left out, with a warning in :attr:`warnings`)."""
        aliases = list(aliases or [])
        unit = self.find(name, *aliases)
        if unit is None:
            unit = new_unit(self.session, name, **fields)
            self.by_key[unit_key(unit.name)] = unit
            self.created.append(unit.name)
        for alias in [name, *aliases]:
            alias = nfc(alias).strip()
            if not alias:
                continue
            owner = self.by_key.get(unit_key(alias))
            if owner is None:
                self.session.add(UnitAlias(unit=unit, alias=alias))
                self.by_key[unit_key(alias)] = unit
            elif owner is not unit:
                self.warnings.append(f"Tên gọi «{alias}» đã thuộc đơn vị «{owner.name}» trong danh mục: "
                                     f"không thêm cho «{unit.name}».")
        return unit


def units_query(search: str | None = None, kind: str | None = None, include_deleted: bool = False) -> Select:
    stmt = select(Unit)
    if include_deleted:
        stmt = stmt.execution_options(include_deleted=True)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if search and search.strip():
        pattern = like_pattern(search)
        stmt = stmt.where(
            or_(
                Unit.search_text.like(pattern, escape="\\"),
                select(UnitAlias.id)
                .where(UnitAlias.unit_id == Unit.id, UnitAlias.deleted_at.is_(None))  # tombstones: kept live when units are asked
                .where(UnitAlias.search_text.like(pattern, escape="\\"))
                .exists(),
            )
        )
    return stmt.order_by(Unit.position, Unit.sort_key)


def create_person(session: Session, name: str, **fields: Any) -> Person:
    name = nfc(name).strip()
    if not name:
        raise ServiceError("Họ tên không được để trống.")
    person = Person(name=name)
    apply_fields(person, fields, PERSON_FIELDS)
    session.add(person)
    session.flush()
    return person


def update_person(session: Session, uuid: str, **fields: Any) -> list[str]:
    person = get(session, Person, uuid)
    changed = apply_fields(person, fields, PERSON_FIELDS)
    if not person.name:
        raise ServiceError("Họ tên không được để trống.")
    session.flush()
    return changed


def delete_person(session: Session, uuid: str) -> None:
    tombstone(get(session, Person, uuid))
    session.flush()


def restore_person(session: Session, uuid: str) -> None:
    restore(get(session, Person, uuid, include_deleted=True))
    session.flush()


def find_person(session: Session, name: str) -> Person | None:
    key = fold(name)
    for person in session.scalars(
        select(Person).where(Person.search_text.like(like_pattern(name), escape="\\"))
    ):
        if fold(person.name) == key:
            return person
    return None


def people_query(search: str | None = None) -> Select:
    stmt = select(Person)
    if search and search.strip():
        stmt = stmt.where(Person.search_text.like(like_pattern(search), escape="\\"))
    return stmt.order_by(Person.sort_key)
