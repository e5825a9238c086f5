"""Shared indicators: the same city indicator in many communes' plans.

Indicators are proposed as the same when their match keys are equal (folded text
without the target's words, and the structured target: :mod:`.pillars`) and they
come from at least two communes.  The receiver confirms a group, moves an
indicator to another group, or leaves it out; each word is kept in
``rollup_matches`` (by the indicator's uuid) and wins over the computed key, so it
survives new packages.  The effective key is computed in SQL:
``COALESCE(rollup_matches.shared_key, rollup_indicators.match_key)``.

A shared indicator measured as a ratio (numerator / denominator) has a city-level
figure: Σ numerators / Σ denominators over the communes that gave both, never the
mean of their percentages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import PILLARS, Commune, Item, RollupIndicator, RollupMatch, utcnow
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.evaluation import fmt_number, meets


@dataclass(frozen=True)
class Member:
    item_uuid: str
    commune_uuid: str
    commune: str
    number: str
    content: str
    target_text: str
    value: float | None
    numerator: float | None
    denominator: float | None
    evaluation: str
    figure_text: str
    confirmed: bool
    corrected: bool  # moved here by the receiver (its own key differs)

    @property
    def met_text(self) -> str:
        return codes.EVALUATION_LABELS.get(self.evaluation, self.evaluation)

    @property
    def has_ratio(self) -> bool:
        return self.numerator is not None and bool(self.denominator)


@dataclass
class SharedIndicator:
    key: str
    title: str
    target_text: str
    pillar: str
    members: list[Member] = field(default_factory=list)
    comparator: str = "none"
    target_value: float | None = None
    target_value_max: float | None = None
    unit: str = ""

    @property
    def confirmed(self) -> bool:
        return bool(self.members) and all(m.confirmed for m in self.members)

    @property
    def pillar_label(self) -> str:
        return PILLARS.get(self.pillar, "")

    @property
    def ratio_members(self) -> list[Member]:
        return [m for m in self.members if m.has_ratio]

    @property
    def is_ratio(self) -> bool:
        return bool(self.ratio_members) and self.unit in ("%", "")

    @property
    def numerator(self) -> float | None:
        return sum(m.numerator or 0.0 for m in self.ratio_members) if self.is_ratio else None

    @property
    def denominator(self) -> float | None:
        return sum(m.denominator or 0.0 for m in self.ratio_members) if self.is_ratio else None

    @property
    def city_value(self) -> float | None:
        """Σ numerators / Σ denominators (%), over the communes that gave both."""
        num, den = self.numerator, self.denominator
        return 100.0 * num / den if num is not None and den else None

    @property
    def city_met(self) -> bool | None:
        value = self.city_value
        if value is None or self.target_value is None:
            return None
        return meets(self.comparator, value, self.target_value, self.target_value_max)

    @property
    def met_count(self) -> int:
        return sum(m.evaluation == codes.ACHIEVED for m in self.members)

    def city_text(self) -> str:
        value = self.city_value
        if value is None:
            return ""
        return f"{fmt_number(self.numerator or 0)}/{fmt_number(self.denominator or 0)} ({fmt_number(value)}%)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "target": self.target_text, "pillar": self.pillar,
            "confirmed": self.confirmed, "communes": len(self.members), "met": self.met_count,
            "ratio": self.is_ratio, "numerator": self.numerator, "denominator": self.denominator,
            "city_value": self.city_value, "city_met": self.city_met,
            "members": [{"item_uuid": m.item_uuid, "commune": m.commune, "value": m.value, "numerator": m.numerator,
                         "denominator": m.denominator, "evaluation": m.evaluation, "figure": m.figure_text,
                         "confirmed": m.confirmed} for m in self.members],
        }


def effective_key():
    return func.coalesce(RollupMatch.shared_key, RollupIndicator.match_key)


def _base(year: int | None):
    key = effective_key().label("key")
    stmt = (select(RollupIndicator, key, RollupMatch.confirmed, Commune.kind, Commune.name)
            .outerjoin(RollupMatch, RollupMatch.item_uuid == RollupIndicator.item_uuid)
            .join(Commune, Commune.uuid == RollupIndicator.commune_uuid))
    if year is not None:
        stmt = stmt.where(RollupIndicator.year == year)
    return stmt


def shared_keys(session: Session, year: int | None, min_communes: int = 2) -> list[str]:
    key = effective_key()
    stmt = (select(key).select_from(RollupIndicator)
            .outerjoin(RollupMatch, RollupMatch.item_uuid == RollupIndicator.item_uuid)
            .where(key != "")
            .group_by(key).having(func.count(RollupIndicator.commune_uuid.distinct()) >= min_communes))
    if year is not None:
        stmt = stmt.where(RollupIndicator.year == year)
    return list(session.scalars(stmt))


def shared_indicators(session: Session, year: int | None = None, min_communes: int = 2,
                      keys: list[str] | None = None) -> list[SharedIndicator]:
    """Shared indicators (those of at least *min_communes* communes), communes in name order."""
    wanted = keys if keys is not None else shared_keys(session, year, min_communes)
    if not wanted:
        return []
    stmt = _base(year).where(effective_key().in_(wanted)).order_by(
        Commune.name, RollupIndicator.commune_uuid, RollupIndicator.number, RollupIndicator.item_uuid)
    groups: dict[str, list[tuple[RollupIndicator, bool]]] = {}
    members: dict[str, list[Member]] = {}
    for indicator, key, confirmed, kind, name in session.execute(stmt):
        if any(m.commune_uuid == indicator.commune_uuid for m in members.get(key, [])):
            continue  # one indicator per commune (the first in the plan's order)
        groups.setdefault(key, []).append((indicator, bool(confirmed)))
        members.setdefault(key, []).append(Member(
            indicator.item_uuid, indicator.commune_uuid, f"{kind} {name}".strip(), indicator.number,
            indicator.content, indicator.target_text, indicator.value, indicator.numerator, indicator.denominator,
            indicator.evaluation, indicator.figure_text, bool(confirmed), key != indicator.match_key))
    first_items = [found[0][0].item_uuid for found in groups.values()]
    targets = {row.uuid: row for row in session.execute(
        select(Item.uuid, Item.target_comparator, Item.target_value, Item.target_value_max, Item.target_unit)
        .where(Item.uuid.in_(first_items)))}
    out = []
    for key, found in groups.items():
        titles = Counter(i.content for i, _ in found)
        target_texts = Counter(i.target_text for i, _ in found)
        pillars = Counter(i.pillar for i, _ in found)
        target = targets.get(found[0][0].item_uuid)
        out.append(SharedIndicator(
            key, titles.most_common(1)[0][0], target_texts.most_common(1)[0][0], pillars.most_common(1)[0][0],
            members[key], comparator=target.target_comparator if target else "none",
            target_value=target.target_value if target else None,
            target_value_max=target.target_value_max if target else None,
            unit=found[0][0].target_unit))
    order = {"cqs": 0, "kts": 1, "xhs": 2}
    return sorted(out, key=lambda s: (order.get(s.pillar, 3), -len(s.members), s.title))


def unmatched_indicators(session: Session, year: int | None, text: str = "", limit: int = 200) -> list[Member]:
    """Indicators in no shared group (to add to one), optionally filtered by folded words."""
    from cds_desktop.text import fold

    shared = shared_keys(session, year)
    stmt = _base(year).where(effective_key().not_in(shared) if shared else effective_key() == effective_key())
    for word in fold(text).split():
        stmt = stmt.where(RollupIndicator.match_key.contains(word, autoescape=True))
    stmt = stmt.order_by(Commune.name, RollupIndicator.number).limit(limit)
    return [Member(i.item_uuid, i.commune_uuid, f"{kind} {name}".strip(), i.number, i.content, i.target_text,
                   i.value, i.numerator, i.denominator, i.evaluation, i.figure_text, bool(confirmed),
                   key != i.match_key)
            for i, key, confirmed, kind, name in session.execute(stmt)]


def _store(session: Session, item_uuid: str, key: str, confirmed: bool) -> None:
    if session.get(RollupIndicator, item_uuid) is None:
        raise ServiceError("Không tìm thấy chỉ tiêu này trong dữ liệu tổng hợp.")
    match = session.get(RollupMatch, item_uuid)
    if match is None:
        session.add(RollupMatch(item_uuid=item_uuid, shared_key=key, confirmed=confirmed, at=utcnow()))
    else:
        match.shared_key, match.confirmed, match.at = key, confirmed, utcnow()
    session.flush()


def confirm_shared(session: Session, key: str, year: int | None = None) -> int:
    """Confirm every member of the shared indicator *key*; returns how many."""
    found = shared_indicators(session, year, min_communes=1, keys=[key])
    if not found:
        raise ServiceError("Không tìm thấy chỉ tiêu dùng chung này.")
    for member in found[0].members:
        _store(session, member.item_uuid, key, True)
    return len(found[0].members)


def move_indicator(session: Session, item_uuid: str, key: str) -> None:
    """Put an indicator under the shared indicator *key* ("" leaves it out of every one)."""
    _store(session, item_uuid, key, True)


def forget_match(session: Session, item_uuid: str) -> None:
    """Back to the computed key."""
    session.execute(delete(RollupMatch).where(RollupMatch.item_uuid == item_uuid))


def load_shared(db: Database, year: int | None = None) -> list[SharedIndicator]:
    with db.session(source="ui") as session:
        return shared_indicators(session, year)


def store_confirmation(db: Database, key: str, year: int | None = None) -> int:
    with db.session(source="ui") as session:
        return confirm_shared(session, key, year)


def store_move(db: Database, item_uuid: str, key: str) -> None:
    with db.session(source="ui") as session:
        move_indicator(session, item_uuid, key)


def load_unmatched(db: Database, year: int | None = None, text: str = "") -> list[Member]:
    with db.session(source="ui") as session:
        return unmatched_indicators(session, year, text)
