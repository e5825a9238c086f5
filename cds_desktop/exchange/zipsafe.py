"""Reading untrusted zip files (data packages, returned workbooks) safely.

Nothing here ever calls ``extractall`` or uses a member name as a path.  An
archive is checked in this order, and the first problem rejects the whole file
with a Vietnamese message naming the file and the reason:

1. the end-of-central-directory record is found and read by hand, and the
   entry count and directory size are capped *before* ``zipfile`` builds one
   object per entry (a directory of millions of entries never reaches memory);
2. every entry name obeys :func:`name_problem` (no absolute paths, drive
   letters, ``..``, backslashes, colons, control characters, Windows reserved
   names, trailing dots or spaces) and no two names collide case-insensitively
   or after NFC normalisation;
3. no symlinks, no encryption, only *stored* or *deflated* members; each
   declared size, the total and the compression ratio are within limits;
4. the local headers are read by hand: each must match its directory entry,
   and no member's bytes may overlap another's (overlapping-entry bombs) or run
   into the central directory;
5. members are then read only by streaming (:func:`stream_member`), counting
   the bytes actually produced; a member that yields more or fewer bytes than
   declared (a lying size header), or fails its CRC, rejects the file.
"""

from __future__ import annotations

import hashlib
import logging
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, BinaryIO

from cds_desktop.database.errors import storage_error
from cds_desktop.exchange.errors import ExchangeCancelled, RejectedFile
from cds_desktop.exchange.zip_names import collision_key, damage_reason, name_problem, shown
from cds_desktop.text import format_number

log = logging.getLogger(__name__)

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
CHUNK = 1 << 20
_EOCD_SIG = b"PK\x05\x06"
_EOCD64_LOC_SIG = b"PK\x06\x07"
_EOCD64_SIG = b"PK\x06\x06"
_CD_SIG = b"PK\x01\x02"
_LOCAL_SIG = b"PK\x03\x04"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_CD_ENTRY = struct.Struct("<4s6H3L5H2L")  # 46 bytes
_LOCAL = struct.Struct("<4s5H3L2H")  # 30 bytes


@dataclass(frozen=True)
class ZipLimits:
    """Caps applied to one archive (all sizes in bytes, declared and actual)."""

    max_entries: int
    max_member: int
    max_total: int
    max_ratio: float  # uncompressed / compressed, for members above ratio_floor
    max_file: int  # the archive file itself
    ratio_floor: int = 1 * MiB
    max_name: int = 255


PACKAGE_LIMITS = ZipLimits(max_entries=200_000, max_member=4 * GiB, max_total=64 * GiB, max_ratio=200.0,
                           max_file=64 * GiB)
WORKBOOK_LIMITS = ZipLimits(max_entries=2_000, max_member=64 * MiB, max_total=256 * MiB, max_ratio=200.0,
                            max_file=32 * MiB)


# --------------------------------------------------------------------------
# End of central directory, read by hand


@dataclass(frozen=True)
class Directory:
    count: int
    size: int
    offset: int
    eocd_offset: int
    comment_length: int


