"""Unit names as plans write them: splitting cells, one key per unit, canonical names, kinds.

"Phòng VHXH", "Phòng VH-XH", "Phòng VHXXH" and "Phòng Văn hóa - Xã hội" are
one unit; so are "Văn phòng HĐND-UBND", "VP HĐND – UBND" and "Văn phòng
HĐND&UBND xã".  :func:`match_key` gives all of them the same key (folded,
abbreviations expanded, commune qualifiers dropped); :class:`UnitBook`
collects the spellings of one document and picks one name per unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from cds_desktop.text import clean_text, fold

# Folded abbreviations and their expansion, applied in order.
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bhond\b", "hdnd"),  # OCR of "HĐND"
    (r"\bhdnd-?ubnd\b", "hdnd-ubnd"),
    (r"\bkh-?cn\b", "khoa hoc-cong nghe"),
    (r"\bvh-?x{1,2}-?h?\b", "van hoa-xa hoi"),
    (r"\bpv-?hcc\b", "phuc vu hanh chinh cong"),
    (r"\bhc{2,3}\b", "hanh chinh cong"),
    (r"\bdvcs?\b", "dich vu cong"),
    (r"\bdvth\b", "dich vu tong hop"),
    (r"\btthc\b", "thu tuc hanh chinh"),
    (r"\bub ?mttq(vn)?\b", "uy ban mat tran to quoc"),
    (r"\bmttq(vn)?\b", "mat tran to quoc"),
    (r"\bvp\b", "van phong"),
    (r"\btt\b", "trung tam"),
    (r"\btp\b", "thanh pho"),
    (r"\bkt\b", "kinh te"),
    (r"\bcn\b", "cong nghe"),
    (r"\bca\b", "cong an"),
]
_ABBREVIATIONS_RE = [(re.compile(p), r) for p, r in _ABBREVIATIONS]

# Canonical commune-level and city units: (pattern on the key, name, short name, kind).
_KNOWN: list[tuple[str, str, str, str]] = [
    (r"^van phong (hdnd-)?ubnd$", "Văn phòng HĐND-UBND", "VP HĐND-UBND", "department"),
    (r"^(phong )?van hoa-xa hoi$", "Phòng Văn hóa - Xã hội", "Phòng VHXH", "department"),
    (r"^phong kinh te$", "Phòng Kinh tế", "Phòng KT", "department"),
    (r"^cong an$", "Công an {kind}", "Công an {kind}", "police"),
    (r"^tram y te$", "Trạm Y tế {kind}", "Trạm Y tế", "health"),
    (r"^trung tam dich vu tong hop$", "Trung tâm Dịch vụ tổng hợp", "TT DVTH", "service_center"),
    (r"^so khoa hoc-cong nghe( ha noi| thanh pho)?$", "Sở Khoa học và Công nghệ", "Sở KH&CN", "city_agency"),
    (r"^van phong ubnd thanh pho( ha noi)?$", "Văn phòng UBND Thành phố", "VP UBND TP", "city_agency"),
    (r"^cong an thanh pho( ha noi)?$", "Công an Thành phố", "Công an TP", "city_agency"),
]
_KNOWN_RE = [(re.compile(p), n, s, k) for p, n, s, k in _KNOWN]

# Words that begin a unit name (folded); used to split cells and to spot shifted cells.
# Words that begin a unit name (lower case, with diacritics: "sở" is not "số", "đội" is not "đổi").
_HEAD = (
    r"(văn phòng|vp|phòng|công an|trạm|trung tâm|tt|sở|ủy ban|uỷ ban|ub|ubnd|mttq|ubmttq|điểm|thôn|xóm|"
    r"tổ dân phố|tổ công nghệ|tổ chuyển đổi|tổ cds|tổ cns|trường|ngân hàng|công ty|doanh nghiệp|hợp tác xã|"
    r"đoàn|hội|ban|đảng ủy|đảng uỷ|chi bộ|công đoàn|đài|bưu điện|nhà văn hóa|nhà văn hoá|chi nhánh|chi cục|"
    r"cục|kho bạc|bảo hiểm|đội|cơ quan|đơn vị|vnpt|viettel|mobifone|các)"
)
_HEAD_RE = re.compile(rf"^{_HEAD}(?=[\s,.;:&-]|$)")


def starts_with_head(text: str) -> bool:
    """Whether *text* begins with a word that starts unit names ("Phòng", "Trung tâm", "Các", "VNPT"...)."""
    return bool(_HEAD_RE.match(unicodedata.normalize("NFC", text).lower()))


_starts_with_head = starts_with_head
# Capitalised heads that, in the middle of a cell, start a second unit glued on by a lost line break.
_GLUE_RE = re.compile(
    r"(?<=\S)\s+(?:[-–+•]\s+)?(?=(Văn phòng|Phòng|Công an|Trạm|Trung tâm|Sở|Ủy ban|Điểm|Thôn|Trường|Ngân hàng|Công ty|Các|"
    r"Tổ (?:dân phố|công nghệ|chuyển đổi)|Đoàn Thanh niên|Hội (?:Liên hiệp|Nông dân|Cựu chiến binh|Người cao tuổi|"
    r"Chữ thập đỏ|Phụ nữ)|Ban Quản lý|Hợp tác xã|Bưu điện|Chi nhánh|Đội (?:Thuế|Quản lý))\s)"
)
_NO_GLUE_BEFORE = re.compile(r"(?i)(\bvà|\bcủa|\bthuộc|\bvới|\bcho|\btại|-|–)$")


def _strip_parentheses(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text).strip()


@lru_cache(maxsize=8192)
def match_key(name: str, commune: str = "") -> str:
    """The key under which spellings of one unit meet (folded, abbreviations expanded)."""
    key = fold(_strip_parentheses(clean_text(name)))
    key = re.sub(r"\s*[-–—&+]\s*", "-", key)
    key = re.sub(r"\s+va\s+", "-", key)
    for pattern, repl in _ABBREVIATIONS_RE:
        key = pattern.sub(repl, key)
    key = re.sub(r"[,.;:]", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    commune_key = fold(commune)
    if commune_key:
        key = re.sub(rf"\s+(xa|phuong)\s+{re.escape(commune_key)}$", "", key)
        key = re.sub(rf"\s+{re.escape(commune_key)}$", "", key) if key.startswith("cong an") else key
    key = re.sub(r"\s+(xa|phuong)$", "", key)
    key = re.sub(r"\btren dia ban( xa| phuong)?$", "tren dia ban", key)
    return re.sub(r"^cac\s+", "", key)


@lru_cache(maxsize=4096)
def known_unit(name: str, commune: str = "", commune_kind: str = "xã") -> tuple[str, str, str] | None:
    """``(name, short name, kind)`` for the units every commune has, else None."""
    key = match_key(name, commune)
    for pattern, canonical, short, kind in _KNOWN_RE:
        if pattern.match(key):
            return canonical.format(kind=commune_kind), short.format(kind=commune_kind), kind
    return None


@lru_cache(maxsize=4096)
def unit_kind(name: str) -> str:
    known = known_unit(name)
    if known:
        return known[2]
    text = fold(name)
    lower = unicodedata.normalize("NFC", name).lower()
    if re.match(r"^(sở|ubnd thành phố|ủy ban nhân dân thành phố)\b", lower) or re.search(
            r"(thanh pho|ha noi)\b", text) and re.match(r"^(van phong|cong an|trung tam phuc vu|bo)\b", text):
        return "city_agency"
    department = re.match(r"^(phong|van phong) (?!ban\b)", text) and not re.search(r"lien quan|chuyen mon", text)
    if not department and (text.startswith("cac ") or "," in text
                           or re.search(r"tren dia ban|lien quan|chuyen mon|thuoc (xa|phuong)", text)):
        return "collective"
    for pattern, kind in (
        (r"^cong an", "police"), (r"^tram y te|^y te", "health"),
        (r"^(trung tam|diem ho tro|diem phuc vu)", "service_center"),
        (r"^(thon|to dan pho|khu dan cu|xom)\b", "village"), (r"^truong\b", "school"),
        (r"^ngan hang", "bank"), (r"vien thong|vnpt|viettel|mobifone|fpt telecom", "telecom"),
        (r"^(doanh nghiep|cong ty|hop tac xa)", "enterprise"),
        (r"^(uy ban mat tran|ub mttq|mttq|doan thanh nien|hoi |cong doan|dang uy|ban chi dao|chi bo)", "organisation"),
        (r"^(phong|van phong|ban)\b", "department"),
    ):
        if re.search(pattern, text):
            return kind
    return "other"


def looks_like_unit(text: str) -> bool:
    """A short text naming a unit (used to spot cells shifted into the content column)."""
    text = clean_text(text)
    if not text or len(text) > 80 or re.search(r"\d|%", text):
        return False
    if known_unit(text):
        return True
    words = text.split()
    return len(words) <= 8 and _starts_with_head(text) and text[0].isupper() and not re.match(
        r"(?i)(ban hành|phòng chống|phòng ngừa|các (nhiệm vụ|chỉ tiêu|giải pháp|hoạt động))", text)


def _split_outside_parentheses(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _starts_unit(piece: str) -> bool:
    """Whether a comma-separated piece starts a new unit rather than continuing a collective."""
    if not piece:
        return False
    if piece[0].isupper():  # "Phòng VHXH" starts a unit; "Hạ tầng và Đô thị" goes on a name
        return _starts_with_head(piece) or known_unit(piece) is not None
    if fold(piece).startswith("cac "):
        return True
    words = piece.split()
    return _starts_with_head(piece) and len(words) > 1 and (words[1][0].isupper() or words[1].isupper())


def _glue_split(piece: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _GLUE_RE.finditer(piece):
        left = piece[start:match.start()].strip()
        if len(left.split()) >= 2 and not _NO_GLUE_BEFORE.search(left) and "(" not in left[-30:]:
            out.append(left)
            start = match.end()
    out.append(piece[start:].strip())
    return [p for p in out if p]


def _rejoin_wrapped(text: str) -> str:
    """A name wrapped onto the next line: the line goes on in lower case, or the line above ends mid-name."""
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if out and line and (line[0].islower() or line[0] == "(" or re.search(r"([-–&,]|\bvà)$", out[-1])):
            out[-1] = f"{out[-1]} {line}"
        elif line:
            out.append(line)
    return "\n".join(out)


def split_units(cell: str) -> list[str]:
    """The unit names a lead/coordinating cell holds, as written (cleaned), in order."""
    text = clean_text(cell, keep_newlines=True)
    text = re.sub(r"(?im)^\s*(chủ trì|phối hợp|đơn vị chủ trì|đơn vị phối hợp)\s*:\s*", "", text)
    text = _rejoin_wrapped(text)
    names: list[str] = []
    for segment in _split_outside_parentheses(text, ";\n"):
        pieces = _split_outside_parentheses(segment, ",")
        merged: list[str] = []
        for piece in pieces:
            if merged and not _starts_unit(piece):
                merged[-1] = f"{merged[-1]}, {piece}"
            else:
                merged.append(piece)
        for piece in merged:
            for part in _glue_split(piece):
                names.extend(_split_and(part))
    out = []
    for name in names:
        name = re.sub(r"^[-+•*]\s*", "", name).strip(" .;,:")
        if name and fold(name) not in ("", "xa", "phuong"):
            out.append(name[0].upper() + name[1:])
    return out


def _split_and(text: str) -> list[str]:
    """Split "Phòng VHXH và Phòng Kinh tế", but not "Sở Khoa học và Công nghệ" or "HĐND và UBND"."""
    parts = re.split(r"\s+và\s+(?=(?:Văn phòng|Phòng|Công an|Trạm|Trung tâm|Sở|Ủy ban|Điểm|Thôn|Trường|Các|các)\s)", text)
    return [p.strip() for p in parts if p.strip()]


_COMMON_NOUNS = {"thôn", "tổ", "phòng", "ban", "ngành", "đơn", "vị", "trường", "doanh", "nghiệp", "hộ", "hợp", "tác",
                 "chức", "cơ", "quan", "ngân", "hàng", "xã", "phường", "địa", "bàn", "chuyên", "môn", "liên"}


def _common_nouns_lower(name: str) -> str:
    """"Các Thôn trên địa bàn xã" -> "Các thôn trên địa bàn xã" (one spelling for a collective)."""
    words = name.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word[:1].isupper() and not word.isupper() and word.lower().strip(",;") in _COMMON_NOUNS:
            words[i] = word.lower()
    return " ".join(words)


@dataclass
class UnitBook:
    """The units one document names: spellings grouped by key, one canonical name each."""

    commune: str = ""
    commune_kind: str = "xã"
    spellings: dict[str, Counter[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)  # key -> key it was merged into (officer)

    def add(self, spelling: str) -> str:
        spelling = clean_text(spelling).strip(" .;,:")
        key = match_key(spelling, self.commune) or fold(spelling)
        if key not in self.spellings:
            self.spellings[key] = Counter()
            self.order.append(key)
        self.spellings[key][spelling] += 1
        return self.resolve(key)

    def resolve(self, key: str) -> str:
        seen = set()
        while key in self.merged and key not in seen:
            seen.add(key)
            key = self.merged[key]
        return key

    def merge(self, key: str, into: str) -> None:
        if self.resolve(into) != key:
            self.merged[key] = into

    def name(self, key: str) -> str:
        key = self.resolve(key)
        spellings = self.spellings.get(key) or Counter({key: 1})
        first = next(iter(spellings))
        known = known_unit(first, self.commune, self.commune_kind)
        if known:
            return known[0]
        if unit_kind(first) == "collective":
            return _common_nouns_lower(
                min(spellings, key=lambda s: (sum(ch.isupper() for ch in s[1:]), -spellings[s])))
        return max(spellings, key=lambda s: spellings[s])

    def spellings_of(self, key: str) -> list[str]:
        key = self.resolve(key)
        names = [s for k in self.order if self.resolve(k) == key for s in self.spellings[k]]
        return list(dict.fromkeys(names))

    def spec(self, key: str) -> dict:
        """The draft entry of a unit: name, short name, kind and the other spellings as aliases."""
        name = self.name(key)
        known = known_unit(name, self.commune, self.commune_kind)
        short, kind = (known[1], known[2]) if known else (name if len(name) <= 40 else "", unit_kind(name))
        aliases = [s for s in self.spellings_of(key) if fold(s) != fold(name)]
        return {"name": name, "short_name": short or name[:100], "kind": kind, "aliases": aliases}
