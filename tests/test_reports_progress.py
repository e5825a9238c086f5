"""The progress report and the reminder list, on the demo plan with months of progress."""

from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.reports import (
    assert_in_order,
    font_problems,
    page_sizes,
    pdf_pages,
    pdf_text,
    sheet_strings,
    squash,
    top_margin_texts,
)

from cds_desktop.cli import main
from cds_desktop.models import Group, Item, Plan
from cds_desktop.reports import render_report
from cds_desktop.services.common import ServiceError
from cds_desktop.services.demo_progress import DEMO_TODAY
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.status import build_status


def _status(db, period: str | None):
    with db.session() as s:
        plan = s.scalar(select(Plan))
        report = build_status(s, plan, DEMO_TODAY, period)
        groups = {g.id: g.title for g in s.scalars(select(Group))}
        pillar = {r.info.id: groups.get(r.info.pillar_id) for r in report.indicators}
    return report, pillar


def test_progress_pdf_structure(progress_db, tmp_path):
    out = render_report(progress_db, "progress", "pdf", tmp_path / "p.pdf", period="2026-Q3", today=DEMO_TODAY)
    pages = pdf_pages(out)
    text = "\n".join(pages)
    lines = [line.strip() for line in text.splitlines()]
    for heading in ("ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Kết quả thực hiện Kế hoạch chuyển đổi số quý III/2026",
                    "I. KẾT QUẢ THỰC HIỆN", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Tiến Dũng", "Nơi nhận:",
                    "Phụ lục 01", "Phụ lục 02", "Phụ lục 03", "Phụ lục 04"):
        assert heading in lines, heading
    assert re.search(r"Số:\s{3,}/BC-UBND", text)
    assert re.search(r"Bát Tràng, ngày\s{3,}tháng\s{3,}năm 2026", text)
    assert "(số liệu tính đến ngày 18/09/2026)" in text.replace("\n", " ")
    # The body on portrait pages, the appendices on landscape pages.
    sizes = page_sizes(out)
    first_appendix = next(i for i, p in enumerate(pages) if "Phụ lục 01" in p.splitlines()[0:3])
    assert first_appendix >= 1
    assert all(w < h for w, h in sizes[:first_appendix]) and all(w > h for w, h in sizes[first_appendix:])
    # Page numbers from the second page of each part, restarting for every appendix.
    starts = [i for i, p in enumerate(pages) if i == 0 or re.search(r"^\s*Phụ lục 0\d\s*$", p, re.M)
              and "Kèm theo Báo cáo" in p]
    assert len(starts) == 5
    tops = top_margin_texts(out)
    for i, found in enumerate(tops):
        start = max(s for s in starts if s <= i)
        expected = [] if i == start else [str(i - start + 1)]
        assert [t for t, _ in found] == expected, (i, found)
    assert not font_problems(out)


def test_progress_figures_match_the_tracking_services(progress_db, tmp_path):
    report, pillar = _status(progress_db, "2026-Q3")
    out = render_report(progress_db, "progress", "xlsx", tmp_path / "p.xlsx", period="2026-Q3", today=DEMO_TODAY)
    wb = load_workbook(out)
    assert [ws.title for ws in wb.worksheets] == ["Báo cáo", "Phụ lục 01", "Phụ lục 02", "Phụ lục 03", "Phụ lục 04"]
    body = wb["Báo cáo"]
    assert body.page_setup.orientation == "portrait" and not body.print_title_rows
    # Indicators achieved per pillar.
    rows = {r[1].value: [c.value for c in r] for r in body.iter_rows() if r[1].value in set(pillar.values())}
    for title in set(pillar.values()):
        ids = [i for i, t in pillar.items() if t == title]
        results = [r for r in report.indicators if r.info.id in ids]
        achieved = sum(r.evaluation.code == codes.ACHIEVED for r in results)
        not_achieved = sum(r.evaluation.code == codes.NOT_ACHIEVED for r in results)
        assert rows[title][2:5] == [len(ids), achieved, not_achieved]
    # Tasks by status.
    statuses = {codes.status_label(t.status) for t in report.tasks}
    texts = sheet_strings(body)
    for label in statuses:
        count = sum(codes.status_label(t.status) == label for t in report.tasks)
        row = next(r for r in body.iter_rows() if r[1].value == label)
        assert [c.value for c in row if c.value is not None][2] == count
    assert "Tổng cộng" in texts
    # Indicators: target, value and evaluation of every indicator, in plan order.
    ind = wb["Phụ lục 01"]
    assert ind.page_setup.orientation == "landscape" and ind.print_title_rows
    by_content = {r[1].value: [c.value for c in r] for r in ind.iter_rows() if r[1].value}
    for result in report.indicators:
        row = by_content[result.info.content]
        assert row[3] == (result.figure_text or None)
        assert row[4] == result.evaluation.label
    assert_in_order("\n".join(str(r[1].value) for r in ind.iter_rows() if r[1].value),
                    [r.info.content for r in report.indicators])
    # Tasks: status and the evidence column.
    tasks = wb["Phụ lục 02"]
    header = [c.value for c in tasks[int(tasks.print_title_rows.split(":")[0].lstrip("$"))]]
    assert header == ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Kết quả thực hiện",
                      "Minh chứng", "Khó khăn, vướng mắc"]
    by_task = {r[1].value: [c.value for c in r] for r in tasks.iter_rows() if r[1].value}
    for task in report.tasks:
        row = by_task[task.info.content]
        assert row[4].startswith(task.label)
        assert row[6] == 0
    assert any("Chưa có hướng dẫn định mức" in str(r[7]) for r in by_task.values())
    # Late items and units without reports.
    late = sheet_strings(wb["Phụ lục 03"])
    for w in report.warnings:
        if w.kind in (codes.OVERDUE, codes.BEHIND_SCHEDULE, codes.AT_RISK):
            assert any(t.startswith(("Nhiệm vụ " if w.item_kind == "task" else "Chỉ tiêu ") + w.item_ref + ":")
                       for t in late)
    missing = sheet_strings(wb["Phụ lục 04"])
    for name in {w.unit_name for w in report.warnings if w.kind == codes.MISSING_REPORT}:
        assert name in missing
    assert "Trạm Y tế xã" in missing
    for ws in wb.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_evidence_count_per_task(progress_db, tmp_path):
    from cds_desktop.services.evidence import EvidenceMetadata, attach_files

    with progress_db.session() as s:
        task = s.scalar(select(Item).where(Item.kind == "task").order_by(Item.position))
        task_uuid, content = task.uuid, task.content
    files = []
    for n in range(3):
        path = tmp_path / f"bien_ban_{n}.txt"
        path.write_text(f"Biên bản họp số {n}", encoding="utf-8")
        files.append(path)
    attach_files(progress_db, files[:2], [("item", task_uuid)], EvidenceMetadata(period="2026-09"))
    attach_files(progress_db, files[2:], [("item", task_uuid)], EvidenceMetadata(period="2026-03"))  # other period
    out = render_report(progress_db, "progress", "xlsx", tmp_path / "e.xlsx", period="2026-Q3", today=DEMO_TODAY)
    ws = load_workbook(out)["Phụ lục 02"]
    row = next([c.value for c in r] for r in ws.iter_rows() if r[1].value == content)
    assert row[6] == 2