def read_directory(fh: BinaryIO, file_size: int) -> Directory:
    """Find the EOCD (and zip64 EOCD); raises ValueError with a Vietnamese reason."""
    tail_len = min(file_size, 22 + 0xFFFF)
    fh.seek(file_size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(_EOCD_SIG)
    while pos >= 0 and pos + 22 > len(tail):
        pos = tail.rfind(_EOCD_SIG, 0, pos)
    if pos < 0:
        raise ValueError("không tìm thấy mục lục của tệp nén (tệp bị cắt cụt hoặc không phải tệp zip)")
    (_sig, disk, cd_disk, _n_here, count, size, offset, comment_length) = struct.unpack(
        "<4s4H2LH", tail[pos:pos + 22])
    eocd_offset = file_size - tail_len + pos
    if eocd_offset + 22 + comment_length != file_size:
        raise ValueError("phần cuối tệp nén không khớp với mục lục (tệp bị cắt cụt hoặc có dữ liệu lạ ở cuối)")
    if disk or cd_disk:
        raise ValueError("tệp nén nhiều phần (multi-disk) không được hỗ trợ")
    loc_at = eocd_offset - 20
    locator = b""
    if loc_at >= 0:
        fh.seek(loc_at)
        locator = fh.read(20)
    if locator[:4] == _EOCD64_LOC_SIG:  # a zip64 end record precedes (writers add it past 2 GiB)
        (_s, _d, eocd64_at, _total_disks) = struct.unpack("<4sLQL", locator)
        if eocd64_at + 56 > loc_at:
            raise ValueError("mục lục zip64 bị hỏng")
        fh.seek(eocd64_at)
        rec = fh.read(56)
        if rec[:4] != _EOCD64_SIG:
            raise ValueError("mục lục zip64 bị hỏng")
        (_s, _rs, _vm, _vn, _dn, _dcd, _nhere, count, size, offset) = struct.unpack("<4sQ2H2L4Q", rec)
        cd_end = eocd64_at
    elif count == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        raise ValueError("mục lục zip64 bị hỏng")
    else:
        cd_end = eocd_offset
    if offset + size != cd_end:
        raise ValueError("vị trí mục lục của tệp nén không hợp lệ (có dữ liệu lạ hoặc tệp bị cắt cụt)")
    return Directory(count=count, size=size, offset=offset, eocd_offset=eocd_offset, comment_length=comment_length)


def _prescan(fh: BinaryIO, directory: Directory, limits: ZipLimits) -> None:
    """Walk the central directory counting entries before zipfile parses it."""
    if directory.count > limits.max_entries:
        raise ValueError(f"quá nhiều mục trong tệp nén ({format_number(directory.count)} > {format_number(limits.max_entries)})")
    if directory.size > limits.max_entries * (46 + 3 * limits.max_name) + 64:
        raise ValueError("mục lục của tệp nén quá lớn")
    fh.seek(directory.offset)
    data = fh.read(directory.size)
    if len(data) != directory.size:
        raise ValueError("mục lục của tệp nén bị cắt cụt")
    pos = seen = 0
    while pos < len(data):
        if data[pos:pos + 4] != _CD_SIG or pos + 46 > len(data):
            raise ValueError("mục lục của tệp nén bị hỏng")
        fields = _CD_ENTRY.unpack_from(data, pos)
        n, m, k = fields[10], fields[11], fields[12]
        pos += 46 + n + m + k
        seen += 1
        if seen > limits.max_entries:
            raise ValueError(f"quá nhiều mục trong tệp nén (> {format_number(limits.max_entries)})")
    if pos != len(data) or seen != directory.count:
        raise ValueError("mục lục của tệp nén không khớp với số mục khai báo")


# --------------------------------------------------------------------------
# Opening and checking


@dataclass
class CheckedZip:
    """An archive whose directory and layout passed the checks; members still to be streamed."""

    zf: zipfile.ZipFile
    infos: list[zipfile.ZipInfo]
    directory: Directory
    data_ranges: list[tuple[int, int, bool]]  # (start, end, stored?) of each member's data, in file order
    file_size: int
    display: str

    def info(self, name: str) -> zipfile.ZipInfo | None:
        for info in self.infos:
            if info.filename == name:
                return info
        return None

    def close(self) -> None:
        self.zf.close()


def open_checked(fh: BinaryIO, display: str, limits: ZipLimits, *, strict_layout: bool = False,
                 allow_dirs: bool = False) -> CheckedZip:
    """Check the archive *fh* (seekable, positioned anywhere) without decompressing anything.

    *strict_layout* also requires members to be contiguous from offset 0 up to the
    central directory (our packages are written that way; nothing can hide between them).
    Raises :class:`RejectedFile`.
    """
    try:
        fh.seek(0, 2)
        file_size = fh.tell()
        if file_size > limits.max_file:
            raise ValueError(f"tệp quá lớn ({format_number(file_size / MiB)} MB)")
        if file_size < 22:
            raise ValueError("tệp quá ngắn, không phải tệp nén hợp lệ")
        directory = read_directory(fh, file_size)
        _prescan(fh, directory, limits)
        fh.seek(0)
        zf = zipfile.ZipFile(fh)
    except RejectedFile:
        raise
    except ValueError as exc:
        raise RejectedFile(display, str(exc)) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, struct.error, NotImplementedError,
            UnicodeDecodeError) as exc:
        raise RejectedFile(display, f"tệp nén bị hỏng hoặc không đúng định dạng ({damage_reason(exc)}).") from exc
    try:
        infos = zf.infolist()
        _check_entries(infos, display, limits, allow_dirs)
        ranges = _check_layout(fh, infos, directory, display, strict_layout)
    except BaseException:
        zf.close()
        raise
    return CheckedZip(zf, infos, directory, ranges, file_size, display)


