"""Write an imported plan draft into the database, in the caller's session (one transaction).

The rules (create or merge, units matched through the catalogue, nothing
duplicated, nothing deleted) are those of :func:`services.plan_draft.write_draft`,
the one path every plan draft takes; an import adds only what the document
*states*: plan fields it leaves out are not cleared when merging.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cds_desktop.services.plan_draft import DraftResult, catalogue_matches, find_plan, write_draft

ApplyResult = DraftResult


def apply_draft(session: Session, draft: dict[str, Any], *, plan_uuid: str | None = None,
                stated: set[str] | None = None) -> DraftResult:
    """Create or merge the plan of an imported *draft* (see :func:`services.plan_draft.write_draft`)."""
    return write_draft(session, draft, plan_uuid=plan_uuid, stated=stated)


__all__ = ["ApplyResult", "apply_draft", "catalogue_matches", "find_plan"]
