"""The progress report and the reminder list (built on the tracking services)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cds_desktop.models import Plan
from cds_desktop.reports.document import ReportDocument
from cds_desktop.reports.loading import Progress, no_progress
from cds_desktop.services.common import ServiceError


def build(session: Session, plan: Plan, kind: str, period: str | None, progress: Progress = no_progress) -> ReportDocument:
    raise ServiceError("Báo cáo kết quả và danh sách đôn đốc cần chức năng theo dõi tiến độ, chưa có trong phiên bản này.")
