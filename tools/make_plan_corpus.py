"""Make the plan corpus (``tests/fixtures/plans/``): documents and their expectations.

    .venv/bin/python tools/make_plan_corpus.py

- From the two seeds, by real transformations: the text turned into a Word document (tables cut where the
  pages were, wrapped rows joined back into their cells, a merged "STT/chi tiết" header over two number
  columns) and into Excel workbooks (appendices only, columns in another order). Their expectations are the
  seeds' hand-written expectations (``seed_*.expect.json``), with the plan data the new form still states.
- From the plans in ``tools/plan_corpus_data.py`` (invented communes, their own wording): text, Word and
  Excel documents with the layouts and the damage real files have (see each ``make_*`` below). Their
  expectations are written from the same plan data: what the document says, never the importer's output.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_corpus_data import PLANS, Appendix, Plan  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "plans"
ROMAN_GROUP = re.compile(r"^(?:[IVX]{1,4}|[A-H])\.?$")


# --- plan data -> rows of cells -----------------------------------------------------------------


def leader_cell(plan: Plan, name: str, style: str = "Đ/c {name}, {title}") -> str:
    return style.format(name=name, title=plan.people.get(name, "")).strip(" ,-") if name else ""


def grid(plan: Plan, apx: Appendix, *, group_styles: tuple[str, ...] = ("standard",), restart: bool = False,
         unit_sep: str = "; ", leader_style: str = "Đ/c {name}, {title}", target_in_cell=None) -> list[list[str]]:
    """The appendix table as rows of cells (header first).  Group rows as *group_styles* says, one per group:
    ``standard`` (numeral in the number column, title in the content column), ``onecell`` ("I. Title" in the
    first cell), ``split`` (numeral in the first cell, title in the second whatever that column is),
    ``nextline`` (the numeral alone on its row, the title on the next row)."""
    fields = [f for f, _ in apx.columns]
    width = len(fields)
    rows = [[h for _, h in apx.columns]]
    content = fields.index("content")
    running = 0
    for g_index, group in enumerate(apx.groups):
        style = group_styles[min(g_index, len(group_styles) - 1)]
        row = [""] * width
        if style == "standard":
            row[0], row[content] = group.label, group.title
        elif style == "onecell":
            row[0] = f"{group.label}. {group.title}"
        elif style == "split":
            row[0], row[1] = group.label, group.title
        elif style == "nextline":
            rows.append([group.label] + [""] * (width - 1))
            row[content] = group.title
        rows.append(row)
        for local, item in enumerate(group.rows, start=1):
            running += 1
            values = {"number": str(local if restart else running), "local": str(local), "content": item.content,
                      "target": target_in_cell(item) if target_in_cell else item.target,
                      "lead": unit_sep.join(item.lead), "coord": unit_sep.join(item.coord),
                      "leader": leader_cell(plan, item.leader, leader_style), "deadline": item.deadline,
                      "product": item.product, "note": item.note}
            rows.append([values.get(f, "") for f in fields])
    return rows


def date_words(plan: Plan) -> str:
    d, m, y = plan.date
    return f"ngày {d:02d} tháng {m} năm {y}"


def attached(plan: Plan) -> str:
    d, m, y = plan.date
    return f"(Kèm theo Kế hoạch số {plan.number} ngày {d}/{m}/{y} của UBND {plan.kind} {plan.commune})"


def front(plan: Plan) -> list[str]:
    """The plan's text before its appendices, one paragraph per line."""
    lines = ["ỦY BAN NHÂN DÂN", f"{plan.kind.upper()} {plan.commune.upper()}", f"Số: {plan.number}",
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             f"{plan.commune}, {date_words(plan)}", "", plan.kind_line, *plan.subject, ""]
    lines += [*plan.intro, "", "Nơi nhận:", *[f"- {r}" for r in plan.recipients], "", *plan.position, "(Đã ký)",
              "", plan.signer, ""]
    return lines


def heading(plan: Plan, apx: Appendix) -> list[str]:
    return [apx.label, apx.title, attached(plan), ""]


