"""The plan's own data from the text around the tables.

Front matter (before the first plan table): commune, number and symbol
("Số: 139/KH-UBND", blank "Số: /KH-UBND"), place and date ("Bát Tràng, ngày
03 tháng 4 năm 2026"), title ("KẾ HOẠCH" + the next line), signature block
("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / name), "Nơi nhận:" list, contact people
with phones, the monthly report day ("trước ngày 15 hàng tháng").

Appendix headings (above each table): label ("Phụ lục 01"), title, declared
total ("Tổng số chỉ tiêu: 27 chỉ tiêu", "(Tổng 32 nhiệm vụ)") and declared
counts per group ("Trong đó: Chính quyền số: 12 chỉ tiêu; ...").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from cds_desktop.importers.people import PersonInfo, parse_contact
from cds_desktop.importers.tables import DetectedTable, Layout
from cds_desktop.text import clean_text, fold

_CAP = r"[A-ZĐÀ-Ỹ][^\s,.;:()\"“”]*"
_COMMUNE = re.compile(rf"\b(xã|phường|XÃ|PHƯỜNG)\s+({_CAP}(?:\s+{_CAP}){{0,3}})")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_NUMERIC = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.I)
_PLACE_DATE = re.compile(r"^(?P<place>[^,\d()]{2,40}),\s*ngày\b", re.I)
# "Số: 139/KH-UBND", and a Party committee's "Số: 05-KH/BCĐ" (number-kind/issuer)
_NUMBER = re.compile(r"^Số\s*[:.]?\s*(\d*)(-[A-ZĐ]{1,6})?\s*/\s*([\wĐđ][\wĐđ\-.]*)", re.I)
_ATTACHED_NUMBER = re.compile(r"kèm theo kế hoạch số\s*(\d*)(-[A-ZĐ]{1,6})?\s*/\s*([\wĐđ][\wĐđ\-]*)", re.I)
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.?\s*(ỦY BAN|UỶ BAN|UBND|BAN|ĐẢNG ỦY|ĐẢNG UỶ)", re.I)
_CONTACT_HINT = re.compile(r"(?i)(đ/c|đ\.c|đồng chí|ông|bà)\b.*\d{3}")
_RECIPIENTS = re.compile(r"^\W*n[ơo]i\s+nh[ậa]n\b", re.I)
_POSITION = re.compile(r"^(KT\.\s*)?(PHÓ\s+)?CHỦ TỊCH$")
_REPORT_DAY = re.compile(r"ngày\s+(\d{1,2})\s+(?:hàng|hằng)\s+tháng", re.I)
_COUNT = r"(\d{1,3})\s*(chỉ tiêu|nhiệm vụ|nội dung)"


def clean_line(line: str) -> str:
    """A line without Markdown emphasis left at its ends by the conversion."""
    text = clean_text(line)
    return re.sub(r"^[*_]+|[*_]+$", "", text).strip()


def _title_case(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split()) if words.isupper() else words


@dataclass
class FrontMatter:
    commune: str = ""
    commune_kind: str = "xã"
    number: str = ""
    issue_date: date | None = None
    place: str = ""
    kind: str = ""  # "Kế hoạch hành động" when the kind line says more than "KẾ HOẠCH"
    title: str = ""
    year: int | None = None
    authority: str = ""
    position: str = ""
    signer: str = ""
    recipients: list[str] = field(default_factory=list)
    contacts: list[PersonInfo] = field(default_factory=list)
    report_day: int | None = None
    # A plan issued by another body than the People's Committee (a Party committee, its steering board):
    # its header block as printed ("ĐẢNG ỦY XÃ SÓC SƠN" / "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ", "ĐẢNG CỘNG SẢN VIỆT NAM")
    issuer: list[str] = field(default_factory=list)
    national_title: str = ""

    @property
    def status(self) -> str:
        return "issued" if self.number and self.issue_date else "draft"


@dataclass
class Appendix:
    label: str = ""
    title: str = ""
    declared_total: int | None = None
    declared_groups: list[tuple[str, int]] = field(default_factory=list)


def _valid_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _find_date(text: str) -> date | None:
    match = _DATE_WORDS.search(text) or _DATE_NUMERIC.search(text)
    return _valid_date(*match.groups()) if match else None


def _region(layout: Layout) -> tuple[list[str], list[str]]:
    """Lines before the first plan table, and every line of the document."""
    before: list[str] = []
    everything: list[str] = []
    reached = False
    for segment in layout.segments:
        if isinstance(segment, DetectedTable):
            reached = reached or segment.kind in ("indicators", "tasks")
            continue
        line = clean_line(segment)
        everything.append(line)
        if not reached:
            before.append(line)
    return before, everything


# The national motto printed beside the commune's name ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập -
# Tự do - Hạnh phúc"): its "XÃ HỘI …" is no commune, and "Độc" no part of one (a spreadsheet row, or a
# converter, puts both on one line)
_MOTTO = re.compile(r"(?i)c[ộo]ng\s+h[òoà]a\s+x[ãa]\s+h[ộo]i\s+ch[ủu]\s+ngh[ĩi]a\s+vi[ệe]t\s+nam"
                    r"|đ[ộo]c\s+l[ậa]p\s*[-–—]\s*t[ựu]\s+do\s*[-–—]\s*h[ạa]nh\s+ph[úu]c")


def _commune(lines: list[str], title: str, headings: list[str]) -> tuple[str, str]:
    lines = [_MOTTO.sub(" ", line) for line in lines]
    headings = [_MOTTO.sub(" ", line) for line in headings]
    for text in [title]:
        match = _COMMUNE.search(text)
        if match:
            return _title_case(match.group(2)), match.group(1).lower()
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines + headings:
        for match in re.finditer(rf"(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|Ủy ban nhân dân)\s+{_COMMUNE.pattern}", line):
            counts[(_title_case(match.group(2)), match.group(1).lower())] += 1
    if counts:
        return counts.most_common(1)[0][0]
    for line in lines:
        match = _COMMUNE.search(line)
        if match:
            return _title_case(match.group(2)), match.group(1).lower()
    return "", "xã"


_SUBJECT_STOP = re.compile(r"(?i)^(căn cứ|số\b|[-–_=*]{3,}|i\.\s|\d+\.\s|kính gửi|nơi nhận|phụ lục\b)")


def _subject_lines(lines: list[str]) -> list[str]:
    """The subject lines printed under the kind line, up to the blank line or the first sentence of the body."""
    parts: list[str] = []
    for nxt in lines[:6]:
        if not nxt:
            if parts:
                break
            continue
        body = (len(nxt) > 160 or nxt.endswith(":") or re.search(r"(?i)\bnhư sau\b|\bcụ thể\b\s*:", nxt)
                or (parts and re.match(r"(?i)^(thực hiện|căn cứ|theo)\b", nxt) and len(nxt) > 100))
        # text copied out of a PDF has no blank line: a subject ending on its year is over when a sentence
        # starts in capitals ("… năm 2026" / "Thực hiện Kế hoạch số 131/KH-UBND…")
        sentence = parts and re.search(r"\bnăm \d{4}\W*$", parts[-1]) and re.match(r"^(Thực hiện|Căn cứ|Theo|Nhằm|Để)\b", nxt)
        if _SUBJECT_STOP.match(nxt) or body or sentence:
            break
        parts.append(nxt)
    return parts


def _title(lines: list[str]) -> tuple[str, str]:
    """``(kind, title)``: "KẾ HOẠCH HÀNH ĐỘNG" + "Triển khai thực hiện …" gives ("Kế hoạch hành động",
    "Triển khai thực hiện …"); a bare "KẾ HOẠCH" gives no kind (the default); a one-line
    "KẾ HOẠCH Chuyển đổi số năm 2026" gives its rest as the title."""
    for i, line in enumerate(lines):
        if not line[:8].upper().startswith("KẾ HOẠCH") or not line[:8].isupper():
            continue
        folded = fold(line)
        if folded.startswith("ke hoach so"):
            continue
        rest = line[len("KẾ HOẠCH"):].strip(" :-–")
        subject = _subject_lines(lines[i + 1:i + 8])
        if not rest:
            if subject:
                return "", " ".join(subject)
            continue
        short_kind = rest.isupper() and len(rest.split()) <= 3 and not re.search(r"\d", rest)
        if short_kind and subject:
            return f"Kế hoạch {rest.lower()}", " ".join(subject)
        return "", " ".join([rest, *subject]) if rest.isupper() and subject and len(rest.split()) <= 6 else rest
    return "", ""


def _signature(lines: list[str]) -> tuple[str, str, str]:
    """``(authority, position, signer)`` from "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / the name."""
    starts = [i for i, line in enumerate(lines) if _AUTHORITY.match(line)]
    if not starts:  # no "TM." line: a position line alone ("CHỦ TỊCH") followed by a name
        starts = [i - 1 for i, line in enumerate(lines) if i and _POSITION.match(line)]
    for i in starts:
        authority = lines[i] if i >= 0 and _AUTHORITY.match(lines[i]) else ""
        position_lines: list[str] = []
        signer = ""
        for nxt in lines[i + 1:i + 12]:
            if not nxt or re.match(r"(?i)^\(?(đã ký|ký|ký tên|ký, đóng dấu|ký, ghi rõ)", nxt):
                continue
            if re.match(r"^[-+•]", nxt) or _RECIPIENTS.match(nxt):
                continue  # «Nơi nhận» beside the signature: a text copy interleaves the two columns
            if nxt.isupper() and not signer and len(nxt) < 60:
                position_lines.append(nxt)
                continue
            words = nxt.split()
            if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not re.search(r"\d", nxt):
                signer = nxt
            break
        if authority or signer:
            return authority, "\n".join(position_lines), signer
    return "", "", ""