def _check_entries(infos: list[zipfile.ZipInfo], display: str, limits: ZipLimits, allow_dirs: bool) -> None:
    if len(infos) > limits.max_entries:
        raise RejectedFile(display, f"quá nhiều mục trong tệp nén ({format_number(len(infos))})")
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = name_problem(name, max_length=limits.max_name)
        if info.orig_filename != name:  # zipfile turned a "\" or a NUL into something else
            problem = problem or name_problem(info.orig_filename) or "tên mục không hợp lệ"
        if problem:
            raise RejectedFile(display, f"mục «{shown(info.orig_filename)}»: {problem}.")
        key = collision_key(name)
        if key in seen:
            other = seen[key]
            what = "trùng tên" if other == name else "trùng tên khi không phân biệt hoa thường hoặc sau chuẩn hóa NFC"
            raise RejectedFile(display, f"mục «{shown(name)}» {what} với mục «{shown(other)}».")
        seen[key] = name
        mode = (info.external_attr >> 16) & 0o170000
        if mode == 0o120000:
            raise RejectedFile(display, f"mục «{shown(name)}» là liên kết tượng trưng (symlink).")
        if info.flag_bits & 0x1:
            raise RejectedFile(display, f"mục «{shown(name)}» được mã hóa bằng mật khẩu.")
        if info.is_dir():
            if not allow_dirs or info.file_size:
                raise RejectedFile(display, f"mục «{shown(name)}» là thư mục, không được phép ở đây.")
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise RejectedFile(display, f"mục «{shown(name)}» dùng kiểu nén không hỗ trợ ({info.compress_type}).")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise RejectedFile(display, f"mục «{shown(name)}» khai báo kích thước không nhất quán.")
        if info.file_size > limits.max_member:
            raise RejectedFile(display, f"mục «{shown(name)}» quá lớn ({format_number(info.file_size / MiB)} MB).")
        total += info.file_size
        if total > limits.max_total:
            raise RejectedFile(display, f"tổng dung lượng giải nén quá lớn (> {format_number(limits.max_total / MiB)} MB).")
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise RejectedFile(display, f"mục «{shown(name)}» có tỷ lệ nén bất thường ({format_number(ratio)} lần) — "
                                        "nghi là «bom nén».")


