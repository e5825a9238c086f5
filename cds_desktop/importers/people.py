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


def is_surname(word: str) -> bool:
    """A Vietnamese family name ("Nguyễn", "Trần", "Đỗ"…), the first word of a person's name."""
    return word.lower() in _SURNAMES


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
    # a line that does not start a new person carries on the one above ("Đ/c Nguyễn Văn" / "An, PCT UBND xã")
    text = re.sub(r"\s*\n(?!\s*(?:[-+•*]|Đ\s*/\s*c\b|Đ\.\s*c\b|Đồng chí\b|Ông\b|Bà\b))\s*", " ", text)
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


# --- people in unit cells ------------------------------------------------------------------------


_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_]{0,6}$")  # (and capitalised: checked with str methods)
# Capitalised words that begin titles or roles, never a piece of a person's name ("Trưởng Công an xã").
_NOT_NAME = {"trưởng", "phó", "cán", "các", "ông", "bà", "chủ", "lãnh", "đại", "thành", "ủy", "uỷ", "bí", "tổ", "nhóm"}
# Middle names common enough to guess one back into a two-word name when nothing else tells.
_MIDDLE_NAMES = {
    "văn", "thị", "đức", "minh", "quang", "thu", "ngọc", "hữu", "công", "xuân", "thanh", "hồng", "kim", "bá", "đình",
    "quốc", "mạnh", "tiến", "duy", "anh", "hoàng", "hải", "thế", "trọng", "viết", "như", "khánh", "phương", "thành",
    "trung", "tuấn", "việt", "bích", "diệu", "hoài", "mai", "lan", "thúy", "thùy", "hoa", "huy", "đăng", "quý", "tất",
    "nguyên", "phú", "gia", "khắc", "trí", "đắc", "chí", "ích", "sỹ", "sĩ", "tài", "thái", "vũ", "hà", "bảo", "cao",
}
# A position, not a unit ("Phó Chủ tịch UBND xã phụ trách", "PCT UBND xã", "Lãnh đạo UBND xã").
_POSITION_ONLY = re.compile(
    r"(?i)^(chủ tịch|phó chủ tịch|pct|ct|bí thư|phó bí thư|lãnh đạo|trưởng|phó trưởng)\b(?!.*\b(hội|đoàn)\b)")


# The heads of a kind of residential area stand for the areas themselves: "Trưởng các thôn" → "Các thôn",
# "Tổ trưởng các tổ dân phố" → "Các tổ dân phố", "Trưởng thôn Đông" → "Thôn Đông".
_AREA_HEADS = re.compile(
    r"(?i)^(?:phó\s+)?(?:tổ\s+trưởng|trưởng|bí\s+thư\s+chi\s+bộ)\s+(?P<many>các\s+)?"
    r"(?P<area>thôn|xóm|làng|tổ\s+dân\s+phố|khu\s+dân\s+cư|khu\s+phố|cụm\s+dân\s+cư)\b(?P<rest>.*)$")


def area_of_heads(text: str) -> str | None:
    """The residential areas a "Trưởng các thôn" cell stands for, or None."""
    match = _AREA_HEADS.match(clean_text(text))
    if match is None:
        return None
    area, rest = " ".join(match["area"].lower().split()), match["rest"].strip(" ,;.")
    if match["many"]:
        return f"Các {area}" + (f" {rest}" if rest else "")
    return (area[:1].upper() + area[1:] + (f" {rest}" if rest else "")) if rest else f"Các {area}"


def _is_person_cell(text: str, known: set[str]) -> PersonInfo | None:
    """A unit-cell text that names a person ("Đ.c Lê Thị Mai, PCT UBND xã", a known name) rather than a unit."""
    cleaned = clean_text(text)
    person = parse_person(cleaned) if (_HONORIFIC.match(cleaned) or looks_like_person(cleaned)) else None
    if person is None:
        name = cleaned.split(",")[0].strip()
        if name and fold_name(name) in {fold_name(k) for k in known}:
            person = PersonInfo(name=name, title=cleaned[len(name):].strip(" ,-–"))
    return person


def fold_name(name: str) -> str:
    return " ".join(name.lower().split())


def rejoin_name(name: str, fragment: str, known: set[str]) -> str | None:
    """The known person whose name is *name* with *fragment* put back in ("Hoàng Quyết" + "Văn")."""
    words = name.split()
    found = {k for k in known if len(k.split()) == len(words) + 1 and any(
        fold_name(" ".join(k.split()[:i] + k.split()[i + 1:])) == fold_name(name)
        and k.split()[i].lower() == fragment.lower() for i in range(len(k.split())))}
    return next(iter(found)) if len(found) == 1 else None