# --- expectations --------------------------------------------------------------------------------


def expect(plan: Plan, about: str, *, front_matter: bool = True, leaders: bool = True) -> dict:
    d, m, y = plan.date
    meta: dict = {"number": plan.number, "issue_date": f"{d:02d}/{m:02d}/{y}", "commune": plan.commune, "year": y}
    if front_matter:
        meta["title"] = " ".join(plan.subject)
        meta["signer"] = plan.signer
        if plan.kind_line.upper() != "KẾ HOẠCH":
            meta["kind"] = plan.kind_line[:1] + plan.kind_line[1:].lower()
    out: dict = {"about": about, "plan": meta, "counts": {"indicator": 0, "task": 0}, "groups": {}, "rows": []}
    for apx in plan.appendices:
        kind = "indicator" if apx.kind == "indicators" else "task"
        fields = {f for f, _ in apx.columns}
        out["groups"][apx.kind] = [[g.label, g.title, len(g.rows)] for g in apx.groups]
        running = 0
        restart = apx.kind == "tasks" and "local" in fields
        for group in apx.groups:
            for local, item in enumerate(group.rows, start=1):
                running += 1
                out["counts"][kind] += 1
                row = {"kind": kind, "group": group.title, "content": item.content,
                       "lead": item.lead, "coordinating": item.coord}
                row["number"] = str(running if not restart else local)
                if item.target:
                    row["target"] = item.target
                if "deadline" in fields:
                    row["deadline"] = item.deadline
                if "leader" in fields and leaders:
                    row["leader"] = item.leader
                out["rows"].append(row)
    return out


def numbers_restart(out: dict, kinds: tuple[str, ...]) -> dict:
    """Expectation numbers for tables that number rows within each group."""
    counters: dict[tuple[str, str], int] = {}
    for row in out["rows"]:
        if row["kind"] in kinds:
            key = (row["kind"], row["group"])
            counters[key] = counters.get(key, 0) + 1
            row["number"] = str(counters[key])
    return out