def _check_layout(fh: BinaryIO, infos: list[zipfile.ZipInfo], directory: Directory, display: str,
                  strict: bool) -> list[tuple[int, int, bool]]:
    ranges: list[tuple[int, int, bool]] = []
    position = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        start = info.header_offset
        if start < position:
            raise RejectedFile(display, f"mục «{shown(info.filename)}» chồng lên mục khác trong tệp nén.")
        if strict and start != position:
            raise RejectedFile(display, "tệp nén có dữ liệu lạ xen giữa các mục.")
        fh.seek(start)
        header = fh.read(30)
        if len(header) != 30 or header[:4] != _LOCAL_SIG:
            raise RejectedFile(display, f"phần đầu của mục «{shown(info.filename)}» bị hỏng.")
        fields = _LOCAL.unpack(header)
        n, m = fields[9], fields[10]
        raw_name = fh.read(n)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        try:
            local_name = raw_name.decode(encoding)
        except UnicodeDecodeError as exc:
            raise RejectedFile(display, f"tên mục «{shown(info.filename)}» bị hỏng.") from exc
        if local_name != info.orig_filename:
            raise RejectedFile(display, f"tên mục «{shown(info.filename)}» không khớp giữa mục lục và phần đầu mục.")
        data_start = start + 30 + n + m
        data_end = data_start + info.compress_size
        if info.flag_bits & 0x8:  # a data descriptor follows the data
            fh.seek(data_end)
            probe = fh.read(4)
            data_end += 4 if probe == _DESCRIPTOR_SIG else 0
            data_end += 20 if info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF else 12
        if data_end > directory.offset:
            raise RejectedFile(display, f"mục «{shown(info.filename)}» tràn vào mục lục của tệp nén.")
        ranges.append((data_start, data_start + info.compress_size, info.compress_type == zipfile.ZIP_STORED))
        position = data_end
    if strict and position != directory.offset:
        raise RejectedFile(display, "tệp nén có dữ liệu lạ trước mục lục.")
    return ranges


# --------------------------------------------------------------------------
# Streaming a member


def stream_member(
    checked: CheckedZip,
    info: zipfile.ZipInfo,
    out: IO[bytes] | None,
    *,
    hasher: hashlib._Hash | None = None,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    limit: int | None = None,
) -> int:
    """Read one member to *out* (or nowhere), counting and hashing; returns the byte count.

    Rejects the archive when the member yields a different number of bytes than
    declared, more than *limit*, or fails its CRC / decompression.
    """
    display, name = checked.display, info.filename
    cap = min(info.file_size, limit if limit is not None else info.file_size)
    if info.file_size > cap:
        raise RejectedFile(display, f"mục «{shown(name)}» quá lớn.")
    count = 0
    try:
        with checked.zf.open(info) as src:
            while True:
                if cancel is not None and cancel():
                    raise ExchangeCancelled()
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                count += len(chunk)
                if count > cap:
                    raise RejectedFile(display, f"mục «{shown(name)}» dài hơn kích thước khai báo.")
                if hasher is not None:
                    hasher.update(chunk)
                if out is not None:
                    out.write(chunk)
                if progress is not None:
                    progress(len(chunk))
    except (RejectedFile, ExchangeCancelled):
        raise
    except OSError as exc:
        if exc.errno is not None:  # writing the copy failed (a full disk), not the package
            raise storage_error(exc, getattr(out, "name", None)) from exc
        raise RejectedFile(display, f"tệp «{shown(name)}» trong gói bị hỏng ({damage_reason(exc)}).") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        raise RejectedFile(display, f"tệp «{shown(name)}» trong gói bị hỏng ({damage_reason(exc)}).") from exc
    if count != info.file_size:
        raise RejectedFile(display, f"mục «{shown(name)}» ngắn hơn kích thước khai báo.")
    return count


def read_member(checked: CheckedZip, name: str, limit: int) -> bytes:
    """A small member in memory (bounded by *limit*)."""
    import io

    info = checked.info(name)
    if info is None:
        raise RejectedFile(checked.display, f"thiếu mục «{name}».")
    if info.file_size > limit:
        raise RejectedFile(checked.display, f"mục «{shown(name)}» quá lớn ({format_number(info.file_size)} byte).")
    buffer = io.BytesIO()
    stream_member(checked, info, buffer, limit=limit)
    return buffer.getvalue()
