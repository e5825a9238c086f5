"""What the evidence panel and library do, each action one unit of work (Qt-free)."""

from __future__ import annotations

from cds_desktop.database import Database
from cds_desktop.services.evidence.attach import Target, delete_evidence, unlink, update_evidence
from cds_desktop.services.evidence.link_targets import resolve_targets
from cds_desktop.services.evidence.queries import (
    EvidenceFilter,
    EvidenceRow,
    FilterChoices,
    evidence_for_target,
    evidence_rows,
    filter_choices,
)


def target_label(db: Database, target: Target) -> str:
    """How the record an evidence proves is named ("Nhiệm vụ II.1. Triển khai…"); '' if unknown."""
    with db.session(source="ui") as session:
        info = resolve_targets(session, [target]).get(target)
        return info.label if info else ""


def evidence_of(db: Database, target: Target) -> list[EvidenceRow]:
    with db.session(source="ui") as session:
        return evidence_for_target(session, *target)


def unlink_evidence(db: Database, evidence_uuid: str, target: Target) -> bool:
    """Remove one link; True when the evidence itself was deleted (nothing links to it any more)."""
    with db.session(source="ui") as session:
        return unlink(session, evidence_uuid, target)


def library_choices(db: Database, plan_uuid: str | None) -> FilterChoices:
    """The evidence library's filter choices for a plan (or every plan)."""
    with db.session(source="ui") as session:
        return filter_choices(session, plan_uuid or None)


def library_rows(db: Database, flt: EvidenceFilter) -> list[EvidenceRow]:
    with db.session(source="ui") as session:
        return evidence_rows(session, flt)


def delete_evidence_in(db: Database, evidence_uuid: str) -> None:
    """Delete an evidence and its links (tombstones, kept for exchange and restore)."""
    with db.session(source="ui") as session:
        delete_evidence(session, evidence_uuid)


def edit_evidence(db: Database, evidence_uuid: str, **fields: object) -> list[str]:
    """Change an evidence's description, date, period, unit…; returns the fields changed."""
    with db.session(source="ui") as session:
        return update_evidence(session, evidence_uuid, **fields)