def complete_name(name: str, known: set[str]) -> str | None:
    """The one known person whose family and given names are those of a two-word *name* ("Bùi Vinh")."""
    words = name.split()
    if len(words) != 2:
        return None
    found = {k for k in known if len(k.split()) >= 3 and fold_name(k.split()[0]) == fold_name(words[0])
             and fold_name(k.split()[-1]) == fold_name(words[1])}
    return next(iter(found)) if len(found) == 1 else None


def _name_word(word: str) -> bool:
    """A capitalised word of at most 7 letters, lower case after the first ("Văn", "Quang")."""
    return bool(_NAME_WORD.match(word)) and word[0].isupper() and word[1:].islower() or (len(word) == 1 and word.isupper())


def _brand(word: str) -> bool:
    """A one-word unit name that is a name of its own: an acronym (BIDV), a brand (Agribank, VinaPhone)."""
    return (word.isupper() and len(word) >= 2) or any(ch.isupper() for ch in word[1:]) or len(word) >= 8 \
        or bool(re.search(r"(bank|tel|phone|post)$", word, re.I))


def people_in_units(units: dict[str, list[str]], leaders: list[PersonInfo], known: set[str],
                    labels: dict[str, str]) -> tuple[dict[str, list[str]], list[PersonInfo], list[str]]:
    """Take people and fragments of people out of unit names: a unit is never a person's name, a fragment of
    one, or a single word.  A whole person becomes the leader when the row has none; a name fragment (the
    middle name pushed into the next cell, alone or glued to the unit) is put back into the leader's name when
    the people catalogue (*known*) or the row makes it clear.  Returns the units, the leaders and the flags
    (Vietnamese, for the preview) telling what was read and why."""
    from cds_desktop.importers.units import looks_like_unit, starts_with_head

    flags: list[str] = []
    leaders = list(leaders)
    out: dict[str, list[str]] = {}
    fragments: list[tuple[str, str]] = []  # (role, word)
    for role, names in units.items():
        kept: list[str] = []
        for name in names:
            words = name.split()
            person = _is_person_cell(name, known) if not looks_like_unit(name) or _HONORIFIC.match(name) else None
            if person is not None:
                if not leaders:
                    leaders.append(person)
                    flags.append(f"Ô «{labels[role]}» ghi tên người («{name}»): đã đọc là lãnh đạo chỉ đạo "
                                 f"{person.name}, không tạo đơn vị; hãy kiểm tra.")
                else:
                    flags.append(f"Ô «{labels[role]}» ghi tên người («{name}»): không tạo đơn vị; hãy kiểm tra.")
                continue
            area = area_of_heads(name)
            if area is not None:
                flags.append(f"Ô «{labels[role]}» ghi «{name}»: đã hiểu là đơn vị «{area}»; hãy kiểm tra.")
                kept.append(area)
                continue
            if _POSITION_ONLY.match(name):
                flags.append(f"Ô «{labels[role]}» ghi chức danh («{name}»), không phải đơn vị: không tạo đơn vị; "
                             "hãy kiểm tra.")
                continue
            if len(words) == 1 and not _brand(words[0]) and not starts_with_head(name):
                fragments.append((role, words[0]))
                continue
            if len(words) >= 3 and _name_word(words[0]) and words[0].lower() not in _NOT_NAME and \
                    not starts_with_head(name) and \
                    words[1][:1].isupper() and starts_with_head(" ".join(words[1:])):
                fragments.append((role, words[0]))
                name = " ".join(words[1:])
            kept.append(name)
        out[role] = kept
    for role, word in fragments:
        leader = leaders[0] if leaders else None
        joined = rejoin_name(leader.name, word, known) if leader is not None else None
        if leader is not None and joined:
            flags.append(f"Chữ «{word}» ở ô «{labels[role]}» là một phần tên lãnh đạo: đã ghép lại thành «{joined}» "
                         "(theo tên người này ở các dòng khác).")
            leader.name = joined
        elif leader is not None and len(leader.name.split()) == 2 and word.lower() in _MIDDLE_NAMES:
            first, last = leader.name.split()
            guess = f"{first} {word} {last}"
            flags.append(f"Chữ «{word}» ở ô «{labels[role]}» có thể là tên đệm của lãnh đạo: đã đoán tên là «{guess}», "
                         "hãy kiểm tra.")
            leader.name = guess
        else:
            flags.append(f"Chữ «{word}» ở ô «{labels[role]}» không phải tên đơn vị: đã bỏ qua, hãy kiểm tra.")
    for leader in leaders:
        full = complete_name(leader.name, known)
        if full and fold_name(full) != fold_name(leader.name):
            flags.append(f"Tên lãnh đạo «{leader.name}» thiếu chữ: đã đọc là «{full}» (theo tên người này ở các dòng "
                         "khác), hãy kiểm tra.")
            leader.name = full
    return out, leaders, flags
