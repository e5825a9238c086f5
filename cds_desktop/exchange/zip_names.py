"""What a zip member's name and damage mean to the officer: names a package may not carry (absolute
paths, "..", Windows-reserved names, names that collide once case and Unicode form are folded), and
zip damage explained in Vietnamese.  Used by :mod:`cds_desktop.exchange.zipsafe`.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{base}{n}" for base in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_BAD = set('<>"|?*')
_DAMAGE = (
    ("bad crc-32", "sai mã kiểm tra"),
    ("bad magic number", "phần đầu của mục bị hỏng"),
    ("truncated", "bị cắt cụt"),
    ("differ", "tên mục không khớp với danh mục"),
    ("overlapped", "các mục chồng lên nhau"),
    ("compression method", "cách nén không được hỗ trợ"),
    ("encrypted", "mục được mã hóa"),
    ("password", "mục được mã hóa"),
    ("central directory", "mất danh mục của tệp nén"),
    ("not a zip file", "không phải tệp nén"),
)


def damage_reason(exc: BaseException) -> str:
    """Why zipfile/zlib refused the data, in Vietnamese (their English text never reaches the officer)."""
    text = str(exc).lower()
    for needle, reason in _DAMAGE:
        if needle in text:
            return reason
    if isinstance(exc, zlib.error):
        return "dữ liệu nén bị hỏng"
    if isinstance(exc, EOFError | struct.error):
        return "bị cắt cụt"
    if isinstance(exc, NotImplementedError):
        return "cách nén không được hỗ trợ"
    if isinstance(exc, UnicodeDecodeError):
        return "tên mục không đọc được"
    return "dữ liệu không đúng định dạng"


def shown(name: str) -> str:
    """A member name as it may be shown in a message (control characters made visible)."""
    out = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)
    return out if len(out) <= 120 else out[:117] + "…"


def name_problem(name: str, *, max_length: int = 255) -> str | None:
    """The reason (Vietnamese) why a member name is refused, or None if it is safe."""
    if not name:
        return "tên mục rỗng"
    if len(name) > max_length:
        return "tên mục quá dài"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name):
        return "tên mục chứa ký tự điều khiển"
    if "\\" in name:
        return "tên mục chứa dấu gạch chéo ngược (\\)"
    if name.startswith("/"):
        return "tên mục là đường dẫn tuyệt đối"
    if _DRIVE.match(name):
        return "tên mục chứa tên ổ đĩa (ví dụ C:)"
    if ":" in name:
        return "tên mục chứa dấu hai chấm (:)"
    if any(c in _WINDOWS_BAD for c in name):
        return "tên mục chứa ký tự không hợp lệ trên Windows (< > \" | ? *)"
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    for part in parts:
        if part == "..":
            return "tên mục chứa «..» (trỏ ra ngoài thư mục)"
        if part in ("", "."):
            return "tên mục có thành phần rỗng hoặc «.»"
        if part[-1] in ". ":
            return "tên mục kết thúc bằng dấu chấm hoặc khoảng trắng"
        stem = part.split(".")[0].rstrip(" ").upper()
        if stem in _RESERVED:
            return f"tên mục dùng tên dành riêng của Windows ({stem})"
    return None


def collision_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()
