"""The evidence panel's actions, each one unit of work (Qt-free)."""

from __future__ import annotations

from cds_desktop.database import Database
from cds_desktop.services.evidence.attach import Target, unlink
from cds_desktop.services.evidence.link_targets import resolve_targets
from cds_desktop.services.evidence.queries import EvidenceRow, evidence_for_target


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
