"""The progress report (báo cáo kết quả thực hiện) for a month, quarter,
half-year or year, and the reminder list (danh sách đôn đốc), built on the
tracking services (:mod:`cds_desktop.services.tracking`).

The report: front matter on portrait pages (header, title, summary figures:
indicators achieved per pillar, tasks by status, reporting discipline,
difficulties and proposals the units wrote, recipients and signature), then
four landscape appendices, each numbered from its own first page: indicators
with target, value and evaluation; tasks with status, result, evidence count
and difficulties; the late items; the units that have not reported.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS, Item, Plan
from cds_desktop.reports.appendix import plan_header
from cds_desktop.reports.document import (
    GROUP,
    LANDSCAPE,
    PORTRAIT,
    TOTAL,
    Column,
    DocHeader,
    Para,
    ReportDocument,
    Row,
    Section,
    Signature,
    TableBlock,
    normalize_document,
)
from cds_desktop.reports.loading import GroupNode, Progress, SectionTree, no_progress, section_tree
from cds_desktop.reports.progress_data import ProgressData, progress_data
from cds_desktop.reports.reminders import build_reminders
from cds_desktop.reports.wording import BLANK_NUMBER, commune_words, date_words, plan_reference, upper
from cds_desktop.services.targets import display_target
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.calendar import lower_first, make_spec, period_label
from cds_desktop.services.tracking.evaluation import fmt_number

log = logging.getLogger(__name__)

TASK_ORDER = (codes.DONE, codes.DONE_LATE, codes.IN_PROGRESS, codes.BEHIND, codes.NOT_STARTED, codes.PAUSED,
              codes.CANCELLED, codes.NO_REPORT)
EVALUATION_ORDER = (codes.ACHIEVED, codes.NOT_ACHIEVED, codes.NO_DATA, codes.NOT_EVALUABLE)


def _col(key: str, header: str, weight: float, align: str = "left", min_mm: float = 0.0,
         numeric: bool = False) -> Column:
    return Column(key, header, weight, align, min_mm, numeric)  # type: ignore[arg-type]


def _percent(part: int, whole: int) -> str:
    return fmt_number(100 * part / whole) + "%" if whole else ""


def tree_rows(tree: SectionTree, n: int, row_for: Callable[[Item], list[str] | None]) -> list[Row]:
    """Group rows and item rows in document order (items for which *row_for* gives None are left out)."""
    rows: list[Row] = []

    def walk(node: GroupNode) -> None:
        body: list[Row] = []
        for item in node.items:
            cells = row_for(item)
            if cells is not None:
                body.append(Row(cells))
        start = len(rows)
        for child in node.children:
            walk(child)
        children = rows[start:]
        del rows[start:]
        if node.group is not None and (body or children):
            rows.append(Row([node.group.label, node.group.title] + [""] * (n - 2), GROUP))
        rows.extend(body)
        rows.extend(children)

    walk(tree.root)
    return rows


def report_attached(plan: Plan) -> str:
    return (f"(Kèm theo Báo cáo số{BLANK_NUMBER}/BC-UBND {date_words(None, plan.year)} "
            f"của UBND {commune_words(plan)})")


# --------------------------------------------------------------------------
# Front matter


def _indicator_summary(data: ProgressData, tree: SectionTree) -> TableBlock:
    evaluation = {r.info.id: r.evaluation.code for r in data.status.indicators}
    columns = [_col("number", "STT", 0, "center", 11), _col("pillar", "Trụ cột, lĩnh vực", 3.0),
               _col("total", "Tổng số chỉ tiêu", 1.1, "center", numeric=True)] + [
        _col(code, codes.EVALUATION_LABELS[code], 1.1, "center", numeric=True) for code in EVALUATION_ORDER]
    rows: list[Row] = []
    total: Counter[str] = Counter()
    groups = [n for n in tree.top_groups if n.count()] + ([tree.root] if tree.root.items else [])
    for number, node in enumerate(groups, start=1):
        ids = [i.id for sub in node.walk() for i in sub.items] if node is not tree.root else \
            [i.id for i in node.items]
        counts = Counter(evaluation.get(i, codes.NO_DATA) for i in ids)
        total.update(counts)
        title = node.group.title if node.group is not None else "Chỉ tiêu khác"
        rows.append(Row([str(number), title, str(len(ids))] + [str(counts[c]) for c in EVALUATION_ORDER]))
    rows.append(Row(["", "Tổng cộng", str(sum(total.values()))] + [str(total[c]) for c in EVALUATION_ORDER], TOTAL))
    return TableBlock(columns, [[c.header for c in columns]], rows, font_size=12)


def _task_summary(data: ProgressData) -> TableBlock:
    counts = Counter(t.status for t in data.status.tasks)
    whole = len(data.status.tasks)
    columns = [_col("number", "STT", 0, "center", 11), _col("status", "Tình trạng thực hiện", 3.0),
               _col("count", "Số nhiệm vụ", 1.2, "center", numeric=True), _col("share", "Tỷ lệ", 1.2, "center")]
    rows = [
        Row([str(n), codes.status_label(code), str(counts[code]), _percent(counts[code], whole)])
        for n, code in enumerate((c for c in TASK_ORDER if counts[c]), start=1)
    ]
    rows.append(Row(["", "Tổng cộng", str(whole), "100%" if whole else ""], TOTAL))
    return TableBlock(columns, [[c.header for c in columns]], rows, font_size=12)


def _discipline(data: ProgressData) -> list[str]:
    """Sentences on reporting: how many units reported in each reporting period due in the report period."""
    lines = []
    completeness = data.status.completeness
    for code in data.status.missing_periods:
        counted = [u for u in completeness.units if u.cell(code).counted]
        if not counted:
            continue
        sent = [u for u in counted if u.cell(code).reported]
        on_time = [u for u in counted if u.cell(code).state == codes.ON_TIME]
        missing = [u.name for u in counted if u.cell(code).state == codes.MISSING]
        line = (f"- {period_label(code)}: {len(sent)}/{len(counted)} đơn vị đã gửi báo cáo "
                f"({len(on_time)} đơn vị đúng hạn)")
        line += f"; chưa gửi: {', '.join(missing)}." if missing else "."
        lines.append(line)
    if not lines:
        lines.append("- Chưa đến hạn báo cáo của kỳ này.")
    return lines


def _unit_texts(data: ProgressData, attr: str) -> list[str]:
    seen: dict[str, list[str]] = {}
    for found in data.reports.values():
        for report in found:
            text = getattr(report, attr).strip()
            if text and text not in seen.setdefault(report.unit_name, []):
                seen[report.unit_name].append(text)
    return [f"- {unit}: {' '.join(texts)}" for unit, texts in seen.items()]


def front_matter(session: Session, data: ProgressData, ind_tree: SectionTree) -> Section:
    plan = data.plan
    status = data.status
    section = Section(name="Báo cáo", orientation=PORTRAIT)
    header = plan_header(plan)
    section.add(
        DocHeader(header.body_lines, header.body_bold, f"Số:{BLANK_NUMBER}/BC-UBND",
                  f"{plan.place or plan.commune.name}, {date_words(None, status.today.year)}"),
        Para("BÁO CÁO", "label"),
        Para(f"Kết quả thực hiện Kế hoạch chuyển đổi số {data.period_text}", "subtitle"),
        Para(
            f"Thực hiện {plan_reference(plan)} về {plan.title[:1].lower() + plan.title[1:] if plan.title else 'chuyển đổi số'}, "
            f"UBND {commune_words(plan)} báo cáo kết quả thực hiện {data.period_text} (số liệu tính đến ngày "
            f"{status.today:%d/%m/%Y}) như sau:", "body"),
        Para("I. KẾT QUẢ THỰC HIỆN", "heading"),
    )
    achieved = sum(r.evaluation.code == codes.ACHIEVED for r in status.indicators)
    finished = sum(t.status in (codes.DONE, codes.DONE_LATE) for t in status.tasks)
    section.add(
        Para(f"1. Các chỉ tiêu: {achieved}/{len(status.indicators)} chỉ tiêu đạt "
             f"({_percent(achieved, len(status.indicators)) or '0%'}); chi tiết tại Phụ lục 01.", "body"),
        _indicator_summary(data, ind_tree),
        Para(f"2. Các nhiệm vụ: {finished}/{len(status.tasks)} nhiệm vụ đã hoàn thành; chi tiết tại Phụ lục 02.",
             "body"),
        _task_summary(data),
        Para("3. Chế độ báo cáo của các đơn vị (chi tiết tại Phụ lục 04):", "body"),
    )
    section.add(*(Para(line, "body") for line in _discipline(data)))
    late = data.late_warnings()
    section.add(Para("II. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC", "heading"))
    overdue = len({w.item_uuid for w in late if w.kind == codes.OVERDUE})
    behind = len({w.item_uuid for w in late if w.kind == codes.BEHIND_SCHEDULE})
    risk = len({w.item_uuid for w in late if w.kind == codes.AT_RISK})
    section.add(Para(f"- Có {overdue} nhiệm vụ quá hạn, {behind} nhiệm vụ chậm tiến độ, {risk} nhiệm vụ có nguy cơ "
                     "chậm muộn (chi tiết tại Phụ lục 03).", "body"))
    section.add(*(Para(line, "body") for line in _unit_texts(data, "difficulties")))
    proposals = _unit_texts(data, "proposals")
    if proposals:
        section.add(Para("III. ĐỀ XUẤT, KIẾN NGHỊ", "heading"), *(Para(line, "body") for line in proposals))
    section.add(Para(f"Trên đây là báo cáo kết quả thực hiện Kế hoạch chuyển đổi số {data.period_text} của "
                     f"UBND {commune_words(plan)}./.", "body"))
    section.add(Signature(
        recipients=["UBND Thành phố (để b/c);", "Sở Khoa học và Công nghệ (để b/c);",
                    "TT Đảng ủy, TT HĐND xã (để b/c);", "Lãnh đạo UBND xã;", "Lưu: VT, VHXH."],
        authority=plan.authority, position=plan.position, signer=plan.signer,
    ))
    return section


# --------------------------------------------------------------------------
# Appendices


def _appendix(plan: Plan, number: int, title: str, table: TableBlock, *extra: Para) -> Section:
    label = f"Phụ lục {number:02d}"
    section = Section(name=label, orientation=LANDSCAPE)
    section.add(Para(label, "label"), Para(upper(title), "title"), Para(report_attached(plan), "attached"), *extra,
                table)
    return section


def indicators_appendix(data: ProgressData, tree: SectionTree) -> Section:
    results = {r.info.id: r for r in data.status.indicators}
    columns = [_col("number", "TT", 0, "center", 11), _col("content", "Chỉ tiêu", 4.5, "left", 45),
               _col("target", "Mục tiêu", 1.2, "center"), _col("value", "Kết quả thực hiện", 1.6, "center"),
               _col("evaluation", "Đánh giá", 1.2, "center"), _col("lead", "Đơn vị chủ trì", 1.6, "center"),
               _col("note", "Ghi chú", 2.0)]

    def row(item: Item) -> list[str] | None:
        result = results.get(item.id)
        if result is None:
            return None
        note = ""
        code = result.figure.period_code
        if code and make_spec(code).end < data.status.period.start:  # figure of an earlier period
            note = f"Số liệu {lower_first(period_label(code))}."
        if result.evaluation.code in (codes.NOT_EVALUABLE, codes.NO_DATA):
            note = (note + " " + result.evaluation.detail).strip()
        return [item.local_number or item.number, item.content, display_target(item),
                result.figure_text, result.evaluation.label, item.lead_text, note]

    table = TableBlock(columns, [[c.header for c in columns]], tree_rows(tree, len(columns), row), font_size=11)
    return _appendix(data.plan, 1, f"Kết quả thực hiện các chỉ tiêu {data.period_text}", table)


def tasks_appendix(data: ProgressData, tree: SectionTree) -> Section:
    statuses = {t.info.id: t for t in data.status.tasks}
    columns = [_col("number", "TT", 0, "center", 11), _col("content", "Nhiệm vụ", 3.4, "left", 40),
               _col("lead", "Đơn vị chủ trì", 1.3, "center"), _col("deadline", "Thời hạn", 1.0, "center"),
               _col("status", "Tình trạng", 1.2, "center"), _col("result", "Kết quả thực hiện", 3.0),
               _col("evidence", "Minh chứng", 0, "center", 20, numeric=True), _col("difficulties", "Khó khăn, vướng mắc", 2.0)]

    def row(item: Item) -> list[str] | None:
        task = statuses.get(item.id)
        if task is None:
            return None
        state = task.label + (f" ({fmt_number(task.percent)}%)" if task.percent is not None
                              and task.status not in (codes.DONE, codes.DONE_LATE, codes.NO_REPORT) else "")
        reports = data.reports.get(item.id, [])
        several = len(reports) > 1

        def joined(attr: str) -> str:
            texts = [(r.unit_short, getattr(r, attr).strip()) for r in reports if getattr(r, attr).strip()]
            return "\n".join(f"{u}: {t}" if several else t for u, t in texts)

        return [item.local_number or item.number, item.content, item.lead_text, item.deadline_text, state,
                joined("result"), str(data.evidence.get(item.id, 0)), joined("difficulties")]

    table = TableBlock(columns, [[c.header for c in columns]], tree_rows(tree, len(columns), row), font_size=11)
    return _appendix(data.plan, 2, f"Kết quả thực hiện các nhiệm vụ {data.period_text}", table,
                     Para("Cột «Minh chứng»: số tệp minh chứng gắn với nhiệm vụ hoặc với báo cáo tiến độ của "
                          "nhiệm vụ trong kỳ.", "remark"))


def late_appendix(data: ProgressData) -> Section:
    columns = [_col("number", "STT", 0, "center", 11), _col("item", "Chỉ tiêu, nhiệm vụ", 4.0, "left", 40),
               _col("unit", "Đơn vị", 1.6, "center"), _col("deadline", "Thời hạn", 1.2, "center"),
               _col("kind", "Cảnh báo", 1.1, "center"), _col("message", "Chi tiết", 3.0)]
    deadlines = {i.uuid: i.deadline_text for i in data.status.infos.values()}
    rows = [
        Row([str(n), f"{'Nhiệm vụ' if w.item_kind == 'task' else 'Chỉ tiêu'} {w.item_ref}: {w.item_content}",
             w.unit_name, deadlines.get(w.item_uuid, ""), w.kind_label, w.message])
        for n, w in enumerate(data.late_warnings(), start=1)
    ]
    table = TableBlock(columns, [[c.header for c in columns]], rows, font_size=11,
                       empty_text="Không có chỉ tiêu, nhiệm vụ nào chậm, quá hạn.")
    return _appendix(data.plan, 3, "Các nhiệm vụ quá hạn, chậm tiến độ, có nguy cơ chậm muộn", table)


def missing_appendix(data: ProgressData) -> Section:
    columns = [_col("number", "STT", 0, "center", 11), _col("unit", "Đơn vị", 2.0),
               _col("periods", "Kỳ báo cáo", 1.4, "center"), _col("state", "Tình trạng", 1.3, "center"),
               _col("items", "Chỉ tiêu, nhiệm vụ chưa có báo cáo", 5.0)]
    per_unit: dict[str, list] = {}
    for w in data.missing_warnings():
        per_unit.setdefault(w.unit_name, []).append(w)
    cells = {u.name: u for u in data.status.completeness.units}
    order = {name: k for k, name in enumerate(cells)}  # departments first, villages last
    rows = []
    for n, (unit, found) in enumerate(sorted(per_unit.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])),
                                      start=1):
        period_codes = list(dict.fromkeys(w.period_code for w in found))
        row = cells.get(unit)
        whole = [c for c in period_codes if row is not None and row.cell(c).state == codes.MISSING]
        state = "Chưa gửi báo cáo" if len(whole) == len(period_codes) else "Báo cáo còn thiếu"
        items = list(dict.fromkeys(
            f"{'Nhiệm vụ' if w.item_kind == 'task' else 'Chỉ tiêu'} {w.item_ref}" for w in found))
        rows.append(Row([str(n), unit, "\n".join(period_label(c) for c in period_codes), state, "; ".join(items)]))
    table = TableBlock(columns, [[c.header for c in columns]], rows, font_size=11,
                       empty_text="Các đơn vị đã gửi đủ báo cáo.")
    return _appendix(data.plan, 4, f"Các đơn vị chưa gửi báo cáo {data.period_text}", table)


def build_progress(session: Session, plan: Plan, data: ProgressData, progress: Progress = no_progress) -> ReportDocument:
    progress(1, 4, "Đang tổng hợp số liệu…")
    ind_tree = section_tree(session, plan, SECTION_INDICATORS)
    task_tree = section_tree(session, plan, SECTION_TASKS)
    sections = [front_matter(session, data, ind_tree)]
    progress(2, 4, "Đang lập các phụ lục…")
    sections += [indicators_appendix(data, ind_tree), tasks_appendix(data, task_tree), late_appendix(data),
                 missing_appendix(data)]
    doc = ReportDocument(
        title=f"Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số {data.period_text}", sections=sections,
        author=f"UBND {commune_words(plan)}", subject=plan.title,
    )
    return normalize_document(doc)  # type: ignore[return-value]


def build(session: Session, plan: Plan, kind: str, period: str | None, progress: Progress = no_progress,
          today: date | None = None, unit: str | None = None) -> ReportDocument:
    """The progress report (``kind="progress"``) or the reminder list (``"reminders"``)."""
    data = progress_data(session, plan, period, today or date.today())
    if kind == "progress":
        return build_progress(session, plan, data, progress)
    return build_reminders(session, plan, data, unit)

