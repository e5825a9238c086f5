"""The demo plan (Bát Tràng 2026), loaded from ``resources/demo``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from cds_desktop.database import Database
from cds_desktop.models import Plan
from cds_desktop.paths import resources_dir
from cds_desktop.services.plan_draft import DraftResult, load_draft

DEMO_FILE = "demo/bat_trang_2026.json"


def demo_path() -> Path:
    return resources_dir() / DEMO_FILE


def load_demo_draft() -> dict:
    return json.loads(demo_path().read_text(encoding="utf-8"))


def create_demo(db: Database) -> tuple[Plan, bool]:
    """Add the demo plan unless a plan with its number and year is already there.

    Returns ``(plan, created)``.
    """
    draft = load_demo_draft()
    with db.session(source="demo") as session:
        existing = session.scalar(
            select(Plan).where(
                Plan.number == draft["plan"]["number"], Plan.year == draft["plan"]["year"],
                )
        )
        if existing is not None:
            return existing, False
        result: DraftResult = load_draft(session, draft)
        return result.plan, True
