"""Summary reports of a receiving office (roll-up of many communes), in the Decree 30 form.

Builders from plain data (the receiving mode's queries live in
:mod:`cds_desktop.rollup.summary`) to a :class:`ReportDocument`, rendered by the
same PDF and Excel renderers as every other report:

- *chi-tieu-chung*: the shared indicators, per commune value, target and
  evaluation, with the city-level total of ratio indicators (Σ numerators /
  Σ denominators);
- *xep-hang*: communes ranked by pillar (indicators met, then tasks done);
- *chua-gui*: the communes that have not sent data for a period;
- *tong-hop*: a covering report (portrait) with the three tables as appendices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
from cds_desktop.reports.wording import BLANK_NUMBER, place_date_line, upper

KINDS: dict[str, str] = {
    "tong-hop": "Báo cáo tổng hợp kết quả chuyển đổi số của các xã, phường",
    "chi-tieu-chung": "Tổng hợp các chỉ tiêu dùng chung theo xã, phường",
    "xep-hang": "Xếp hạng các xã, phường theo trụ cột",
    "chua-gui": "Các xã, phường chưa gửi số liệu",
}


@dataclass
class Issuer:
    """Who issues the summary: the receiving office and its signature block."""

    superior: str = "UBND THÀNH PHỐ HÀ NỘI"
    body: str = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    name: str = "Sở Khoa học và Công nghệ"  # the body as named in running text
    number_suffix: str = "/BC-SKHCN"
    place: str = "Hà Nội"
    authority: str = "KT. GIÁM ĐỐC"
    position: str = "PHÓ GIÁM ĐỐC"
    signer: str = ""
    recipients: list[str] = field(default_factory=lambda: [
        "UBND Thành phố (để b/c);", "Ban Chỉ đạo chuyển đổi số Thành phố (để b/c);", "UBND các xã, phường;",
        "Lưu: VT."])


@dataclass
class SharedBlock:
    title: str
    target: str
    pillar: str
    rows: list[list[str]]  # commune, numerator, denominator, result, evaluation
    total: list[str] | None = None  # the city-level row of a ratio indicator


PILLAR_TITLES = ("Chính quyền số", "Kinh tế số", "Xã hội số")


@dataclass
class RollupContent:
    year: int
    today: date
    period_label: str
    communes: int  # communes received
    shared: list[SharedBlock] = field(default_factory=list)
    # one row per commune, best first: overall rank, commune, then per pillar (indicators met/total, rank),
    # then indicators met/total (rate) over every pillar, tasks done/total, overdue tasks
    ranking: list[list[str]] = field(default_factory=list)
    missing: list[list[str]] = field(default_factory=list)  # commune, last package, note
    summary_lines: list[str] = field(default_factory=list)


def _col(key: str, header: str, weight: float, align: str = "left", min_mm: float = 0.0,
         numeric: bool = False) -> Column:
    return Column(key, header, weight, align, min_mm, numeric)  # type: ignore[arg-type]


def _header(issuer: Issuer, today: date) -> DocHeader:
    return DocHeader([upper(issuer.superior), upper(issuer.body)], [False, True],
                     f"Số:{BLANK_NUMBER}{issuer.number_suffix}", place_date_line(issuer.place, today))


def _signature(issuer: Issuer) -> Signature:
    return Signature(issuer.recipients, issuer.authority, issuer.position, issuer.signer)


def shared_table(content: RollupContent) -> TableBlock:
    columns = [_col("number", "STT", 0, "center", 11), _col("commune", "Xã, phường", 2.4, "left", 35),
               _col("numerator", "Tử số", 1.0, "center", numeric=True),
               _col("denominator", "Mẫu số", 1.0, "center", numeric=True),
               _col("value", "Kết quả thực hiện", 1.5, "center"), _col("target", "Mục tiêu", 1.1, "center"),
               _col("evaluation", "Đánh giá", 1.2, "center")]
    rows: list[Row] = []
    for number, block in enumerate(content.shared, start=1):
        rows.append(Row([str(number), f"{block.title} ({block.pillar}; mục tiêu: {block.target})"]
                        + [""] * (len(columns) - 2), GROUP))
        for n, cells in enumerate(block.rows, start=1):
            rows.append(Row([f"{number}.{n}", cells[0], cells[1], cells[2], cells[3], block.target, cells[4]]))
        if block.total is not None:
            rows.append(Row(["", "Toàn thành phố", *block.total[:3], block.target, block.total[3]], TOTAL))
    return TableBlock(columns, [[c.header for c in columns]], rows, font_size=11,
                      empty_text="Chưa có chỉ tiêu dùng chung nào (cần số liệu của ít nhất hai xã, phường).")


def ranking_table(content: RollupContent) -> TableBlock:
    columns = [_col("rank", "Hạng chung", 0, "center", 15), _col("commune", "Xã, phường", 2.4, "left", 35)]
    for n, _title in enumerate(PILLAR_TITLES):
        columns += [_col(f"p{n}", "Chỉ tiêu đạt", 1.0, "center"), _col(f"r{n}", "Hạng", 0, "center", 12)]
    columns += [_col("indicators", "Tổng số chỉ tiêu đạt", 1.3, "center"),
                _col("tasks", "Nhiệm vụ hoàn thành", 1.2, "center"),
                _col("overdue", "Nhiệm vụ quá hạn", 1.0, "center", numeric=True)]
    top = ["Hạng chung", "Xã, phường"]
    for title in PILLAR_TITLES:
        top += [title, ""]
    top += ["Tổng số chỉ tiêu đạt", "Nhiệm vụ hoàn thành", "Nhiệm vụ quá hạn"]
    second = ["", ""] + ["Chỉ tiêu đạt", "Hạng"] * len(PILLAR_TITLES) + ["", "", ""]
    spans = [(0, 0, 1, 0), (0, 1, 1, 1)] + [(0, 2 + 2 * n, 0, 3 + 2 * n) for n in range(len(PILLAR_TITLES))]
    last = 2 + 2 * len(PILLAR_TITLES)
    spans += [(0, c, 1, c) for c in range(last, last + 3)]
    return TableBlock(columns, [top, second], [Row(cells) for cells in content.ranking], header_spans=spans,
                      font_size=11, empty_text="Chưa có số liệu của xã, phường nào.")


def missing_table(content: RollupContent) -> TableBlock:
    columns = [_col("number", "STT", 0, "center", 11), _col("commune", "Xã, phường", 2.4, "left", 35),
               _col("package", "Gói dữ liệu gần nhất", 1.4, "center"), _col("note", "Ghi chú", 3.0)]
    rows = [Row([str(n), *cells]) for n, cells in enumerate(content.missing, start=1)]
    return TableBlock(columns, [[c.header for c in columns]], rows, font_size=11,
                      empty_text=f"Tất cả các xã, phường đã gửi số liệu {content.period_label}.")


def _roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}.get(n, str(n))


TABLES = {
    "chi-tieu-chung": (shared_table, "Tổng hợp kết quả các chỉ tiêu dùng chung năm {year}"),
    "xep-hang": (ranking_table, "Xếp hạng kết quả chuyển đổi số của các xã, phường theo trụ cột năm {year}"),
    "chua-gui": (missing_table, "Các xã, phường chưa gửi số liệu {period}"),
}


def _remark(kind: str) -> list[Para]:
    if kind == "chi-tieu-chung":
        return [Para("Dòng «Toàn thành phố» của chỉ tiêu tính theo tỷ lệ: tổng tử số chia tổng mẫu số của các xã, "
                     "phường có đủ tử số và mẫu số (không lấy trung bình các tỷ lệ).", "remark")]
    if kind == "xep-hang":
        return [Para("Xếp hạng (chung và theo từng trụ cột) theo tỷ lệ chỉ tiêu đạt, sau đó theo tỷ lệ nhiệm vụ "
                     "hoàn thành; các xã, phường bằng nhau cùng hạng.", "remark")]
    return []


def _title(kind: str, content: RollupContent) -> str:
    return TABLES[kind][1].format(year=content.year, period=content.period_label)


def table_document(kind: str, content: RollupContent, issuer: Issuer) -> ReportDocument:
    """One table as a document of its own: header, title, table, signature (landscape)."""
    build, _ = TABLES[kind]
    section = Section(name=KINDS[kind][:31], orientation=LANDSCAPE)
    section.add(
        _header(issuer, content.today), Para("BIỂU TỔNG HỢP", "label"), Para(_title(kind, content), "subtitle"),
        Para(f"(Số liệu do {content.communes} xã, phường gửi lên, tính đến ngày {content.today:%d/%m/%Y})",
             "attached"),
        build(content), *_remark(kind), _signature(issuer),
    )
    doc = ReportDocument(title=KINDS[kind], sections=[section], author=issuer.name, subject=_title(kind, content))
    return normalize_document(doc)  # type: ignore[return-value]


def summary_document(content: RollupContent, issuer: Issuer) -> ReportDocument:
    """The covering report (portrait) and the three tables as numbered appendices (landscape)."""
    front = Section(name="Báo cáo", orientation=PORTRAIT)
    front.add(
        _header(issuer, content.today), Para("BÁO CÁO", "label"),
        Para(f"Tổng hợp kết quả thực hiện Kế hoạch chuyển đổi số năm {content.year} của các xã, phường", "subtitle"),
        Para(f"Trên cơ sở số liệu do các xã, phường gửi lên (tính đến ngày {content.today:%d/%m/%Y}), "
             f"{issuer.name} tổng hợp như sau:", "body"),
    )
    front.add(*(Para(line, "body") for line in content.summary_lines))
    front.add(Para("Chi tiết tại các Phụ lục 01, 02 và 03 kèm theo./.", "body"), _signature(issuer))
    sections = [front]
    for number, kind in enumerate(("chi-tieu-chung", "xep-hang", "chua-gui"), start=1):
        build, _ = TABLES[kind]
        label = f"Phụ lục {number:02d}"
        section = Section(name=label, orientation=LANDSCAPE)
        section.add(Para(label, "label"), Para(upper(_title(kind, content)), "title"),
                    Para(f"(Kèm theo Báo cáo số{BLANK_NUMBER}{issuer.number_suffix} của {issuer.name})", "attached"),
                    build(content), *_remark(kind))
        sections.append(section)
    doc = ReportDocument(title=KINDS["tong-hop"], sections=sections, author=issuer.name,
                         subject=f"Tổng hợp chuyển đổi số năm {content.year}")
    return normalize_document(doc)  # type: ignore[return-value]


def build_rollup_document(kind: str, content: RollupContent, issuer: Issuer | None = None) -> ReportDocument:
    issuer = issuer or Issuer()
    if kind == "tong-hop":
        return summary_document(content, issuer)
    return table_document(kind, content, issuer)