def write_expect(name: str, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    (OUT / f"{name}.expect.json").write_text(text + "\n", encoding="utf-8")


# --- writers -------------------------------------------------------------------------------------


def write_txt(path: Path, blocks: list) -> None:
    """*blocks*: paragraphs (str) and tables (list of rows; a row may be a str: a line written as is)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
        else:
            out += [r if isinstance(r, str) else "\t".join(c.replace("\n", " ") for c in r) for r in block]
            out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def docx_table(doc, rows: list[list[str]], *, header_rows: int = 1, vmerge: tuple[int, ...] = (),
               span_groups: bool = False, header_spans: dict[int, int] | None = None):
    """A Word table; *vmerge*: columns whose equal consecutive cells are merged down (within a group);
    *span_groups*: group titles spread over the rest of their row; *header_spans*: {column: span} in the
    header (the cells it covers are dropped from the header row)."""
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            parts = value.split("\n")
            cell.paragraphs[0].text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    for r in range(header_rows):
        _repeat_header(table.rows[r])
    for column, span in (header_spans or {}).items():
        text = table.cell(0, column).text
        merged = table.cell(0, column).merge(table.cell(0, column + span - 1))
        for p in merged.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        merged.paragraphs[0].text = text
    if span_groups:
        for r, values in enumerate(rows[header_rows:], start=header_rows):
            filled = [i for i, v in enumerate(values) if v.strip()]
            if len(filled) == 2 and ROMAN_GROUP.match(values[filled[0]].strip()) and filled[1] < width - 1:
                text = values[filled[1]]
                merged = table.cell(r, filled[1]).merge(table.cell(r, width - 1))
                for p in merged.paragraphs[1:]:
                    p._p.getparent().remove(p._p)
                merged.paragraphs[0].text = text
    for column in vmerge:
        r = header_rows
        while r < len(rows):
            end = r
            while (end + 1 < len(rows) and rows[end + 1][column] and rows[end + 1][column] == rows[r][column]
                   and not ROMAN_GROUP.match(rows[end + 1][0].strip())):
                end += 1
            if end > r and rows[r][column]:
                text = rows[r][column]
                merged = table.cell(r, column).merge(table.cell(end, column))
                for p in merged.paragraphs[1:]:
                    p._p.getparent().remove(p._p)
                merged.paragraphs[0].text = text
            r = end + 1
    return table


def write_docx(path: Path, blocks: list) -> None:
    """*blocks*: paragraphs (str), ``"\\f"`` (page break), and dicts ``{"rows": ..., **docx_table options}``."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for block in blocks:
        if block == "\f":
            doc.add_page_break()
        elif isinstance(block, str):
            doc.add_paragraph(block)
        else:
            options = dict(block)
            docx_table(doc, options.pop("rows"), **options)
    doc.core_properties.author = "cds-corpus"
    doc.save(path)


def write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[list], dict]]) -> None:
    """*sheets*: ``(name, title lines, table rows, options)``; options: ``merge_groups`` (group titles merged
    over the rest of the row), ``vmerge`` (columns merged down over equal cells), ``header_spans``,
    ``percent`` (columns whose "NN%" cells are stored as numbers formatted as percentages)."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, titles, rows, options in sheets:
        sheet = book.create_sheet(name)
        for line in titles:
            sheet.append([line])
        top = len(titles) + 1
        width = max(len(r) for r in rows)
        for line in titles:
            if line:
                r = titles.index(line) + 1
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        for values in rows:
            cells = []
            for c, value in enumerate(values):
                if c in options.get("percent", ()) and re.fullmatch(r"\d{1,3}%", value or ""):
                    cells.append(int(value[:-1]) / 100)
                elif c == 0 and re.fullmatch(r"\d{1,3}", value or ""):
                    cells.append(int(value))
                else:
                    cells.append(value or None)
            sheet.append(cells)
            r = sheet.max_row
            for c in options.get("percent", ()):
                if isinstance(cells[c] if c < len(cells) else None, float):
                    sheet.cell(r, c + 1).number_format = "0%"
            for c in range(len(cells)):
                sheet.cell(r, c + 1).alignment = Alignment(wrap_text=True, vertical="top")
        for column, span in options.get("header_spans", {}).items():
            sheet.merge_cells(start_row=top, start_column=column + 1, end_row=top, end_column=column + span)
        if options.get("merge_groups"):
            for i, values in enumerate(rows[1:], start=top + 1):
                filled = [c for c, v in enumerate(values) if v]
                if len(filled) == 2 and ROMAN_GROUP.match(values[filled[0]]) and filled[1] < width - 1:
                    sheet.merge_cells(start_row=i, start_column=filled[1] + 1, end_row=i, end_column=width)
        for column in options.get("vmerge", ()):
            i = 1
            while i < len(rows):
                end = i
                while end + 1 < len(rows) and rows[end + 1][column] and rows[end + 1][column] == rows[i][column]:
                    end += 1
                if end > i and rows[i][column]:
                    for k in range(i + 1, end + 1):
                        sheet.cell(top + k, column + 1).value = None
                    sheet.merge_cells(start_row=top + i, start_column=column + 1, end_row=top + end,
                                      end_column=column + 1)
                i = end + 1
    book.properties.creator = "cds-corpus"
    book.save(path)


# --- documents from the invented plans ---------------------------------------------------------


def split_at(rows: list, after: int) -> tuple[list, list]:
    return rows[:after], rows[after:]


def make_hong_van() -> None:
    """"KẾ HOẠCH HÀNH ĐỘNG" for Resolution 57: indicators called mục tiêu with a "Mục tiêu" column, a leader
    column headed "ĐỒNG CHÍ UVBTV/UVBCH PHỤ TRÁCH".  Word: merged leader cells, group titles spread over
    their row, the indicator table continued on the next page under a repeated header, the task table cut
    by a page break without one.  Text: the same plan as pasted, header repeated at the page break, targets
    in LaTeX as converters leave them."""
    plan = PLANS["hong_van"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind, leader_style="Đ/c {name} - {title}")
    task_rows = grid(plan, task, leader_style="Đ/c {name} - {title}")
    first, rest = split_at(ind_rows, 8)
    t_first, t_rest = split_at(task_rows, 7)
    blocks = [*front(plan), "\f", *heading(plan, ind),
              {"rows": first, "vmerge": (3,), "span_groups": True}, "\f",
              {"rows": [ind_rows[0]] + rest, "vmerge": (3,), "span_groups": True}, "\f", *heading(plan, task),
              {"rows": t_first, "vmerge": (2,)}, "\f", {"rows": t_rest, "header_rows": 0, "vmerge": (2,)}]
    write_docx(OUT / "hong_van_57.docx", blocks)
    write_expect("hong_van_57", expect(plan, "Invented: an action plan for Resolution 57 in Word (KẾ HOẠCH HÀNH ĐỘNG, "
                                       "mục tiêu with a Mục tiêu column, UVBTV leader column, merged cells, "
                                       "tables cut by page breaks)."))
    latex = [[re.sub(r"^≥ (\d+)%$", r"$\\geq \1\\%$", c) for c in r] for r in ind_rows]
    first, rest = split_at(latex, 8)
    write_txt(OUT / "hong_van_57.txt", [*front(plan), *heading(plan, ind), first + [ind_rows[0]] + rest,
                                        *heading(plan, task), task_rows])
    write_expect("hong_van_57_text", expect(plan, "Invented: the Resolution 57 action plan as text (LaTeX targets, "
                                            "header repeated at the page break)."))
    (OUT / "hong_van_57.txt").rename(OUT / "hong_van_57_text.txt")


def make_tam_hung() -> None:
    """Tasks numbered twice (overall and within the group) under a single "STT" header; group rows with the
    numeral in the first cell and the title in the second (the within-group number column), or the numeral
    alone and the title on the next line."""
    plan = PLANS["tam_hung"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind, group_styles=("split",))
    task_rows = grid(plan, task, group_styles=("split", "nextline", "split"))
    header = [h for h in task_rows[0] if h]  # "STT" covers both number columns
    text_task = [header] + [r if any(r[1:]) else r[0] for r in task_rows[1:]]  # a numeral alone: no tabs
    write_txt(OUT / "tam_hung.txt", [*front(plan), *heading(plan, ind), ind_rows, *heading(plan, task), text_task])
    write_expect("tam_hung", expect(plan, "Invented: tasks numbered twice under one STT header, group rows split "
                                    "over two columns or two lines (text)."))
    sheets = [("Phụ lục 01", heading(plan, ind)[:3], ind_rows, {"percent": (2,)}),
              ("Phụ lục 02", heading(plan, task)[:3], [task_rows[0][:1] + [""] + task_rows[0][2:]] + task_rows[1:],
               {"header_spans": {0: 2}})]
    write_xlsx(OUT / "tam_hung.xlsx", sheets)
    write_expect("tam_hung_excel", expect(plan, "Invented: the same plan retyped in Excel (appendices only, STT "
                                          "merged over two number columns, percentages stored as numbers).",
                                          front_matter=False))
    (OUT / "tam_hung.xlsx").rename(OUT / "tam_hung_excel.xlsx")


def _kim_anh_damage(rows: list[list[str]], lines: bool) -> list[list[str]]:
    """What a converter did to the leader column (2) and the lead column (3): the middle name pushed into
    the next cell, alone or glued to the unit, and a whole leader cell shifted into the lead column."""
    rows = copy.deepcopy(rows)
    sep = "\n" if lines else " "
    for row in rows:
        leader = row[2]
        if leader.startswith("Đ/c Hoàng Văn Quyết") and row[0] == "1":
            row[2] = leader.replace("Hoàng Văn Quyết", "Hoàng Quyết").replace("Đ/c", "Đ.c")
            row[3] = f"Văn{sep}{row[3]}"
        elif leader.startswith("Đ/c Bùi Quang Vinh") and row[0] == "2":
            row[2] = leader.replace("Bùi Quang Vinh", "Bùi Vinh").replace("Đ/c", "Đ.c")
            row[3] = f"Quang{sep}{row[3]}"
        elif leader.startswith("Đ/c Nguyễn Thị Thu Trang") and row[0] == "1":
            row[2] = ""
            row[3] = f"{leader.replace('Đ/c', 'Đ.c')}{sep}{row[3]}"
    return rows


def make_kim_anh() -> None:
    """A "Lãnh đạo chỉ đạo" / "Lãnh đạo phụ trách" column damaged by a converter: the middle name of the
    leader landed alone in the lead-unit cell (glued to the unit, or on its own line), and one leader cell
    moved whole into the lead-unit column.  The intact rows and the signature name the same people."""
    plan = PLANS["kim_anh"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind, restart=True, leader_style="Đ/c {name}, {title}")
    task_rows = grid(plan, task, restart=True, leader_style="Đ/c {name}, {title}")
    task_header = [["TT", "Nội dung công việc", "Lãnh đạo phụ trách", "Đơn vị thực hiện", "", "Thời gian hoàn thành"],
                   ["", "", "", "Chủ trì", "Phối hợp", ""]]
    write_txt(OUT / "kim_anh.txt", [*front(plan), *heading(plan, ind), _kim_anh_damage(ind_rows, False),
                                    *heading(plan, task), task_header + _kim_anh_damage(task_rows, False)[1:]])
    about = "Invented: leader names split across cells by a converter (middle name in the lead-unit cell, a whole "
    write_expect("kim_anh", numbers_restart(expect(plan, about + "leader cell shifted), as text."),
                                            ("indicator", "task")))
    write_docx(OUT / "kim_anh_word.docx", [*front(plan), *heading(plan, ind),
                                           {"rows": _kim_anh_damage(ind_rows, True), "span_groups": True},
                                           *heading(plan, task),
                                           {"rows": task_header + _kim_anh_damage(task_rows, True)[1:],
                                            "header_rows": 2, "header_spans": {3: 2}}])
    write_expect("kim_anh_word", numbers_restart(expect(plan, about + "leader cell shifted), in Word with the "
                                                        "fragments on their own lines."), ("indicator", "task")))


def make_doai_phuong() -> None:
    """An Excel workbook: columns in another order (target after the lead unit, deadline before the units),
    "Chỉ tiêu năm 2026", "Người phụ trách", "Cán bộ theo dõi"; the person in charge merged down over the
    rows they follow; group titles merged over their row; percentages stored as numbers."""
    plan = PLANS["doai_phuong"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind, leader_style="{name} - {title}")
    task_rows = grid(plan, task, leader_style="Đ/c {name} - {title}")
    sheets = [("PL01 Chỉ tiêu", [f"UBND {plan.kind.upper()} {plan.commune.upper()}", *heading(plan, ind)[:3]], ind_rows,
               {"merge_groups": True, "vmerge": (6,), "percent": (3,)}),
              ("PL02 Nhiệm vụ", [f"UBND {plan.kind.upper()} {plan.commune.upper()}", *heading(plan, task)[:3]], task_rows,
               {"merge_groups": True, "vmerge": (5,)})]
    write_xlsx(OUT / "doai_phuong.xlsx", sheets)
    write_expect("doai_phuong", expect(plan, "Invented: an Excel workbook with columns in another order, "
                                       "Người phụ trách / Cán bộ theo dõi merged down, Chỉ tiêu năm 2026.",
                                       front_matter=False))


def make_thanh_lam() -> None:
    """Only tasks (no indicator appendix); the subject line begins "Thực hiện…"; a Word table over three
    pages (the middle piece without a header), lead units and leaders merged down over equal cells."""
    plan = PLANS["thanh_lam"]
    (task,) = plan.appendices
    rows = grid(plan, task, group_styles=("onecell",), restart=True, leader_style="Đ/c {name}")
    first, rest = split_at(rows, 6)
    middle, last = split_at(rest, 5)
    write_docx(OUT / "thanh_lam_tasks.docx", [*front(plan), "\f", *heading(plan, task),
                                              {"rows": first, "vmerge": (2, 4)}, "\f",
                                              {"rows": middle, "header_rows": 0, "vmerge": (2, 4)}, "\f",
                                              {"rows": [rows[0]] + last, "vmerge": (2, 4)}])
    write_expect("thanh_lam_tasks", numbers_restart(expect(plan, "Invented: a plan with only tasks, in a Word table "
                                                           "over three pages, merged lead and leader cells, a "
                                                           "subject line starting with Thực hiện."), ("task",)))
    write_txt(OUT / "thanh_lam_tasks_text.txt", [*front(plan), *heading(plan, task), rows])
    write_expect("thanh_lam_tasks_text", numbers_restart(expect(plan, "Invented: the tasks-only plan as text, "
                                                                "group rows written \"I. Title\" in one cell."),
                                                         ("task",)))


def make_ngoc_thuy() -> None:
    """A ward: targets under "Năm 2025 và thời gian tới", leaders under "Đồng chí Phó Chủ tịch phụ trách" and
    "Người phụ trách", deadlines under "Tiến độ"; group rows "I. CHÍNH QUYỀN SỐ" in one cell, or the numeral
    alone on a line (its empty cells dropped) with the title on the next."""
    plan = PLANS["ngoc_thuy"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind, group_styles=("onecell",), leader_style="Đ/c {name}")
    task_rows = grid(plan, task, group_styles=("standard", "nextline"), unit_sep="\n", leader_style="Đ/c {name}")
    text_task = [r if any(r[1:]) else r[0] for r in task_rows]
    write_txt(OUT / "ngoc_thuy.txt", [*front(plan), *heading(plan, ind), ind_rows, *heading(plan, task), text_task])
    write_expect("ngoc_thuy", expect(plan, "Invented: a ward's plan with other header words (Năm 2025 và thời gian tới, "
                                     "Đồng chí Phó Chủ tịch phụ trách, Người phụ trách, Tiến độ), as text."))
    write_docx(OUT / "ngoc_thuy_word.docx", [*front(plan), *heading(plan, ind), {"rows": ind_rows},
                                             *heading(plan, task), {"rows": task_rows}])
    write_expect("ngoc_thuy_word", expect(plan, "Invented: the ward's plan in Word, unit cells with one unit a line."))


def make_quang_oai() -> None:
    """Tables inside the plan's text under "Biểu 01:" / "Biểu 02:" headings, a total line between them, the
    signature and "Nơi nhận" after them; a two-row header ("Phân công thực hiện" over "Chủ trì | Phối hợp");
    leaders written "PCT Nguyễn Văn Bình" or by position only ("Chủ tịch UBND xã", the chairman who signs)."""
    plan = PLANS["quang_oai"]
    ind, task = plan.appendices
    ind_rows = grid(plan, ind)
    ind_rows[0:1] = [["TT", "Nội dung", "Chỉ tiêu", "Phân công thực hiện", "", "Thời gian"],
                     ["", "", "", "Chủ trì", "Phối hợp", ""]]
    task_rows = grid(plan, task, restart=True, leader_style="PCT {name}")
    for row in task_rows:
        row[4] = "Chủ tịch UBND xã" if row[4] == "PCT Đinh Văn Toàn" else row[4]
    head = front(plan)
    body_end = head.index("Nơi nhận:")
    count = sum(len(g.rows) for g in ind.groups)
    blocks = [*head[:body_end], f"{ind.label} {ind.title}", ind_rows, f"Tổng cộng: {count:02d} chỉ tiêu", "",
              "II. NHIỆM VỤ", f"{task.label} {task.title}", task_rows, *head[body_end:]]
    write_txt(OUT / "quang_oai.txt", blocks)
    want = expect(plan, "Invented: tables inside the text under Biểu 01/02 headings with the signature after them, "
                  "a two-row header, leaders written by position only.")
    write_expect("quang_oai", numbers_restart(want, ("task",)))


def make_an_khanh() -> None:
    """Excel: the groups in a "Lĩnh vực" column merged down, "Thực hiện năm 2025" beside "Kế hoạch năm 2026",
    a unit of measure column; tasks in numbered groups with lettered items under "Trách nhiệm thực hiện"."""
    plan = PLANS["an_khanh"]
    ind, task = plan.appendices
    ind_rows = [[h for _, h in ind.columns]]
    running = 0
    for group in ind.groups:
        for item in group.rows:
            running += 1
            ind_rows.append([str(running), group.title, item.content, "%", item.note, item.target, "; ".join(item.lead)])
    task_rows = [[h for _, h in task.columns]]
    for group in task.groups:
        task_rows.append([group.label, group.title, "", ""])
        for i, item in enumerate(group.rows):
            task_rows.append([f"{'abcdefgh'[i]})", item.content, "; ".join(item.lead), item.deadline])
    sheets = [("PL1", heading(plan, ind)[:3], ind_rows, {"vmerge": (1,), "percent": (4,)}),
              ("PL2", heading(plan, task)[:3], task_rows, {})]
    write_xlsx(OUT / "an_khanh.xlsx", sheets)
    want = expect(plan, "Invented: Excel with the groups in a merged Lĩnh vực column, last year's figures beside "
                  "the target, lettered tasks under numbered groups.", front_matter=False)
    for row in want["rows"]:
        if row["kind"] == "task":
            group = next(g for g in task.groups if g.title == row["group"])
            row["number"] = f"{'abcdefgh'[[r.content for r in group.rows].index(row['content'])]})"
    write_expect("an_khanh", want)


# --- documents from the seeds ------------------------------------------------------------------


def seed_blocks(name: str) -> list:
    """The seed text as paragraphs and tables: a table is a run of tab-separated lines, cut where the
    converter left a blank line (a page break)."""
    blocks: list = []
    table: list[list[str]] | None = None
    for line in (OUT / name).read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            if table is None:
                table = []
                blocks.append(table)
            table.append(line.split("\t"))
        else:
            if line.strip() or table is None:
                table = None
                blocks.append(line)
    return blocks


def _is_label(text: str) -> bool:
    return bool(ROMAN_GROUP.match(text.strip()))


def join_wrapped(table: list[list[str]], numbers: int) -> list[list[str]]:
    """Rows the converter cut off a row (no numbering, no group numeral) go back into the cells above."""
    out: list[list[str]] = []
    for row in table:
        lead = [c.strip() for c in row[:numbers]]
        group = any(_is_label(c) for c in row[:numbers + 1])
        if out and not any(lead) and not group and any(c.strip() for c in row):
            above = out[-1]
            above += [""] * (len(row) - len(above))
            for i, value in enumerate(row):
                if value.strip():
                    above[i] = f"{above[i]}\n{value.strip()}" if above[i].strip() else value.strip()
            continue
        out.append([c.strip() for c in row])
    return out


def _width(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    while width > 1 and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    return [(r + [""] * width)[:width] for r in rows]


def make_seed_word(name: str, numbers: int, header_spans: dict[int, int] | None = None) -> None:
    """The seed as a Word document: each page's piece of a table is a Word table (header repeated as it
    was), wrapped rows joined back into their cells, vertical spans kept."""
    blocks: list = []
    for block in seed_blocks(f"{name}.txt"):
        if isinstance(block, str):
            blocks.append(block)
        else:
            rows = join_wrapped(block, numbers)
            header = 1 if not re.match(r"^\d+$", rows[0][0]) and not _is_label(rows[0][0]) else 0
            spans = header_spans if header and rows[0][0].lower().startswith("stt/") else None
            if spans:  # the text lost the header cell's span over both number columns: put it back
                rows[0] = [rows[0][0], "", *rows[0][1:]]
            rows = _width(rows)
            blocks.append({"rows": rows, "header_rows": header, "header_spans": spans})
    write_docx(OUT / f"{name}_word.docx", blocks)
    want = json.loads((OUT / f"{name}.expect.json").read_text(encoding="utf-8"))
    want["about"] = f"Seed {name[5:]} turned into a Word document (tables cut at the page breaks, wrapped rows joined)."
    write_expect(f"{name}_word", want)


def _appendix_tables(name: str) -> list[tuple[list[str], list[list[str]]]]:
    """``(heading lines, table rows)`` of each appendix of a seed, the header only once."""
    out: list[tuple[list[str], list[list[str]]]] = []
    lines: list[str] = []
    for block in seed_blocks(f"{name}.txt"):
        if isinstance(block, str):
            if re.match(r"(?i)^\W*phụ lục", block.strip()):
                lines = []
            if block.strip():
                lines.append(block.strip())
            continue
        if lines and re.match(r"(?i)^\W*phụ lục", lines[0]):
            out.append((lines, []))
            lines = []
        if out:
            rows = block if not out[-1][1] else [r for r in block if r[0] != block[0][0] or r[1] != block[0][1]
                                                   or not out[-1][1] or r != out[-1][1][0]]
            out[-1][1].extend(rows)
    return out


def make_seed_bat_trang_excel() -> None:
    """Bát Tràng's appendices retyped in Excel with the columns in another order (content third, the units
    swapped, the deadline before the units), headings in the rows above, header once per sheet."""
    orders = [[0, 2, 1, 3, 5, 4], [0, 1, 4, 3, 2, 6, 5]]  # indicators, tasks
    sheets = []
    for (lines, rows), order in zip(_appendix_tables("seed_bat_trang"), orders, strict=True):
        rows = _width(join_wrapped([r for i, r in enumerate(rows) if i == 0 or r != rows[0]], 1))
        rows = [[r[i] if i < len(r) else "" for i in order] for r in rows]
        title = [line for line in lines if not line.lower().startswith(("tổng số", "trong đó"))]
        sheets.append((lines[0][:31], title, rows, {"merge_groups": True}))
    write_xlsx(OUT / "seed_bat_trang_excel.xlsx", sheets)
    want = json.loads((OUT / "seed_bat_trang.expect.json").read_text(encoding="utf-8"))
    want["about"] = "Seed Bát Tràng's appendices retyped in Excel, columns in another order, no front matter."
    want["plan"] = {k: v for k, v in want["plan"].items() if k in ("number", "issue_date", "commune", "year")}
    write_expect("seed_bat_trang_excel", want)


def make_seed_phu_dong_excel() -> None:
    """Phù Đổng's appendices in Excel, one sheet each, wrapped rows joined, "STT/chi tiết" merged over both
    number columns."""
    sheets = []
    for lines, rows in _appendix_tables("seed_phu_dong")[:2]:
        rows = join_wrapped([r for i, r in enumerate(rows) if i == 0 or r != rows[0]], 2)
        if rows[0][0].lower().startswith("stt/"):
            rows[0] = [rows[0][0], "", *rows[0][1:]]
        rows = _width(rows)
        sheets.append((lines[0][:31].replace("*", ""), lines[:3], rows, {"header_spans": {0: 2}}))
    write_xlsx(OUT / "seed_phu_dong_excel.xlsx", sheets)
    want = json.loads((OUT / "seed_phu_dong.expect.json").read_text(encoding="utf-8"))
    want["about"] = "Seed Phù Đổng's appendices in Excel, STT/chi tiết merged over the two number columns."
    want["plan"] = {k: v for k, v in want["plan"].items() if k in ("number", "issue_date", "commune", "year")}
    write_expect("seed_phu_dong_excel", want)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    make_hong_van()
    make_tam_hung()
    make_kim_anh()
    make_doai_phuong()
    make_thanh_lam()
    make_ngoc_thuy()
    make_quang_oai()
    make_an_khanh()
    make_seed_word("seed_bat_trang", 1)
    make_seed_word("seed_phu_dong", 2, {0: 2})
    make_seed_bat_trang_excel()
    make_seed_phu_dong_excel()
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:8d}  {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
