"""Evidence (minh chứng): the content-addressed store, attaching and linking files,
finding them, checking the store, and the evidence list report.  Qt-free.

- :mod:`.store` - ``<data_dir>/evidence/ab/cd/<sha256>``, crash-safe writes;
- :mod:`.attach` - :func:`attach_files`, link / unlink / delete / restore / edit;
- :mod:`.queries` - rows for the library, the item panel and the CLI;
- :mod:`.maintenance` - :func:`check_store` and :func:`gc`;
- :mod:`.report` - the content of "Danh mục minh chứng";
- :mod:`.link_targets` - what an evidence can prove, resolved by uuid;
- :mod:`.periods` - period codes ("2026-05", "2026-Q2") and their labels.

The names below are loaded on first use, so that :mod:`.store` and :mod:`.copying` can be
imported without SQLAlchemy and the models (the command line starts copying while they load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cds_desktop.lazy_names import lazy_getattr

if TYPE_CHECKING:
    from cds_desktop.database import Database
    from cds_desktop.services.evidence.attach import (
        AttachedFile,
        AttachResult,
        EvidenceMetadata,
        attach_files,
        delete_evidence,
        guess_kind,
        link,
        restore_evidence,
        unlink,
        update_evidence,
    )
    from cds_desktop.services.evidence.maintenance import GcResult, StoreCheck, check_store, gc
    from cds_desktop.services.evidence.queries import (
        EvidenceFilter,
        EvidenceRow,
        evidence_for_target,
        evidence_row,
        evidence_rows,
        filter_choices,
    )
    from cds_desktop.services.evidence.store import EvidenceStore, StoreCancelled

_WHERE = {
    **dict.fromkeys(("AttachedFile", "AttachResult", "EvidenceMetadata", "attach_files", "delete_evidence",
                     "guess_kind", "link", "restore_evidence", "unlink", "update_evidence"), "attach"),
    **dict.fromkeys(("GcResult", "StoreCheck", "check_store", "gc"), "maintenance"),
    **dict.fromkeys(("EvidenceFilter", "EvidenceRow", "evidence_for_target", "evidence_row", "evidence_rows",
                     "filter_choices"), "queries"),
    **dict.fromkeys(("EvidenceStore", "StoreCancelled"), "store"),
}

__all__ = [
    "AttachResult", "AttachedFile", "EvidenceFilter", "EvidenceMetadata", "EvidenceRow", "EvidenceStore",
    "GcResult", "StoreCancelled", "StoreCheck", "attach_files", "check_store", "delete_evidence",
    "evidence_for_target", "evidence_row", "evidence_rows", "filter_choices", "gc", "guess_kind", "link",
    "restore_evidence", "store_for", "unlink", "update_evidence",
]


__getattr__ = lazy_getattr(__name__, _WHERE, globals())


def store_for(db: Database) -> EvidenceStore:
    """The evidence store of an open database (beside it, in the data directory)."""
    from cds_desktop.services.evidence.store import EvidenceStore

    return EvidenceStore(db.evidence_dir)