def test_reminder_list_per_unit(progress_db, tmp_path):
    report, _ = _status(progress_db, "2026-Q3")
    expected: dict[str, set[str]] = {}
    for w in report.warnings:
        if w.kind in (codes.OVERDUE, codes.MISSING_REPORT):
            expected.setdefault(w.unit_name, set()).add(w.item_ref)
    out = render_report(progress_db, "reminders", "xlsx", tmp_path / "r.xlsx", period="2026-Q3", today=DEMO_TODAY)
    ws = load_workbook(out).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    found: dict[str, set[str]] = {}
    unit = None
    start = int(ws.print_title_rows.split(":")[0].lstrip("$")) + 1
    for row in ws.iter_rows(min_row=start):
        first, second = row[0].value, row[1].value
        if isinstance(first, str) and second and re.fullmatch(r"[IVX]+", first):
            unit = re.sub(r" \(\d+ nội dung\)$", "", second)
        elif isinstance(first, int) and second:
            found.setdefault(unit, set()).add(second.split(":")[0].rsplit(" ", 1)[1])
    assert found == expected
    texts = sheet_strings(ws)
    assert "DANH SÁCH" in texts and "CÁC ĐƠN VỊ CÓ NHIỆM VỤ QUÁ HẠN, CHƯA GỬI BÁO CÁO" in texts
    assert any(t.startswith("(Kèm theo Công văn số") for t in texts)

    pdf = render_report(progress_db, "reminders", "pdf", tmp_path / "r.pdf", period="2026-Q3", today=DEMO_TODAY)
    text = pdf_text(pdf)
    assert_in_order(text, [name for name in found])
    assert all(w > h for w, h in page_sizes(pdf))
    assert not font_problems(pdf)


def test_reminders_for_one_unit_and_when_nothing_is_late(progress_db, tmp_path):
    out = render_report(progress_db, "reminders", "pdf", tmp_path / "one.pdf", period="2026-Q3", today=DEMO_TODAY,
                        unit_uuid="Trạm Y tế xã")
    text = squash(pdf_text(out))
    assert squash("Trạm Y tế xã") in text and squash("Văn phòng HĐND-UBND (") not in text
    early = render_report(progress_db, "reminders", "pdf", tmp_path / "early.pdf", period="2026-04",
                          today=date(2026, 4, 10))
    assert squash("Không có đơn vị nào cần đôn đốc") in squash(pdf_text(early))


def test_progress_needs_reporting_periods(demo_db, tmp_path):
    with pytest.raises(ServiceError, match="kỳ báo cáo"):
        render_report(demo_db, "progress", "pdf", tmp_path / "x.pdf", today=DEMO_TODAY)
    assert not (tmp_path / "x.pdf").exists()


def test_cli_progress_and_bad_period(progress_db, tmp_path, capsys):
    data_dir = str(progress_db.paths.data_dir)
    progress_db.close()
    out = tmp_path / "bc.pdf"
    assert main(["report", "progress", "--period", "2026-Q3", "--today", "2026-09-18", "--out", str(out),
                 "--data-dir", data_dir]) == 0
    assert "Phụ lục 04" in pdf_text(out)
    capsys.readouterr()
    assert main(["report", "reminders", "--period", "2026-13", "--out", str(tmp_path / "x.pdf"),
                 "--data-dir", data_dir]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: ") and "2026-13" in err and len(err.splitlines()) == 1
    assert main(["report", "phu-luc-01", "--period", "2026-Q3", "--out", str(tmp_path / "y.pdf"),
                 "--data-dir", data_dir]) != 0
