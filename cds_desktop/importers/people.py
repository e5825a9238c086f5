"""People named by a plan: leader cells and contact lines, turned into names with titles.

- ``Đ.c Dương Viết Cường, Chủ tịch UBND xã``
- ``Đ/c Đỗ Hồng Sơn - Phó Chủ tịch UBND xã``
- ``Đồng chí Nguyễn Văn An – PCT UBND xã; Đ/c Lê Thị Bình, Trưởng phòng VHXH``
- ``Đ/c Bùi Thu Hoàng, Trưởng phòng Văn hóa - Xã hội (...), ĐT 0982.369.759;``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cds_desktop.text import clean_text

_HONORIFIC = re.compile(r"^(?:đ\s*/\s*c|đ\.\s*c|đc|đồng chí|ông|bà|ô\.|b\.)\.?\s+", re.I)
# Two words that start a title, not a name ("Chủ tịch", "Phó ...", "Văn phòng"...).
_TITLE_START = re.compile(
    r"^(chủ tịch|phó\b|trưởng\b|chuyên viên|bí thư|cán bộ|công chức|văn phòng|giám đốc|kế toán|"
    r"thành viên|ủy viên|pct\b|ct\b|ubnd\b|lãnh đạo|thường trực)",
    re.I,
)
_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "đào", "đinh", "mai", "trịnh", "lương", "đoàn", "tạ", "lưu", "chu", "cao", "tô", "hà",
    "vương", "kiều", "lâm", "quách", "thái", "triệu", "phùng", "khuất", "nghiêm", "kim", "tăng", "vi", "hứa",
    "đồng", "nông", "lã", "mạc", "khổng", "tống", "doãn", "bạch", "đàm", "giang", "la", "lại", "văn",
}
_PHONE = re.compile(r"(?:\bĐT|\bSĐT|\bDĐ|điện thoại|di động)\s*[:.]?\s*((?:\+?\d[\d .\-]{6,}\d)(?:\s*[/;,]\s*\+?\d[\d .\-]{6,}\d)*)", re.I)


@dataclass
class PersonInfo:
    name: str
    title: str = ""
    phone: str = ""


def _name_words(words: list[str]) -> int:
    """How many leading words form a person's name (capitalised, not a title)."""
    count = 0
    for i, word in enumerate(words):
        rest = " ".join(words[i:])
        if not word[:1].isupper() or _TITLE_START.match(rest) or not re.match(r"^[\w]+$", word):
            break
        if word.isupper() and len(word) > 1:
            break
        count += 1
    return count


def looks_like_person(text: str) -> bool:
    """A short text that is a person's name (with or without "Đ/c")."""
    text = clean_text(text)
    if not text or len(text) > 80:
        return False
    if _HONORIFIC.match(text):
        return True
    words = text.split()
    return 2 <= len(words) <= 5 and words[0].lower() in _SURNAMES and _name_words(words) == len(words)


def _expand_title(title: str) -> str:
    title = re.sub(r"^PCT\b", "Phó Chủ tịch", title)
    title = re.sub(r"^CT\b", "Chủ tịch", title)
    return title


def _capitalised_name(words: list[str]) -> bool:
    return 2 <= len(words) <= 5 and _name_words(words) == len(words)


def parse_person(text: str) -> PersonInfo | None:
    """One "name, title" text; None when it names no person (a title alone)."""
    text = clean_text(text).strip(" ;,.-–")
    honorific = bool(_HONORIFIC.match(text))
    text = _HONORIFIC.sub("", text)
    match = re.match(r"^(?P<name>[^,(:]+?)\s*(?:,|\s[-–]\s|\(|:)\s*(?P<title>.*)$", text)
    if match and _capitalised_name(match.group("name").split()):
        name, title = match.group("name").strip(), match.group("title")
        if match.group(0)[len(match.group("name")):].lstrip().startswith("("):
            title = "(" + title
    else:
        words = text.split()
        count = _name_words(words)
        if count < 2 or count > 5:
            return _title_then_name(words)
        name, title = " ".join(words[:count]), " ".join(words[count:])
    if not honorific and name.split()[0].lower() not in _SURNAMES:
        return None
    return PersonInfo(name=name, title=_expand_title(title.strip(" ,;:-–")))


def _title_then_name(words: list[str]) -> PersonInfo | None:
    """"Phó Chủ tịch UBND xã Nguyễn Văn An": a title first, the name at the end."""
    if not words or not _TITLE_START.match(" ".join(words)):
        return None
    for start in range(max(1, len(words) - 5), len(words) - 1):
        tail = words[start:]
        if tail[0].lower() in _SURNAMES and _name_words(tail) == len(tail):
            return PersonInfo(name=" ".join(tail), title=_expand_title(" ".join(words[:start]).strip(" ,-–")))
    return None


def parse_leaders(cell: str) -> list[PersonInfo]:
    """The people a "Lãnh đạo chỉ đạo" cell names (several may be separated by ";" or lines)."""
    text = clean_text(cell, keep_newlines=True)
    parts = re.split(r"[;\n]|(?=\b(?:Đ/c|Đ\.c|Đồng chí)\s)", text)
    people = []
    for part in parts:
        person = parse_person(part) if part.strip() else None
        if person is not None:
            people.append(person)
    return people


def parse_contact(line: str) -> PersonInfo | None:
    """A contact line: "- Đ/c Name, title, ĐT 0982.369.759;" (phone optional)."""
    text = clean_text(line).lstrip("-+•* ").strip()
    if not _HONORIFIC.match(text):
        return None
    phone = ""
    match = _PHONE.search(text)
    if match:
        phone = match.group(1).strip(" ./;")
        text = text[:match.start()]
    person = parse_person(text)
    if person is None:
        return None
    person.phone = phone
    person.title = person.title.strip(" ,;")
    return person
