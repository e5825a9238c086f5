"""SQLAlchemy 2 ORM models: one declarative base, ``Mapped[...]`` columns."""

from cds_desktop.models.access import ROLE_ADMIN, ROLE_COMMUNE, ROLE_LABELS, ROLE_READER, UserRole
from cds_desktop.models.assignment import COORDINATING, LEAD, ROLES, Assignment
from cds_desktop.models.audit import AUDIT_ACTIONS, AuditEntry, Setting
from cds_desktop.models.base import Base, Synced, new_uuid, utcnow
from cds_desktop.models.catalog import UNIT_KINDS, Person, Unit, UnitAlias
from cds_desktop.models.evidence import (
    EVIDENCE_KINDS,
    TARGET_INDICATOR_VALUE,
    TARGET_ITEM,
    TARGET_TASK_PROGRESS,
    TARGET_TYPES,
    Evidence,
    EvidenceLink,
)
from cds_desktop.models.exchange import DIRECTIONS, ExchangeClock, ExchangeHistory
from cds_desktop.models.plan import (
    INDICATOR,
    ITEM_KINDS,
    SECTION_INDICATORS,
    SECTION_OF_KIND,
    SECTION_TASKS,
    TASK,
    Commune,
    Group,
    Item,
    Plan,
)
from cds_desktop.models.rollup import (
    PILLARS,
    RECEIVING_MODE_KEY,
    RollupFigure,
    RollupIndicator,
    RollupMatch,
    RollupSource,
)
from cds_desktop.models.tracking import (
    MEASURES,
    PERIOD_KINDS,
    IndicatorValue,
    ItemTracking,
    PeriodLock,
    ReportingCalendar,
    ReportingPeriod,
    ReportRequirement,
    SavedFilter,
    TaskProgress,
    VillageCheck,
)

__all__ = [
    "AUDIT_ACTIONS", "COORDINATING", "INDICATOR", "ITEM_KINDS", "LEAD", "ROLES", "SECTION_INDICATORS",
    "SECTION_OF_KIND", "SECTION_TASKS", "TASK", "UNIT_KINDS", "Assignment", "AuditEntry", "Base", "Commune",
    "Group", "Item", "Person", "Plan", "Setting", "Synced", "Unit", "UnitAlias", "new_uuid", "utcnow",
    # evidence (minh chứng)
    "EVIDENCE_KINDS", "TARGET_INDICATOR_VALUE", "TARGET_ITEM", "TARGET_TASK_PROGRESS", "TARGET_TYPES",
    "Evidence", "EvidenceLink",
    # tracking (reporting periods, progress, indicator values)
    "MEASURES", "PERIOD_KINDS", "IndicatorValue", "ItemTracking", "PeriodLock", "ReportingCalendar",
    "ReportingPeriod", "ReportRequirement", "SavedFilter", "TaskProgress", "VillageCheck",
    # exchange bookkeeping (local, never exchanged)
    "DIRECTIONS", "ExchangeClock", "ExchangeHistory",
    # receiving mode (local, never exchanged)
    # roles on a shared database (local, never exchanged)
    "ROLE_ADMIN", "ROLE_COMMUNE", "ROLE_LABELS", "ROLE_READER", "UserRole",
    "PILLARS", "RECEIVING_MODE_KEY", "RollupFigure", "RollupIndicator", "RollupMatch", "RollupSource",
]
