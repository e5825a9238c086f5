"""Hostile files: crafted zips (every name rule, a zip bomb, overlapping entries, a lying
size header, too many entries) are rejected with the file and the reason in Vietnamese,
within a 256 MB memory cap, touching nothing outside a temporary staging folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.databases import database_state
from support.exchange import hostile_corpus, plain_zip, write_corpus

from cds_desktop.database import open_database
from cds_desktop.exchange import RejectedFile, import_package
from cds_desktop.exchange.zip_names import name_problem
from cds_desktop.exchange.zipsafe import WORKBOOK_LIMITS, ZipLimits, open_checked

EXPECTED = {
    "absolute": "tuyệt đối", "drive": "ổ đĩa", "dotdot": "..", "dotdot-leading": "..", "backslash": "gạch chéo ngược",
    "colon": "hai chấm", "control": "điều khiển", "nul": "điều khiển", "reserved-con": "dành riêng",
    "reserved-nul": "dành riêng", "reserved-com1": "dành riêng", "trailing-dot": "dấu chấm",
    "trailing-space": "khoảng trắng", "symlink": "symlink", "case-collision": "hoa thường",
    "nfc-collision": "NFC", "duplicate": "trùng tên", "overlap": "chồng lên", "lying-size": "hỏng",
    "bomb": "bom nén", "too-many": "quá nhiều mục", "unsealed": "niêm phong", "not-a-zip": "niêm phong",
    "empty": "niêm phong",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_archive_is_rejected_with_a_precise_reason(name, db, tmp_path):
    path = tmp_path / f"{name}.cdspkg"
    path.write_bytes(hostile_corpus()[f"{name}.cdspkg"])
    with pytest.raises(RejectedFile) as info:
        import_package(db, path)
    message = str(info.value)
    assert message.startswith(f"Tệp «{name}.cdspkg» bị từ chối: ")
    assert EXPECTED[name] in message, message


@pytest.mark.parametrize("name", [
    "/abs", "C:/x", "c:x", "a/../b", "..", "a\\b", "a:b", "a\x01b", "a\x7fb", "CON", "con.txt", "x/Nul.json",
    "COM1", "lpt9.log", "COM¹", "a.", "a ", "a/b./c", "a//b", "./a", "a<b", "a|b", 'a"b', "a?b", "a*b", "x" * 300,
])
def test_unsafe_names(name):
    assert name_problem(name) is not None


@pytest.mark.parametrize("name", ["manifest.json", "records/items.jsonl", "evidence/" + "a" * 64,
                                  "xl/worksheets/sheet1.xml", "[Content_Types].xml", "Thôn Đông.pdf", "CONSOLE.txt",
                                  "com10.txt", "a.b.c"])
def test_safe_names(name):
    assert name_problem(name) is None


def test_limits_are_applied_to_declared_sizes(tmp_path):
    import io

    blob = plain_zip([("a.xml", b"x" * 5000), ("b.xml", b"y" * 5000)])
    tiny = ZipLimits(max_entries=1, max_member=10_000, max_total=10_000, max_ratio=100.0, max_file=1 << 20)
    with pytest.raises(RejectedFile, match="quá nhiều mục"):
        open_checked(io.BytesIO(blob), "x.zip", tiny)
    tiny = ZipLimits(max_entries=5, max_member=1000, max_total=10_000, max_ratio=100.0, max_file=1 << 20)
    with pytest.raises(RejectedFile, match="quá lớn"):
        open_checked(io.BytesIO(blob), "x.zip", tiny)
    tiny = ZipLimits(max_entries=5, max_member=10_000, max_total=8_000, max_ratio=100.0, max_file=1 << 20)
    with pytest.raises(RejectedFile, match="tổng dung lượng"):
        open_checked(io.BytesIO(blob), "x.zip", tiny)
    checked = open_checked(io.BytesIO(blob), "x.zip", WORKBOOK_LIMITS)
    checked.close()


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for path in root.rglob("*"):
        st = path.lstat()
        out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


_RUNNER = r"""
import json, os, resource, sys, tracemalloc
cap = 256 * 1024 * 1024
try:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    limited = True
except (ValueError, OSError):
    limited = False
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from cds_desktop.exchange.errors import RejectedFile
from cds_desktop.exchange.package_read import verify_package
from cds_desktop.exchange.workbook_read import read_workbook
results = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        if path.suffix == ".xlsx":
            read_workbook(path)
        else:
            verify_package(path, Path(sys.argv[2])).close()
        results[path.name] = "ACCEPTED"
    except RejectedFile as exc:
        results[path.name] = str(exc)
    except MemoryError:
        results[path.name] = "MemoryError"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
try:  # ru_maxrss may carry the parent's peak across fork/exec on Linux; VmHWM is this process's own
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({"limited": limited, "peak": peak, "results": results}))
"""


def test_corpus_is_rejected_within_256_mb_and_touches_nothing_outside_staging(tmp_path):
    import json

    corpus = tmp_path / "sandbox" / "corpus"
    paths = write_corpus(corpus)
    (tmp_path / "sandbox" / "bystander.txt").write_text("không được động vào")
    staging = tmp_path / "staging"
    staging.mkdir()
    before = _snapshot(tmp_path / "sandbox")
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    tests_dir = str(Path(__file__).resolve().parent)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(corpus), str(staging), tests_dir],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["limited"] or report["peak"] < 256 * 1024 * 1024
    assert report["peak"] < 256 * 1024 * 1024
    assert set(report["results"]) == {p.name for p in paths}
    for name, outcome in report["results"].items():
        assert outcome.startswith(f"Tệp «{name}» bị từ chối: "), (name, outcome)
    assert _snapshot(tmp_path / "sandbox") == before
    assert not list(staging.iterdir())
    # Nothing escaped next to the sandbox either.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sandbox", "staging"]


def test_empty_database_untouched_by_the_corpus(tmp_path):
    db = open_database(tmp_path / "data")
    db.close()
    state = database_state(tmp_path / "data")
    db = open_database(tmp_path / "data")
    try:
        for path in write_corpus(tmp_path / "corpus"):
            with pytest.raises(RejectedFile):
                import_package(db, path)
    finally:
        db.close()
    assert database_state(tmp_path / "data") == state


def test_zip64_end_records_are_read(monkeypatch):
    """Writers add zip64 end records past 2 GiB; the hand-read directory must follow them."""
    import io
    import zipfile

    buffer = io.BytesIO()
    zf = zipfile.ZipFile(buffer, "w")
    with zf.open(zipfile.ZipInfo("records/items.jsonl"), "w") as member:
        member.write(b"{}\n" * 10)
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 10)  # as if the archive were larger than 2 GiB
    zf.close()
    monkeypatch.undo()
    data = buffer.getvalue()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data
    checked = open_checked(io.BytesIO(data), "zip64.cdspkg", WORKBOOK_LIMITS, strict_layout=True)
    assert [i.filename for i in checked.infos] == ["records/items.jsonl"]
    checked.close()
