"""Column meaning from the header, as a person reads it.

Each header cell is folded (no diacritics, lower case) and scored against
keyword rules for every field; the best rule wins.  The rules are written for
the wording of many communes ("Đơn vị chủ trì", "Cơ quan chủ trì tham mưu thực
hiện tại xã", "CƠ QUAN CHỦ TRÌ"; "STT", "TT", "STT/chi tiết", two columns
"TT | Chi tiết"; two-row headers such as "Đơn vị thực hiện" over "Chủ trì |
Phối hợp"), and the data under a column settles what the header leaves open
(a combined "STT/chi tiết" cell over two number columns, content versus a
target column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cds_desktop.importers.document import RawRow
from cds_desktop.services.columns import COLUMNS, EXTRA
from cds_desktop.text import clean_text, fold

# Field keys (the appendix "columns" keys of a plan draft) and their Vietnamese names.
# What each column a reader can recognise holds: the appendix columns come from the program's one
# table of columns (services.columns); the unit-plan template's own columns and the reader's
# pseudo-columns are known only here.
FIELDS: dict[str, str] = {
    **{key: spec.meaning for key, spec in COLUMNS.items()},
    "specialist": "Chuyên viên chủ trì",
    "co_specialist": "Chuyên viên phối hợp",
    "solution": "Giải pháp thực hiện",
    "schedule": "Tiến độ thực hiện",
    "completion": "Tiến độ hoàn thành",
    "group": "Nhóm / lĩnh vực (tạo nhóm)",
    "extra": EXTRA.meaning,
    "ignore": "Bỏ qua",
}
UNIQUE_FIELDS = set(FIELDS) - {"extra", "ignore"}
COMBINED_NUMBER = "number+local"

# (field, pattern on the folded header cell, weight).  Anchored, specific rules weigh more.
_RULES: list[tuple[str, str, int]] = [
    (COMBINED_NUMBER, r"^(s?tt|so tt|so thu tu)\s*/\s*(chi tiet|tt chi tiet|nhom)$", 12),
    ("number", r"^(s\.?\s?tt|tt|t\.t|so tt|so thu tu|thu tu|so)\.?$", 11),
    ("number", r"^(s?tt|so thu tu)\b", 7),
    ("local_number", r"^(chi tiet|tt chi tiet|stt chi tiet|so chi tiet|tt trong nhom|stt trong nhom)$", 11),
    ("specialist", r"chuyen vien\s*(chu tri|tham muu|phu trach|theo doi)|(can bo|cong chuc)\s*(chu tri|tham muu)", 12),
    ("co_specialist", r"(chuyen vien|can bo|cong chuc)\s*phoi hop", 12),
    # The leader / person in charge comes in families: "Lãnh đạo chỉ đạo", "Lãnh đạo phụ trách", "Đồng chí
    # (UVBTV/UVBCH, Phó Chủ tịch…) phụ trách", "Người phụ trách", "Cán bộ theo dõi".
    ("leader", r"lanh dao|^(dong chi|d/c|d\.c|nguoi)\b.{0,40}\b(chi dao|phu trach|theo doi)|"
               r"(chu tich|uvbtv|uvbch|bi thu)\b.{0,30}\b(phu trach|chi dao|theo doi)|"
               r"^(can bo|cong chuc) (phu trach|theo doi)$|^nguoi (chiu trach nhiem|thuc hien)$", 11),
    ("guiding_agency", r"^(so|cac so),? (nganh|ban)|co quan (thanh pho )?huong dan|cap tren|(tp|thanh pho)\s*(chi dao|huong dan)", 10),
    ("guiding_agency", r"huong dan|chi dao", 5),
    ("lead", r"^(don vi|co quan|bo phan|phong|ban)\s*(chu tri|chiu trach nhiem|thuc hien chinh)", 11),
    ("lead", r"chu tri|chiu trach nhiem chinh", 9),
    ("lead", r"^(don vi|co quan|bo phan)\s*(thuc hien|phu trach|dau moi)", 6),
    ("lead", r"^(trach nhiem|phan cong|to chuc) thuc hien$|^(don vi|co quan) (dau moi|tham muu)", 6),
    ("coordinating", r"phoi hop", 9),
    ("solution", r"(giai phap|bien phap|cach thuc)\s*(thuc hien|trien khai)", 12),
    ("group", r"^(linh vuc|tru cot|nhom|nhom linh vuc|nhom chi tieu|nhom nhiem vu|thuoc nhom|thuoc linh vuc)$", 10),
    ("schedule", r"tien do thuc hien|ke hoach thuc hien", 10),
    ("completion", r"tien do hoan thanh|muc do hoan thanh|tinh trang hoan thanh", 10),
    ("deadline", r"thoi han|han hoan thanh|moc thoi gian|^thoi gian|thoi gian (hoan thanh|thuc hien)|lo trinh|^tien do$|thoi diem", 9),
    ("basis", r"can cu|co so phap ly|van ban (chi dao|can cu)", 10),
    ("note", r"^ghi chu|^luu y", 10),
    ("output_product", r"san pham", 10),
    ("expected_result", r"ket qua (can dat|dau ra|du kien)|dinh luong", 10),
    ("expected_result", r"^ket qua", 7),
    ("target", r"^(gia tri|muc tieu|chi tieu|chi so) (nam|giao|dat|phan dau|ke hoach|can dat|\d{4})|^(ke hoach|muc tieu) nam \d{4}|^ty le\b|\(%\)$|^%$|^dinh muc", 8),
    ("target", r"^nam \d{4}( va (thoi gian|giai doan) toi| tro di)?$|^(muc tieu|chi tieu) (den|toi) nam \d{4}$", 6),
    ("target", r"^(chi tieu|muc tieu)\s*[/,]\s*(ket qua|san pham)", 8),
    # A baseline beside the target ("Thực hiện năm 2025", "Ước thực hiện 2025"; "Kết quả năm 2026" is a target): as written,
    # never the target (also how a copied PDF header is cut into its columns).
    ("extra", r"^(uoc )?(thuc hien|dat duoc|so lieu|hien trang|thuc trang)( nam)? \d{4}$|^uoc (thuc hien|dat)\b", 9),
    ("extra", r"^(don vi tinh|dvt|don vi do)$", 11),  # the unit of measure beside the target (services.measure_units)
    ("content", r"^(ten )?(nhom )?(chi tieu|nhiem vu|muc tieu|noi dung)|^noi dung|^ten\b|^danh muc|^hoat dong|^cong viec", 8),
    ("content", r"chi tieu|nhiem vu|noi dung|giai phap|muc tieu", 5),
]
_COMPILED = [(f, re.compile(p), w) for f, p, w in _RULES]
_NUMBERISH = re.compile(r"^(\d{1,3}(\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-H]\.?|[a-h]\))$")
_INTEGER = re.compile(r"^\d{1,3}\.?$")
_MEASURED = re.compile(r"(?i)\d\s*%|[≥≤]|\$\\[gl]eq|^tỷ lệ\b|\btối thiểu\s+\d|\bđạt\s+(trên\s+|từ\s+)?\d")
_TARGETISH = re.compile(r"^(≥|≤|>|<|>=|<=|trên|dưới|tối thiểu|tối đa|ít nhất|đạt)?\s*\d+([.,]\d+)?\s*%?(\s*[-–]\s*\d+([.,]\d+)?\s*%)?$|^không phát sinh", re.I)


@dataclass
class Column:
    """One column of a detected table: what its header says and what it is taken to mean."""

    index: int
    header: str
    field: str
    score: int = 0
    inferred: str = ""  # why the meaning comes from the cells rather than the header (shown to the officer)
    part_of: int | None = None  # a grid column under the same merged header cell as column *part_of*
    parent: str = ""  # the upper header cell of a two-row header ("Đơn vị thực hiện" over "Chủ trì")

    @property
    def label(self) -> str:
        return FIELDS.get(self.field, self.field)


@lru_cache(maxsize=4096)
def score_header(text: str) -> tuple[str, int]:
    """The best field for one header cell, with its weight (``("", 0)`` when nothing fits)."""
    folded = fold(clean_text(text))
    folded = re.sub(r"\s*\((theo|tai|cua)\b[^)]*\)", "", folded).strip(" :.*\"'“”")
    if not folded or len(folded) > 120:
        return "", 0
    best, weight = "", 0
    for field, pattern, w in _COMPILED:
        if w > weight and pattern.search(folded):
            best, weight = field, w
    return best, weight


def header_fields(row: RawRow) -> set[str]:
    """Distinct fields the cells of *row* name, counting only confident matches."""
    found = set()
    for cell in row.cells:
        if not cell.strip() or len(cell) > 120:
            continue
        field, weight = score_header(cell)
        if weight >= 7:
            found.add("number" if field == COMBINED_NUMBER else field)
    return found


def is_header_row(row: RawRow) -> bool:
    """A header names at least three columns, including the content or the numbering."""
    filled = row.filled
    if not filled or _INTEGER.match(row.cells[filled[0]].strip()):
        return False
    fields = header_fields(row)
    return len(fields) >= 3 and bool(fields & {"content", "number"})


def is_sub_header_row(row: RawRow) -> bool:
    """The second row of a two-row header ("Chủ trì | Phối hợp" under "Đơn vị thực hiện")."""
    filled = row.filled
    if not filled or any(len(row.cells[i]) > 60 for i in filled):
        return False
    if _NUMBERISH.match(row.cells[filled[0]].strip()) and len(filled) > 1:
        return False
    if len(filled) == 1 and (filled[0] == 0 or len(row.cells[filled[0]]) > 40):
        return False  # a title alone in the first column is a group row, not a second header row
    known = sum(1 for i in filled if score_header(row.cells[i])[1] >= 7)
    return known >= 1 and known >= len(filled) - 1


def is_column_index_row(row: RawRow) -> bool:
    """Rows such as "(1) (2) (3) (4)" or "1 2 3 4 5" that number the columns."""
    values = [row.cells[i].strip().strip("()") for i in row.filled]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@lru_cache(maxsize=4096)
def _fold_cell(text: str) -> str:
    return fold(clean_text(text))


def header_signature(rows: list[RawRow]) -> tuple[str, ...]:
    return tuple(_fold_cell(c) for r in rows for c in r.cells if c.strip())


def same_header(row: RawRow, header_rows: list[RawRow]) -> bool:
    """True when most cells of *row* are cells of the header (a page-break repeat)."""
    signature = set(header_signature(header_rows))
    cells = [_fold_cell(c) if len(c) <= 150 else "" for c in row.cells if c.strip()]
    if not cells or not signature:
        return False
    same = sum(1 for c in cells if c in signature)
    return same >= max(2, round(0.6 * len(cells)))


def repeats_header(row: RawRow, header_rows: list[RawRow]) -> bool:
    """True when *row* is the header again (page-break repeat), possibly reworded or reflowed."""
    return same_header(row, header_rows) or is_header_row(row)


def _combined_header(header_rows: list[RawRow], width: int) -> list[str]:
    """One text per grid column: the deepest header text naming something, else its parent."""
    texts = [""] * width
    for c in range(width):
        parts: list[str] = []
        for row in header_rows:
            text = row.cell(c).strip()
            if not text and c < len(row.spans) and row.spans[c] == 0:
                # covered by a merged cell on the left: inherit its text
                left = c
                while left > 0 and left < len(row.spans) and row.spans[left] == 0:
                    left -= 1
                text = row.cell(left).strip()
            if not text and c > 0 and row is not header_rows[-1]:
                text = _parent_over(header_rows, header_rows.index(row), c)
            if text:
                parts.append(text)
        texts[c] = " / ".join(dict.fromkeys(parts))
    return texts


def _parent_over(header_rows: list[RawRow], r: int, c: int) -> str:
    """The upper cell of a two-row header whose span a text form lost: "Đơn vị thực hiện" followed by an
    empty cell, with "Chủ trì | Phối hợp" under both in the next row."""
    below = header_rows[r + 1]
    if not below.cell(c).strip():
        return ""
    left = c - 1
    while left > 0 and not header_rows[r].cell(left).strip() and below.cell(left).strip():
        left -= 1
    text = header_rows[r].cell(left).strip()
    return text if text and below.cell(left).strip() else ""


def _pick(text: str) -> tuple[str, int]:
    """Score a combined header text "parent / child": the child wins when it names a field."""
    parts = text.split(" / ")
    for part in reversed(parts):
        field, weight = score_header(part)
        if weight:
            return field, weight
    return score_header(text)


def _values(data: list[RawRow], c: int) -> list[str]:
    return [r.cell(c).strip() for r in data if r.cell(c).strip()]


def _numbers_pair_ratio(data: list[RawRow], c: int) -> float:
    """Among rows numbered in column *c*, how many also have a number in column c+1."""
    numbered = [r for r in data if _INTEGER.match(r.cell(c).strip())]
    if not numbered:
        return 0.0
    pairs = sum(1 for r in numbered if _INTEGER.match(r.cell(c + 1).strip()))
    return pairs / len(numbered)


def _wider_than(header_rows: list[RawRow], data: list[RawRow]) -> bool:
    """Whether the data rows fill more columns than the header names (a header cell lost its span)."""
    named = max((max(r.filled, default=-1) + 1 for r in header_rows), default=0)
    used = sorted(max(r.filled, default=-1) + 1 for r in data[:200] if r.filled)
    return bool(used) and used[len(used) // 2] > named


def map_columns(header_rows: list[RawRow], data: list[RawRow]) -> list[Column]:
    """The meaning of every grid column of a table, from its header rows and its data."""
    width = max([len(r.cells) for r in header_rows] + [len(r.cells) for r in data[:200]] + [1])
    texts = _combined_header(header_rows, width)
    split_number: int | None = None
    # A combined "STT/chi tiết" cell, or a lone "STT", over two number columns (overall and within the
    # group: "1 | 1 | …", "3 | 2 | …"); the text form loses the span and every cell after it shifts.
    for c, text in enumerate(list(texts)):
        field, _ = _pick(text)
        if field not in (COMBINED_NUMBER, "number"):
            continue
        covered = any(c + 1 < len(r.spans) and r.spans[c + 1] == 0 for r in header_rows)
        next_field = _pick(texts[c + 1])[0] if c + 1 < len(texts) else ""
        if not covered and next_field not in ("number", "local_number", COMBINED_NUMBER) and \
                _numbers_pair_ratio(data, c) >= 0.5 and (field == COMBINED_NUMBER or _wider_than(header_rows, data)):
            texts.insert(c + 1, "")
            split_number = c if field == "number" else None  # ("STT/chi tiết" says so itself)
            while len(texts) > 1 and not texts[-1] and not _values(data, len(texts) - 1):
                texts.pop()
            width = len(texts)
        break
    columns: list[Column] = []
    for c, text in enumerate(texts):
        field, weight = _pick(text) if text else ("", 0)
        if field == COMBINED_NUMBER:
            field = "number"
        if not field:
            field = "extra" if text or _values(data, c) else "ignore"
        parts = text.split(" / ") if text else [""]
        parent = clean_text(parts[0]) if len(parts) > 1 else ""
        columns.append(Column(c, clean_text(parts[-1]), field, weight, parent=parent))
    # The column after a number column, empty-headed or covered, holding numbers: the local number.
    for col in columns:
        if col.field == "number" and col.index + 1 < len(columns):
            nxt = columns[col.index + 1]
            if nxt.field in ("extra", "ignore", "number") and _numbers_pair_ratio(data, col.index) >= 0.5:
                nxt.field, nxt.score = "local_number", 8
                nxt.header = nxt.header or "Chi tiết"
            break
    if split_number is not None and split_number + 1 < len(columns):
        columns[split_number + 1].inferred = (f"tiêu đề «{texts[split_number]}» đứng trên hai cột số (số chung và số "
                                              "trong nhóm): các ô sau được đọc lùi một cột")
    _resolve_duplicates(columns, data)
    _merged_header_parts(columns, header_rows)
    return columns


def _merged_header_parts(columns: list[Column], header_rows: list[RawRow]) -> None:
    """A header cell merged over several grid columns ("Lãnh đạo chỉ đạo" over two): the cells under it are one
    value split by the converter ("Đ.c Nguyễn Văn" | "Hùng, Chủ tịch UBND xã")."""
    for col in columns[1:]:
        c = col.index
        spans = [r.spans[c] for r in header_rows if c < len(r.spans)]
        if not spans or 0 not in spans or any(r.cell(c).strip() for r in header_rows):
            continue
        if any(len(r.spans) > c and r.spans[c] != 0 for r in header_rows):
            continue  # a lower header row names this column ("Chủ trì" under "Đơn vị thực hiện")
        left = c - 1
        while left > 0 and columns[left].part_of is not None:
            left -= 1
        owner = columns[columns[left].part_of if columns[left].part_of is not None else left]
        if owner.field in ("number", "local_number", "ignore") or col.field in ("number", "local_number"):
            continue
        col.part_of, col.field = owner.index, "extra"


def _avg_len(data: list[RawRow], c: int) -> float:
    values = _values(data, c)
    return sum(len(v) for v in values) / len(values) if values else 0.0


def targetish(data: list[RawRow], c: int) -> bool:
    """Whether most cells of column *c* are measurable targets (≥ 98%, 100%, Trên 90%, 20-30%)."""
    return _targetish(data, c)


def _targetish(data: list[RawRow], c: int) -> bool:
    values = _values(data, c)
    return bool(values) and sum(1 for v in values if len(v) <= 40 and _TARGETISH.match(clean_text(v))) >= 0.6 * len(values)


def _resolve_duplicates(columns: list[Column], data: list[RawRow]) -> None:
    """Each field names one column: content versus target by the data, others by score then order."""
    content = [c for c in columns if c.field in ("content", "target")]
    if len(content) > 1:
        by_len = max(content, key=lambda c: (_avg_len(data, c.index), c.score))
        for col in content:
            if col is by_len:
                col.field = "content"
            elif _targetish(data, col.index) or col.field == "target":
                col.field = "target"
            else:
                col.field = "extra"
    elif content and content[0].field == "target" and not _targetish(data, content[0].index):
        content[0].field = "content"
    for col in columns:  # a weak target header ("Năm 2026") over cells that hold no target
        if col.field == "target" and col.score <= 6 and not _targetish(data, col.index):
            col.field = "extra"
    if not any(c.field == "target" for c in columns):
        # A column the header does not explain, whose cells are measurable targets (≥ 98%, 100%, Trên 90%).
        for col in columns:
            baseline = re.search(r"thuc hien|uoc|da dat|hien trang|hien nay|ket qua|nam 20\d\d$"
                                 # money is never a target: «Kinh phí (triệu đồng)», «Dự toán», «Nguồn vốn»
                                 r"|kinh phi|du toan|nguon von|chi phi|ngan sach|so tien|\bdong\)?$", fold(col.header))
            if col.field in ("extra", "ignore") and not baseline and _targetish(data, col.index) and \
                    len(_values(data, col.index)) >= 2:
                col.field, col.score = "target", 6
                col.inferred = "các ô của cột là chỉ tiêu đo được (≥, %, số)"
                break
    years = {c.index: int(y[-1]) for c in columns if c.field == "target" and (y := re.findall(r"\b(20\d\d)\b", c.header))}
    if len(years) > 1:  # "Chỉ tiêu năm 2025 | Chỉ tiêu năm 2026": the plan's target is the latest year's
        latest = max(years, key=lambda i: years[i])
        for col in columns:
            if col.index in years and col.index != latest:
                col.field = "extra"
    seen: dict[str, Column] = {}
    for col in sorted(columns, key=lambda c: (-c.score, c.index)):
        if col.field not in UNIQUE_FIELDS:
            continue
        if col.field in seen:
            col.field = "extra"
        else:
            seen[col.field] = col


def classify(columns: list[Column], title: str = "", data: list[RawRow] | None = None) -> str:
    """``indicators`` (Phụ lục 01), ``tasks`` (Phụ lục 02), ``unit_plan`` (the template) or ``other``.

    *title* is the appendix heading above the table ("Phụ lục 01 — Danh sách mục tiêu cụ thể ..."); *data*
    its rows.  A table whose rows carry measurable targets, or whose title speaks of mục tiêu / chỉ tiêu,
    is an indicator table whatever its content column is called.
    """
    fields = {c.field for c in columns}
    if len({"specialist", "co_specialist", "solution", "schedule", "completion"} & fields) >= 2:
        return "unit_plan"
    if "content" not in fields:
        return "other"
    indicator, task = kind_scores(columns, title, data)
    return "indicators" if indicator > task else "tasks"


def kind_scores(columns: list[Column], title: str = "", data: list[RawRow] | None = None) -> tuple[int, int]:
    """How much the title, the headers and the cells speak for an indicator table and for a task table."""
    fields = {c.field for c in columns}
    indicator = task = 0
    heading = fold(title)
    indicator += 3 * len(re.findall(r"chi tieu|chi so|muc tieu", heading))
    task += 3 * len(re.findall(r"nhiem vu|giai phap|phan cong|cong viec|hoat dong", heading))
    header = fold(next((c.header for c in columns if c.field == "content"), ""))
    indicator += 2 * len(re.findall(r"chi tieu|muc tieu|chi so", header))
    task += 2 * len(re.findall(r"nhiem vu|giai phap|hoat dong|cong viec", header))
    task += len({"expected_result", "output_product", "deadline"} & fields)
    target = next((c for c in columns if c.field == "target"), None)
    if target is not None:
        indicator += 4 if data is not None and _targetish(data, target.index) else 1
    elif data is not None and any(c.field == "expected_result" and _targetish(data, c.index) for c in columns):
        indicator += 3  # "Kết quả năm 2026" holding only ≥ 80%, 100%, Trên 90%: measurable targets
    elif data is not None:
        content = next((c.index for c in columns if c.field == "content"), None)
        values = [v for v in _values(data, content) if len(v) > 12] if content is not None else []
        measured = sum(1 for v in values if _MEASURED.search(v))
        if len(values) >= 3 and measured >= 0.6 * len(values):
            indicator += 3  # "Tỷ lệ … đạt 100%" row after row: the targets are inside the content
    return indicator, task
