"""Reading a package's records files: one JSON record per line, bounded in length.

Shared by the check of a package (:mod:`.package_read`) and the second reading of a streamed
package's staged records (``VerifiedPackage.table_records``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_LINE = 8 << 20  # bytes of one record line


def _no_constants(token: str) -> Any:
    raise ValueError(f"giá trị JSON không hợp lệ: {token}")


_DECODER = json.JSONDecoder(parse_constant=_no_constants)  # one decoder: json.loads(..., parse_constant) makes one per call


def loads_record(data: bytes | str) -> Any:
    if isinstance(data, bytes | bytearray):  # as json.loads does with bytes
        # json.detect_encoding's answer for a line starting "{" and no NUL byte (a record as written), without the call
        encoding = "utf-8" if data[:1] == b"{" and data[1:2] != b"\x00" else json.detect_encoding(data)
        data = data.decode(encoding, "surrogatepass")
    return _DECODER.decode(data)


def record_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """``(number, line)`` of a staged records file (each line at most ``MAX_LINE`` + 1 bytes)."""
    with open(path, "rb", buffering=1 << 20) as fh:
        number = 0
        while True:
            line = fh.readline(MAX_LINE + 1)
            if not line:
                return
            number += 1
            yield number, line
