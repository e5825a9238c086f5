"""What an evidence can be linked to, resolved by ``(target_type, target_uuid)``.

Links are generic so that the evidence tables do not depend on the tables of
other features.  Each target type has a resolver that turns uuids into a
:class:`TargetInfo` (a label for the officer, the plan item behind the record,
and the unit and period the record belongs to).  ``item`` is built in; the
tracking records (``task_progress``, ``indicator_value``) are resolved through
their models when those models exist, found by table name, so this module
needs no import of them.  Another feature may register its own type with
:func:`register_target_type`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import (
    TARGET_INDICATOR_VALUE,
    TARGET_ITEM,
    TARGET_TASK_PROGRESS,
    TARGET_TYPES,
    Base,
    Item,
)
from cds_desktop.services.evidence.periods import period_label

LABEL_WIDTH = 90


@dataclass(frozen=True)
class TargetInfo:
    target_type: str
    uuid: str
    label: str  # what the officer reads: "Nhiệm vụ 3. Triển khai ..."
    item_uuid: str | None = None  # the plan item behind the record
    unit_id: int | None = None  # the unit the record belongs to, if any
    period: str = ""  # the period code the record belongs to, if any
    deleted: bool = False
    short: str = ""  # for narrow places: "Chỉ tiêu 3", "Nhiệm vụ 2 (báo cáo Tháng 5/2026)"


Resolver = Callable[[Session, list[str]], dict[str, TargetInfo]]
ItemExpander = Callable[[Session, Item], list[str]]


@dataclass(frozen=True)
class TargetType:
    code: str
    label: str
    resolve: Resolver
    of_item: ItemExpander | None = None  # uuids of this type's records that belong to an item
    available: Callable[[], bool] = lambda: True


_REGISTRY: dict[str, TargetType] = {}


def register_target_type(target: TargetType) -> None:
    _REGISTRY[target.code] = target


def target_type(code: str) -> TargetType | None:
    entry = _REGISTRY.get(code)
    return entry if entry is not None and entry.available() else None


def available_target_types() -> dict[str, str]:
    return {code: t.label for code, t in _REGISTRY.items() if t.available()}


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def item_head(item: Item) -> str:
    """"Chỉ tiêu 3" / "Nhiệm vụ 12"."""
    return f"{item.kind_label} {item.number or item.local_number}".strip()


def item_label(item: Item) -> str:
    return f"{item_head(item)}. {shorten(item.content)}"


def _resolve_items(session: Session, uuids: list[str]) -> dict[str, TargetInfo]:
    found = session.scalars(select(Item).where(Item.uuid.in_(uuids)).execution_options(include_deleted=True))
    return {
        item.uuid: TargetInfo(
            TARGET_ITEM, item.uuid, item_label(item), item.uuid, None, "", item.is_deleted, item_head(item)
        )
        for item in found
    }


register_target_type(TargetType(TARGET_ITEM, TARGET_TYPES[TARGET_ITEM], _resolve_items, lambda _s, item: [item.uuid]))


# -- records of other features, found through their models --------------------
def model_for_table(*table_names: str) -> type[Any] | None:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) in table_names:
            return mapper.class_
    return None


def _attr(obj: Any, *names: str) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None


_SHORT = {TARGET_TASK_PROGRESS: "báo cáo", TARGET_INDICATOR_VALUE: "số liệu"}


def _generic_resolver(code: str, tables: tuple[str, ...]) -> Resolver:
    def resolve(session: Session, uuids: list[str]) -> dict[str, TargetInfo]:
        model = model_for_table(*tables)
        if model is None:
            return {}
        result = {}
        for obj in session.scalars(select(model).where(model.uuid.in_(uuids)).execution_options(include_deleted=True)):
            item = _attr(obj, "item")
            period = _attr(obj, "period")  # a ReportingPeriod (tracking) or a code
            period = str(getattr(period, "code", period) or "")
            unit = _attr(obj, "unit")
            parts = [TARGET_TYPES.get(code, code)]
            if unit is not None and getattr(unit, "name", ""):
                parts.append(unit.name)
            if period:
                parts.append(period_label(period))
            label = " — ".join(parts)
            short = TARGET_TYPES.get(code, code)
            if isinstance(item, Item):
                label = f"{label}: {item_label(item)}"
                short = f"{item_head(item)} ({_SHORT.get(code, code)}{' ' + period_label(period) if period else ''})"
            result[obj.uuid] = TargetInfo(
                code, obj.uuid, label, item.uuid if isinstance(item, Item) else None,
                _attr(obj, "unit_id"), period, obj.deleted_at is not None, short,
            )
        return result

    return resolve


def _generic_of_item(tables: tuple[str, ...]) -> ItemExpander:
    def of_item(session: Session, item: Item) -> list[str]:
        model = model_for_table(*tables)
        if model is None or not hasattr(model, "item_id"):
            return []
        return list(session.scalars(select(model.uuid).where(model.item_id == item.id)
                                    .execution_options(include_deleted=True)))

    return of_item


for _code, _tables in (
    (TARGET_TASK_PROGRESS, ("task_progress",)),
    (TARGET_INDICATOR_VALUE, ("indicator_values",)),
):
    register_target_type(
        TargetType(
            _code, TARGET_TYPES[_code], _generic_resolver(_code, _tables), _generic_of_item(_tables),
            available=lambda t=_tables: model_for_table(*t) is not None,
        )
    )


def resolve_targets(session: Session, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], TargetInfo]:
    """Resolve ``(type, uuid)`` pairs; pairs that do not resolve are absent from the result."""
    by_type: dict[str, list[str]] = {}
    for kind, uuid in pairs:
        by_type.setdefault(kind, []).append(uuid)
    result: dict[tuple[str, str], TargetInfo] = {}
    for kind, uuids in by_type.items():
        entry = target_type(kind)
        if entry is None:
            continue
        for uuid, info in entry.resolve(session, sorted(set(uuids))).items():
            result[(kind, uuid)] = info
    return result


def targets_of_item(session: Session, item: Item) -> list[tuple[str, str]]:
    """Every ``(type, uuid)`` whose evidence counts as evidence of *item*."""
    pairs = []
    for code, entry in _REGISTRY.items():
        if entry.of_item is not None and entry.available():
            pairs.extend((code, uuid) for uuid in entry.of_item(session, item))
    return pairs