def position_title(position: str, commune_kind: str, authority: str = "") -> str:
    """"CHỦ TỊCH" -> "Chủ tịch UBND xã"; "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" -> "Phó Chủ tịch UBND xã"; signed for
    another body ("T/M BAN CHỈ ĐẠO" / "TRƯỞNG BAN", "TM. ĐẢNG ỦY" / "BÍ THƯ"): "Trưởng ban Ban chỉ đạo xã",
    "Bí thư Đảng ủy xã"."""
    last = position.split("\n")[-1].strip()
    last = re.sub(r"^(KT|TM|TL|Q)\.\s*", "", last)
    words = {"CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch"}
    title = words.get(last.upper(), last[:1].upper() + last[1:].lower())
    if not title:
        return ""
    body = re.sub(r"(?i)^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.?\s*", "", authority.split("\n")[0]).strip()
    if not body or re.match(r"(?i)^(ỦY BAN|UỶ BAN|UBND)\b", body):
        return f"{title} UBND {commune_kind}"
    body = re.sub(r"(?i)\s+(xã|phường)\b.*$", "", body)
    return f"{title} {body[:1].upper() + body[1:].lower()} {commune_kind}"


def _recipients(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if not _RECIPIENTS.match(line):
            continue
        out: list[str] = []
        inline = line.split(":", 1)[1].strip() if ":" in line else ""
        if inline:
            out.append(inline.lstrip("-+• ").strip())
        for nxt in lines[i + 1:]:
            if not nxt:
                continue
            if _AUTHORITY.match(nxt) or _POSITION.match(nxt):
                continue  # the signature's column, interleaved by a text copy
            if not re.match(r"^[-+•]", nxt):
                break
            out.append(nxt.lstrip("-+• ").strip())
        return out
    return []


_OTHER_BODY = re.compile(r"^(ĐẢNG [ỦU]Y|ĐẢNG BỘ|BAN CHẤP HÀNH|BAN THƯỜNG VỤ|BAN CHỈ ĐẠO|HỘI ĐỒNG NHÂN DÂN|"
                         r"ỦY BAN MẶT TRẬN|UỶ BAN MẶT TRẬN|BAN CHỈ HUY)\b")
_PARTY_NATION = "ĐẢNG CỘNG SẢN VIỆT NAM"


def _issuer(lines: list[str]) -> tuple[list[str], str]:
    """The header block of a plan another body than the People's Committee issued: its lines above the
    number ("ĐẢNG ỦY XÃ SÓC SƠN", "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ") and the title beside them ("ĐẢNG CỘNG SẢN
    VIỆT NAM"); nothing for a committee's plan (printed as such by default)."""
    head: list[str] = []
    for line in lines[:8]:
        text = _MOTTO.sub(" ", line).replace(_PARTY_NATION, " ").strip(" *-–_")
        if _NUMBER.match(text) or _PLACE_DATE.match(text) or text.upper().startswith("KẾ HOẠCH"):
            break
        if text and text.isupper() and len(text) <= 80:
            head.append(" ".join(text.split()))
    if not head or not _OTHER_BODY.match(head[0]) or any(re.match(r"(ỦY|UỶ) BAN NHÂN DÂN|UBND", h) for h in head):
        return [], ""
    nation = _PARTY_NATION if any(_PARTY_NATION in line for line in lines[:8]) else ""
    return head[:3], nation


def read_front_matter(layout: Layout) -> FrontMatter:
    before, everything = _region(layout)
    headings = [clean_line(h) for t in layout.tables for h in t.heading]
    fm = FrontMatter()
    fm.kind, fm.title = _title(before)
    fm.commune, fm.commune_kind = _commune(before, fm.title, headings)
    fm.issuer, fm.national_title = _issuer(before)
    for line in before:
        match = _NUMBER.match(line)
        if match and not fm.number:
            fm.number = f"{match.group(1)}{match.group(2) or ''}/{match.group(3)}" if match.group(1) else ""
            break
    if not fm.number:
        for line in headings:
            match = _ATTACHED_NUMBER.search(line)
            if match and match.group(1):
                fm.number = f"{match.group(1)}{match.group(2) or ''}/{match.group(3)}"
                break
    for line in before:
        # The number and the place-date share one row in a printed header ("Số: /KH-UBND  Phù Đổng, ngày …").
        line = re.sub(r"(?i)^\s*số\s*:?\s*\S*/\S*\s+", "", line)
        match = _PLACE_DATE.match(line)
        if match and not re.match(r"(?i)(thực hiện|căn cứ|theo)", line):
            fm.place = match.group("place").strip()
            fm.issue_date = _find_date(line)
            break
    if fm.issue_date is None:
        for line in headings:
            if "kèm theo" in line.lower() and (found := _find_date(line)):
                fm.issue_date = found
                break
    # the signature and "Nơi nhận" close the plan's text; a plan with its tables inside the text has them after
    fm.authority, fm.position, fm.signer = _signature(before)
    if not fm.signer and not fm.authority:
        fm.authority, fm.position, fm.signer = _signature(everything)
    fm.recipients = _recipients(before) or _recipients(everything)
    fm.contacts = [c for c in (parse_contact(line) for line in before if _CONTACT_HINT.search(line))
                   if c is not None and c.phone]
    for line in before:
        match = _REPORT_DAY.search(line) if "tháng" in line else None
        if match and 1 <= int(match.group(1)) <= 31:
            fm.report_day = int(match.group(1))
            break
    fm.year = _year(fm, before, everything, headings)
    if fm.year is None:  # a table alone: the years its deadlines name ("Quý II/2026")
        cells = [c for t in layout.tables if t.kind in ("indicators", "tasks") for r in t.rows for c in r.cells]
        fm.year = _year(fm, [], cells, [])
    return fm


def _year(fm: FrontMatter, before: list[str], everything: list[str], headings: list[str]) -> int | None:
    match = re.search(r"năm\s+(20\d\d)", fm.title)
    if match:
        return int(match.group(1))
    if fm.issue_date:
        return fm.issue_date.year
    counts = Counter(int(y) for line in headings + before + everything for y in re.findall(r"\b(20\d\d)\b", line))
    return counts.most_common(1)[0][0] if counts else None


_TITLE_START = re.compile(r"^\W*(phu luc|danh muc|danh sach|bieu|bang (phan cong|tong hop|danh muc|chi tieu|nhiem vu|ke hoach))\b")


def read_appendix(table: DetectedTable) -> Appendix:
    lines = [clean_line(h) for h in table.heading if h.strip()]
    apx = Appendix()
    for i, line in enumerate(lines):
        match = re.match(r"^\W*(phụ lục)\s*([0-9]+|[IVX]+)(?![0-9IVX])\W*", line, re.I)
        if match and not apx.label:
            apx.label = f"{match.group(1)[:1].upper()}{match.group(1)[1:].lower()} {match.group(2)}"
            rest = line[match.end():]
            rest = re.split(r"\(\s*kèm theo", rest, flags=re.I)[0].strip(" *")
            if rest:
                apx.title = rest
            elif i + 1 < len(lines) and not re.match(r"(?i)\(?\s*kèm theo", lines[i + 1]):
                apx.title = lines[i + 1]
    if not apx.title:
        # An unnumbered heading is the title as written: "Phụ lục bảng phân công nhiệm vụ, tiến độ thực
        # hiện", "Danh sách mục tiêu cụ thể…", "Danh mục…", "Biểu…", "Bảng…" (the last such line above the table).
        titles = [line for line in lines if _TITLE_START.match(fold(line)) and len(line) <= 200
                  and not re.match(r"^\W*phụ lục\s*([0-9]+|[IVX]+)(?![0-9IVX])\W*$", line, re.I)]
        apx.title = re.split(r"\(\s*kèm theo", titles[-1], flags=re.I)[0].strip(" *") if titles else ""
    for line in lines:
        match = re.search(rf"(?i)tổng(?:\s+(?:số|cộng))?(?:\s+(?:chỉ tiêu|nhiệm vụ))?\s*[:\-]?\s*{_COUNT}", line)
        if match and apx.declared_total is None:
            apx.declared_total = int(match.group(1))
        if re.match(r"(?i)^\W*(tổng|cộng)\b", line) and not re.search(r"(?i)trong đó", line):
            continue
        body = re.split(r"(?i)trong đó\s*:?", line, maxsplit=1)
        if len(body) == 2 or (not match and re.search(rf"[:\-–]\s*{_COUNT}", line)):
            for part in re.split(r";", body[-1]):
                found = re.match(rf"^\s*(.+?)\s*[:\-–]\s*{_COUNT}\W*$", part.strip(), re.I)
                if found:
                    apx.declared_groups.append((found.group(1).strip(), int(found.group(2))))
    apx.title = re.sub(rf"\s*\(\s*tổng(?:\s+số)?\s*[:\-]?\s*{_COUNT}\s*\)", "", apx.title, flags=re.I).strip()
    return apx
