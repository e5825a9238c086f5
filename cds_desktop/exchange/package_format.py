"""The data package format (``.cdspkg``, a zip file).

Members::

    records/<table>.jsonl      one JSON record per line (see :mod:`.records`)
    evidence/<sha256>          evidence files by content hash (stored, not deflated)
    manifest.json              (written after them) format, package uuid, app and schema versions, source
                               installation and commune, creation time, scope, the
                               record tables, and the SHA-256 and size of every other member
    signature.json             (written last) the office's Ed25519 signature over the manifest
                               (see :mod:`.package_sign`); packages of older versions have none

The zip comment is the *seal*: ``CDSPKG1:`` followed by the hex SHA-256 of every
byte of the file up to the comment except the data of *stored* members (the
evidence files: large, and each covered by its CRC and its SHA-256 in the
manifest), of those members' boundaries, and of the manifest's content.  So
any single changed or missing byte anywhere in the file is detected before
anything is extracted or written, at the cost of hashing only the headers and
the (small) deflated record members.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, BinaryIO

from cds_desktop.exchange.record_values import UUID_RE

EXTENSION = ".cdspkg"
FORMAT = "cds-desktop-package"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
RECORDS_PREFIX = "records/"
EVIDENCE_PREFIX = "evidence/"
SEAL_PREFIX = b"CDSPKG1:"
SEAL_LENGTH = len(SEAL_PREFIX) + 64
PLACEHOLDER_SEAL = SEAL_PREFIX + b"0" * 64
MAX_MANIFEST = 64 << 20
MEMBER_RE = re.compile(r"^(?:records/[a-z_]{1,50}\.jsonl|evidence/[0-9a-f]{64})$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def seal_digest(fh: BinaryIO, data_ranges: list[tuple[int, int, bool]], file_size: int, manifest_sha: str) -> str:
    """SHA-256 over every byte of the file except the data of *stored* members (covered by their
    CRC and content hash) and the seal itself, plus the manifest hash.

    Deflated members (records, manifest: small) are sealed byte for byte: a deflate stream
    has unused padding bits that a flip can change without changing the content.
    """
    hasher = hashlib.sha256()
    end = file_size - SEAL_LENGTH
    position = 0
    for start, stop, stored in sorted(data_ranges):
        if not stored:
            continue
        hasher.update(f"[{start},{stop})".encode())
        _hash_region(fh, hasher, position, start)
        position = stop
    _hash_region(fh, hasher, position, end)
    hasher.update(manifest_sha.encode())
    return hasher.hexdigest()


def _hash_region(fh: BinaryIO, hasher: Any, start: int, stop: int) -> None:
    if stop <= start:
        return
    fh.seek(start)
    left = stop - start
    while left:
        chunk = fh.read(min(left, 1 << 20))
        if not chunk:
            raise ValueError("unexpected end of file")
        hasher.update(chunk)
        left -= len(chunk)


def read_seal(fh: BinaryIO, file_size: int) -> str | None:
    """The hex digest in the seal, or None when the file carries no valid seal."""
    if file_size < SEAL_LENGTH:
        return None
    fh.seek(file_size - SEAL_LENGTH)
    tail = fh.read(SEAL_LENGTH)
    if not tail.startswith(SEAL_PREFIX):
        return None
    digest = tail[len(SEAL_PREFIX):].decode("ascii", "replace")
    return digest if _SHA_RE.match(digest) else None


# --------------------------------------------------------------------------
# Manifest


class ManifestError(ValueError):
    """The manifest is incomplete or malformed (Vietnamese message)."""


def _need(data: dict, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    if key not in data:
        raise ManifestError(f"bảng kê thiếu mục «{where}{key}»")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ManifestError(f"mục «{where}{key}» của bảng kê không hợp lệ")
    return value


def check_manifest(data: Any) -> dict[str, Any]:
    """Validate the structure of a parsed manifest; returns it."""
    if not isinstance(data, dict):
        raise ManifestError("bảng kê (manifest.json) không phải là một đối tượng JSON")
    if data.get("format") != FORMAT:
        raise ManifestError("không phải gói dữ liệu của CĐS Desktop")
    version = _need(data, "format_version", int)
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise ManifestError(f"định dạng gói phiên bản {version} chưa được hỗ trợ; hãy cập nhật phần mềm")
    package_uuid = _need(data, "package_uuid", str)
    if not UUID_RE.match(package_uuid):
        raise ManifestError("mã gói (package_uuid) không hợp lệ")
    _need(data, "created_at", str)
    _need(data, "app_version", str)
    _need(data, "schema_revision", str)
    source = _need(data, "source", dict)
    _need(source, "installation", str, "source.")
    _need(source, "commune", str, "source.")
    scope = _need(data, "scope", dict)
    _need(scope, "kind", str, "scope.")
    tables = _need(data, "tables", dict)
    members = _need(data, "members", list)
    names = set()
    for entry in members:
        if not isinstance(entry, dict):
            raise ManifestError("danh sách thành phần của bảng kê không hợp lệ")
        name = _need(entry, "name", str, "members[].")
        size = _need(entry, "size", int, "members[].")
        sha = _need(entry, "sha256", str, "members[].")
        if not MEMBER_RE.match(name) or size < 0 or not _SHA_RE.match(sha):
            raise ManifestError(f"thành phần «{name[:80]}» của bảng kê không hợp lệ")
        if name.startswith(EVIDENCE_PREFIX) and name[len(EVIDENCE_PREFIX):] != sha:
            raise ManifestError(f"tệp minh chứng «{name}» không mang đúng tên theo mã băm")
        if name in names:
            raise ManifestError(f"thành phần «{name}» được kê hai lần")
        names.add(name)
    for table, info in tables.items():
        if not isinstance(info, dict):
            raise ManifestError(f"bảng «{table}» trong bảng kê không hợp lệ")
        member = _need(info, "member", str, f"tables.{table}.")
        _need(info, "count", int, f"tables.{table}.")
        if member != f"{RECORDS_PREFIX}{table}.jsonl" or member not in names:
            raise ManifestError(f"bảng «{table}» trỏ tới thành phần không có trong gói")
    return data
